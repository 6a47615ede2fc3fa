# The analysis cycle from the CLI client, through the HTTPS API: an analyst proposes a
# project, an administrator approves it, the analyst queries in a workspace session
# (escapes refused, Ctrl-C cancels and the session stays, history 0600), saves an output
# and requests its export; a reviewer approves and releases it and cannot download it;
# the analyst downloads it file by file and as one archive, and both verify.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
{
  echo "pid,sido,sex,age,income"
  for i in $(seq 0 59); do
    if [ "$i" -lt 25 ]; then s=부산; elif [ "$i" -lt 55 ]; then s=서울; else s=대구; fi
    if [ $((i % 2)) -eq 0 ]; then x=M; else x=F; fi
    printf 'P%03d,%s,%s,%d,%d\n' "$i" "$s" "$x" $((20 + i)) $((1000 + 10 * i))
  done
} > residents.csv
sz -q dataset import residents.csv --name residents --sector population --tier non_open --provider demo_institution >/dev/null
sz dataset roles residents --set pid=quasi_identifier --set sido=quasi_identifier --set sex=quasi_identifier \
  --set age=quasi_identifier --set income=sensitive --confirm >/dev/null
start_server
# Each person keeps their own session file: sign in once, switch with `become`.
become() { export XDG_CONFIG_HOME="$WORK/config-$1"; }
become analyst
sign_in analyst
become admin
sign_in admin 1   # the seeding sign-in spent the administrator's current code
become reviewer
sign_in reviewer

become analyst
client project create tour --purpose "regional study" --start 2020-01-01 --end 2099-12-31 \
  --dataset residents=pid,sido,sex,age,income --person residents=pid > out
expect_in "state draft" out
expect_in "lead" out
expect_exit 5 client project approve tour
become admin
client project approve tour > out
expect_in "state active" out
client --json project list > out
expect_in '"name": "tour"' out

become analyst
client workspace tour -c "SELECT count(*) AS n, count(DISTINCT sido) AS s FROM residents" > out
expect_in "60" out
expect_exit 5 client workspace tour -c "SELECT * FROM read_csv('/etc/passwd')"
expect_in "file and network access is disabled" err
expect_exit 5 client workspace tour -c "ATTACH '$WORK/zone/zone.db' AS cp"
expect_exit 7 client workspace tour --timeout 1 -c "SELECT count(*) FROM range(100000000) a, range(1000) b WHERE a.range + b.range = -1"
expect_in "time limit" err
# Interactive through a pipe: Ctrl-C cancels the running statement, the session stays.
mkfifo input
env -u SAFEZONE_ZONE -u SAFEZONE_KEY_FILE SAFEZONE_HISTORY="$WORK/history" \
  "$SAFEZONE_BIN" workspace tour < input > interactive.out 2> interactive.err &
ws_pid=$!
exec 3> input
echo "SELECT count(*) FROM range(100000000) a, range(1000) b WHERE a.range + b.range = -1;" >&3
sleep 2
kill -INT "$ws_pid"
sleep 1
printf "SELECT sido, count(*) AS n FROM residents GROUP BY 1 ORDER BY 1;\n.quit\n" >&3
exec 3>&-
wait "$ws_pid"
expect_in "query cancelled; the workspace is still open" interactive.err
expect_in "서울" interactive.out
[ "$(stat -c %a "$WORK/history")" = 600 ] || fail "history file is not 0600"
expect_in "GROUP BY 1" "$WORK/history"

client output table tour by_sex --from residents --by sex > out
expect_in "revision 1" out
client output list tour > out
expect_in "by_sex" out
client output show tour by_sex > out
expect_in "30" out
printf 'method: counts by sex\n' > notes.txt
client output text tour notes notes.txt > out
expect_in "saved output notes (text)" out
client export request tour by_sex --purpose paper --cells > out
expect_in "export request 1 of tour by user:" out
client export submit 1 > out
expect_in "submitted" out
expect_exit 5 client review decide 1 by_sex approve

become reviewer
client review list tour > out
expect_in "submitted" out
client review comment 1 "reviewers only" --reviewers-only > out
client review decide 1 by_sex approve > out
expect_in "in_review" out
client review conclude 1 > out
expect_in "approved" out
client review release 1 > out
expect_in "as release 1" out
key_id=$(sed -n 's/.*, key \([0-9a-f]*\))$/\1/p' out)
[ -n "$key_id" ] || fail "no release key id printed"
expect_exit 5 client release download 1 --out stolen
expect_in "only the requester" err
[ ! -e stolen ] || fail "a refused download wrote files"

become analyst
client export show 1 > out
expect_not_in "reviewers only" out
client release download 1 --out rel > out
expect_in "signature and hashes verified" out
for f in results.json manifest.json manifest.sig by_sex_0.csv checksums/by_sex_0.csv.txt; do
  [ -f "rel/$f" ] || fail "release lacks $f"
done
client release download 1 --archive rel.tar > out
mkdir untarred && tar -xf rel.tar -C untarred
client release verify untarred > out
expect_in "signature and all" out
expect_in "(key $key_id, public key" out
client release verify rel.tar > out
expect_in "verify" out
client release verify rel > out
echo "M,1" >> rel/by_sex_0.csv
expect_exit 8 client release verify rel
expect_in "does not match its SHA-256" err
# The operator's audit trail has the refused download.
sz audit entries --action release.download --outcome deny > out
expect_in "release.download" out
