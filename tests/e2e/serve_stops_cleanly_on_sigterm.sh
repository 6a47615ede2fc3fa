# SIGTERM stops the server: it finishes, says so, exits 0, and its audit trail verifies;
# the request log kept the requests it served.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
sign_in auditor
client audit verify > out
expect_in "audit trail intact" out
client audit export --format csv -o trail.csv 2>/dev/null
head -1 trail.csv | grep -q '^record_type,' || fail "not a CSV archive"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "serve exited non-zero after SIGTERM"
SERVER_PID=""
expect_in "stopped" "$WORK/serve.err"
expect_exit 7 client whoami
expect_in "cannot connect" err
sz audit verify > out
expect_in "audit trail intact" out
served=$(sqlite3 "$WORK/zone/zone.db" "SELECT count(*) FROM api_requests WHERE route = '/api/v1/audit/verify' AND status = 200")
[ "$served" -ge 1 ] || fail "the request log lost the requests served before shutdown"
