#!/bin/sh
# SPDX-License-Identifier: MIT
# pvboot's initramfs glue, shared by the dracut module (systemd and shell initrd) and the
# initramfs-tools boot script. Sourced, POSIX sh. It implements the glue contract of
# pvboot(8) (BOOT FLOW): run `pvboot --kmsg boot`; exit 0 (ok) and 4 (skipped) go on;
# exit 1 prints the failure action (poweroff, reboot, halt, shell or continue), which
# the caller carries out; any other status counts as poweroff. Whether the job runs at
# all is pvboot's decision: it reads rd.pvboot* and /etc/pvboot/pvboot.yaml itself.

PVBOOT_BIN=${PVBOOT_BIN:-/usr/sbin/pvboot}

# pvboot_glue_log MESSAGE: one line on the console (stderr) and in the kernel log.
pvboot_glue_log() {
	echo "pvboot-glue: $*" >&2
	[ -w /dev/kmsg ] && echo "<27>pvboot-glue: $*" >/dev/kmsg 2>/dev/null
	return 0
}

# pvboot mounts the source device with the file system types the kernel already has
# (/proc/filesystems) and loads no module itself: load the drivers a boot partition
# usually has, where the image has them (the dracut module and the initramfs-tools hook
# install them).
pvboot_glue_fsmods() {
	for _pvboot_m in ext4 xfs vfat; do
		modprobe -q "$_pvboot_m" 2>/dev/null
	done
	unset _pvboot_m
	return 0
}

# The root volume's kernel modules (pvboot(8), THE ROOT VOLUME): dm_crypt, and for a
# paes-xts-plain64 root pkey, pkey_uv and paes_s390, before pvboot attaches the root or
# the stock unlock opens it (s390x kernels have them; elsewhere the attempt is quiet).
pvboot_glue_cryptmods() {
	for _pvboot_m in dm_crypt pkey pkey_uv paes_s390; do
		modprobe -q "$_pvboot_m" 2>/dev/null
	done
	unset _pvboot_m
	return 0
}

# pvboot_glue_run [OPTION...]: run the boot job (or, with PVBOOT_GLUE_CMD="root check",
# the root's live-table check); sets PVBOOT_ACTION to the empty word (boot on) or to
# the action to carry out. OPTIONs go before the command (-v for rd.debug).
# shellcheck disable=SC2034 # PVBOOT_ACTION is for the caller
pvboot_glue_run() {
	PVBOOT_ACTION=
	pvboot_glue_fsmods
	pvboot_glue_cryptmods
	# shellcheck disable=SC2086 # the command is one or two words
	_pvboot_word=$("$PVBOOT_BIN" --kmsg "$@" ${PVBOOT_GLUE_CMD:-boot})
	_pvboot_rc=$?
	# Only the last line counts; anything but a known word is not trusted.
	_pvboot_word=${_pvboot_word##*
}
	case "$_pvboot_rc" in
	0 | 4) ;;
	1)
		case "$_pvboot_word" in
		poweroff | reboot | halt | shell | continue) PVBOOT_ACTION=$_pvboot_word ;;
		*)
			pvboot_glue_log "pvboot failed without naming a failure action: poweroff"
			PVBOOT_ACTION=poweroff
			;;
		esac
		;;
	*)
		pvboot_glue_log "$PVBOOT_BIN could not run (exit status $_pvboot_rc): poweroff"
		PVBOOT_ACTION=poweroff
		;;
	esac
	unset _pvboot_word _pvboot_rc
	return 0
}

# pvboot_glue_it_action: initramfs-tools' boot scripts carry out PVBOOT_ACTION with
# initramfs-tools' own means: shell is panic (a shell, or what panic= says),
# poweroff/reboot/halt end the boot.
pvboot_glue_it_action() {
	case "$PVBOOT_ACTION" in
	"") ;;
	continue)
		log_warning_msg "pvboot failed; failure action continue: the boot goes on without what pvboot should have set up"
		;;
	shell)
		panic "pvboot failed; failure action: shell (see /run/pvboot/status.txt)"
		;;
	*) pvboot_glue_stop "$PVBOOT_ACTION" ;;
	esac
	return 0
}

# pvboot_glue_stop ACTION: end the boot now, for the shell initrds (no service manager):
# poweroff and reboot through the kernel's sysrq trigger (always writable by root, and
# nothing is mounted yet that needs a sync), halt by never returning.
pvboot_glue_stop() {
	pvboot_glue_log "carrying out the failure action: $1"
	case "$1" in
	reboot) echo b >/proc/sysrq-trigger ;;
	halt) ;;
	*) echo o >/proc/sysrq-trigger ;;
	esac
	# Not reached unless sysrq failed or for halt: the boot must not go on.
	while :; do
		sleep 3600
	done
}
