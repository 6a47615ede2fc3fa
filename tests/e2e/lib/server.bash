# A zone served by `safezone serve` in the background on a free loopback port, with one
# demo account per role; the server is stopped when the script exits. Sourced after
# common.bash. Sets SERVER_URL, SERVER_CERT and exports XDG_CONFIG_HOME (client sessions).
new_zone
export XDG_CONFIG_HOME="$WORK/config"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

start_server() {
  # The binary itself, not the sz function: $! must be the server, so that TERM reaches it.
  "$SAFEZONE_BIN" serve --listen 127.0.0.1:0 --demo-accounts "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    grep -q '^Ctrl-C' "$WORK/serve.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; fail "serve exited early"; }
    sleep 0.1
  done
  SERVER_URL=$(awk '/^listening on/ {print $3}' "$WORK/serve.out")
  SERVER_CERT="$WORK/zone/tls/cert.pem"
  [ -n "$SERVER_URL" ] || fail "serve printed no address"
}

# totp_secret USERNAME: the demo account's TOTP secret from the serve banner.
totp_secret() { awk -v u="$1" '$1 == u {print $NF}' "$WORK/serve.out"; }

# client CMD...: runs the CLI in client mode (no zone in the environment).
client() { env -u SAFEZONE_ZONE -u SAFEZONE_KEY_FILE "$SAFEZONE_BIN" "$@"; }

# sign_in USERNAME [STEP_OFFSET]: password from stdin, TOTP computed from the secret.
sign_in() {
  local code
  code=$(sz totp-code "$(totp_secret "$1")" --offset "${2:-0}")
  printf 'safe-zone-demo-pass\n' | client login --server "$SERVER_URL" --ca-cert "$SERVER_CERT" \
    -u "$1" --password-stdin --totp "$code" >/dev/null
}
