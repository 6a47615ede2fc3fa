# A file-size limit (what a full disk looks like to a writer) during import: clear error,
# no dataset, no partial files; the next import, without the limit, succeeds.
source "$(dirname "$0")/lib/common.bash"
new_zone
{ echo "id,name,amount"; for i in $(seq 1 40000); do echo "$i,이름$((i % 97)),$((i * 7))"; done; } > big.csv
set +e
( ulimit -f 200; "$SAFEZONE_BIN" -q dataset import big.csv --name big --sector finance --tier non_open --provider p ) >out 2>err
rc=$?
set -e
[ "$rc" -eq 7 ] || { cat err; fail "expected exit 7 (resource exhausted), got $rc"; }
expect_in "File too large" err
[ -z "$(ls "$WORK/zone/tmp" "$WORK/zone/data" "$WORK/zone/uploads" | grep -v ':' | grep . || true)" ] || fail "files left behind"
sz --json dataset list | grep -q '"big"' && fail "dataset catalogued"
sz -q dataset import big.csv --name big --sector finance --tier non_open --provider p >/dev/null
sz dataset verify big | grep -q "all intact"
