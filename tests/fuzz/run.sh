#!/bin/bash
# run.sh BINDIR SECONDS TARGET... — run each libFuzzer target for SECONDS on a copy of its
# seed corpus (tests/fuzz/corpus/<name>), with a 5 s per-input timeout. Crashes, leaks,
# timeouts and sanitizer reports fail the run; reproducers are kept in BINDIR/artifacts.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bindir=$1 seconds=$2
shift 2
passed=0 failed=0
mkdir -p "$bindir/artifacts"
for t in "$@"; do
	name=${t#fuzz_}
	work=$bindir/corpus-$name
	rm -rf "$work"
	mkdir -p "$work"
	[ -d "$here/corpus/$name" ] && cp -r "$here/corpus/$name/." "$work/"
	if "$bindir/$t" -timeout=5 -rss_limit_mb=2048 -max_total_time="$seconds" \
		-print_final_stats=1 -artifact_prefix="$bindir/artifacts/$name-" \
		"$work" >"$bindir/$t.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$bindir/$t.log")
		echo "fuzz $t: ${runs:-?} inputs in ${seconds}s, no findings"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz $t (log: $bindir/$t.log):"
		grep -E 'ERROR|SUMMARY|Test unit written' "$bindir/$t.log" | head -5 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
