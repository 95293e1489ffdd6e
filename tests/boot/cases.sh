#!/bin/bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2034,SC2154 # FL, M, C, BOOT_RC are for the sourcing driver; SEALED_DEV comes from it
# The boot cases' helpers, shared by tests/boot/run.sh (x86_64) and
# tests/boot/s390x/run.sh: the per-flavour table, the boot wrapper and the checks the
# cases use. Sourced after lib.sh.

# What differs between the flavours, one row each: how the root on LUKS2 is opened with
# the key file pvboot writes (README.md, "Putting pvboot into an SE image"); the bound
# on waiting for a root that never comes (rd.pvboot=0: no key file); what the console
# shows when the unlock fails for want of the key, and the last thing to wait for then
# (dracut without systemd asks on the console, for rd.luks.timeout); the unencrypted
# root; a breakpoint after pvboot's hook and what the console says there.
declare -A FL
flavour_table() {
	local name="rd.luks.uuid=$LUKS_UUID rd.luks.name=$LUKS_UUID=root" f

	FL=(
		[dracut-systemd.luks]="root=/dev/mapper/root $name rd.luks.key=/run/pvboot/luks.key rd.luks.options=headless=true"
		[dracut-shell.luks]="root=/dev/mapper/root $name rd.luks.key=/run/pvboot/luks.key:/ rd.luks.timeout=5"
		[initramfs-tools.luks]="root=/dev/mapper/root cryptopts=target=root,source=UUID=$LUKS_UUID,key=/run/pvboot/luks.key,luks"
		[dracut-systemd.giveup]="rd.timeout=60 rd.retry=60"
		[dracut-shell.giveup]="rd.retry=20"
		[initramfs-tools.giveup]="rootdelay=20"
		[dracut-systemd.unlock_failed]='Failed to start.*(Cryptography Setup|systemd-cryptsetup)|Failed to activate'
		[dracut-shell.unlock_failed]='pvboot/luks\.key: No such file or directory'
		[initramfs-tools.unlock_failed]='non-existing key file'
		[dracut-shell.unlock_done]='Error reading passphrase from terminal'
		[initramfs-tools.plain]="root=LABEL=plainroot"
		[initramfs-tools.break]="break=mount"
		[initramfs-tools.break_re]='Spawning shell within the initramfs'
	)
	for f in dracut-systemd dracut-shell; do
		FL[$f.plain]="root=LABEL=plainroot rd.luks=0"
		# dracut's rd.debug on the breakpoint boot: pvboot runs with -v too. (Under
		# initramfs-tools, `debug` sends everything to a file instead of the console.)
		FL[$f.debug]="rd.debug"
		FL[$f.break]="rd.break=pre-mount"
		FL[$f.break_re]='Break before pre-mount'
	done
	for f in dracut-systemd initramfs-tools; do
		FL[$f.unlock_done]=${FL[$f.unlock_failed]}
	done
}
# fl KEY: this flavour's row
fl() { printf '%s' "${FL[$FLAVOUR.$1]-}"; }
# The first console line matching $2 comes before the first matching $3.
before() {
	local a b

	a=$(grep -anE -m1 -- "$2" "$1" | cut -d: -f1)
	b=$(grep -anE -m1 -- "$3" "$1" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
M= # the marker directory of the last boot
C= # its console log
boot() {
	local name=$FLAVOUR-$1

	shift
	boot_run "$name" "$@"
	BOOT_RC=$?
	M=$W/logs/$name.marker
	C=$W/logs/$name.console
}
# The passphrase appears in no log: console, kernel log, journal, initramfs logs.
no_key_in_logs() {
	nowhere "$PASSPHRASE" "$C" "$M"
}
same_image() { [ -s "$1" ] && [ -s "$2" ] && cmp -s "$1" "$2"; }
# In the off case: no prompt at all, or (dracut without systemd, which falls back to
# asking on the console) one that times out.
prompt_bounded() {
	lacks "$C" 'Please enter passphrase|passphrase for' ||
		has "$C" 'Error reading passphrase from terminal'
}
status_is() { has "$M/status.json" "\"verdict\": \"$1\""; }
time_order() {
	[ -s "$M/t.status" ] && [ -s "$M/t.unlock" ] &&
		[[ $(cat "$M/t.status") < $(cat "$M/t.unlock") ]]
}

# What a host at the console must never get: a shell, a login or maintenance prompt, a
# passphrase prompt (dracut, systemd, cryptsetup, initramfs-tools, busybox).
CONSOLE_ANSWERS='Entering emergency mode|Press Enter for maintenance|Give root password|Dropping to debug shell|Spawning shell|\(initramfs\)|dracut:/#|^[a-z]*:/# |BusyBox v[0-9.]* .*built-in shell|Enter passphrase|Please enter passphrase|[Pp]assword \(|passphrase for'
no_console_answer() { lacks "$C" "$CONSOLE_ANSWERS"; }
# The first sign, in any flavour, that the boot has failed and is being given up.
BOOT_FAILED_RE='Boot has failed|Reached target.*Emergency Mode|Timed out waiting for device|Could not boot|ALERT!|Gave up waiting|pvboot-glue: the boot failed|Power down'
# pvboot had finished its part before the boot failed (not, under load, after it).
pvboot_before_failure() { before "$C" 'pvboot: done in [0-9]+ ms' "$BOOT_FAILED_RE"; }
# The machine powered off, as the console shows it (the SCLP console may not get the
# kernel's last line out before the machine is gone), and no kernel panic.
powered_off() {
	has "$C" '(reboot: Power down|Reached target.*System Power Off|sysrq: Power Off)' &&
		lacks "$C" 'Kernel panic'
}

# The sealed root's boot (root-cases.sh, s390x/run.sh): pvboot attached the root from
# the sealed header ($SEALED_DEV) and proved its table, and again before the mount; the
# owner's root was reached; the key never was a file; no prompt; the key in no log.
sealed_root_checks() {
	check "QEMU exits by itself" test "$BOOT_RC" -eq 0
	check "the real root is reached" test -e "$M/root"
	check "pvboot attached it from the sealed header and proved the table" has "$C" \
		"pvboot: attach: $SEALED_DEV \(.*\) is /dev/mapper/root: aes-xts-plain64, 512-bit key, data at 0"
	check "... and proved it again before the root mount" has "$C" \
		'pvboot: root: /dev/mapper/root is aes-xts-plain64 over .*\(sealed header\)'
	check "status: ok" status_is ok
	check "the key never was a file" has "$M/keyfile" '^none$'
	check "no shell, no prompt on the console" no_console_answer
	check "the key is in no log" no_key_in_logs
}
