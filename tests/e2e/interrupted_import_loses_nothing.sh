# Ctrl-C during an import stops it cleanly: exit 9, nothing stored, catalog unchanged.
source "$(dirname "$0")/lib/common.bash"
new_zone
awk 'BEGIN { print "id,name,city,amount"; for (i = 0; i < 3000000; i++) printf "%d,name%d,city%d,%d\n", i, i % 1000, i % 50, i * 3 }' > big.csv
"$SAFEZONE_BIN" dataset import big.csv --name big --sector finance --tier non_open --provider p >out 2>err &
pid=$!
sleep 0.5
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ "$rc" -eq 9 ] || { cat err; fail "expected exit 9 (interrupted), got $rc"; }
expect_in "interrupted" err
for d in tmp data uploads; do [ -z "$(ls "$WORK/zone/$d")" ] || fail "$d/ not empty"; done
sz --json dataset list | grep -q '"big"' && fail "dataset catalogued" || true
