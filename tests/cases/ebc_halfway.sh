#!/bin/bash
# Applying a verified set when the ultravisor refuses a request half way: pvboot stops
# there and reports exactly which requests were added before it, which one failed and
# what the UV said, and which were not attempted; uv.log shows the same.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/ebc-lib.bash"
mkset set

note "the store holds one retrievable secret: the passphrase does not fit"
machine m-full <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
scf: {cck_update_allowed: true}
max_retr_secrets: 1
YAML
run pvboot ebc apply set
state
note "again (the store is not locked): present requests are skipped, toc.asr and cck.asr"
note "are submitted again since not every secret is present, the passphrase fails again"
run pvboot ebc apply set
grep '^add ' "$MACHINE/uv.log" | tail -n 3

note "the kernel fails the second add with EIO"
machine m-eio <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
scf: {cck_update_allowed: true}
faults:
  - {op: add, call: 2, errno: EIO}
YAML
run pvboot ebc apply set
adds

note "the store was locked before: the first request fails, nothing was added"
ebc_machine m-locked
run pvboot secret lock
run pvboot ebc apply set
adds

note "a bit flipped inside a listed request (not in its tag): the tag is still listed and"
note "pvboot cannot check the GCM tag without the request key, so the set verifies; the"
note "UV refuses the request, after toc.asr and the requests before it"
ebc_machine m-flip
copyset set flip
{ head -c 1350 set/luks-rfs-passphrase.asr; printf X; tail -c +1352 set/luks-rfs-passphrase.asr; } >flip/luks-rfs-passphrase.asr
run pvboot -q ebc verify flip
run pvboot ebc apply flip
state

note "a listed request made with another extension secret: toc.asr, added first, pinned"
note "the owner's extension secret, so the UV refuses it"
ebc_machine m-ext
copyset set ext
bytes 32 99 other-ext.bin
(cd ext && mkasr "${GEN[@]}" --extension-secret "$T/other-ext.bin" --toc-policy toc.pol -o other.asr association other --input-secret "$T/assoc.bin")
retoc ext
run pvboot ebc apply ext
grep '^add ' "$MACHINE/uv.log"
