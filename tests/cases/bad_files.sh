#!/bin/bash
# Hostile or broken request files: each refused with a precise message, exit 1, and
# nothing reaches the UV (uv.log has no add).
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 a.bin
mkasr "${GEN[@]}" -o good.asr association good --input-secret a.bin
head -c 1000 good.asr >truncated.asr
{ cat good.asr; printf 'garbage'; } >trailing.asr
{ printf 'ASRCBM'; tail -c +7 good.asr; } >magic.asr
: >empty.asr
head -c 1048577 /dev/zero >big.asr
mkdir dir.asr
ln -s good.asr link.asr
mkfifo fifo.asr
printf 'asrcb' >tiny.asr
mkasr "${GEN[@]}" --version-override 0x200 -o version.asr association v --input-secret a.bin
mkasr "${GEN[@]}" --nks-override 0 -o nks.asr association n --input-secret a.bin
mkasr "${GEN[@]}" --secret-type-override 0x0b -o type.asr association t --input-secret a.bin
mkasr "${GEN[@]}" --secret-len-override 16 -o len.asr association l --input-secret a.bin
for f in truncated trailing magic empty big dir link fifo tiny version nks type len missing; do
	run pvboot secret add "$f.asr"
done
note one bad file among good ones: nothing is added
run pvboot secret add good.asr link.asr
run pvboot secret inspect fifo.asr
state
