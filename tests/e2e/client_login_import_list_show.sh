# A data provider signs in through the API (password + TOTP), imports a file, lists,
# searches and shows it, confirms the column roles, and signs out.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/server.bash"
start_server
sign_in provider
client whoami > out
expect_in "provider (Demo Data Provider)" out
expect_in "data_provider" out
printf 'station,riders\n서울역,120\n시청,95\n' > riders.csv
client -q dataset import riders.csv --name riders --sector transportation --tier non_open \
  --provider demo_institution --title-ko "역별 승객" > out
expect_in "imported riders version 1: 2 rows" out
client dataset list > out
expect_in "riders" out
expect_in "1 dataset(s)" out
client dataset search "승객" > out
expect_in "riders" out
client dataset show riders > out
expect_in "역별 승객" out
expect_in "from riders.csv" out
client --json dataset roles riders --set riders=sensitive --confirm > out
expect_in '"confirmed": true' out
client sector list > out
expect_in "transportation" out
# The same catalog, read locally by the operator, agrees.
sz --json dataset list > local.json
client --json dataset list > remote.json
cmp -s local.json remote.json || fail "local and client mode list differ"
client logout > out
expect_in "signed out" out
expect_exit 5 client whoami
expect_in "not signed in" err
