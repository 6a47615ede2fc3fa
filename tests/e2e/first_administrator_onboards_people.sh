# The operator creates the first administrator; they sign in to a restricted session,
# enrol TOTP, set their password, and create an account that signs in and is audited.
source "$(dirname "$0")/lib/common.bash"
new_zone
export XDG_CONFIG_HOME="$WORK/config"
sz admin create root.admin --display-name "Root" > out
expect_in "temporary password, shown once" out
temp=$(sed -n 's/^temporary password, shown once: //p' out)
expect_exit 6 sz admin create second.admin
"$SAFEZONE_BIN" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do grep -q '^Ctrl-C' serve.out && break; sleep 0.1; done
url=$(awk '/^listening on/ {print $3}' serve.out)
c() { env -u SAFEZONE_ZONE -u SAFEZONE_KEY_FILE "$SAFEZONE_BIN" "$@"; }
printf '%s\n\n' "$temp" | c login --server "$url" --ca-cert zone/tls/cert.pem -u root.admin --password-stdin > out
expect_in "restricted" out
expect_exit 5 c user list
c --json totp enrol > enrol.json
secret=$(sed -n 's/.*"secret": "\([A-Z2-7]*\)".*/\1/p' enrol.json)
[ -n "$secret" ] || fail "no TOTP secret"
c totp confirm "$(sz totp-code "$secret")" > out
expect_in "TOTP enrolled" out
printf '%s\nbasalt-orchid-meridian-9\n' "$temp" | c password --password-stdin > out
expect_in "password changed" out
printf 'basalt-orchid-meridian-9\n' | c login -u root.admin --password-stdin --totp "$(sz totp-code "$secret" --offset 1)" > out
expect_exit 0 c user create kim.analyst --display-name "Kim" --role analyst --accreditation-expires 2099-01-01
expect_in "temporary password, shown once" out
c user list > out
expect_in "kim.analyst" out
# Roles are granted and revoked by user id (kim.analyst is user 2).
c user grant 2 output_reviewer > out
expect_in "granted output_reviewer to user 2" out
c --json user show 2 > out
expect_in "output_reviewer" out
c user revoke 2 output_reviewer > out
c --json user show 2 > out
expect_not_in "output_reviewer" out
expect_exit 3 c user grant 2 analyst@no_such_project
# The operator reads the same story in the audit trail, and it verifies.
sz audit entries --action user.create > out
expect_in "user.create" out
expect_in "user:1/root.admin" out
sz audit verify > out
expect_in "audit trail intact" out
