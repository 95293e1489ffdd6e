#!/bin/bash
# The boot job fails closed: each failure names the step, the file/device and what was
# found, and nothing is submitted unless the whole set verified.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

note "the source device never appears: the wait is bounded"
boot_machine
mkbootset
image_config <<'YAML'
source: LABEL=se-boot
timeouts: {source: 2}
YAML
boot
after_boot

note "it appears after 1.5 s: found within the timeout, polls back off to 250 ms"
reboot
image_config <<<'source: UUID=1234-abcd'
boot_machine <<<'  - {dev: /dev/vdb1, label: other, dir: bootfs, appears_ms: 1500}'
image_config <<<'source: LABEL=other'
boot
grep '^  source' "$MACHINE/root/run/pvboot/status.txt"

note "the device cannot be mounted"
boot_machine <<<'  - {dev: /dev/vdb1, label: broken, dir: bootfs, mount_errno: EIO}'
image_config <<<'source: LABEL=broken'
boot
after_boot

note "the directory is missing on the device, or is a symbolic link"
image_config <<<'directory: pv/sics'
boot
ln -s sics "$MACHINE/bootfs/link"
image_config <<<'directory: link'
boot
after_boot

note "a broken set: a line was appended to toc.pol after toc.asr was made; nothing reaches the UV"
reboot
image_config </dev/null
head -1 "$MACHINE/bootfs/sics/toc.pol" >>"$MACHINE/bootfs/sics/toc.pol"
boot
after_boot

note "the UV refuses a request half way (store full): what was added is named"
MAX_RETR=1 boot_machine
mkbootset
boot
after_boot

note "a secret to retrieve is not in the store"
boot_machine
mkbootset
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
  - {name: luks-other, path: /run/pvboot/other.key}
YAML
boot
after_boot

note "the retrieve destination exists with other content"
reboot
mkdir -p "$MACHINE/root/run/pvboot"
printf 'stale' >"$MACHINE/root/run/pvboot/luks.key"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
YAML
boot
cat "$MACHINE/root/run/pvboot/luks.key"; echo

note "a type the configuration does not expect"
reboot
image_config <<'YAML'
retrieve:
  - {name: data-key, type: aes-128, path: /run/pvboot/data.key}
YAML
boot

note "/dev/uv never appears (uvdevice module missing)"
machine m2 <<'YAML'
uvdevice: absent
clock: virtual
YAML
image_config <<<'timeouts: {uv: 1}'
boot
