# A zone refuses to open without its key, with a wrong key, or with an exposed key file;
# rotation re-wraps data keys so the data stays readable under the new key only.
source "$(dirname "$0")/lib/common.bash"
new_zone
printf 'x,y\n1,2\n' > d.csv
sz -q dataset import d.csv --name d --sector finance --tier non_open --provider p >/dev/null
expect_exit 6 sz --key-file "$WORK/missing.key" dataset list
expect_in "missing" err
sz init "$WORK/other" --key-file "$WORK/other.key" >/dev/null
expect_exit 5 sz --key-file "$WORK/other.key" dataset list
expect_in "does not belong" err
chmod 644 master.key
expect_exit 5 sz dataset list
expect_in "chmod 600" err
chmod 600 master.key
expect_exit 2 sz init "$WORK/z2" --key-file "$WORK/z2/inside.key"
expect_in "outside the zone" err
expect_exit 2 sz keys rotate --new-key-file "$SAFEZONE_ZONE/data/../new.key"
expect_in "outside the zone" err
[ ! -e "$SAFEZONE_ZONE/new.key" ] || fail "a key was written inside the zone"
sz dataset list > /dev/null
sz keys rotate --new-key-file "$WORK/new.key" > /dev/null
expect_exit 5 sz dataset list
sz --key-file "$WORK/new.key" dataset verify > out
expect_in "all intact" out
