#!/bin/bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2034 # parameters and results are for the sourcing driver
# The boot tests' library (tests/boot/README.md): fetch a distribution kernel, stage
# `make install`, build dracut and initramfs-tools images with pvboot, make the disks,
# boot them in QEMU (TCG) under a timeout and read what the guest left. Sourced by
# tests/boot/run.sh (x86_64) and by other architectures' drivers, which set the
# parameters below in boot_arch_<arch> or override the functions marked "per arch".
#
# Parameters (boot_init sets them from the architecture):
#   BOOT_ARCH      x86_64 | s390x
#   DEB_ARCH       the Debian architecture of the kernel package (amd64, s390x)
#   KFLAVOUR       the kernel flavour: linux-image-<ver>-<KFLAVOUR>
#   QEMU           the qemu-system binary (from the package QEMU_PKG);  QEMU_ARGS  its
#                  machine arguments (array)
#   CONSOLE        the kernel console (ttyS0, ttysclp0)
#   BOOT_TIMEOUT   seconds one boot may take before it counts as hung
#   W              the work directory (build/boot/<arch>): kernel, stage, images, logs
#   TOOLS          the build directory with pvboot, pvboot-sim and mkasr of this arch
#   HOST_TOOLS     the build directory with the native mkasr

BOOT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BOOT_LIB_DIR/../.." && pwd)
VECTORS=$REPO/tests/vectors
# One fixed time for every image, so two builds can be compared byte for byte.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1790000000}

boot_arch_x86_64() {
	DEB_ARCH=amd64
	KFLAVOUR=amd64
	QEMU=qemu-system-x86_64
	QEMU_PKG=qemu-system-x86
	# KVM hangs on this kind of machine (spec/toolchain.md §4): TCG always.
	QEMU_ARGS=(-machine "pc,accel=tcg" -cpu max -m 768)
	CONSOLE=ttyS0
	BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}
}

# boot_init ARCH BUILD_DIR: parameters, work directory, tools.
boot_init() {
	BOOT_ARCH=$1
	"boot_arch_$BOOT_ARCH"
	W=$2/boot/$BOOT_ARCH
	mkdir -p "$W/logs" "$W/img" "$W/disks"
	W=$(cd "$W" && pwd)
	HOST_TOOLS=${HOST_TOOLS:-$2/musl-x86_64}
	case $BOOT_ARCH in
	x86_64) TOOLS=${TOOLS:-$2/musl-x86_64} ;;
	*) TOOLS=${TOOLS:-$2/musl-$BOOT_ARCH} ;;
	esac
	PASSED=0
	FAILED=0
	FAILED_NAMES=()
}

say() { printf '%s\n' "boot: $*" >&2; }
die() {
	say "error: $*"
	exit 2
}

# ------------------------------------------------------------------ results

# check NAME COMMAND...: one assertion; prints ok/FAIL and counts it.
check() {
	local name=$1

	shift
	if "$@" >/dev/null 2>&1; then
		PASSED=$((PASSED + 1))
		printf '  ok    %s\n' "$name"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$CASE: $name")
		printf '  FAIL  %s\n' "$name"
	fi
}

# has FILE REGEX / lacks FILE REGEX: extended-regex line match (or its absence).
has() { grep -aEq -- "$2" "$1"; }
lacks() { [ -e "$1" ] && ! grep -aEq -- "$2" "$1"; }
# nowhere STRING FILE...: the fixed string is in none of the files.
nowhere() {
	local s=$1

	shift
	! grep -aFrq -- "$s" "$@"
}

boot_summary() {
	local n

	echo
	for n in "${FAILED_NAMES[@]}"; do
		echo "FAILED: $n"
	done
	echo "boot tests ($BOOT_ARCH): $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# ------------------------------------------------------------------ packages, kernel

# The packages `make check-boot` needs; installed when missing and we are root.
boot_deps() {
	local p missing=

	for p in dracut-core initramfs-tools-core busybox klibc-utils cryptsetup-bin \
		"$QEMU_PKG" e2fsprogs cpio; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing packages:$missing (run ci/install-deps.sh boot as root)"
	fi
	sh "$REPO/ci/install-deps.sh" boot || die "ci/install-deps.sh boot failed"
}

boot_kernel_pkg() {
	apt-cache depends "linux-image-$KFLAVOUR:$DEB_ARCH" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*/\1/p' | head -n1
}

# boot_kernel: the distribution's current kernel package for DEB_ARCH, unpacked into
# $W/kernel (cached: a second run downloads nothing). Sets KVER, KROOT, VMLINUZ.
boot_kernel() {
	local pkg deb

	if [ -f "$W/kernel/.done" ]; then
		KVER=$(cat "$W/kernel/.done")
	else
		pkg=$(boot_kernel_pkg)
		if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
			apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1
			pkg=$(boot_kernel_pkg)
		fi
		[ -n "$pkg" ] || die "no linux-image-$KFLAVOUR:$DEB_ARCH in apt (apt-get update?)"
		rm -rf "$W/kernel" && mkdir -p "$W/kernel/dl"
		(cd "$W/kernel/dl" && apt-get download "$pkg:$DEB_ARCH" >/dev/null 2>&1) ||
			die "apt-get download $pkg:$DEB_ARCH failed"
		deb=$(ls "$W/kernel/dl/"*.deb)
		dpkg -x "$deb" "$W/kernel/root" || die "dpkg -x $deb failed"
		KVER=${pkg#linux-image-}
		depmod -b "$W/kernel/root" "$KVER" || die "depmod failed"
		rm -rf "$W/kernel/dl"
		echo "$KVER" >"$W/kernel/.done"
	fi
	KROOT=$W/kernel/root
	VMLINUZ=$KROOT/boot/vmlinuz-$KVER
	[ -f "$VMLINUZ" ] || die "no $VMLINUZ"
}

# boot_cryptsetup_initramfs: cryptsetup-initramfs's hook and scripts, unpacked (the
# package itself depends on initramfs-tools, which would remove dracut).
boot_cryptsetup_initramfs() {
	CRYPT_IT=$W/cryptsetup-initramfs
	[ -f "$CRYPT_IT/.done" ] && return 0
	rm -rf "$CRYPT_IT" && mkdir -p "$CRYPT_IT/dl"
	(cd "$CRYPT_IT/dl" && apt-get download cryptsetup-initramfs >/dev/null 2>&1) ||
		die "apt-get download cryptsetup-initramfs failed"
	dpkg -x "$CRYPT_IT"/dl/*.deb "$CRYPT_IT/root" || die "dpkg -x cryptsetup-initramfs failed"
	rm -rf "$CRYPT_IT/dl"
	touch "$CRYPT_IT/.done"
}

# ------------------------------------------------------------------ the installed package

# boot_stage: what a user installs in $W/stage: the Debian package BOOT_DEB
# (make check-boot builds it with make deb) unpacked; without BOOT_DEB (a run by
# hand) `make install DESTDIR=$W/stage PREFIX=/usr`, which installs the same files.
boot_stage() {
	STAGE=$W/stage
	rm -rf "$STAGE"
	if [ -n "${BOOT_DEB:-}" ]; then
		[ "$(dpkg-deb -f "$BOOT_DEB" Architecture)" = "$DEB_ARCH" ] ||
			die "$BOOT_DEB is not a $DEB_ARCH package"
		dpkg-deb -x "$BOOT_DEB" "$STAGE" || die "dpkg-deb -x $BOOT_DEB failed"
		echo "stage: $BOOT_DEB"
	else
		make -C "$REPO" --no-print-directory -s install DESTDIR="$STAGE" PREFIX=/usr \
			ARCH="$([ "$BOOT_ARCH" = x86_64 ] || echo "$BOOT_ARCH")" >"$W/logs/install.log" 2>&1 ||
			die "make install failed (see $W/logs/install.log)"
		echo "stage: make install (no BOOT_DEB)"
	fi
	PVBOOT_STAGED=$STAGE/usr/sbin/pvboot
	# dracut reads its modules from one directory: the system's plus the staged one.
	DRACUT_BASE=$W/dracutbase
	rm -rf "$DRACUT_BASE" && mkdir -p "$DRACUT_BASE/modules.d"
	local f

	for f in /usr/lib/dracut/*; do
		[ "${f##*/}" = modules.d ] || ln -s "$f" "$DRACUT_BASE/"
	done
	for f in /usr/lib/dracut/modules.d/*; do
		ln -s "$f" "$DRACUT_BASE/modules.d/"
	done
	ln -s "$STAGE/usr/lib/dracut/modules.d/52pvboot" "$DRACUT_BASE/modules.d/"
}

# ------------------------------------------------------------------ images

# boot_dracut_mods MODE: the dracut modules of a test image (x86_64 and s390x): what a
# distribution's default image has for a LUKS root, and pvboot (unless
# BOOT_WITHOUT_PVBOOT=1, the same image without the module: bench/README.md); MODE
# systemd adds the systemd initrd with the dracut-*.service wrappers (rd.break, hooks),
# as in every distribution's default image.
boot_dracut_mods() {
	local mods="base rootfs-block kernel-modules crypt dm"

	[ "${BOOT_WITHOUT_PVBOOT:-0}" = 1 ] || mods="$mods pvboot"
	[ "$1" = systemd ] && mods="systemd systemd-initrd dracut-systemd $mods"
	printf '%s' "$mods"
}

# boot_dracut OUT MODE CONFIG OVERLAY [DRACUT_ARG...]: an image with the staged module.
# MODE systemd | shell (--omit systemd); CONFIG the pvboot.yaml to bake in ("" none);
# OVERLAY a directory copied over the image last (--include), "" for none.
boot_dracut() {
	local out=$1 mode=$2 conf=$3 overlay=$4 mods conf_dir

	shift 4
	conf_dir=$W/dracut.conf.d
	rm -rf "$conf_dir" && mkdir -p "$conf_dir"
	{
		echo "pvboot_binary=$PVBOOT_STAGED"
		echo "pvboot_config=${conf:-/nonexistent}"
	} >"$conf_dir/pvboot.conf"
	mods=$(boot_dracut_mods "$mode")
	[ "$mode" = systemd ] || set -- --omit systemd "$@"
	dracutbasedir=$DRACUT_BASE dracut --force --quiet --no-hostonly --no-hostonly-cmdline \
		--reproducible --confdir "$conf_dir" --kmoddir "$KROOT/lib/modules/$KVER" \
		-m "$mods" --drivers "virtio_blk virtio_pci dm_crypt ext4 crypto_null ecb xts" --filesystems ext4 \
		--compress=gzip ${overlay:+--include "$overlay" /} --kver "$KVER" "$@" "$out"
	local rc=$?

	rm -rf "$conf_dir"
	return $rc
}

# boot_mkinitramfs OUT CONFIG OVERLAY: an initramfs-tools image from a private CONFDIR
# with the staged hook and scripts and cryptsetup-initramfs's.
boot_mkinitramfs() {
	local out=$1 conf=$2 overlay=$3 c=$W/itconf f rc

	rm -rf "$c" && mkdir -p "$c/hooks" "$c/scripts/init-premount" "$c/scripts/local-top" \
		"$c/scripts/local-block" "$c/scripts/local-bottom" "$c/scripts/init-bottom" \
		"$c/scripts/local-premount" "$c/scripts/panic" "$c/conf.d"
	cat >"$c/initramfs.conf" <<EOF
MODULES=list
BUSYBOX=y
COMPRESS=gzip
UMASK=0077
EOF
	printf '%s\n' virtio_blk virtio_pci dm_crypt ext4 crypto_null ecb xts >"$c/modules"
	if [ "${BOOT_WITHOUT_PVBOOT:-0}" != 1 ]; then
		cp "$STAGE/usr/share/initramfs-tools/hooks/pvboot" "$c/hooks/"
		for f in init-premount local-premount init-bottom panic; do
			cp "$STAGE/usr/share/initramfs-tools/scripts/$f/pvboot" "$c/scripts/$f/"
		done
		cp "$STAGE/usr/share/initramfs-tools/scripts/pvboot-glue" "$c/scripts/"
	fi
	for f in local-top local-block local-bottom; do
		cp "$CRYPT_IT/root/usr/share/initramfs-tools/scripts/$f/cryptroot" "$c/scripts/$f/"
	done
	cp "$CRYPT_IT/root/usr/share/initramfs-tools/hooks/cryptroot" "$c/hooks/"
	if [ -n "$overlay" ]; then
		# test only: copy the overlay over the image after every other hook
		cat >"$c/hooks/zz-pvboot-test-overlay" <<EOF
#!/bin/sh
[ "\$1" = prereqs ] && exit 0
cp -a "$overlay/." "\$DESTDIR/"
EOF
		chmod +x "$c/hooks/zz-pvboot-test-overlay"
	fi
	# mkinitramfs and modprobe read /lib/modules/$KVER and /boot/config-$KVER: show them
	# the unpacked kernel's through read-only overlays on /usr/lib and /boot in a private
	# mount namespace; the host's directories stay untouched.
	PVBOOT_BINARY=$PVBOOT_STAGED PVBOOT_CONFIG=${conf:-/nonexistent} \
		unshare -m -- sh -ec 'mount -t overlay overlay -o "lowerdir=$1/lib:/usr/lib" /usr/lib
			mount -t overlay overlay -o "lowerdir=$1/boot:/boot" /boot
			shift; exec "$@"' sh "$KROOT" mkinitramfs -d "$c" -o "$out" "$KVER" 2>&1
	rc=$?
	rm -rf "$c"
	return $rc
}

# boot_it_builder ROOT MODULE...: ROOT's initramfs-tools set up as an image builder
# sets it up for a test image (MODULES=list with MODULE..., gzip, BusyBox, umask 0077),
# and an empty /boot/initrd.img-KVER: the kernel was unpacked, not installed, so no
# postinst made one, and update-initramfs -u (the package's trigger) rebuilds only
# images that exist.
boot_it_builder() {
	local r=$1 c=$1/etc/initramfs-tools/initramfs.conf

	shift
	sed -i 's/^MODULES=.*/MODULES=list/; s/^COMPRESS=.*/COMPRESS=gzip/; s/^BUSYBOX=.*/BUSYBOX=y/' "$c"
	grep -q '^UMASK=' "$c" || echo UMASK=0077 >>"$c"
	printf '%s\n' "$@" >"$r/etc/initramfs-tools/modules"
	rm -f "$r/boot/initrd.img-$KVER" && : >"$r/boot/initrd.img-$KVER"
}

# ------------------------------------------------------------------ disks

# boot_rootfs_tools DIR: a shell and the tools the real root's init uses. Per arch:
# the host's busybox and the libraries it links.
boot_rootfs_tools() {
	local d=$1 lib

	mkdir -p "$d/bin" "$d/sbin" "$d/lib64" "$d/lib/x86_64-linux-gnu"
	cp /bin/busybox "$d/bin/busybox"
	for lib in $(ldd /bin/busybox | grep -o '/[^ ]*'); do
		cp -L "$lib" "$d$lib"
	done
	# the root is mounted read-only: the applets are links made here
	for lib in $(/bin/busybox --list); do
		ln -sf busybox "$d/bin/$lib"
	done
}

# boot_rootfs DIR SIM_OVERLAY: the real root's files: the tools, the test init, the real
# pvboot and the simulator (for `pvboot status` and the AP state after the switch).
boot_rootfs() {
	local d=$1 overlay=$2

	rm -rf "$d" && mkdir -p "$d/proc" "$d/sys" "$d/dev" "$d/run" "$d/tmp" "$d/usr/sbin" "$d/usr/lib"
	boot_rootfs_tools "$d"
	# systemd's switch-root wants an OS tree
	mkdir -p "$d/etc" && printf 'ID=pvboot-test\nNAME="pvboot boot test root"\n' >"$d/etc/os-release"
	cp "$BOOT_LIB_DIR/root-init.sh" "$d/sbin/init"
	chmod 0755 "$d/sbin/init"
	cp "$PVBOOT_STAGED" "$d/usr/sbin/pvboot"
	cp -a "$overlay/usr/lib/pvboot-test" "$d/usr/lib/"
}

# boot_disks PASSPHRASE_FILE SIM_OVERLAY: $W/disks/{boot,luks,plain,marker}.img.
# Sets LUKS_UUID. The boot disk's sics/ is filled by the caller.
boot_disks() {
	local pass=$1 overlay=$2 d=$W/disks

	boot_rootfs "$d/rootfs" "$overlay"
	rm -f "$d/luks.img" "$d/plain.img"
	truncate -s 48M "$d/luks.img"
	mke2fs -q -t ext4 -L cryptroot-fs -U 3c1c1c1c-0000-4000-8000-000000000001 \
		-E root_owner=0:0 -d "$d/rootfs" "$d/luks.img" 32M || die "mke2fs luks"
	LUKS_UUID=7e57b007-0000-4000-8000-00000000c0de
	# Encrypt it in place, offline, no device mapper needed; PBKDF2 with few iterations so
	# the unlock is quick under TCG (the test is about who has the key, not its strength).
	cryptsetup reencrypt --batch-mode --encrypt --type luks2 --reduce-device-size 16M \
		--uuid "$LUKS_UUID" --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file "$pass" "$d/luks.img" >/dev/null || die "cryptsetup reencrypt"
	truncate -s 32M "$d/plain.img"
	mke2fs -q -t ext4 -L plainroot -E root_owner=0:0 -d "$d/rootfs" "$d/plain.img" ||
		die "mke2fs plain"
}

# boot_root_disks PASSPHRASE_FILE: the disks of the root cases (tests/boot/README.md,
# "The root volume"), made offline (no device mapper on the build host), next to
# luks.img (boot_disks first):
#   sealed.img, sealed.hdr  the owner's root with a detached header (PBKDF2, data at 0)
#   null-ecb.img, null-cbc.img  luks.img as a hostile host rewrites it: the data
#                   segment's cipher cipher_null-ecb or cipher_null-cbc-plain (both
#                   checksums recomputed, the owner's keyslot untouched), and a
#                   plaintext root of its own behind the header
#   host.img        the host's own volume: null-ecb.img with its keyslot area's cipher
#                   cipher_null-ecb as well
#   random.img      random bytes
boot_root_disks() {
	local pass=$1 d=$W/disks off

	rm -f "$d/sealed.img" "$d/sealed.hdr"
	truncate -s 32M "$d/sealed.img"
	mke2fs -q -t ext4 -L sealedroot-fs -E root_owner=0:0 -d "$d/rootfs" "$d/sealed.img" ||
		die "mke2fs sealed"
	cryptsetup reencrypt --batch-mode --encrypt --type luks2 --header "$d/sealed.hdr" \
		--luks2-metadata-size 16k --luks2-keyslots-size 256k --pbkdf pbkdf2 \
		--pbkdf-force-iterations 1000 --key-file "$pass" "$d/sealed.img" >/dev/null ||
		die "cryptsetup reencrypt --header"
	off=$(cryptsetup luksDump "$d/luks.img" | awk '/^Data segments/ { s = 1 } s && $1 == "offset:" { print $2; exit }')
	[ -n "$off" ] || die "no data offset in luks.img"
	boot_rewrite "$d/luks.img" "$d/null-ecb.img" "$off" \
		'"encryption":"aes-xts-plain64","sector_size"' '"encryption":"cipher_null-ecb","sector_size"'
	boot_rewrite "$d/luks.img" "$d/null-cbc.img" "$off" \
		'"encryption":"aes-xts-plain64","sector_size"' '"encryption":"cipher_null-cbc-plain","sector_size"'
	boot_rewrite "$d/null-ecb.img" "$d/host.img" "$off" \
		'"encryption":"aes-xts-plain64","key_size"' '"encryption":"cipher_null-ecb","key_size"'
	rm -f "$d/random.img"
	head -c 48M /dev/urandom >"$d/random.img"
}

# boot_rewrite IN OUT DATA_OFFSET OLD NEW: IN with OLD replaced by NEW in both JSON areas
# of its header (mkasr luks2-edit: both checksums recomputed) and the plaintext test root
# (plain.img) written at DATA_OFFSET.
boot_rewrite() {
	local in=$1 out=$2 off=$3 t=$W/disks/rewrite.tmp

	cp "$in" "$out"
	head -c 1M "$in" >"$t.in"
	"$HOST_TOOLS/mkasr" luks2-edit "$t.in" "$t.out" json "$4" "$5" || die "luks2-edit $out"
	dd if="$t.out" of="$out" conv=notrunc status=none
	dd if="$W/disks/plain.img" of="$out" bs=1M seek=$((off / 1048576)) conv=notrunc status=none
	rm -f "$t.in" "$t.out"
}

# boot_bootdisk SICS_DIR OUT: the boot partition (LABEL=boot) holding sics/.
boot_bootdisk() {
	local sics=$1 out=$2 t=$W/disks/bootfs

	rm -rf "$t" "$out" && mkdir -p "$t"
	cp -a "$sics" "$t/sics"
	truncate -s 8M "$out"
	mke2fs -q -t ext4 -L boot -E root_owner=0:0 -d "$t" "$out" || die "mke2fs boot"
}

# ------------------------------------------------------------------ QEMU

# boot_qemu_disk FILE SERIAL: the QEMU arguments of one virtio disk. Per arch.
boot_qemu_disk() {
	printf '%s\n' -drive "file=$1,format=raw,if=none,id=$2" \
		-device "virtio-blk-pci,drive=$2,serial=$2"
}

# boot_type FIFO PASSPHRASE: a host at the console: every 2 s, what a host would type
# at a prompt or a shell (Enter, root, a passphrase of its own, a command that would
# show the key, exit), until the guest is gone.
boot_type() {
	local i=0

	while sleep 2; do
		case $((i++ % 4)) in
		0) printf '\n' ;;
		1) printf 'root\n' ;;
		2) printf '%s\n' "$2" ;;
		3) printf 'cat /run/pvboot/luks.key; exit\n' ;;
		esac
	done >"$1"
}

# boot_run NAME INITRD BOOTDISK CMDLINE: boot with the disks boot (vda), luks (vdb),
# marker (vdc), plain (vdd). The console goes to $W/logs/NAME.console, the marker disk's
# tar is unpacked to $W/logs/NAME.marker/. Returns QEMU's status (124: timed out).
# BOOT_LUKS=FILE: another LUKS disk in place of luks.img (copied), "none": no such disk.
# BOOT_TYPE=PASSPHRASE: the console is a pipe the host types at (boot_type).
boot_run() {
	local name=$1 initrd=$2 bootdisk=$3 cmdline=$4
	local log=$W/logs/$name.console m=$W/logs/$name.marker disk rc args=() disks serial
	local luks=${BOOT_LUKS:-$W/disks/luks.img} typer=

	rm -rf "$m" "$log" && mkdir -p "$m"
	disks=("$bootdisk boot")
	if [ "$luks" != none ]; then
		cp "$luks" "$W/disks/luks.run.img"
		disks+=("$W/disks/luks.run.img luks")
	fi
	cp "$W/disks/plain.img" "$W/disks/plain.run.img"
	truncate -s 0 "$W/disks/marker.img" && truncate -s 4M "$W/disks/marker.img"
	for disk in "${disks[@]}" "$W/disks/marker.img marker" "$W/disks/plain.run.img plain"; do
		# shellcheck disable=SC2086 # two words: file and serial
		mapfile -t -O "${#args[@]}" args < <(boot_qemu_disk $disk)
	done
	serial=(-serial "file:$log")
	if [ -n "${BOOT_TYPE:-}" ]; then
		# QEMU reads the guest's input from FIFO.in and writes its output to FIFO.out
		# (drained) and to the log file.
		rm -f "$W/console.in" "$W/console.out"
		mkfifo "$W/console.in" "$W/console.out"
		serial=(-chardev "pipe,id=con0,path=$W/console,logfile=$log" -serial chardev:con0)
	fi
	BOOT_T0=$(date +%s)
	BOOT_STOPPED=0
	# (-k: a QEMU that hangs even on SIGTERM is killed, and the case fails, not the run)
	timeout --foreground -k 20 "$BOOT_TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" -nodefaults -no-reboot \
		-display none "${serial[@]}" -kernel "$VMLINUZ" -initrd "$initrd" \
		-append "console=$CONSOLE $cmdline" "${args[@]}" </dev/null >"$log.qemu" 2>&1 &
	local pid=$!
	if [ -n "${BOOT_TYPE:-}" ]; then
		cat "$W/console.out" >/dev/null &
		boot_type "$W/console.in" "$BOOT_TYPE" &
		typer=$!
	fi
	# BOOT_UNTIL=REGEX: the case has seen what it waits for once the console shows it
	# (a guest that then sits in an emergency target need not run into the timeout).
	while [ -n "${BOOT_UNTIL:-}" ] && kill -0 "$pid" 2>/dev/null; do
		if grep -aEq -- "$BOOT_UNTIL" "$log" 2>/dev/null; then
			sleep 3
			kill "$pid" 2>/dev/null && BOOT_STOPPED=1
			break
		fi
		sleep 1
	done
	wait "$pid"
	rc=$?
	if [ -n "$typer" ]; then
		kill "$typer" 2>/dev/null
		wait "$typer" 2>/dev/null
		rm -f "$W/console.in" "$W/console.out"
	fi
	[ "$BOOT_STOPPED" = 1 ] && rc=0
	BOOT_SECONDS=$(($(date +%s) - BOOT_T0))
	tar -xf "$W/disks/marker.img" -C "$m" 2>/dev/null
	printf '  (%s: QEMU %s after %s s)\n' "$name" \
		"$([ "$BOOT_STOPPED" = 1 ] && echo "stopped at '$BOOT_UNTIL'" || echo "exit $rc")" \
		"$BOOT_SECONDS"
	return $rc
}

# ------------------------------------------------------------------ the set, the overlay

# boot_set: the owner's material in $W/set: the passphrase, the CCK, a good set
# (signed with the owner's user-signing key, tests/keys/owner-ec.key)
# ($W/set/good/sics) and a broken one (one tag changed, $W/set/broken/sics), made with
# the native mkasr against the test SE header, as `pvsecret create` would.
boot_set() {
	local o=$W/set s gen mkasr=$HOST_TOOLS/mkasr

	rm -rf "$o" && mkdir -p "$o/good/sics"
	printf 'pvboot boot test passphrase 7e57' >"$o/pass.txt"
	printf '\300\314%.0s' $(seq 16) >"$o/cck.bin"
	printf '\245%.0s' $(seq 32) >"$o/assoc8.bin"
	printf '\132%.0s' $(seq 32) >"$o/assoc7.bin"
	gen=(-k "$VECTORS/cert/host.crt" --hdr "$VECTORS/exp/secure_guest.hdr"
		--cuid 0x42424242424242424242424242424242 --cck "$o/cck.bin"
		--user-sign-key "$REPO/tests/keys/owner-ec.key")
	s=$o/good/sics
	printf 'pvboot boot test data key, kept' >"$o/data.txt"
	"$mkasr" "${gen[@]}" --toc-policy "$s/toc.pol" -o "$s/luks-root.asr" \
		retrievable luks-root --kind plain --secret "$o/pass.txt" &&
		"$mkasr" "${gen[@]}" --toc-policy "$s/toc.pol" -o "$s/ep11-cex8.asr" \
			association "EP11 domain 5 on CEX8" --input-secret "$o/assoc8.bin" &&
		"$mkasr" "${gen[@]}" --toc-policy "$s/toc.pol" -o "$s/ep11-cex7.asr" \
			association "EP11 domain 5 on CEX7" --input-secret "$o/assoc7.bin" &&
		"$mkasr" "${gen[@]}" --toc-policy "$s/toc.pol" -o "$s/data-key.asr" \
			retrievable data-key --kind plain --secret "$o/data.txt" &&
		(cd "$s" && "$mkasr" "${gen[@]}" --policy toc.pol -o toc.asr --disable-dump meta) ||
		die "mkasr failed"
	cp -a "$o/good" "$o/broken"
	# One tag changed: the last byte of the LUKS key request (its GCM tag, which
	# toc.pol lists).
	local f=$o/broken/sics/luks-root.asr n
	n=$(stat -c %s "$f")
	printf '\377' | dd of="$f" bs=1 seek=$((n - 1)) conv=notrunc status=none
	PASSPHRASE=$(cat "$o/pass.txt")
}

# boot_overlay: $W/overlay, what a test image has on top of the shipped package: the
# simulator as /usr/sbin/pvboot (a wrapper) and the simulated machine.
boot_overlay() {
	local o=$W/overlay

	rm -rf "$o" && mkdir -p "$o/usr/sbin" "$o/usr/lib/pvboot-test/machine"
	cp "$TOOLS/pvboot-sim" "$o/usr/lib/pvboot-test/pvboot-sim"
	cp "$BOOT_LIB_DIR/pvboot-sim-wrapper.sh" "$o/usr/lib/pvboot-test/pvboot"
	cp "$BOOT_LIB_DIR/pvboot-sim-wrapper.sh" "$o/usr/sbin/pvboot"
	cp "$BOOT_LIB_DIR/machine.yaml" "$VECTORS/cert/host.key" "$VECTORS/exp/secure_guest.hdr" \
		"$o/usr/lib/pvboot-test/machine/"
	OVERLAY=$o
}
