# Errors through the API are one line, carry the request id, and exit with the same codes
# as locally (through status_codes): denied 5, not found 3, exists 4, bad input 2.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
sign_in provider
expect_exit 3 client dataset show nothing_here
expect_in "does not exist" err
expect_in "request id" err
[ "$(wc -l < err)" -eq 1 ] || fail "error is not one line"
printf 'a,b\n1,2\n' > d.csv
client -q dataset import d.csv --name d --sector finance --tier non_open --provider demo_institution > /dev/null
expect_exit 4 client -q dataset import d.csv --name d --sector finance --tier non_open --provider demo_institution
expect_in "exists already" err
expect_exit 2 client -q dataset import d.csv --name ../etc --sector finance --tier non_open --provider demo_institution
expect_in "not allowed" err
# Another institution's data, and the audit trail, are not the provider's.
expect_exit 5 client -q dataset import d.csv --name e --sector finance --tier non_open --provider elsewhere
expect_exit 5 client audit entries
expect_exit 5 client user list
# A client pinning another certificate refuses to talk to the server.
sz init "$WORK/other" --key-file "$WORK/other.key" >/dev/null
"$SAFEZONE_BIN" --zone "$WORK/other" --key-file "$WORK/other.key" serve --listen 127.0.0.1:0 >/dev/null 2>&1 &
other_pid=$!
for _ in $(seq 1 100); do [ -f "$WORK/other/tls/cert.pem" ] && break; sleep 0.1; done
kill -TERM "$other_pid"; wait "$other_pid" || true
code=$(sz totp-code "$(totp_secret analyst)")
expect_exit 5 sh -c "printf 'safe-zone-demo-pass\n' | env -u SAFEZONE_ZONE '$SAFEZONE_BIN' login --server '$SERVER_URL' --ca-cert '$WORK/other/tls/cert.pem' -u analyst --password-stdin --totp $code"
expect_in "does not verify" err
