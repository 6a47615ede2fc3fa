# After the demo loads its sample data, no generated name, resident registration number
# or phone number may appear in plaintext in any file under the zone directory (UTF-8 or
# CP949). The same seed regenerates the same people, so we know what to look for.
source "$(dirname "$0")/lib/common.bash"
sz -q demo "$WORK/demo" --scale 0.3 --seed 7 --no-serve > /dev/null
sz -q synth --out "$WORK/plain" --scale 0.3 --seed 7 > /dev/null

# Full names (3+ syllables), RRNs (with and without hyphen), phones: from the ground truth.
awk -F, 'NR > 1 { if (length($2) >= 9) print $2; print $5; r = $5; sub("-", "", r); print r; print $6 }' \
  "$WORK/plain/ground_truth/persons.csv" | awk "length(\$0) >= 9" | sort -u > needles.utf8
[ "$(wc -l < needles.utf8)" -gt 2000 ] || fail "too few identifiers to look for"
iconv -f UTF-8 -t CP949 needles.utf8 > needles.cp949

scan() { grep -rFal -f "$1" "$2" 2>/dev/null || true; }
# The scan must be able to fail: plaintext planted outside the zone is found.
mkdir planted && cp "$WORK/plain/population.csv" planted/
[ -n "$(scan needles.utf8 planted)" ] || fail "scan cannot find planted plaintext"
iconv -f UTF-8 -t CP949 "$WORK/plain/population.csv" > planted/cp949.csv
[ -n "$(scan needles.cp949 planted)" ] || fail "scan cannot find planted CP949 plaintext"

found=$(scan needles.utf8 "$WORK/demo/zone"; scan needles.cp949 "$WORK/demo/zone")
[ -z "$found" ] || fail "plaintext identifiers found in: $found"
# Nothing left behind in the generator's scratch space either.
[ -z "$(ls -d /dev/shm/safezone-demo-* 2>/dev/null)" ] || fail "demo scratch files left in /dev/shm"
