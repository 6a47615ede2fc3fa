# The session file is created 0600 in a 0700 directory; one that others can read is
# refused, and without one the client says how to sign in.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
expect_exit 5 client dataset list
expect_in "not signed in" err
sign_in analyst
f="$XDG_CONFIG_HOME/safezone/session.json"
[ "$(stat -c %a "$f")" = 600 ] || fail "session file mode is $(stat -c %a "$f")"
[ "$(stat -c %a "$(dirname "$f")")" = 700 ] || fail "session directory is not 0700"
client dataset list > /dev/null
chmod 644 "$f"
expect_exit 5 client dataset list
expect_in "readable by others" err
chmod 600 "$f"
client dataset list > /dev/null
# A wrong TOTP code: no session is kept.
rm "$f"
expect_exit 5 sh -c "printf 'safe-zone-demo-pass\n' | env -u SAFEZONE_ZONE '$SAFEZONE_BIN' login --server '$SERVER_URL' --ca-cert '$SERVER_CERT' -u auditor --password-stdin --totp 000000"
[ ! -e "$f" ] || fail "a failed sign-in left a session file"
