#!/bin/bash
# The source device is mounted only with the file-system types a boot partition uses
# (source_fstypes, default ext4, ext3, ext2, xfs, vfat; rd.pvboot.fstypes= on top),
# never with every type the kernel knows: a disk the host formatted with another file
# system (here btrfs) is not offered to that driver, and the boot fails closed.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

note "the default list: an ext4 boot partition mounts, a btrfs one does not"
boot_machine <<<'  - {dev: /dev/vdb1, label: other, dir: bootfs, fstype: btrfs}'
mkbootset
image_config </dev/null
boot | grep -v '^! pvboot: added'
image_config <<<'source: LABEL=other'
boot
after_boot

note "the image owner lists btrfs: it mounts"
reboot
image_config <<'YAML'
source: LABEL=other
source_fstypes: [btrfs]
YAML
boot >/dev/null
cat "$MACHINE/mounts.log"

note "rd.pvboot.fstypes= overrides the list: xfs only, the ext4 partition is refused"
reboot
image_config </dev/null
image_file /etc/cmdline <<<'rd.pvboot.fstypes=xfs,vfat'
boot
cat "$MACHINE/mounts.log"
rm "$MACHINE/root/etc/cmdline"

note "check-config shows the list and refuses bad names"
printf 'source_fstypes: [xfs, ext4]\ncck_enforcement: true\n' >c1.yaml
run pvboot check-config c1.yaml
for v in '[]' 'ext4' '[ext4, ext4]' '[Ext4]' '["ext4,xfs"]' '[a, b, c, d, e, f, g, h, i]' '[averyveryverylongname]'; do
	printf 'source_fstypes: %s\n' "$v" >c2.yaml
	run pvboot check-config c2.yaml
done
for v in xfs,,ext4 '' ext4,EXT3; do
	run pvboot check-config --cmdline "rd.pvboot.fstypes=$v" c1.yaml
done

note "a read-only mount never replays, nor parses, the host's journal: noload for ext3 and"
note "ext4, norecovery for xfs; ext2 and vfat have no journal and get no option"
for fs in ext3 xfs vfat ext2; do
	boot_machine <<<"  - {dev: /dev/vdb1, label: other, dir: bootfs, fstype: $fs}"
	mkbootset
	image_config <<<'source: LABEL=other'
	boot | grep '^\[exit'
	cat "$MACHINE/mounts.log"
done
