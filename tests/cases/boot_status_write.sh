#!/bin/bash
# The status is written atomically (temporary file + rename), and `pvboot status` is
# honest about what it finds: a job that started but never wrote its final status
# (interrupted, or its status could not be written) or a status with one of its two
# files missing is a failure (exit 1), never "the boot job has not run" (exit 3). A
# status that cannot be written is an error on the console and in the kernel log.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

note "no status at all: the job has not run"
boot_machine
mkbootset
image_config </dev/null
run pvboot status

note "the job dies half way (here: the simulated disk's directory is missing, pvboot-sim ends with 125)"
boot_machine <<<'  - {dev: /dev/vdb1, label: gone, dir: no-such-dir}'
image_config <<<'source: LABEL=gone'
boot 2>&1 | grep -v "^! pvboot: [a-z]*: " | sed "s|$T|T|g"
run pvboot status
run pvboot status --json

note "status.txt is missing, status.json is there"
boot_machine
mkbootset
image_config </dev/null
boot >/dev/null
rm "$MACHINE/root/run/pvboot/status.txt"
run pvboot status
run pvboot status --json | head -4

note "status.json is missing"
reboot
boot >/dev/null
rm "$MACHINE/root/run/pvboot/status.json"
run pvboot status --json

note "the status cannot be written (status.txt is a directory): an error on the console and in kmsg"
reboot
mkdir -p "$MACHINE/root/run/pvboot/status.txt/x"
boot
grep -e 'status' -e 'FAILED' -e 'done' "$MACHINE/kmsg"
run pvboot status
(cd "$MACHINE/root/run/pvboot" && ls -a)
