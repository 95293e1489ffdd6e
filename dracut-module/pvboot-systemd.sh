#!/bin/sh
# SPDX-License-Identifier: MIT
# ExecStart of pvboot.service in dracut's systemd initrd: run the boot job and carry out
# its failure action (pvboot(8), INITRAMFS). For poweroff, reboot and halt the unit
# never finishes starting, so cryptsetup-pre.target, the LUKS devices and the root
# mount, all ordered after it, never start either while the shutdown takes over.
# With the argument root-check (pvboot-root-check.service, between cryptsetup.target
# and sysroot.mount) it runs `pvboot root check` instead, with the same handling.
. /usr/lib/pvboot/pvboot-glue.sh
# shellcheck disable=SC2034 # read by pvboot_glue_run
[ "${1:-}" = root-check ] && PVBOOT_GLUE_CMD="root check"

# rd.debug makes pvboot verbose, by dracut's boolean rules (rd.debug or rd.debug=
# anything but 0, no or off; the last one counts). Plain sh: the systemd initrd need
# not carry grep.
verbose=
read -r cmdline </proc/cmdline || cmdline=
set -f
for arg in $cmdline; do
	case $arg in
	rd.debug=0 | rd.debug=no | rd.debug=off) verbose= ;;
	rd.debug | rd.debug=*) verbose=-v ;;
	esac
done
set +f
if [ -n "$verbose" ]; then
	set -- -v
else
	set --
fi
pvboot_glue_run "$@"

case "$PVBOOT_ACTION" in
"") exit 0 ;;
continue)
	pvboot_glue_log "failure action continue: the boot goes on without what pvboot should have set up"
	exit 0
	;;
shell)
	# dracut's emergency service: a shell if rd.shell allows it, else rd.emergency.
	pvboot_glue_log "failure action shell: starting the emergency target"
	systemctl --no-block isolate emergency.target
	exit 1
	;;
*)
	pvboot_glue_log "carrying out the failure action: $PVBOOT_ACTION"
	systemctl --no-block --job-mode=replace-irreversibly start "$PVBOOT_ACTION.target" ||
		pvboot_glue_stop "$PVBOOT_ACTION"
	while :; do
		sleep 3600
	done
	;;
esac
