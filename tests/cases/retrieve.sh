#!/bin/bash
# Retrieve by name, id and index, as bin and pem, to files (0400, never overwritten)
# and to a non-terminal standard output; the UV's refusals.
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 assoc.bin
printf 'correct horse battery staple' >pass.txt
bytes 16 33 aes.key
mkasr "${GEN[@]}" -o assoc.asr association assoc-1 --input-secret assoc.bin
mkasr "${GEN[@]}" -o pass.asr retrievable luks-rfs-passphrase --kind plain --secret pass.txt
mkasr "${GEN[@]}" -o aes.asr retrievable "rfs key" --kind aes-128 --secret aes.key
mkasr "${GEN[@]}" -o short.asr --secret-id-name retrievable short-name --kind plain --secret pass.txt

note the store is empty
run pvboot secret retrieve --index 0 -o none
run pvboot -q secret add assoc.asr pass.asr aes.asr short.asr

run pvboot secret retrieve --name luks-rfs-passphrase -o pass.out
stat -c '%a %s' pass.out
cat pass.out; echo
run pvboot secret retrieve --name luks-rfs-passphrase -o pass.out
run pvboot secret retrieve --id 0xe49193059affb0bcbfe7bf555246b0ba195eda44b260898833b57f1e7835d504 --format pem
run pvboot secret retrieve --index 2 --format pem
run pvboot secret retrieve --index 2 -o aes.out
od -An -tx1 aes.out
note a --use-name id is found by its name
run pvboot secret retrieve --name short-name
note association secrets are not retrievable
run pvboot secret retrieve --name assoc-1 -o assoc.out
test -e assoc.out || echo "assoc.out was not created"
run pvboot secret retrieve --name nope -o x
run pvboot secret retrieve --index 9 -o x
run pvboot secret retrieve --index 65536
run pvboot secret retrieve --id 0x1234
run pvboot secret retrieve --name a --index 1
run pvboot secret retrieve
note a secret never goes to a terminal
script -qec "$RUN_PREFIX $SIM secret retrieve --index 1" /dev/null | tr -d '\r'
echo "[script exit ${PIPESTATUS[0]}]"
state
