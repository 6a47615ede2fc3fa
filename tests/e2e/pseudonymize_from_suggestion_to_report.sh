# The pseudonymization centre from the command line: confirm roles, suggest a policy,
# run it, read the verdict and the report; the operator cannot sign off their own run;
# a failing run writes nothing and says why in one line.
source "$(dirname "$0")/lib/common.bash"
new_zone
{
  echo "customer_name,customer_rrn,phone,sido,amount"
  for i in $(seq 0 59); do
    printf '김민%s,900101-1%06d,010-%04d-%04d,%s,%d\n' "$i" "$i" $((1000 + i)) $((2000 + i)) \
      "$([ $((i % 2)) -eq 0 ] && echo 서울특별시 || echo 부산광역시)" $((1000 + i * 37))
  done
} > customers.csv
sz -q dataset import customers.csv --name customers --sector finance --tier non_open --provider bank > /dev/null
expect_exit 6 sz pseudo suggest customers
expect_in "--confirm" err
sz -q dataset roles customers --set customer_name=direct_identifier --set customer_rrn=direct_identifier \
  --set phone=direct_identifier --set sido=quasi_identifier --set amount=sensitive --confirm > /dev/null

sz pseudo suggest customers --as-of 2024-12-31 -o policy.yaml 2> /dev/null
expect_in 'column: "customer_name", rule: "delete"' policy.yaml
expect_in "thresholds:" policy.yaml
sz pseudo validate customers --policy policy.yaml > valid.txt
expect_in "is valid" valid.txt

sz -q pseudo run customers --policy policy.yaml --summary "e2e" > run.txt
expect_in "job 1: customers version 1 -> version 2" run.txt
expect_in "verdict: PASS" run.txt
sz pseudo jobs > jobs.txt
expect_in "awaiting_signoff" jobs.txt
sz pseudo report 1 --format html --lang en -o report.html 2> /dev/null
expect_in "<html" report.html
sz pseudo report 1 --format json > report.json
expect_in '"pass": true' report.json
sz pseudo report 1 > report.md
expect_in "가명처리" report.md

# Separation of duties: the operator ran job 1 and may not decide on it.
expect_exit 5 sz pseudo signoff 1 --approve --comment "self"
expect_in "a pseudonymization officer must sign off" err

# Bad input: one line, exit code 2, nothing written (still one job, two versions).
printf 'version: 1\nunlisted: keep\ncolumns:\n  - {column: nope, rule: delete}\n' > bad.yaml
expect_exit 2 sz pseudo run customers --policy bad.yaml
expect_in "nope" err
[ "$(wc -l < err)" -eq 1 ] || fail "error is not one line"
printf 'version: 1\nunlisted: keep\ncolumns:\n  - {column: sido, rule: generalize, method: hierarchy, hierarchy_file: /etc/passwd, level: 1}\n' > path.yaml
expect_exit 2 sz pseudo run customers --policy path.yaml
expect_in "not a path" err
sz --json pseudo jobs > jobs.json
[ "$(grep -c '"id"' jobs.json)" -eq 1 ] || fail "a failed run left a job"
[ -z "$(ls "$WORK/zone/tmp")" ] || fail "tmp/ not empty"

# The optimal search with a hierarchy file uploaded on the way, and the admin hierarchy.
printf '서울특별시;수도권;*\n부산광역시;동남권;*\n' > sido.csv
sz anonymize search customers --qi sido=sido.csv --k 40 > search.txt
expect_in "optimal" search.txt
expect_in 'column: "sido", rule: "generalize", method: "hierarchy", hierarchy_file: "sido"' search.txt
sz anonymize search customers --qi sido=admin --k 5 > admin.txt
expect_in 'column: "sido", rule: "keep"' admin.txt
sz pseudo hierarchy list > hier.txt
expect_in "sido" hier.txt
