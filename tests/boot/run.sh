#!/bin/bash
# SPDX-License-Identifier: MIT
# make check-boot: pvboot in real initramfs images booted in QEMU (tests/boot/README.md).
#
#   run.sh [--arch x86_64] [--build DIR] [--flavour F]... [--keep-going]
#
# Flavours: dracut-systemd (dracut with systemd), dracut-shell (dracut --omit systemd),
# initramfs-tools. Each flavour's images are built once and booted for every case.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/cases.sh"

arch=x86_64
build=$REPO/build
flavours=()
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2 && shift ;;
	--build) build=$2 && shift ;;
	--flavour) flavours+=("$2") && shift ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done
[ ${#flavours[@]} -gt 0 ] || flavours=(dracut-systemd dracut-shell initramfs-tools)

boot_init "$arch" "$build"
for t in "$TOOLS/pvboot-sim" "$HOST_TOOLS/mkasr"; do
	[ -x "$t" ] || die "$t is missing (make check-boot builds it)"
done
boot_deps
boot_kernel
boot_cryptsetup_initramfs
boot_stage
boot_set
boot_overlay
boot_disks "$W/set/pass.txt" "$OVERLAY"
boot_root_disks "$W/set/pass.txt"
boot_bootdisk "$W/set/good/sics" "$W/disks/boot-good.img"
boot_bootdisk "$W/set/broken/sics" "$W/disks/boot-broken.img"
# The host's attacks on the root disk (issue 16): its ciphertext damaged after the
# unlock (the data area's first MiB zeroed: the file system does not mount); a LUKS2
# volume of the host's own with the root's UUID and the host's passphrase.
HOSTPASS="host passphrase 0wn3d"
damaged_and_host_disks() {
	local d=$W/disks off

	cp "$d/luks.img" "$d/luks-damaged.img"
	off=$(cryptsetup luksDump "$d/luks.img" | sed -n 's/^\s*offset: \([0-9]*\) \[bytes\].*/\1/p' | head -n1)
	[ -n "$off" ] || die "no data offset in luks.img"
	dd if=/dev/zero of="$d/luks-damaged.img" bs=1M seek=$((off / 1048576)) count=1 \
		conv=notrunc status=none || die "dd"
	rm -f "$d/luks-host.img" && truncate -s 24M "$d/luks-host.img"
	printf '%s' "$HOSTPASS" >"$d/host-pass.txt"
	cryptsetup luksFormat --batch-mode --type luks2 --uuid "$LUKS_UUID" --pbkdf pbkdf2 \
		--pbkdf-force-iterations 1000 --key-file "$d/host-pass.txt" "$d/luks-host.img" ||
		die "cryptsetup luksFormat (host volume)"
}
damaged_and_host_disks
say "kernel $KVER, LUKS root $LUKS_UUID, work directory $W"

# The image configuration: tests/boot/pvboot.yaml and the owner's user-signing
# certificate, at a path that exists on this build host (the module and the hook copy
# it into the image at the same path; a boot that succeeds proves it got there).
CONF=$W/pvboot.yaml
{ cat "$here/pvboot.yaml" && echo "user_cert: $REPO/tests/keys/owner-ec.crt"; } >"$CONF"
# The root volume (README.md, "Attaching the root"): the happy path's image proves the
# live table of its root, whose header is on the disk; the sealed image attaches the
# root from the detached header itself (no retrieve entry: the key never is a file).
SEALED_DEV=/dev/disk/by-id/virtio-luks
CONF_SEALED=$W/pvboot-sealed.yaml
printf 'root:\n  device: UUID=%s\n  key: {name: luks-root}\n' "$LUKS_UUID" >>"$CONF"
{
	sed '/^retrieve:/,/^[a-z]/{/^retrieve:/d;/^  /d}; /^root:/,$d' "$CONF"
	printf 'root:\n  device: %s\n  key: {name: luks-root}\n  header: %s\n' \
		"$SEALED_DEV" "$W/disks/sealed.hdr"
} >"$CONF_SEALED"
# Every boot has the command line README.md documents and nothing else: no harness
# flags such as rd.shell=0 or panic=, so the image's own defaults (the dracut module's
# /etc/cmdline.d, the initramfs-tools panic script) are what ends a failed boot; a hung
# VM is bounded by BOOT_TIMEOUT. Kernel messages on the console with their timestamps.
BASE="loglevel=6 printk.time=1"

# trigger_image OUT CONFIG: the initramfs-tools image as shipped, made as on an image
# builder's Debian system: a Debian 12 root with initramfs-tools (tests/pkg/root.sh,
# the lifecycle test's) set up for the image (CONFIG as /etc/pvboot/pvboot.yaml, the
# modules a root on virtio needs, gzip) with the boot kernel's modules, then BOOT_DEB
# installed with dpkg, whose trigger runs update-initramfs (boot_it_builder; the kernel
# must be in /boot for linux-version to list it). BOOT_BENCH=1: first the same image
# without the package, by the same update-initramfs, as OUT.without.
trigger_image() {
	local out=$1 conf=$2 r=$W/itroot tar log=$W/logs/initramfs-tools.dpkg.log rc cert

	tar=$("$REPO/tests/pkg/root.sh" "$build") || return 1
	rm -rf "$r" && mkdir -p "$r" && tar -xf "$tar" -C "$r" || return 1
	mkdir -p "$r/usr/lib/modules/$KVER" "$r/etc/pvboot"
	cp "$KROOT/boot/config-$KVER" "$VMLINUZ" "$r/boot/"
	boot_it_builder "$r" virtio_blk virtio_pci dm_crypt ext4 crypto_null ecb xts
	cp "$conf" "$r/etc/pvboot/pvboot.yaml"
	# the files it names, at their paths (the hook copies them into the image)
	while IFS= read -r cert; do
		[ -n "$cert" ] && mkdir -p "$r${cert%/*}" && cp "$cert" "$r$cert"
	done < <("$PVBOOT_STAGED" check-config --list-files "$conf")
	cp "$BOOT_DEB" "$r/tmp/pvboot.deb"
	# the kernel's modules seen through a read-only bind mount, /proc for dpkg
	in_itroot() {
		unshare -m -- sh -ec 'r=$1 m=$2; shift 2
			mount -t proc proc "$r/proc"
			mount --bind -o ro "$m" "$r/usr/lib/modules/'"$KVER"'"
			exec chroot "$r" "$@"' sh "$r" "$KROOT/lib/modules/$KVER" "$@"
	}
	: >"$log"
	if [ "${BOOT_BENCH:-0}" = 1 ]; then
		in_itroot update-initramfs -u -k "$KVER" >"$log.without" 2>&1 &&
			cp "$r/boot/initrd.img-$KVER" "${out%.real*.img}.without.img"
	fi
	in_itroot dpkg -i /tmp/pvboot.deb >>"$log" 2>&1
	rc=$?
	cat "$log"
	[ $rc -eq 0 ] && grep -q "update-initramfs: Generating /boot/initrd.img-$KVER" "$log" &&
		cp "$r/boot/initrd.img-$KVER" "$out"
	rc=$?
	rm -rf "$r"
	return $rc
}

# build_image FLAVOUR OUT CONFIG OVERLAY: one image of a flavour. BOOT_REUSE=1 (for
# working on the cases) keeps an image that is already there. initramfs-tools' images
# as shipped (real, real2) are the package trigger's (trigger_image) when BOOT_DEB is set.
build_image() {
	[ "${BOOT_REUSE:-0}" = 1 ] && [ -s "$2" ] && [ "$3" != "$W/bad.yaml" ] &&
		[[ $2 != *.real2.img ]] && return 0
	case $1 in
	dracut-systemd) boot_dracut "$2" systemd "$3" "$4" ;;
	dracut-shell) boot_dracut "$2" shell "$3" "$4" ;;
	initramfs-tools)
		if [ -n "${BOOT_DEB:-}" ] && [[ $2 == *.real.img || $2 == *.real2.img ]]; then
			trigger_image "$2" "$3"
		else
			boot_mkinitramfs "$2" "$3" "$4"
		fi
		;;
	esac
}

# bench_line FLAVOUR IMG: image sizes with and without pvboot; pvboot's time in the happy
# boot: from its first kernel log record to the unlock's dm node, its own total and its
# AP step (mostly the simulated AP bus's waits: a 400 ms scan, the associations).
bench_line() {
	local first total ap with without

	first=$(grep -a -m1 'pvboot: config:' "$M/dmesg" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	total=$(grep -a -m1 'pvboot: done in' "$C" | sed -n 's/.*done in \([0-9]*\) ms.*/\1/p')
	ap=$(sed -n 's/.*"step": "ap", "outcome": "ok", "ms": \([0-9]*\).*/\1/p' "$M/status.json")
	with=$(stat -c %s "$2.real.img" 2>/dev/null || echo 0)
	without=$(stat -c %s "$2.without.img" 2>/dev/null || echo 0)
	printf 'bench: %s: image %s B with pvboot, %s B without (+%s B); pvboot starts at %s s, takes %s ms, of which the AP step %s ms\n' \
		"$1" "$with" "$without" "$((with - without))" "${first:-?}" "${total:-?}" "${ap:-?}" |
		tee -a "$W/logs/bench.txt"
}

# bench_root_line FLAVOUR: what the root volume costs (bench/README.md): the attach step
# (cryptsetup open with the sealed header, PBKDF2 with 1000 iterations, and the table
# check) and the root check before the mount, in the sealed boot; the sealed header's size.
bench_root_line() {
	local attach check hdr

	attach=$(sed -n 's/.*"step": "attach", "outcome": "ok", "ms": \([0-9]*\).*/\1/p' "$M/status.json")
	check=$(grep -a -m1 'pvboot: root: /dev/mapper/root is' "$C" | sed -n 's/.*(\([0-9]*\) ms).*/\1/p')
	hdr=$(stat -c %s "$W/disks/sealed.hdr")
	printf 'bench: %s: root attach %s ms, root check %s ms; sealed header %s B in the image\n' \
		"$1" "${attach:-?}" "${check:-?}" "$hdr" | tee -a "$W/logs/bench.txt"
}

flavour_table
for FLAVOUR in "${flavours[@]}"; do
	echo
	echo "== $FLAVOUR"
	img=$W/img/$FLAVOUR
	CASE=$FLAVOUR/build
	t0=$(date +%s)
	build_image "$FLAVOUR" "$img.sim.img" "$CONF" "$OVERLAY" >"$W/logs/$FLAVOUR.build-sim.log" 2>&1
	check "image with the simulator builds" test -s "$img.sim.img"
	build_image "$FLAVOUR" "$img.real.img" "$CONF" "" >"$W/logs/$FLAVOUR.build-real.log" 2>&1
	check "image as shipped (real pvboot) builds" test -s "$img.real.img"
	[ "$FLAVOUR" = initramfs-tools ] && [ -n "${BOOT_DEB:-}" ] &&
		check "... by the package's trigger (dpkg -i, update-initramfs -u)" has \
			"$W/logs/$FLAVOUR.build-real.log" 'update-initramfs: Generating /boot/initrd\.img-'
	build_image "$FLAVOUR" "$img.real2.img" "$CONF" "" >"$W/logs/$FLAVOUR.build-real2.log" 2>&1
	check "reproducible: a second build is byte-identical" same_image "$img.real.img" "$img.real2.img"
	build_image "$FLAVOUR" "$img.sealed.img" "$CONF_SEALED" "$OVERLAY" \
		>"$W/logs/$FLAVOUR.build-sealed.log" 2>&1
	check "image with a sealed root header builds" test -s "$img.sealed.img"
	build_image "$FLAVOUR" "$img.none.img" "" "" >"$W/logs/$FLAVOUR.build-none.log" 2>&1
	check "image without a pvboot.yaml builds" test -s "$img.none.img"
	printf 'source: LABEL=boot\nretrieve:\n  - {name: luks-root, path: /etc/luks.key}\n' \
		>"$W/bad.yaml"
	rm -f "$img.bad.img"
	build_image "$FLAVOUR" "$img.bad.img" "$W/bad.yaml" "" >"$W/logs/$FLAVOUR.build-bad.log" 2>&1
	bad_rc=$?
	check "invalid pvboot.yaml fails the build" test "$bad_rc" -ne 0
	check "... with pvboot's line:column message" has "$W/logs/$FLAVOUR.build-bad.log" \
		'bad\.yaml:3:[0-9]+: '
	if [ "${BOOT_BENCH:-0}" = 1 ]; then
		# (initramfs-tools' with the package: trigger_image made it)
		[ "$FLAVOUR" = initramfs-tools ] && [ -n "${BOOT_DEB:-}" ] ||
			BOOT_WITHOUT_PVBOOT=1 build_image "$FLAVOUR" "$img.without.img" "" "" \
				>"$W/logs/$FLAVOUR.build-without.log" 2>&1
		check "the same image without pvboot builds" test -s "$img.without.img"
	fi
	say "$FLAVOUR: images built in $(($(date +%s) - t0)) s"

	CASE=$FLAVOUR/happy
	echo "-- $CASE: the LUKS root opens with the key pvboot retrieved"
	boot happy "$img.sim.img" "$W/disks/boot-good.img" "$BASE $(fl luks)"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "the real root is reached" test -e "$M/root"
	check "status: ok" status_is ok
	check "store locked" has "$M/status.json" '"locked": true'
	check "the real root has no key file (pvboot wipe before switch_root)" has "$M/keyfile" '^none$'
	check "... but the keep: true one, 0400, 31 bytes" has "$M/keptfile" '^400 31 0$'
	check "the status still records what was retrieved" has "$M/status.json" '"path": "/run/pvboot/luks.key"'
	check "pvboot finished before the root was unlocked" time_order
	check "AP queues associated" has "$M/ap.txt" '03\.0005 .* associated 1 .*'
	check "pvboot's records in the kernel log" has "$M/dmesg" 'pvboot: config: /etc/pvboot/pvboot.yaml'
	check "pvboot's last line on the console" has "$C" 'pvboot: done in [0-9]+ ms'
	check "no passphrase prompt" lacks "$C" 'Please enter passphrase|Password|passphrase for'
	check "the key is in no log" no_key_in_logs
	check "pvboot proved the root's live table before the mount" has "$C" \
		'pvboot: root: /dev/mapper/root is aes-xts-plain64 over .*\(on-disk header\)'

	# bench/README.md: what the module adds to the image and to the boot
	[ "${BOOT_BENCH:-0}" = 1 ] && bench_line "$FLAVOUR" "$img"

	# The root volume (issue 15): the happy path above is the control
	# shellcheck source=tests/boot/root-cases.sh
	. "$here/root-cases.sh"

	CASE=$FLAVOUR/broken
	echo "-- $CASE: one tag changed: banner, nothing added, poweroff"
	boot broken "$img.sim.img" "$W/disks/boot-broken.img" "$BASE $(fl luks)"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "pvboot's banner on the console" has "$C" 'FAILED in step verify.*Failure action: poweroff'
	check "nothing was submitted" has "$C" 'nothing was submitted'
	check "nothing added" lacks "$C" 'pvboot: added '
	check "the glue powers off" has "$C" 'pvboot-glue: carrying out the failure action: poweroff'
	check "the machine powers off" has "$C" 'reboot: Power down'
	check "the root is never mounted" test ! -e "$M/root"
	check "the key is in no log" no_key_in_logs

	CASE=$FLAVOUR/off
	echo "-- $CASE: rd.pvboot=0: pvboot does not run, the unlock fails in bounded time"
	BOOT_UNTIL=$(fl unlock_done) boot off "$img.sim.img" "$W/disks/boot-good.img" \
		"$BASE $(fl luks) $(fl giveup) rd.pvboot=0"
	check "the unlock fails for want of the key, within the time limit" test "$BOOT_RC" -eq 0
	check "... as the console says" has "$C" "$(fl unlock_failed)"
	check "no pvboot line on the console" lacks "$C" '(^|[] ])pvboot(-glue)?: '
	check "no passphrase prompt, or one that times out" prompt_bounded
	check "the root is never mounted" test ! -e "$M/root"

	CASE=$FLAVOUR/off-plain
	echo "-- $CASE: rd.pvboot=0 with an unencrypted root: no trace of pvboot"
	boot off-plain "$img.sim.img" "$W/disks/boot-good.img" \
		"$BASE $(fl plain) rd.pvboot=0"
	check "the real root is reached" test -e "$M/root"
	check "no pvboot record in the kernel log" lacks "$M/dmesg" 'pvboot(-glue)?: '
	check "nothing below /run/pvboot" lacks "$M/run-files" '^/run/pvboot/'
	check "the simulated UV got no add, lock or retrieve" lacks "$M/machine/uv.log" \
		'^(add|lock|retrieve) '


	CASE=$FLAVOUR/break
	echo "-- $CASE: a breakpoint after the hook: pvboot has run, the shell is offered"
	BOOT_UNTIL=$(fl break_re) boot break "$img.sim.img" "$W/disks/boot-good.img" \
		"loglevel=6 printk.time=1 rd.shell=1 $(fl luks) $(fl break) $(fl debug)"
	check "the breakpoint is reached" test "$BOOT_RC" -eq 0
	check "pvboot finished before it" before "$C" 'pvboot: done in' "$(fl break_re)"
	if [ -n "$(fl debug)" ]; then
		# -v adds the info lines, such as where each retrieved secret went
		check "rd.debug: pvboot runs verbose" has "$C" 'pvboot: retrieve: secret .*luks-root.* -> /run/pvboot/luks\.key'
	fi
	check "the key is in no log" no_key_in_logs

	# The host's attacks after pvboot has done its part (the happy boot is the control):
	# whatever fails next, the image's defaults end the boot with a poweroff, and the
	# host, typing at the console all along, gets no shell and no prompt.
	for attack in damaged absent host; do
		CASE=$FLAVOUR/$attack
		case $attack in
		damaged)
			echo "-- $CASE: the root's ciphertext damaged: unlocked, but it does not mount"
			luks=$W/disks/luks-damaged.img
			;;
		absent)
			echo "-- $CASE: the root disk absent"
			luks=none
			;;
		host)
			echo "-- $CASE: the host's own LUKS volume with the root's UUID"
			luks=$W/disks/luks-host.img
			;;
		esac
		# the owner's bound on waiting for a root device that never comes (the
		# images' defaults take 180 s)
		BOOT_LUKS=$luks BOOT_TYPE=$HOSTPASS boot "$attack" "$img.sim.img" \
			"$W/disks/boot-good.img" "$BASE $(fl luks) $(fl giveup)"
		check "QEMU exits by itself (poweroff), within the time limit" test "$BOOT_RC" -eq 0
		check "pvboot succeeded, before the boot failed" pvboot_before_failure
		check "the machine powers off" powered_off
		check "no shell, no prompt on the console, whatever the host types" no_console_answer
		check "the root is never reached" test ! -e "$M/root"
		check "the key is in no log" no_key_in_logs
	done

	CASE=$FLAVOUR/real-skip
	echo "-- $CASE: the real pvboot on a non-SE VM without rd.pvboot: skips, the boot goes on"
	boot real-skip "$img.real.img" "$W/disks/boot-good.img" "$BASE $(fl plain)"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "the real root is reached" test -e "$M/root"
	check "pvboot status: skipped" status_is skipped
	check "no pvboot error on the console" lacks "$C" 'pvboot: error|pvboot-glue'
	check "no key file" has "$M/keyfile" '^none$'

	CASE=$FLAVOUR/real-required
	echo "-- $CASE: the real pvboot on a non-SE VM with rd.pvboot=1: fails closed"
	boot real-required "$img.real.img" "$W/disks/boot-good.img" \
		"$BASE $(fl plain) rd.pvboot=1"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "says: not a Secure Execution guest" has "$C" 'not an? (IBM )?Secure Execution guest'
	check "pvboot's banner with the failure action" has "$C" 'FAILED in step detect.*Failure action: poweroff'
	check "the machine powers off" has "$C" 'reboot: Power down'
	check "the root is never mounted" test ! -e "$M/root"
done

boot_summary
