#!/bin/bash
# Happy path: add requests of several kinds, list the store in every format, lock it.
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 assoc.bin
printf 'correct horse battery staple' >pass.txt
bytes 32 22 aes.key
mkasr "${GEN[@]}" -o assoc.asr association "EP11 domain 5" --input-secret assoc.bin
mkasr "${GEN[@]}" -o pass.asr retrievable luks-rfs-passphrase --kind plain --secret pass.txt
mkasr "${GEN[@]}" -o aes.asr retrievable rfs-key --kind aes-256 --secret aes.key
mkasr "${GEN[@]}" -o meta.asr --disable-dump meta
mkasr "${GEN[@]}" -o late.asr association late --input-secret assoc.bin

run pvboot secret list
run pvboot secret add meta.asr assoc.asr
run pvboot secret add pass.asr aes.asr
run pvboot secret list
run pvboot secret list --format yaml
run pvboot secret list --format json
run pvboot secret list --format bin -o list.bin
od -An -tx1 -v list.bin | head -4
run pvboot -v secret list -o list.txt --format human
cat list.txt
run pvboot secret lock
run pvboot secret add late.asr
run pvboot secret lock
note the store stays readable after the lock
run pvboot -q secret list
state
