# The README's main job as people use it: `safezone demo` serves its zone; the officer
# signs off the demo's pseudonymization jobs, the administrator approves the proposed
# project, the analyst queries it through the API and requests an export, which the
# checks pass; nothing reaches the analyst before each step is approved.
source "$(dirname "$0")/lib/common.bash"
"$SAFEZONE_BIN" demo "$WORK/demo" --listen 127.0.0.1:0 > demo.out 2> demo.err &
DEMO_PID=$!
trap 'kill -TERM $DEMO_PID 2>/dev/null; wait $DEMO_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do
  grep -q '^Ctrl-C' demo.out 2>/dev/null && break
  kill -0 "$DEMO_PID" 2>/dev/null || { cat demo.err >&2; fail "demo exited early"; }
  sleep 0.1
done
URL=$(awk '/^listening on/ {print $3}' demo.out)
CERT="$WORK/demo/zone/tls/cert.pem"
[ -n "$URL" ] || fail "demo printed no address"
expect_in 'draft project "demo"' demo.out
# as USER CMD...: the CLI in client mode with USER's own session (each person signs in
# once: a TOTP code is accepted only once).
as() {
  local user=$1
  shift
  env -u SAFEZONE_ZONE -u SAFEZONE_KEY_FILE XDG_CONFIG_HOME="$WORK/config-$user" "$SAFEZONE_BIN" "$@"
}
sign_in() {
  local secret code
  secret=$(awk -v u="$1" '$1 == u {print $NF}' demo.out)
  code=$(sz totp-code "$secret" --offset "${2:-0}")
  printf 'safe-zone-demo-pass\n' | as "$1" login --server "$URL" --ca-cert "$CERT" \
    -u "$1" --password-stdin --totp "$code" > /dev/null
}

# The analyst cannot work before the project is approved.
sign_in analyst
expect_exit 5 as analyst workspace demo -c "SELECT 1"
expect_in "not approved" err

# The administrator (whose current TOTP step the demo's seeding spent) cannot approve
# before an officer signed the pseudonymized versions off.
sign_in admin 1
expect_exit 6 as admin project approve demo
expect_in "signed off" err

sign_in pseudo.officer
as pseudo.officer pseudo report 1 --lang en > report.md
expect_in "Overall: PASS" report.md
as pseudo.officer pseudo signoff 1 --approve --comment "k within thresholds" > out
expect_in "signed off" out
as pseudo.officer pseudo signoff 2 --approve --comment "k within thresholds" > /dev/null

as admin project approve demo > out
expect_in "active" out

as analyst workspace demo -c "SELECT count(*) AS payments FROM card_payments" > out
expect_in "payments" out
expect_in "100000" out
expect_exit 5 as analyst workspace demo -c "SELECT * FROM read_csv('/etc/passwd')"
expect_in "file and network access is disabled" err
# Interactive statements are kept in the analyst's own config directory, 0600.
echo "SELECT 42 AS answer;" | as analyst workspace demo > out
expect_in "42" out
history="$WORK/config-analyst/safezone/workspace_history"
[ "$(stat -c %a "$history")" = 600 ] || fail "history file is not 0600"
expect_in "SELECT 42 AS answer" "$history"
as analyst output table demo by_sido --from card_payments --by merchant_sido > out
as analyst export request demo by_sido --cells > out
expect_in "export request 1 of demo" out
expect_not_in "fail" out
expect_in "by_sido: 18 cells, 18 pass" out
as analyst export submit 1 > out
expect_in "submitted" out

# Scripts use a scoped API token instead of a session: the auditor's token reads the
# audit trail from an environment with no session at all, and nothing else.
sign_in auditor
secret=$(awk '$1 == "auditor" {print $NF}' demo.out)
as auditor token create --name nightly --scope audit:read --days 7 \
  --totp "$(sz totp-code "$secret" --offset 1)" > token.out
token=$(tail -n 1 token.out)
[ -n "$token" ] || fail "no token printed"
scripted() {
  env -u SAFEZONE_ZONE -u SAFEZONE_KEY_FILE XDG_CONFIG_HOME="$WORK/no-session" SAFEZONE_TOKEN="$token" \
    SAFEZONE_SERVER="$URL" SAFEZONE_CA_CERT="$CERT" "$SAFEZONE_BIN" "$@"
}
scripted audit entries --action project.approve > out
expect_in "project.approve" out
expect_exit 5 scripted dataset list
expect_exit 2 env -u SAFEZONE_ZONE SAFEZONE_TOKEN="$token" "$SAFEZONE_BIN" audit entries
expect_in "SAFEZONE_SERVER" err
