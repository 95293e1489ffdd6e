#!/bin/sh
# SPDX-License-Identifier: MIT
# poweroff, reboot and halt for dracut's shell initrd (--omit systemd), which has none
# of them: dracut's emergency_shell runs `poweroff` for rd.emergency=poweroff (the
# image's default, pvboot(8), INITRAMFS), and without the command init exits and the
# kernel panics instead. Installed only where the image has no such command.
. /usr/lib/pvboot/pvboot-glue.sh
case ${0##*/} in
reboot) pvboot_glue_stop reboot ;;
halt) pvboot_glue_stop halt ;;
*) pvboot_glue_stop poweroff ;;
esac
