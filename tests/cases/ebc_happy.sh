#!/bin/bash
# Early-boot sets, happy paths: the s390-tools layout verified offline and applied in
# order (toc.asr, then toc.pol's lines, as the simulator's uv.log shows); unlisted and
# unreadable extra files ignored; re-running in the same boot is harmless, also on a
# locked store; the builder commands make the same toc.pol and toc.asr as mkasr.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/ebc-lib.bash"
ebc_machine
mkset set
note "toc.pol as mkasr --toc-policy (pvsecret create) wrote it"
cat set/toc.pol
note extras the host may add: not listed, so ignored and logged by name
mkasr "${GEN[@]}" "${EXT[@]}" -o set/old.asr retrievable user-key --kind aes-256 --secret newcck.bin
echo "# boot partition" >set/README
ln -s ../pass.txt set/link.asr
mkfifo set/fifo.asr
mkdir set/sub
touch "set/$(printf 'bad\033[2Jname.asr')"

run pvboot ebc verify set
note the same with --toc FILE
run pvboot -q ebc verify --toc set/toc.asr
note the same on a machine that is no SE guest: verify is offline
(unset MACHINE; run pvboot -q ebc verify set)

run pvboot ebc apply set
note "order of submission, from the simulator's log: meta (toc.asr), then toc.pol's lines"
state

note "again in the same boot: everything present, nothing submitted (only a list)"
run pvboot ebc apply set
run pvboot secret lock
note and on the locked store
run pvboot ebc apply set
state

note a set whose toc.pol lists nothing: only toc.asr is added
ebc_machine m2
mkdir empty
: >empty/toc.pol
retoc empty
run pvboot ebc apply empty
grep -c '^add ' "$MACHINE/uv.log"

note "--force submits everything again, as pvebc does (the UV accepts duplicate ids)"
machine m3 <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
scf: {cck_update_allowed: true}
YAML
copyset set set3
run pvboot -q ebc apply set3
run pvboot ebc apply --force set3
grep -c '^add ' "$MACHINE/uv.log"

note "the builder's tools: toc.pol lines and the policy reference for an older pvsecret"
run pvboot ebc toc set/rfs-luks-key.asr set/cck.asr set/luks-rfs-passphrase.asr set/ep11.asr set/user-key.asr
run pvboot ebc toc -o toc2.pol set/rfs-luks-key.asr set/cck.asr set/luks-rfs-passphrase.asr set/ep11.asr set/user-key.asr
cmp toc2.pol set/toc.pol && echo "toc2.pol is set/toc.pol"
note "a DIR stands for its *.asr files but toc.asr, in name order: old.asr too"
run pvboot ebc toc set
run pvboot ebc policy-ref -o ud.bin set/toc.pol
mkasr "${GEN[@]}" "${EXT[@]}" --user-data ud.bin -o toc2.asr meta
cmp toc2.asr set/toc.asr && echo "toc.asr made with --user-data is the same as with --policy"
