# The operator's full cycle from the CLI: approve a project, query in its locked-down
# workspace (escapes refused, limits reported), save an output, request its export,
# mitigate, review, release, download and verify the signed package; a tampered package
# fails verification.
# (residents is non_open here: a pseudonymized version would first need an officer's sign-off,
# which the local operator cannot give; ProjectsTest covers that gate.)
source "$(dirname "$0")/lib/common.bash"
new_zone
{
  echo "pid,sido,sex,age,income"
  for i in $(seq 0 59); do
    if [ "$i" -lt 25 ]; then s=부산; elif [ "$i" -lt 55 ]; then s=서울; else s=대구; fi
    if [ $((i % 2)) -eq 0 ]; then x=M; else x=F; fi
    printf 'P%03d,%s,%s,%d,%d\n' "$i" "$s" "$x" $((20 + i)) $((1000 + 10 * i))
  done
} > residents.csv
sz -q dataset import residents.csv --name residents --sector population --tier non_open --provider 통계청 >/dev/null
sz dataset roles residents --set pid=quasi_identifier --set sido=quasi_identifier --set sex=quasi_identifier \
  --set age=quasi_identifier --set income=sensitive --confirm >/dev/null
# An analyst account (the identity service would create it; the test inserts it).
sqlite3 "$WORK/zone/zone.db" "INSERT INTO identity_users(username, display_name, status, password_hash, created_at, updated_at) VALUES ('kim', 'Kim', 'active', 'x', 0, 0)"

sz project create tour --purpose "regional study" --start 2020-01-01 --end 2099-12-31 --member kim:lead \
  --dataset residents=pid,sido,sex,age,income --person residents=pid > out
expect_in "draft" out
expect_exit 6 sz workspace tour -c "SELECT 1"
expect_in "not approved yet" err
sz project approve tour > out
expect_in "state active" out

# The workspace: exactly the approved data; escapes refused with one-line reasons.
sz workspace tour -c "SELECT count(*) AS n, count(DISTINCT sido) AS s FROM residents" > out
expect_in "60" out
expect_exit 5 sz workspace tour -c "SELECT * FROM read_csv('/etc/passwd')"
expect_in "file and network access is disabled" err
expect_exit 5 sz workspace tour -c "SELECT * FROM read_blob('$WORK/master.key')"
expect_exit 5 sz workspace tour -c "ATTACH '$WORK/zone/zone.db' AS cp"
expect_in "ATTACH is not allowed" err
expect_exit 5 sz workspace tour -c "COPY residents TO '$WORK/leak.csv'"
[ ! -e "$WORK/leak.csv" ] || fail "COPY wrote a file"
expect_exit 5 sz workspace tour -c "SET enable_external_access = true"
expect_exit 7 sz workspace tour --timeout 1 -c "SELECT count(*) FROM range(100000) a, range(1000000) b WHERE a.range + b.range = -1"
expect_in "time limit" err
# Interactive mode from a pipe: statements end with ';', history goes to a 0600 file.
printf 'SELECT sido, count(*)\nFROM residents GROUP BY 1 ORDER BY 1;\n.quit\n' |
  SAFEZONE_HISTORY="$WORK/history" sz workspace tour > out
expect_in "서울" out
[ "$(stat -c %a "$WORK/history")" = 600 ] || fail "history file is not 0600"

# Output, export request with checks at once, mitigation, review, release.
sz output table tour by_sido --from residents --by sido > out
expect_in "revision 1" out
sz export request tour by_sido --cells > out
expect_in "fail" out
expect_in "threshold" out
expect_exit 6 sz export submit 1
expect_in "fails the checks" err
sz export mitigate 1 by_sido --method suppress > out
expect_in "LP audit safe" out
sz export submit 1 > out
expect_in "submitted" out
sz review decide 1 by_sido approve > out
expect_in "in_review" out
sz review conclude 1 > out
expect_in "approved" out
sz review release 1 > out
expect_in "as release 1" out
sz release download 1 --out rel > out
for f in results.json manifest.json manifest.sig by_sido_0.csv checksums/by_sido_0.csv.txt; do
  [ -f "rel/$f" ] || fail "release lacks $f"
done
sz release verify rel > out
expect_in "verify" out
echo "부산,1" >> rel/by_sido_0.csv
expect_exit 8 sz release verify rel
expect_in "does not match its SHA-256" err
