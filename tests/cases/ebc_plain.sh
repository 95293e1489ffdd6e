#!/bin/bash
# Plain mode (no table of contents; only safe when the image enforces a CCK-derived
# extension secret, see pvboot(8)): the caller names the expected secrets; each must be
# in the directory exactly once, everything else is ignored.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/ebc-lib.bash"
ebc_machine
mkset set
rm set/toc.asr set/toc.pol
KEYID=$(pvboot secret id rfs-luks-key)

run pvboot ebc verify --expect PLAINTEXT:luks-rfs-passphrase --expect "aes-xts-256:$KEYID" set
run pvboot ebc apply --expect plain:luks-rfs-passphrase --expect "aes-xts-256:$KEYID" set
note only the two expected requests reached the UV, in the order given
state
adds

note "--- refused, nothing submitted (the count of add calls stays 2)"
note a name that is not in the set
run pvboot ebc apply --expect plain:luks-passphrase set
note the id is there, with another type
run pvboot ebc apply --expect aes-256:rfs-luks-key set
note two different requests carry the expected secret
copyset set twice
{ head -c 16 set/ep11.asr; printf 'X'; tail -c +18 set/ep11.asr; } >twice/ep11-copy.asr
run pvboot ebc apply --expect "association:EP11 domain 5" twice
note an identical copy is the same request
cp set/ep11.asr twice/ep11-copy.asr
run pvboot ebc verify --expect "association:EP11 domain 5" twice
note the same secret expected twice
run pvboot ebc apply --expect plain:luks-rfs-passphrase --expect PLAINTEXT:luks-rfs-passphrase set
adds

note "--- usage"
run pvboot ebc apply --expect update-cck:cck set
run pvboot ebc apply --expect plain set
run pvboot ebc verify --toc set/toc.asr --expect plain:x
run pvboot ebc verify
run pvboot ebc verify set set
run pvboot ebc apply --bogus set
run pvboot ebc
run pvboot ebc verify --help
run pvboot ebc policy-ref --name ../toc.pol set/ep11.asr
run pvboot ebc toc set/ep11.asr set/ep11.asr
run pvboot ebc toc set/nothing.asr
