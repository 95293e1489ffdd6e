#!/bin/bash
# Where a retrieved secret may go: a new file below /run, never one of pvboot's own files
# (status, its temporary files, the mount point, the AP lock), never through a symbolic
# link in any directory component (the boot job walks from /run with O_NOFOLLOW, so a
# symlinked parent cannot send the key outside /run). check-config refuses what it can
# see; the boot job refuses the rest when it writes.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

note "check-config: pvboot's own files and unclean paths are refused"
for p in /run/pvboot/status.txt /run/pvboot/status.json /run/pvboot/.status.txt.42 \
	/run/pvboot/mnt /run/pvboot/mnt/sics/x /run/lock/pvboot-ap.lock /run/pvboot \
	/run/a/../pvboot/status.txt /run/./x /run/x/ /etc/key /run/pvboot/keys/luks.key; do
	printf 'cck_enforcement: true\nretrieve:\n  - {name: luks-root, path: %s}\n' "$p" >c.yaml
	run pvboot check-config c.yaml
done

note "the boot job: a symlinked parent directory (to outside /run) is not followed"
boot_machine
mkbootset
mkdir -p "$MACHINE/root/run" "$MACHINE/outside"
ln -s ../../outside "$MACHINE/root/run/keys"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/keys/luks.key}
YAML
boot
after_boot
echo "--- outside /run"
ls "$MACHINE/outside"
echo "---"
rm -f "$MACHINE/outside/"*

note "a symlink deeper down, and a symlink as the file itself"
reboot
mkdir -p "$MACHINE/root/run/pvboot/a"
ln -s ../../../outside "$MACHINE/root/run/pvboot/a/b"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/a/b/c/luks.key}
YAML
boot
reboot
mkdir -p "$MACHINE/root/run/k"
ln -s ../../../outside/f "$MACHINE/root/run/k/luks.key"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/k/luks.key}
YAML
boot
echo "--- outside /run"
ls "$MACHINE/outside"
echo "---"

note "missing directories are made 0700, the file 0400"
reboot
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/cryptsetup-keys.d/root/luks.key}
YAML
boot
(cd "$MACHINE/root/run" && find cryptsetup-keys.d -printf '%m %y %p\n' | sort -k3)
