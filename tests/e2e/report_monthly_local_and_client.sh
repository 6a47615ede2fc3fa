# The monthly report, through the API as the administrator and locally as the operator:
# an HTML page and CSV files with the same figures; other roles are refused; no user
# name appears in it.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
month=$(TZ=Asia/Seoul date +%Y-%m)
# The demo seeding spent the administrator's code of this step: use the next one.
sign_in admin 1
for _ in 1 2 3; do client whoami > /dev/null; done
sleep 2  # the server writes its request log every second
client report monthly --month "$month" --out remote > out
expect_in "monthly report $month" out
[ -f "remote/report-$month.html" ] || fail "no HTML report"
for f in summary sectors datasets routes days flags; do
  [ -f "remote/$f.csv" ] || fail "no $f.csv"
done
expect_in "GET,/api/v1/auth/me," remote/routes.csv
expect_in "<svg" "remote/report-$month.html"
expect_in "월간 이용 현황 보고서" "remote/report-$month.html"
expect_not_in "admin" "remote/report-$month.html"
sz report monthly --month "$month" --out local --lang en > out
expect_in "Monthly usage report" "local/report-$month.html"
cmp -s remote/datasets.csv local/datasets.csv || fail "local and client datasets.csv differ"
sign_in analyst
expect_exit 5 client report monthly --month "$month" --out denied
