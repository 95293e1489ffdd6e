#!/bin/bash
# Configuration and kernel command line: lock off, each failure action, the command line
# over the file, /etc/cmdline.d and /etc/cmdline merged in dracut's order, a broken file
# (still honours rd.pvboot.onfail), a bad option value, plain mode.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
boot_machine
mkbootset

note "lock off in the file; the store stays open"
image_config <<<'lock: false'
boot
after_boot

note "rd.pvboot.lock=0 on the command line overrides lock: true"
reboot
image_config <<<'lock: true'
image_file /etc/cmdline.d/10-pvboot.conf <<<'rd.pvboot.lock=0'
boot
grep '^locked' "$MACHINE/state"
rm "$MACHINE/root/etc/cmdline.d/10-pvboot.conf"

note "each failure action: the word on stdout is the glue's contract"
for action in poweroff reboot halt shell continue; do
	reboot
	image_config <<YAML
source: LABEL=missing
timeouts: {source: 0}
on_failure: $action
YAML
	run pvboot -q boot
done

note "the command line wins over the file; /proc/cmdline wins over /etc/cmdline.d and /etc/cmdline"
reboot
image_file /etc/cmdline.d/20-a.conf <<<'rd.pvboot.onfail=reboot rd.pvboot.src=LABEL=nowhere'
image_file /etc/cmdline.d/10-b.conf <<<'rd.pvboot.onfail=halt'
image_file /etc/cmdline <<<'rd.pvboot.timeout=1'
run pvboot -q boot
machine <<'YAML'
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
clock: virtual
cmdline: "rd.pvboot.src=\"LABEL=boot\" rd.pvboot.onfail=shell"
disks:
  - {dev: /dev/vda1, label: boot, dir: bootfs}
YAML
reboot
boot
rm -r "$MACHINE/root/etc/cmdline.d" "$MACHINE/root/etc/cmdline"

note "a broken configuration file fails, with the action from the command line"
image_config <<<'retreive: []'
boot
image_config <<<'on_failure: shell'
note "a bad option value on the command line is a failure too"
image_file /etc/cmdline.d/x.conf <<<'rd.pvboot.timeout=5s'
boot
rm -r "$MACHINE/root/etc/cmdline.d"

note "plain mode: the expected secrets, nothing else; toc files are not needed"
reboot
rm "$MACHINE/bootfs/sics/toc.asr" "$MACHINE/bootfs/sics/toc.pol"
image_config <<'YAML'
mode: plain
expect:
  - {name: luks-root, type: plaintext}
  - {name: EP11 domain 5, type: association}
YAML
boot
after_boot
note "plain mode with an expected secret missing"
reboot
image_config <<'YAML'
mode: plain
expect:
  - {name: luks-root, type: plaintext}
  - {name: luks-other, type: plaintext}
YAML
boot
after_boot
