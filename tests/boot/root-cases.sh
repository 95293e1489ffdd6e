#!/bin/bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2154 # FLAVOUR, img, W, BASE, M, C, BOOT_RC, SEALED_DEV come from run.sh
# The root volume's boot cases (tests/boot/README.md, "The root volume"), sourced by
# run.sh for each flavour after the happy path, which is their control: the same image
# with the owner's disk reaches the owner's root and proves its live table. Each attack
# boots the same image and command line with the host's disk instead.

# The stock unlock opened the host's mapping; pvboot's live-table check names its
# cipher (so the kernel took it), removes the mapping and wipes the key files; the
# failure action ends the boot; the host's root is never mounted; no shell, no prompt.
refused_by_root_check() {
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "the kernel took the host's table; the live-table check refuses $1" has "$C" \
		"pvboot: error: root: /dev/mapper/root: the live cipher is $1, not one the image allows"
	check "... removes the mapping and wipes the key files" has "$C" \
		'the mapping was removed, [0-9]+ retrieved files? wiped'
	check "the failure action" has "$C" 'root check FAILED.*Failure action: poweroff'
	check "the machine powers off" powered_off
	check "the host's root is never mounted" test ! -e "$M/root"
	check "no shell, no prompt on the console" no_console_answer
	check "the key is in no log" no_key_in_logs
}

for cipher in cipher_null-ecb cipher_null-cbc-plain; do
	disk=null-${cipher#cipher_null-}
	disk=${disk%-plain}
	CASE=$FLAVOUR/root-$disk
	echo "-- $CASE: the host rewrote the on-disk header's data cipher to $cipher"
	BOOT_LUKS=$W/disks/$disk.img boot "root-$disk" "$img.sim.img" "$W/disks/boot-good.img" \
		"$BASE $(fl luks)"
	refused_by_root_check "$cipher"
done

CASE=$FLAVOUR/sealed
echo "-- $CASE: the sealed header: pvboot attaches the root, root=/dev/mapper/root alone"
BOOT_LUKS=$W/disks/sealed.img boot sealed "$img.sealed.img" "$W/disks/boot-good.img" \
	"$BASE root=/dev/mapper/root"
sealed_root_checks
[ "${BOOT_BENCH:-0}" = 1 ] && bench_root_line "$FLAVOUR"

for host in host random; do
	CASE=$FLAVOUR/sealed-$host
	if [ $host = host ]; then
		echo "-- $CASE: the host's own volume (cipher_null keyslot and data) in the root's place"
	else
		echo "-- $CASE: random bytes in the root's place"
	fi
	# The sealed header opens any disk; the data is noise, so the root never mounts
	# (systemd does not even consider the device ready): bounded like an absent root.
	BOOT_LUKS=$W/disks/$host.img boot "sealed-$host" "$img.sealed.img" \
		"$W/disks/boot-good.img" "$BASE root=/dev/mapper/root $(fl giveup)"
	check "QEMU exits by itself (poweroff), within the time limit" test "$BOOT_RC" -eq 0
	check "pvboot attached it with the sealed header (never the disk's)" has "$C" \
		"pvboot: attach: $SEALED_DEV .* is /dev/mapper/root: aes-xts-plain64"
	check "the machine powers off" powered_off
	check "the root is never mounted" test ! -e "$M/root"
	check "no shell, no prompt on the console" no_console_answer
done
