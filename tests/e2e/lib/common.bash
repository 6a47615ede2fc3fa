# Shared set-up for the end-to-end scripts: a fresh temporary directory, the binary under
# test, and small assertion helpers. Every script runs `set -euo pipefail`.
set -euo pipefail
: "${SAFEZONE_BIN:?SAFEZONE_BIN must point at the safezone binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sz-e2e-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
sz() { "$SAFEZONE_BIN" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE CMD...: runs CMD, requires exit status CODE, keeps stderr in $WORK/err
expect_exit() {
  local want=$1; shift
  set +e; "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$WORK/err" >&2; fail "'$*' exited $got, expected $want"; }
}
expect_in() { grep -qF -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "expected '$1' in $2"; }; }
expect_not_in() { ! grep -qF -- "$1" "$2" || fail "did not expect '$1' in $2"; }

# new_zone: a zone in $WORK/zone with its key in $WORK/master.key, exported for sz.
new_zone() {
  sz init "$WORK/zone" --key-file "$WORK/master.key" >/dev/null
  export SAFEZONE_ZONE="$WORK/zone" SAFEZONE_KEY_FILE="$WORK/master.key"
}
