#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut shell initrd: pvboot's boot job as an initqueue job (queued by the pre-trigger
# hook); carries out the failure action (pvboot(8), INITRAMFS). With the argument
# root-check (the pre-mount hook) it runs `pvboot root check` instead.
type getargbool >/dev/null 2>&1 || . /lib/dracut-lib.sh
. /usr/lib/pvboot/pvboot-glue.sh

job=${1:-boot}
# shellcheck disable=SC2034 # read by pvboot_glue_run
[ "$job" = root-check ] && PVBOOT_GLUE_CMD="root check"
set --
getargbool 0 rd.debug && set -- -v
pvboot_glue_run "$@"
[ "$job" = root-check ] || : >/tmp/pvboot-glue.done

case "$PVBOOT_ACTION" in
"") ;;
continue)
	pvboot_glue_log "failure action continue: the boot goes on without what pvboot should have set up"
	;;
shell)
	# A shell if rd.shell allows it (else rd.emergency); the boot goes on after it.
	emergency_shell -n pvboot "pvboot failed; failure action: shell"
	;;
*) pvboot_glue_stop "$PVBOOT_ACTION" ;;
esac
exit 0
