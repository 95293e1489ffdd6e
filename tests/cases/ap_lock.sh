#!/bin/bash
# The lock (spec/ap.md §8.7 item 11): an flock on /run/lock/pvboot-ap.lock. A run that
# holds it makes another fail at once; a lock file left behind by a killed run does not
# (pvapconfig's O_EXCL file must then be removed by hand).
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, domains: [1]}
YAML
printf -- '- mode: Accel\n' >ap.yaml
lock=$MACHINE/root/run/lock/pvboot-ap.lock
mkdir -p "$(dirname "$lock")"
: >"$lock"
held() {
	flock -n "$lock" env PVBOOT_SIM_MACHINE="$MACHINE" $RUN_PREFIX "$SIM" "$@"
}
note another run holds the lock
run held ap apply -c ap.yaml
run held ap unbind
apstate
note the lock file is still there, nobody holds it
run pvboot ap apply -c ap.yaml
apstate
