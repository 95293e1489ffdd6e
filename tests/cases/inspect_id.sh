#!/bin/bash
# Offline commands: inspect the s390-tools vectors, compute ids. No machine needed.
. "$TESTS/cases/lib.sh"
cp "$V/exp/asrcb/assoc_simple_default_cuid_one" assoc.asr
cp "$V/exp/asrcb/null_none_dump_cuid_one" meta.asr
cp "$V/exp/asrcb/null_none_default_cuid_seven" seven.asr
cp "$V/exp/asrcb/null_none_default_ncuid_one" ncuid.asr
run pvboot secret inspect assoc.asr
run pvboot secret inspect --format json meta.asr
run pvboot secret inspect seven.asr
run pvboot secret inspect ncuid.asr
cp "$V/exp/secure_guest.hdr" hdr.bin
run pvboot secret inspect hdr.bin
run pvboot secret id add_secret_request
run pvboot secret id "association secret"
run pvboot secret id luks-rfs-passphrase
run pvboot secret id --use-name "Fancy secret ID"
run pvboot secret id --use-name "the most fanciest secret ID you can imagine"
run pvboot secret id ""
