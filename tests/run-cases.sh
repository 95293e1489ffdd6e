#!/bin/bash
# Black-box scenario tests: every tests/cases/NAME.sh runs against pvboot-sim on a
# fresh simulated machine; its transcript (commands, stdout, stderr, exit codes, state
# dumps) must equal tests/cases/NAME.out byte for byte.
#
#   run-cases.sh --sim PVBOOT_SIM --pvboot PVBOOT --mkasr MKASR --work DIR
#                [--run PREFIX] [--update] [NAME...]
#
# --run runs pvboot-sim under PREFIX (qemu-s390x-static); --update rewrites the .out
# files from the current behaviour (review the diff before committing).
set -u
here=$(cd "$(dirname "$0")" && pwd)
sim='' pvboot='' mkasr='' work='' run='' update=0
while [ $# -gt 0 ]; do
	case $1 in
	--sim) sim=$(realpath "$2"); shift 2 ;;
	--pvboot) pvboot=$(realpath "$2"); shift 2 ;;
	--mkasr) mkasr=$(realpath "$2"); shift 2 ;;
	--work) work=$2; shift 2 ;;
	--run) run=$2; shift 2 ;;
	--update) update=1; shift ;;
	--) shift; break ;;
	-*) echo "run-cases: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$sim" ] && [ -n "$mkasr" ] && [ -n "$work" ] || {
	echo "run-cases: --sim, --mkasr and --work are required" >&2
	exit 2
}

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd "$here/cases" && ls ./*.sh | sed 's|^\./||; s|\.sh$||' | grep -v '^lib$')
fi

rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
passed=0 failed=0
for c in $cases; do
	t=$work/$c
	mkdir -p "$t/tmp"
	(
		cd "$t/tmp" || exit 125
		export TESTS=$here CASE=$c T=$t/tmp SIM=$sim PVBOOT_REAL=$pvboot MKASR=$mkasr \
			RUN_PREFIX=$run LC_ALL=C TZ=UTC
		bash "$here/cases/$c.sh"
	) >"$t/transcript" 2>"$t/harness-stderr"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $c: the case script itself failed (exit $rc):"
		sed 's/^/    /' "$t/harness-stderr" | tail -20
		failed=$((failed + 1))
		continue
	fi
	if [ $update -eq 1 ]; then
		cp "$t/transcript" "$here/cases/$c.out"
	fi
	if [ ! -f "$here/cases/$c.out" ]; then
		echo "FAIL $c: no golden file cases/$c.out (run with --update to create it)"
		failed=$((failed + 1))
	elif cmp -s "$t/transcript" "$here/cases/$c.out"; then
		passed=$((passed + 1))
	else
		echo "FAIL $c: transcript differs from cases/$c.out:"
		diff -u "$here/cases/$c.out" "$t/transcript" | head -40 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "cases: $passed passed, $failed failed"
[ $failed -eq 0 ]
