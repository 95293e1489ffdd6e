#!/bin/bash
# Every UV return code and ioctl errno, injected by the simulator, as pvboot reports it.
. "$TESTS/cases/lib.sh"
bytes 32 11 a.bin
mkasr "${GEN[@]}" -o a.asr association a --input-secret a.bin
n=0
for rc in 0x0101 0x0102 0x0103 0x0104 0x0105 0x0106 0x0107 0x0108 0x0109 0x010a 0x010b 0x010c 0x010d 0x0002 0x0005 0x0031 0x0222; do
	n=$((n + 1))
	machine "m$n" <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
faults: [{op: add, call: 1, rc: $rc, rrc: 0x0007}]
YAML
	run pvboot secret add a.asr
done
machine lockm <<YAML
faults: [{op: lock, call: 1, rc: 0x0101}]
YAML
run pvboot secret lock
note a list failure before the add stops it: nothing is submitted
machine listm <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
faults: [{op: list, call: 1, errno: EIO}, {op: list, call: 2, rc: 0x0103}]
YAML
run pvboot secret add a.asr
run pvboot secret list
state
note ioctl errors
machine errm <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
faults: [{op: add, call: 1, errno: EIO}, {op: lock, call: 1, errno: EFAULT}, {op: retrieve, call: 1, errno: ENOMEM}]
YAML
run pvboot secret add a.asr
run pvboot secret lock
run pvboot secret add a.asr
run pvboot secret retrieve --index 0 -o x
note retrieve: the kernel\'s and pv_core\'s "buffer too small", an empty store
for rc in 0x0109 0x0009 0x010f 0x0110 0x0102; do
	machine "r$rc" <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
faults: [{op: retrieve, call: 1, rc: $rc}]
YAML
	printf 'pw' >pw
	mkasr "${GEN[@]}" -o p.asr retrievable pw --kind plain --secret pw
	pvboot -q secret add p.asr
	run pvboot secret retrieve --name pw -o "out$rc"
done
