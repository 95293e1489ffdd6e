#!/bin/bash
# shellcheck disable=SC2034 # the parameters of tests/boot/lib.sh, set here for it
# SPDX-License-Identifier: MIT
# make check-boot-s390x: pvboot in s390x images built by dracut and initramfs-tools
# inside a Debian 12 s390x root, booted with Debian's s390x kernel in qemu-system-s390x
# (TCG) -- tests/boot/s390x/README.md. Reuses tests/boot/lib.sh (disks, the set, the
# simulated machine, QEMU, checks) and overrides what differs on s390x: the kernel and
# the tools come from the s390x root, images are built in it (chroot, qemu-user),
# disks are virtio-blk-ccw, the console is the SCLP one.
#
#   run.sh [--build DIR] [--flavour F]... [--bench]
#
# Flavours (default: all): dracut-systemd, initramfs-tools, dracut-shell (--omit systemd).
# --bench: also build images without the module and report sizes and boot times.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../cases.sh"

build=$REPO/build
flavours=()
bench=0
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2 && shift ;;
	--flavour) flavours+=("$2") && shift ;;
	--bench) bench=1 ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done
[ ${#flavours[@]} -gt 0 ] || flavours=(dracut-systemd initramfs-tools dracut-shell)

# ------------------------------------------------------------------ s390x overrides

boot_arch_s390x() {
	DEB_ARCH=s390x
	KFLAVOUR=s390x
	QEMU=qemu-system-s390x
	QEMU_PKG=qemu-system-misc
	# -serial is the SCLP VT220 console (ttysclp0) on this machine type. One vCPU:
	# with two, QEMU 7.2's TCG once deadlocked in the guest's poweroff (every thread
	# in a futex wait, SIGTERM ignored) while the x86_64 boot tests ran beside it.
	QEMU_ARGS=(-machine "s390-ccw-virtio,accel=tcg" -m 1024 -smp 1)
	CONSOLE=ttysclp0
	# initramfs-tools' autopkgtest allows 120 s on s390x; TCG here is slower still.
	BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
}

# The s390x root (mkroot.sh): its kernel is the one booted, its dracut and
# initramfs-tools build the images.
boot_kernel() {
	ROOT=$build/boot-s390x/root
	"$here/mkroot.sh" "$build/boot-s390x" || die "the s390x root could not be built"
	KVER=$(cat "$build/boot-s390x/root.kver")
	KROOT=$ROOT
	VMLINUZ=$KROOT/boot/vmlinuz-$KVER
	[ -f "$VMLINUZ" ] || die "no $VMLINUZ"
	"$here/binfmt.sh" || die "cannot register qemu-s390x with binfmt_misc"
}

# cryptsetup-initramfs is installed in the s390x root.
boot_cryptsetup_initramfs() { :; }

# in_root COMMAND...: run in the s390x root, with /dev and /proc, in a private mount
# namespace (nothing stays mounted, whatever happens).
in_root() {
	unshare -m -- sh -ec 'r=$1; shift
		mount --rbind /dev "$r/dev"; mount -t proc proc "$r/proc"
		exec chroot "$r" "$@"' sh "$ROOT" "$@"
}

# boot_stage: the s390x package (BOOT_DEB: make check-boot-s390x builds it with
# make deb) unpacked in $W/stage, for the checks and the image keys; install_package
# installs it in the root.
boot_stage() {
	STAGE=$W/stage
	[ -n "${BOOT_DEB:-}" ] || die "BOOT_DEB is not set (make check-boot-s390x builds the s390x .deb)"
	[ "$(dpkg-deb -f "$BOOT_DEB" Architecture)" = s390x ] || die "$BOOT_DEB is not an s390x package"
	rm -rf "$STAGE"
	dpkg-deb -x "$BOOT_DEB" "$STAGE" || die "dpkg-deb -x $BOOT_DEB failed"
	PVBOOT_STAGED=$STAGE/usr/sbin/pvboot
}

# install_package CONFIG: what an s390x image builder does on Debian (README.md,
# "Installing"): set up initramfs-tools for the image (the modules a LUKS root on virtio
# needs, gzip; cryptroot without a crypttab, as cryptopts= opens the root), write
# /etc/pvboot/pvboot.yaml, then `dpkg -i` the package, whose trigger runs
# update-initramfs. Its /boot/initrd.img-KVER is the initramfs-tools image as shipped
# (initramfs-tools.real.img; boot_it_builder: the unpacked kernel has no initramfs of
# its own, mkroot.sh).
install_package() {
	local conf=$1 img=/boot/initrd.img-$KVER log=$W/logs/dpkg-install.log rc

	boot_it_builder "$ROOT" virtio_blk dm_crypt ext4
	echo CRYPTSETUP=y >"$ROOT/etc/cryptsetup-initramfs/conf-hook"
	install -D -m 0644 "$conf" "$ROOT/etc/pvboot/pvboot.yaml"
	root_dpkg_i >"$log" 2>&1
	rc=$?
	CASE=package
	check "dpkg -i $(basename "$BOOT_DEB") in the s390x root" test "$rc" -eq 0
	check "... its trigger ran update-initramfs" has "$log" "update-initramfs: Generating $img"
	check "... which rebuilt the kernel's initramfs, with pvboot in it" in_image "$ROOT$img" usr/sbin/pvboot
	check "dpkg knows the package: pvboot $(dpkg-deb -f "$BOOT_DEB" Version)" \
		test "$(in_root dpkg-query -W -f='${Version}' pvboot)" = "$(dpkg-deb -f "$BOOT_DEB" Version)"
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$log"
	cp "$ROOT$img" "$W/img/initramfs-tools.real.img"
}

# root_dpkg_i: BOOT_DEB installed in the root with dpkg.
root_dpkg_i() {
	local rc

	cp "$BOOT_DEB" "$ROOT/var/tmp/pvboot.deb"
	in_root dpkg -i /var/tmp/pvboot.deb
	rc=$?
	rm -f "$ROOT/var/tmp/pvboot.deb"
	return $rc
}

# scratch NAME CONFIG OVERLAY: a fresh directory in the root for one build, holding the
# configuration and the overlay; prints its path inside the root.
scratch() {
	local s=/var/tmp/pvboot-test/$1

	rm -rf "$ROOT$s" && mkdir -p "$ROOT$s/overlay"
	[ -n "$2" ] && cp "$2" "$ROOT$s/pvboot.yaml"
	[ -n "$3" ] && cp -a "$3/." "$ROOT$s/overlay/"
	echo "$s"
}

boot_dracut() {
	local out=$1 mode=$2 conf=$3 overlay=$4 mods s rc

	shift 4
	s=$(scratch "$(basename "$out")" "$conf" "$overlay")
	mkdir -p "$ROOT$s/conf.d"
	{
		echo "pvboot_binary=/usr/sbin/pvboot"
		echo "pvboot_config=${conf:+$s/pvboot.yaml}"
	} >"$ROOT$s/conf.d/pvboot.conf"
	[ -n "$conf" ] || echo "pvboot_config=/nonexistent" >>"$ROOT$s/conf.d/pvboot.conf"
	mods=$(boot_dracut_mods "$mode")
	[ "$mode" = systemd ] || set -- --omit systemd "$@"
	in_root dracut --force --quiet --no-hostonly --no-hostonly-cmdline --reproducible \
		--confdir "$s/conf.d" -m "$mods" --drivers "virtio_blk dm_crypt ext4" \
		--filesystems ext4 --compress=gzip ${overlay:+--include "$s/overlay" /} \
		--kver "$KVER" "$@" "$s/initrd.img"
	rc=$?
	[ $rc -eq 0 ] && mv "$ROOT$s/initrd.img" "$out"
	rm -rf "${ROOT:?}$s"
	return $rc
}

boot_mkinitramfs() {
	local out=$1 conf=$2 overlay=$3 s c rc

	s=$(scratch "$(basename "$out")" "$conf" "$overlay")
	c=$ROOT$s/itconf
	mkdir -p "$c/hooks" "$c/scripts" "$c/conf.d"
	cat >"$c/initramfs.conf" <<EOT
MODULES=list
BUSYBOX=y
COMPRESS=gzip
UMASK=0077
EOT
	printf '%s\n' virtio_blk dm_crypt ext4 >"$c/modules"
	if [ -n "$overlay" ]; then
		# test only: copy the overlay over the image after every other hook
		cat >"$c/hooks/zz-pvboot-test-overlay" <<EOT
#!/bin/sh
[ "\$1" = prereqs ] && exit 0
cp -a "$s/overlay/." "\$DESTDIR/"
EOT
		chmod +x "$c/hooks/zz-pvboot-test-overlay"
	fi
	# The hook, the boot script and cryptroot are the root's own (make install,
	# cryptsetup-initramfs); CRYPTSETUP=y: cryptroot without a crypttab (cryptopts=).
	in_root env CRYPTSETUP=y PVBOOT_CONFIG="${conf:+$s/pvboot.yaml}" \
		mkinitramfs -d "$s/itconf" -o "$s/initrd.img" "$KVER" 2>&1
	rc=$?
	[ $rc -eq 0 ] && mv "$ROOT$s/initrd.img" "$out"
	rm -rf "${ROOT:?}$s"
	return $rc
}

# The real root's tools: the root's busybox and the libraries it links, the s390x
# modules for the pre-init's load attempts, and the pre-init itself (init=).
boot_rootfs_tools() {
	local d=$1 lib a m

	mkdir -p "$d/bin" "$d/sbin" "$d/lib/s390x-linux-gnu" "$d/lib/modules/$KVER"
	cp "$ROOT/usr/bin/busybox" "$d/bin/busybox"
	cp -L "$ROOT/lib/ld64.so.1" "$d/lib/ld64.so.1"
	for lib in $(readelf -d "$ROOT/usr/bin/busybox" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
		cp -L "$ROOT/lib/s390x-linux-gnu/$lib" "$d/lib/s390x-linux-gnu/"
	done
	for a in $(in_root busybox --list); do
		ln -sf busybox "$d/bin/$a"
	done
	for m in uvdevice zcrypt zcrypt_cex4; do
		find "$ROOT/lib/modules/$KVER" -name "$m.ko*" -exec cp {} "$d/lib/modules/$KVER/" \;
	done
	cp "$here/root-preinit.sh" "$d/sbin/s390x-preinit"
	chmod 0755 "$d/sbin/s390x-preinit"
}

# virtio-blk-ccw: the channel subsystem's virtio transport. Fixed device numbers in the
# order boot_run attaches the disks, so they come up as vda, vdb, ... as on x86_64.
boot_qemu_disk() {
	local n

	case $2 in
	boot) n=0 ;;
	luks) n=1 ;;
	marker) n=2 ;;
	*) n=3 ;;
	esac
	printf '%s\n' -drive "file=$1,format=raw,if=none,id=$2" \
		-device "virtio-blk-ccw,drive=$2,serial=$2,devno=fe.0.000$n"
}

# ------------------------------------------------------------------ helpers

# image_key FLAVOUR KIND CONFIG OVERLAY: what an image depends on; an image whose key
# file matches is reused (the images take minutes to build under qemu-user).
image_key() {
	{
		echo "$1 $2 $KVER"
		cat "$build/boot-s390x/root.key"
		(cd "$STAGE" && find . -type f | sort | xargs sha256sum)
		[ -n "$3" ] && sha256sum <"$3"
		[ -n "$4" ] && (cd "$4" && find . -type f | sort | xargs sha256sum)
		# how images are built: the functions as this run defined them
		declare -f in_root scratch boot_dracut_mods boot_dracut boot_mkinitramfs
	} | sha256sum | cut -d' ' -f1
}

# image FLAVOUR KIND CONFIG OVERLAY: $W/img/FLAVOUR.KIND.img, built or reused.
image() {
	local f=$1 out=$W/img/$1.$2.img key

	key=$(image_key "$@")
	if [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
		echo "reused"
		return 0
	fi
	rm -f "$out" "$out.key"
	case $f in
	dracut-systemd) boot_dracut "$out" systemd "$3" "$4" ;;
	dracut-shell) boot_dracut "$out" shell "$3" "$4" ;;
	initramfs-tools) boot_mkinitramfs "$out" "$3" "$4" ;;
	esac || return 1
	echo "$key" >"$out.key"
}

# image_files IMG: the paths in a gzip'ed cpio image (dracut or initramfs-tools).
image_files() {
	zcat "$1" | cpio -it --quiet 2>/dev/null
}

# The s390x modules pvboot asks for: which this kernel has, which the image carries.
S390_MODS="uvdevice zcrypt zcrypt_cex4 pkey pkey_uv pkey_ep11 pkey_cca pkey_pckmo paes_s390"
carries_kernel_mods() {
	local img=$1 m files kernel_has='' carried='' missing=''

	files=$(image_files "$img")
	for m in $S390_MODS; do
		[ -n "$(find "$ROOT/lib/modules/$KVER" -name "$m.ko*" -print -quit)" ] || continue
		kernel_has="$kernel_has $m"
		if grep -qE "/$m\.ko(\.[a-z]+)?$" <<<"$files"; then
			carried="$carried $m"
		else
			missing="$missing $m"
		fi
	done
	echo "    kernel $KVER has:${kernel_has:- none}; image carries:${carried:- none}" \
		"${missing:+; MISSING:$missing} (ap is built in)"
	[ -z "$missing" ] && [ -n "$carried" ]
}

# in_image IMG PATH: the image has PATH.
in_image() {
	local files

	files=$(image_files "$1")
	grep -qx -- "$2" <<<"$files"
}

# static_s390x IMG PATH: the file in the image is a static big-endian s390x ELF.
static_s390x() {
	local t

	t=$(mktemp)
	zcat "$1" | cpio -i --quiet --to-stdout "$2" >"$t" 2>/dev/null
	readelf -h "$t" | grep -q 'big endian' && readelf -h "$t" | grep -q 'IBM S/390' &&
		! readelf -l "$t" | grep -q INTERP
	local rc=$?
	rm -f "$t"
	return $rc
}

# paes_mods_loaded: each of pkey, pkey_uv, paes_s390 that this kernel has as a module
# was loaded in the initramfs (the root's init lists them in the kernel log); built-in
# or absent ones (pkey_uv is newer than 6.1) are named, not required.
paes_mods_loaded() {
	local m line missing='' builtin='' absent=''

	line=$(grep -a -m1 'pvboot-test: s390x modules loaded by the initramfs:' "$M/dmesg") || return 1
	for m in pkey pkey_uv paes_s390; do
		if [ -n "$(find "$ROOT/lib/modules/$KVER" -name "$m.ko*" -print -quit)" ]; then
			grep -qE " $m( |$)" <<<"$line" || missing="$missing $m"
		elif grep -q "/$m.ko" "$ROOT/lib/modules/$KVER/modules.builtin" 2>/dev/null; then
			builtin="$builtin $m"
		else
			absent="$absent $m"
		fi
	done
	echo "    paes modules: built in:${builtin:- none}; not in this kernel:${absent:- none}${missing:+; NOT LOADED:$missing}"
	[ -z "$missing" ]
}

uptime_of() { # uptime_of FILE REGEX: the kernel timestamp of the first matching line
	sed -n "s|^\[ *\([0-9]*\.[0-9]*\)\] .*$2.*|\1|p" "$1" | head -n1
}

declare -A T_ROOT
# t_root KEY: kernel start to the real root, and (in parentheses) the initramfs's part
# of it, from /init's start, of the last boot's kernel log.
t_root() {
	local i r

	i=$(uptime_of "$M/dmesg" 'Run /init as init process')
	r=$(uptime_of "$M/dmesg" 'pvboot-test: real root reached')
	T_ROOT[$1]=$(awk -v i="$i" -v r="$r" 'BEGIN { if (r == "") print "?"
		else printf "%.1f s (%.1f s)", r, r - i }')
}

# ------------------------------------------------------------------ the run

boot_init s390x "$build"
for t in "$TOOLS/pvboot" "$TOOLS/pvboot-sim" "$HOST_TOOLS/mkasr"; do
	[ -x "$t" ] || die "$t is missing (make check-boot-s390x builds it)"
done
for t in "$QEMU" mmdebstrap cpio mke2fs cryptsetup readelf; do
	command -v "$t" >/dev/null || die "$t is missing (ci/install-deps.sh boot-s390x)"
done
boot_kernel
boot_stage
boot_set
boot_overlay
boot_disks "$W/set/pass.txt" "$OVERLAY"
boot_root_disks "$W/set/pass.txt"
boot_bootdisk "$W/set/good/sics" "$W/disks/boot-good.img"
say "kernel $KVER (s390x), LUKS root $LUKS_UUID, work directory $W"
flavour_table

CONF=$BOOT_LIB_DIR/pvboot.yaml
# The sealed root (README.md, "Attaching the root"): the same configuration without
# retrieve and with root: naming the detached header, at a path of the s390x build
# root, where dracut and mkinitramfs run (they install it into the image from there).
SEALED_DEV=/dev/disk/by-id/virtio-luks
mkdir -p "$ROOT/var/tmp/pvboot-sealed"
cp "$W/disks/sealed.hdr" "$ROOT/var/tmp/pvboot-sealed/sealed.hdr"
CONF_SEALED=$W/pvboot-sealed.yaml
{
	sed '/^retrieve:/,/^[a-z]/{/^retrieve:/d;/^  /d}' "$CONF"
	printf 'root:\n  device: %s\n  key: {name: luks-root}\n  header: %s\n' \
		"$SEALED_DEV" /var/tmp/pvboot-sealed/sealed.hdr
} >"$CONF_SEALED"
install_package "$CONF"
# The command line README.md documents, no harness flags (tests/boot/run.sh).
BASE="loglevel=6 printk.time=1 init=/sbin/s390x-preinit"

for FLAVOUR in "${flavours[@]}"; do
	echo
	echo "== $FLAVOUR (s390x)"
	img=$W/img/$FLAVOUR
	CASE=$FLAVOUR/build
	t0=$(date +%s)
	image "$FLAVOUR" sim "$CONF" "$OVERLAY" >"$W/logs/$FLAVOUR.build-sim.log" 2>&1 &
	# initramfs-tools' image as shipped is the one the package's trigger built
	[ "$FLAVOUR" = initramfs-tools ] ||
		image "$FLAVOUR" real "$CONF" "" >"$W/logs/$FLAVOUR.build-real.log" 2>&1
	wait $!
	image "$FLAVOUR" sealed "$CONF_SEALED" "$OVERLAY" >"$W/logs/$FLAVOUR.build-sealed.log" 2>&1
	check "image with a sealed root header builds" test -s "$img.sealed.img"
	check "image with the simulator builds" test -s "$img.sim.img"
	check "image as shipped (real s390x pvboot) builds" test -s "$img.real.img"
	say "$FLAVOUR: images ready in $(($(date +%s) - t0)) s"
	check "the image's pvboot is the static big-endian s390x binary" \
		static_s390x "$img.real.img" usr/sbin/pvboot
	check "the simulator in the test image is the s390x one" \
		static_s390x "$img.sim.img" usr/lib/pvboot-test/pvboot-sim
	check "the image carries the s390x modules this kernel has" carries_kernel_mods "$img.real.img"
	carries_kernel_mods "$img.real.img"

	CASE=$FLAVOUR/real-skip
	echo "-- $CASE: the real pvboot on a non-SE s390x guest without rd.pvboot: skips"
	boot real-skip "$img.real.img" "$W/disks/boot-good.img" "$BASE $(fl plain)"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "an s390x kernel booted" has "$C" "Linux version $KVER"
	check "the real root is reached" test -e "$M/root"
	check "pvboot status --json (host reads it): skipped" status_is skipped
	check "pvboot status exit 4" has "$M/status.rc" '^4$'
	check "no pvboot error on the console" lacks "$C" 'pvboot: error|pvboot-glue'
	check "no key file" has "$M/keyfile" '^none$'
	check "kernel log: which s390x modules loaded" has "$M/dmesg" 'pvboot-test: s390x modules loaded by the initramfs:'
	check "kernel log: uvdevice refuses without an ultravisor" \
		has "$M/dmesg" 'pvboot-test: modprobe uvdevice: refused'
	grep -a 'pvboot-test: ' "$M/dmesg" 2>/dev/null | sed 's/^/    /'
	t_root "$FLAVOUR-real-skip"

	CASE=$FLAVOUR/real-required
	echo "-- $CASE: the real pvboot with rd.pvboot=1 on a non-SE s390x guest: fails closed"
	boot real-required "$img.real.img" "$W/disks/boot-good.img" \
		"$BASE $(fl plain) rd.pvboot=1"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "SCLP console: not a Secure Execution guest" has "$C" 'pvboot: error: detect: not an? (IBM )?Secure Execution guest'
	check "SCLP console: pvboot's banner with the failure action" \
		has "$C" 'FAILED in step detect.*Failure action: poweroff'
	check "the glue powers off" has "$C" 'pvboot-glue: carrying out the failure action: poweroff'
	check "the machine powers off, no panic" powered_off
	check "the root is never mounted" test ! -e "$M/root"

	CASE=$FLAVOUR/sim-happy
	echo "-- $CASE: s390x pvboot-sim: the LUKS root opens with the key pvboot retrieved"
	boot sim-happy "$img.sim.img" "$W/disks/boot-good.img" "$BASE $(fl luks)"
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "the real root is reached" test -e "$M/root"
	check "pvboot status --json (host reads it): ok" status_is ok
	check "TOC set: the store is locked" has "$M/status.json" '"locked": true'
	check "the real root has no key file (pvboot wipe before switch_root)" has "$M/keyfile" '^none$'
	check "... but the keep: true one, 0400, 31 bytes" has "$M/keptfile" '^400 31 0$'
	check "pvboot finished before the root was unlocked" time_order
	check "AP queues bound and associated (CEX8)" has "$M/ap.txt" '^03\.0005 +CEX8P .* bound +associated 1 '
	check "AP queues bound and associated (CEX7)" has "$M/ap.txt" '^04\.0005 +CEX7P .* bound +associated 2 '
	check "pvboot's records in the kernel log" has "$M/dmesg" 'pvboot: config: /etc/pvboot/pvboot.yaml'
	# (its later records may fall to the kernel's /dev/kmsg rate limit; its stderr does not)
	check "pvboot's last line on the SCLP console" has "$C" 'pvboot: done in [0-9]+ ms'
	check "no passphrase prompt" lacks "$C" 'Please enter passphrase|Password|passphrase for'
	check "the key is in no log" no_key_in_logs
	t_root "$FLAVOUR-sim-happy"

	CASE=$FLAVOUR/sealed
	echo "-- $CASE: s390x: pvboot attaches the root from its sealed header, root=/dev/mapper/root alone"
	BOOT_LUKS=$W/disks/sealed.img boot sealed "$img.sealed.img" "$W/disks/boot-good.img" \
		"$BASE root=/dev/mapper/root"
	sealed_root_checks
	check "the glue loaded the paes root's modules this kernel has as modules" paes_mods_loaded
	paes_mods_loaded
done

if [ "$bench" = 1 ]; then
	echo
	echo "== bench (s390x, TCG: emulated times, compare only with each other)"
	for FLAVOUR in "${flavours[@]}"; do
		img=$W/img/$FLAVOUR
		case $FLAVOUR in
		initramfs-tools)
			# without the package's hook: remove it, build, install it again (no
			# kernel initramfs for its trigger to rebuild meanwhile)
			rm -f "$ROOT/boot/initrd.img-$KVER"
			in_root dpkg -r pvboot >"$W/logs/dpkg-remove.log" 2>&1 || die "dpkg -r pvboot failed"
			image "$FLAVOUR" none "" "" >"$W/logs/$FLAVOUR.build-none.log" 2>&1
			root_dpkg_i >>"$W/logs/dpkg-remove.log" 2>&1 || die "dpkg -i failed"
			;;
		*) BOOT_WITHOUT_PVBOOT=1 image "$FLAVOUR" none "" "" >"$W/logs/$FLAVOUR.build-none.log" 2>&1 ;;
		esac
		boot none "$img.none.img" "$W/disks/boot-good.img" "$BASE $(fl plain)"
		t_root "$FLAVOUR-none"
		printf '%s: image %s B without the module, %s B with it (real pvboot, pvboot.yaml)\n' \
			"$FLAVOUR" "$(stat -c %s "$img.none.img")" "$(stat -c %s "$img.real.img")"
		printf '%s: kernel start to real root (from /init): %s without the module, %s with pvboot skipping, %s with the simulated SE job and the LUKS root\n' \
			"$FLAVOUR" "${T_ROOT[$FLAVOUR-none]:-?}" "${T_ROOT[$FLAVOUR-real-skip]:-?}" \
			"${T_ROOT[$FLAVOUR-sim-happy]:-?}"
	done
fi

boot_summary
