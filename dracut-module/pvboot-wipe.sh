#!/bin/sh
# SPDX-License-Identifier: MIT
# ExecStop of pvboot.service in dracut's systemd initrd (run when initrd-switch-root.target
# stops the unit, before the switch): remove the retrieved secrets (pvboot(8), INITRAMFS).
. /usr/lib/pvboot/pvboot-glue.sh
pvboot_glue_wipe
exit 0
