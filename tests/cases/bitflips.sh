#!/bin/bash
# One flipped bit anywhere in a valid request: refused by pvboot's validation or by the
# UV's authentication; never added.
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 a.bin
mkasr "${GEN[@]}" -o good.asr association good --input-secret a.bin
size=$(stat -c %s good.asr)
for off in 0 6 9 13 16 27 39 48 56 200 250 264 300 600 1100 1144 1200 1288 1300 1320 1340 1360 1380 1400 $((size - 1)); do
	cp good.asr f.asr
	byte=$(od -An -tu1 -j "$off" -N1 good.asr | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ 0x10)))" | dd of=f.asr bs=1 seek="$off" conv=notrunc status=none
	pvboot secret add f.asr >out 2>err
	echo "offset $off: exit $? $(grep -o "error: f.asr: [^:(]*" err | head -1)"
done
note nothing was added
grep -c '^add.*rc=0x0001' "$MACHINE/uv.log" || true
grep -o 'rc=0x[0-9a-f]* .*why=[a-z-]*' "$MACHINE/uv.log" | sed 's/type=.*why=/why=/' | sort | uniq -c
run pvboot secret add good.asr
