# `safezone inspect` lists findings with a severity and a fix, exits 0 while nothing is
# critical or high and 6 when something is (a stray CSV with an RRN in the zone, a key
# file others can read), never printing the identifier it found; `safezone backup`
# makes a verified copy that inspect then reports as recent.
source "$(dirname "$0")/lib/common.bash"
new_zone
sz admin create root.admin --display-name "Root" > /dev/null
sz inspect --password-budget 5 > out
expect_in "accounts.no_second_factor" out
expect_in "backup.none" out
expect_in "fix: " out
expect_in "0 critical, 0 high" out
printf 'name,rrn\nkim,900101-1234568\n' > zone/stray.csv
expect_exit 6 sz inspect --password-budget 0
expect_in "files.plaintext_personal_data" out
expect_in "stray.csv: 1 resident registration number" out
expect_not_in "900101" out
expect_in "critical and" err
expect_exit 6 sz --json inspect --password-budget 0
expect_in '"failing": true' out
rm zone/stray.csv
sz backup "$WORK/backups/b1" > out
expect_in "verified with the master key" out
[ -f "$WORK/backups/b1/zone.db" ] || fail "no zone.db in the backup"
[ ! -e "$WORK/backups/b1/master.key" ] || fail "the backup carries the key"
sz inspect --password-budget 0 > out
expect_in "INFO      backup.age: last backup" out
# A backup is a zone: it opens with the same key.
sz --zone "$WORK/backups/b1" audit verify > out
expect_in "audit trail intact" out
chmod 640 master.key
expect_exit 6 sz inspect
expect_in "master_key.permissions" out
expect_in "zone.open" out
expect_in "chmod 600" out
