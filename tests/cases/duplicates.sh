#!/bin/bash
# Duplicate secret ids: refused without --force (nothing added), added with it. The id
# is read from the secret header (0x4b8 + 80*nks + 16), not where pvsecret reads it.
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 a.bin
bytes 32 12 b.bin
mkasr "${GEN[@]}" -o a1.asr association same --input-secret a.bin
mkasr "${GEN[@]}" -o a2.asr association same --input-secret b.bin
mkasr "${GEN[@]}" -o other.asr association other --input-secret b.bin
mkasr "${GEN[@]}" -k "$V/cert/host2.crt" -o two-slots.asr association same --input-secret b.bin

run pvboot secret add a1.asr
run pvboot secret add other.asr a2.asr
note "two key slots: the id is found behind them (offset 0x4b8 + 80*nks + 16)"
run pvboot secret add two-slots.asr
run pvboot secret add --force a2.asr
machine m2 <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
YAML
note duplicates among the files given
run pvboot secret add a1.asr other.asr a2.asr
run pvboot secret add -f a1.asr two-slots.asr
run pvboot secret list
state
