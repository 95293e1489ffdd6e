#!/bin/bash
# Lists longer than a page (85 entries) and than the 4-page buffer (340); old kernels
# that accept exactly one page.
. "$TESTS/cases/lib.sh"
mkstate() {
	{
		echo "version 1"; echo "locked 0"; echo "dump_disabled 0"
		echo "cck $(printf '%064d' 0)"; echo "ext_secret -"; echo "next_index $1"
		echo "calls info=0 add=0 list=0 lock=0 retrieve=0"
		for ((i = 0; i < $1; i++)); do
			printf 'secret index=%d type=0x0002 len=32 id=%064x value=%064d\n' "$i" "$((i + 1))" 0
		done
	} >"$MACHINE/state"
}
machine <<YAML
max_assoc_secrets: 500
YAML
mkstate 400
run pvboot secret list --format yaml -o list.yaml
head -3 list.yaml
tail -4 list.yaml
grep -c '^- index' list.yaml
pvboot secret list | tail -2
grep -c '^list' "$MACHINE/uv.log"
tail -1 "$MACHINE/uv.log"
machine m2 <<YAML
max_assoc_secrets: 500
YAML
mkstate 170
run pvboot secret list --format json -o list.json
grep -o '"index":[0-9]*' list.json | tail -1
machine old <<YAML
kernel: old
max_assoc_secrets: 500
YAML
mkstate 100
note old kernel: EINVAL for 4 pages, silently read again with one page
pvboot secret list >list.txt 2>err.txt; echo "exit $?"
head -1 list.txt
cat err.txt
grep -c '^[0-9]* Association' list.txt
cat "$MACHINE/uv.log"
