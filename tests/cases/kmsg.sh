#!/bin/bash
# --kmsg: messages also go to /dev/kmsg as "<prio>pvboot: ..." records (the boot mode).
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 a.bin
mkasr "${GEN[@]}" -o a.asr association a --input-secret a.bin
run pvboot --kmsg secret add a.asr
run pvboot --kmsg -q secret add a.asr
run pvboot secret lock
echo "--- kmsg"
cat "$MACHINE/kmsg"
