#!/bin/bash
# Without an SE guest, or without the uvdevice module, every UV command says so in one
# line and exits 3; offline commands still work.
. "$TESTS/cases/lib.sh"
machine <<YAML
se_guest: false
YAML
cp "$V/exp/asrcb/assoc_none_default_cuid_one" a.asr
for c in "secret list" "secret lock" "secret add a.asr" "secret retrieve --index 0 -o x" info; do
	# shellcheck disable=SC2086
	run pvboot $c
done
run pvboot secret inspect a.asr --format json

note an SE guest whose uvdevice module is not loaded
machine m2 <<YAML
uvdevice: absent
YAML
run pvboot secret list
run pvboot info

note /dev/uv exists but this user may not open it
machine m3 <<YAML
uvdevice: eacces
YAML
run pvboot secret lock
