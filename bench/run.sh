#!/bin/bash
# bench/run.sh BUILD_DIR — binary sizes, and instructions of one `pvboot secret inspect`
# (callgrind) as a baseline for the boot-flow numbers to come. Numbers go to
# bench/README.md by hand, with the date and the machine.
set -eu
B=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
for f in musl-x86_64 musl-s390x; do
	if [ -f "$B/$f/pvboot.stripped" ]; then
		printf '%-12s pvboot stripped: %7d bytes  (%s)\n' "$f" \
			"$(stat -c %s "$B/$f/pvboot.stripped")" \
			"$(file -b "$B/$f/pvboot.stripped" | cut -d, -f1-2,4-5)"
	fi
done
if command -v valgrind >/dev/null; then
	t=$(mktemp -d)
	valgrind --tool=callgrind --callgrind-out-file="$t/cg" "$B/musl-x86_64/pvboot" \
		secret inspect "$here/../tests/vectors/exp/asrcb/assoc_none_default_cuid_one" \
		>/dev/null 2>"$t/log"
	printf 'instructions, secret inspect: %s\n' "$(sed -n 's/.*Collected : //p' "$t/log")"
	rm -rf "$t"
fi
