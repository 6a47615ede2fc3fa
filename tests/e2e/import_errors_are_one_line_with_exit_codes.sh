# Bad input gets a one-line error, a specific exit code, and leaves the catalog unchanged.
source "$(dirname "$0")/lib/common.bash"
new_zone
printf 'a,b\n1,2\n3\n' > ragged.csv
expect_exit 2 sz dataset import ragged.csv --name r --sector finance --tier open --provider p
expect_in "line 3 has 1 fields" err
[ "$(wc -l < err)" -eq 1 ] || fail "error is not one line"
: > empty.csv
expect_exit 2 sz dataset import empty.csv --name e --sector finance --tier open --provider p
expect_in "is empty" err
printf 'a\n1\n' > ok.csv
expect_exit 2 sz dataset import ok.csv --name ../etc --sector finance --tier open --provider p
expect_in "not allowed" err
expect_exit 2 sz dataset import ok.csv --name ok --sector nowhere --tier open --provider p
expect_in "unknown sector" err
expect_exit 0 sz dataset import ok.csv --name ok --sector finance --tier open --provider p
expect_exit 4 sz dataset import ok.csv --name ok --sector finance --tier open --provider p
expect_in "exists already" err
expect_exit 3 sz dataset show nothing
sz --json dataset list > list.json
[ "$(grep -c '"name"' list.json)" -eq 1 ] || fail "catalog changed by failed imports"
[ -z "$(ls "$WORK/zone/tmp")" ] || fail "tmp/ not empty"
# Usage errors (unknown flags, missing arguments) are invalid input too.
expect_exit 2 sz dataset list --bogus
expect_exit 2 sz review list
