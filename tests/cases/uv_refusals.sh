#!/bin/bash
# What the simulated ultravisor refuses, and how pvboot reports it: nothing is added and
# the error names the file and the UV's words.
. "$TESTS/cases/lib.sh"
std_machine
bytes 32 11 a.bin
bytes 32 17 ext.bin
OTHER_TAGS=$(printf '%0416d' 0 | tr 0 7)
mkasr "${GEN[@]}" -o ok.asr association ok --input-secret a.bin
note bound to another SE image
mkasr "${DET[@]}" -k "$V/cert/host.crt" --tags "$OTHER_TAGS" --cuid 0x42424242424242424242424242424242 -o img.asr association img --input-secret a.bin
run pvboot secret add img.asr
note "another guest configuration (CUID)"
mkasr "${DET[@]}" -k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr" --cuid 0x43434343434343434343434343434343 -o cuid.asr association cuid --input-secret a.bin
run pvboot secret add cuid.asr
note a request without CUID is valid for every guest of the image
mkasr "${DET[@]}" -k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr" -o nocuid.asr association nocuid --input-secret a.bin
note for a host key this machine does not have
mkasr "${DET[@]}" -k "$V/cert/host2.crt" --hdr "$V/exp/secure_guest.hdr" -o host2.asr association h2 --input-secret a.bin
run pvboot secret add host2.asr
note "the first accepted request pins the extension secret (zero here)"
run pvboot secret add ok.asr nocuid.asr
mkasr "${GEN[@]}" --extension-secret ext.bin -o ext.asr association ext --input-secret a.bin
run pvboot secret add ext.asr
note the store holds 4 association secrets
for i in 1 2 3; do mkasr "${GEN[@]}" -o fill$i.asr association fill$i --input-secret a.bin; done
run pvboot secret add fill1.asr fill2.asr fill3.asr
note update-CCK needs an image that allows it
mkasr "${GEN[@]}" -o cck.asr update-cck ext.bin
run pvboot secret add cck.asr
state

note an image that enforces a CCK-derived extension secret
machine m2 <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
scf: {cck_extension_secret_enforcement: true}
cck: 0x1717171717171717171717171717171717171717171717171717171717171717
supp_add_secret_pcf: 0
YAML
mkasr "${GEN[@]}" --cck ext.bin -o derived.asr association d1 --input-secret a.bin
mkasr "${GEN[@]}" -o plainext.asr association d2 --input-secret a.bin
mkasr "${GEN[@]}" --cck ext.bin --disable-dump -o dump.asr meta
run pvboot secret add plainext.asr
run pvboot secret add derived.asr
note this UV supports no add-secret flags
run pvboot secret add dump.asr
state

note a dump is in progress
machine m3 <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
dump_in_progress: true
YAML
run pvboot secret add ok.asr
note the UV does not support retrievable secrets of this type
machine m4 <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
secret_types: [1, 2]
YAML
bytes 16 33 k.bin
mkasr "${GEN[@]}" -o aes.asr retrievable k --kind aes-128 --secret k.bin
run pvboot secret add aes.asr
state
