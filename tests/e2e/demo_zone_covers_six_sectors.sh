# The README's main job: a demo zone with sample data for all six sectors, identifiers
# detected, every stored version intact; running it again shows the same zone.
source "$(dirname "$0")/lib/common.bash"
sz -q demo "$WORK/demo" --scale 0.2 --no-serve > first.txt
expect_in "Created demo zone" first.txt
export SAFEZONE_ZONE="$WORK/demo/zone" SAFEZONE_KEY_FILE="$WORK/demo/master.key"
sz --json dataset list > list.json
for sector in transportation population real_estate tourism consumption finance; do
  grep -q "\"sector\": \"$sector\"" list.json || fail "no $sector dataset"
done
grep -q '"tier": "open"' list.json || fail "no open dataset"
sz --json dataset show resident_population > pop.json
grep -q '"pattern": "rrn"' pop.json || fail "RRN column not detected"
grep -q '"role": "direct_identifier"' pop.json || fail "no direct identifier proposed"
sz dataset verify > verify.txt
expect_in "all intact" verify.txt
sz -q demo "$WORK/demo" --no-serve > second.txt
expect_in "exists already" second.txt
