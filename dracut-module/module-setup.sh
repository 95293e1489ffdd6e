#!/bin/bash
# shellcheck disable=SC2154 # dracut sets kernel, srcmods, moddir, initdir, systemdsystemunitdir
# SPDX-License-Identifier: MIT
# dracut module for pvboot (pvboot(8), INITRAMFS): runs `pvboot --kmsg boot` in the
# initrd after udev has the devices and before any LUKS device is opened, in the
# systemd initrd (pvboot.service) and in the shell initrd (initqueue job).
#
# Build-time settings (environment or a dracut.conf.d file):
#   pvboot_binary   the static pvboot to install (default @SBINDIR@/pvboot)
#   pvboot_config   the configuration to install as /etc/pvboot/pvboot.yaml
#                   (default /etc/pvboot/pvboot.yaml; absent: pvboot runs only with
#                   rd.pvboot and its defaults)
#   pvboot_fs_drivers  the file system drivers of the boot partition (default: those
#                   of source_fstypes, else in hostonly mode /boot's, else
#                   "ext4 xfs vfat"; see pvboot_fs_modules below)

# Only when asked for: --add pvboot or add_dracutmodules+=" pvboot ".
check() {
	return 255
}

# udev-rules: the /dev/disk/by-* links pvboot resolves LABEL= and friends with. The
# systemd initrd: the unit and the targets it references (cryptsetup-pre.target from
# systemd, initrd-root-device.target from systemd-initrd). The shell initrd: base, for
# the initqueue and its hooks.
# crypt and dm: cryptsetup, dm_crypt and the device-mapper udev rules, for the root
# pvboot attaches from its sealed header even when no crypttab or rd.luks asks for an
# unlock (root=/dev/mapper/NAME alone).
depends() {
	if dracut_module_included "systemd"; then
		echo systemd systemd-initrd udev-rules crypt dm
	else
		echo base udev-rules crypt dm
	fi
	return 0
}

# No cmdline(): pvboot's settings are the image's pvboot.yaml; nothing about the build
# host belongs on the kernel command line (dracut --print-cmdline prints nothing for it).

# The drivers of the file systems the boot partition can have (xfs alone is about
# 900 KB of a compressed image): pvboot_fs_drivers when set; else the configuration's
# source_fstypes when it sets one (check-config prints the list: anything but the
# default); else, in hostonly mode, the file system of this machine's /boot; else
# ext4, xfs and vfat, what pvboot mounts by default. ext2 and ext3 are ext4's.
pvboot_fs_modules() {
	local bin=${pvboot_binary:-@SBINDIR@/pvboot}
	local conf=${pvboot_config:-${dracutsysrootdir-}/etc/pvboot/pvboot.yaml}
	local types='' t

	if [[ -n ${pvboot_fs_drivers+x} ]]; then
		echo "$pvboot_fs_drivers"
		return 0
	fi
	if [[ -e $conf && -x $bin ]]; then
		types=$("$bin" check-config "$conf" 2>/dev/null |
			sed -n 's/^  source: .*, file systems \([a-z0-9,]*\)$/\1/p')
	fi
	if [[ -z $types || $types == ext4,ext3,ext2,xfs,vfat ]]; then
		types=''
		if [[ -n ${hostonly-} ]] && [[ $(findmnt -n -o SOURCE -T /boot 2>/dev/null) == /dev/* ]]; then
			types=$(findmnt -n -o FSTYPE -T /boot 2>/dev/null)
		fi
	fi
	[[ -n $types ]] || types=ext4,xfs,vfat
	for t in ${types//,/ }; do
		case $t in ext2 | ext3) t=ext4 ;; esac
		echo "$t"
	done | sort -u | tr '\n' ' '
}

# pvboot_attaches_root: the configuration's root: names a sealed header, so pvboot
# attaches the root itself, with the image's cryptsetup and the ciphers' modules (THE
# ROOT VOLUME in pvboot(8)). A root whose header is on the disk is opened by the stock
# unlock, which brings its own: a systemd image then needs no cryptsetup binary (about
# 100 KB of a compressed image with libpopt).
pvboot_attaches_root() {
	local bin=${pvboot_binary:-@SBINDIR@/pvboot}
	local conf=${pvboot_config:-${dracutsysrootdir-}/etc/pvboot/pvboot.yaml}

	[[ -e $conf && -x $bin ]] && [[ -n $("$bin" root header "$conf" 2>/dev/null) ]]
}

# The kernel modules pvboot may need on s390x; also in hostonly mode, because the
# build host of an SE image is rarely the guest. A kernel without them (x86_64) still
# gets an image: pvboot then skips or fails closed at boot as configured.
installkernel() {
	local m have=()

	for m in uvdevice ap zcrypt zcrypt_cex4 pkey pkey_uv pkey_ep11 pkey_cca pkey_pckmo \
		paes_s390; do
		if [[ -n $(find "$srcmods" -name "$m.ko*" -print -quit 2>/dev/null) ]]; then
			have+=("$m")
		fi
	done
	if ((${#have[@]})); then
		hostonly='' instmods "${have[@]}"
	fi
	# the root pvboot attaches (THE ROOT VOLUME in pvboot(8)), also in hostonly mode
	if pvboot_attaches_root; then
		hostonly='' instmods dm_crypt xts ecb aes aes_generic aesni_intel
	fi
	# The boot partition's file system (pvboot-glue.sh loads them before pvboot runs).
	# shellcheck disable=SC2046 # a list
	hostonly='' instmods $(pvboot_fs_modules)
	if ((${#have[@]} < 11)); then
		dinfo "pvboot: kernel $kernel lacks some of uvdevice, ap, zcrypt, pkey*, paes_s390" \
			"(not an s390x kernel?); installed: ${have[*]:-none}"
	fi
	return 0
}

install() {
	local bin=${pvboot_binary:-@SBINDIR@/pvboot}
	local conf=${pvboot_config:-${dracutsysrootdir-}/etc/pvboot/pvboot.yaml}
	local out files f

	if [[ ! -x $bin ]]; then
		dfatal "pvboot: $bin is not an executable (set pvboot_binary)"
		exit 1
	fi
	inst_simple "$bin" /usr/sbin/pvboot || exit 1
	inst_simple "$moddir/pvboot-glue.sh" /usr/lib/pvboot/pvboot-glue.sh || exit 1
	# pvboot runs the image's cryptsetup to attach a root from its sealed header
	if pvboot_attaches_root; then
		inst_multiple cryptsetup || exit 1
	fi

	if [[ -e $conf ]]; then
		# An invalid configuration fails the build with pvboot's file:line:col message,
		# together with the rd.pvboot options baked into this image.
		# dracut goes on after a failing install(): exit, as Ignition's module does.
		if ! out=$("$bin" check-config ${kernel_cmdline:+--cmdline "$kernel_cmdline"} "$conf" 2>&1); then
			dfatal "pvboot: $out"
			dfatal "pvboot: $conf is not a valid pvboot.yaml(5); the image is not built"
			exit 1
		fi
		inst_simple "$conf" /etc/pvboot/pvboot.yaml || exit 1
		# The files it references, at the same paths: the pvapconfig file, the owner's
		# user-signing certificate (or public key), the root's LUKS2 header (sealed and
		# measured with the image). One absolute path a line, no newline in a path.
		if ! files=$("$bin" check-config --list-files ${kernel_cmdline:+--cmdline "$kernel_cmdline"} "$conf"); then
			dfatal "pvboot: pvboot check-config --list-files $conf failed; the image is not built"
			exit 1
		fi
		while IFS= read -r f; do
			[[ -n $f ]] || continue
			inst_simple "${dracutsysrootdir-}$f" "$f" || exit 1
		done <<<"$files"
		# A root attached from its sealed header: the stock unlock is not configured
		# at all, and must not ask for any other LUKS volume on the host's disks
		# (dracut's shell initrd would prompt for every one it sees).
		if pvboot_attaches_root; then
			mkdir -p "$initdir/etc/cmdline.d"
			echo "rd.luks=0" >"$initdir/etc/cmdline.d/52pvboot-root.conf"
		fi
	else
		dinfo "pvboot: no $conf; pvboot runs only with rd.pvboot, with its defaults"
	fi

	# Nothing for the host at the console (pvboot(8), INITRAMFS): whatever fails before
	# switch_root, no emergency shell but a poweroff, and no endless wait either: the
	# systemd initrd waits for the root device forever without rd.timeout (a root that
	# unlocks but does not mount, say), so 180 s, as the shell initrd's rd.retry and
	# initramfs-tools' rootdelay. dracut reads /etc/cmdline.d before /proc/cmdline and
	# the last value wins, so an owner's rd.shell=1, rd.break, rd.timeout= or
	# rd.emergency=reboot|halt on the (sealed) kernel command line still counts.
	mkdir -p "$initdir/etc/cmdline.d" || exit 1
	echo "rd.shell=0 rd.emergency=poweroff rd.timeout=180" \
		>"$initdir/etc/cmdline.d/50-pvboot.conf" || exit 1

	if dracut_module_included "systemd"; then
		inst_simple "$moddir/pvboot.service" "$systemdsystemunitdir/pvboot.service" || exit 1
		inst_simple "$moddir/pvboot-systemd.sh" /usr/lib/pvboot/pvboot-systemd.sh || exit 1
		inst_simple "$moddir/pvboot-wipe.sh" /usr/lib/pvboot/pvboot-wipe.sh || exit 1
		inst_multiple sleep mkdir
		$SYSTEMCTL -q --root "$initdir" add-wants cryptsetup-pre.target pvboot.service || exit 1
		$SYSTEMCTL -q --root "$initdir" add-wants initrd-root-device.target pvboot.service || exit 1
		inst_simple "$moddir/pvboot-root-check.service" \
			"$systemdsystemunitdir/pvboot-root-check.service" || exit 1
		$SYSTEMCTL -q --root "$initdir" add-wants initrd-root-fs.target pvboot-root-check.service ||
			exit 1
	else
		inst_multiple sleep mkdir
		inst_hook pre-trigger 10 "$moddir/pvboot-pre-trigger.sh"
		inst_hook initqueue/finished 10 "$moddir/pvboot-finished.sh"
		inst_hook pre-mount 90 "$moddir/pvboot-root-check.sh"
		inst_hook pre-pivot 99 "$moddir/pvboot-pre-pivot.sh"
		# rd.emergency=poweroff needs a poweroff (and reboot, halt for the owner's
		# choice): the shell initrd has none unless another module brought one
		local c
		for c in poweroff reboot halt; do
			if [[ ! -e $initdir/usr/sbin/$c && ! -e $initdir/sbin/$c ]]; then
				inst_simple "$moddir/pvboot-stop.sh" "/usr/sbin/$c" || exit 1
			fi
		done
		inst_simple "$moddir/pvboot-job.sh" /usr/lib/pvboot/pvboot-job.sh || exit 1
	fi
	return 0
}
