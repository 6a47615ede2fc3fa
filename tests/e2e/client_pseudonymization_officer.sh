# The pseudonymization officer works through the API: suggest, run, read the report,
# search for a generalization; they cannot sign off their own run but can sign off the
# operator's, after which the version counts as signed off. Client mode and local mode
# show the same jobs.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
{
  echo "customer_name,phone,sido,amount"
  for i in $(seq 0 59); do
    printf '이서%s,010-%04d-%04d,%s,%d\n' "$i" $((3000 + i)) $((4000 + i)) \
      "$([ $((i % 2)) -eq 0 ] && echo 서울특별시 || echo 부산광역시)" $((500 + i * 13))
  done
} > customers.csv
sign_in provider
client -q dataset import customers.csv --name customers --sector finance --tier non_open \
  --provider demo_institution > /dev/null
client -q dataset roles customers --set customer_name=direct_identifier --set phone=direct_identifier \
  --set sido=quasi_identifier --set amount=sensitive --confirm > /dev/null
# Officers only: the provider may not pseudonymize.
expect_exit 5 client pseudo suggest customers

sign_in pseudo.officer
client pseudo suggest customers --project demo -o policy.yaml 2> /dev/null
expect_in 'column: "phone", rule: "pseudonym"' policy.yaml
client pseudo validate customers --policy policy.yaml > out
expect_in "is valid" out
client pseudo run customers --policy policy.yaml --project demo --summary "through the API" > run.txt
expect_in "job 1: customers version 1 -> version 2" run.txt
expect_in "verdict: PASS" run.txt
client pseudo report 1 --format html --lang en -o report.html 2> /dev/null
expect_in "<html" report.html
client pseudo report 1 --lang ko > report.md
expect_in "through the API" report.md
# Separation of duties: not on one's own run.
expect_exit 5 client pseudo signoff 1 --approve --comment "mine"
expect_in "separation of duties" err

# The operator runs the same policy locally; the officer signs that run off remotely.
sz -q pseudo run customers --policy policy.yaml --project demo > /dev/null
client pseudo signoff 2 --approve --comment "risk within thresholds" > out
expect_in "job 2 signed off by user:" out
client --json pseudo jobs > remote.json
sz --json pseudo jobs > local.json
cmp -s local.json remote.json || fail "local and client mode jobs differ"
expect_in '"state": "signed_off"' remote.json

# The optimal search, the hierarchy file uploaded through the API on the way.
printf '서울특별시;수도권;*\n부산광역시;동남권;*\n' > sido.csv
client anonymize search customers --qi sido=sido.csv --k 40 > search.txt
expect_in "optimal" search.txt
client pseudo hierarchy list > hier.txt
expect_in "sido" hier.txt
expect_exit 3 client pseudo report 999
