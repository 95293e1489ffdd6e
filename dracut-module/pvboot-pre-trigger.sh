#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut shell initrd, pre-trigger hook (sourced): queue pvboot's boot job as the first
# settled job, so it runs once udev has processed the coldplugged devices and before
# the crypt module's cryptroot-ask jobs (queued by udev rules, named after the device,
# and run in name order after this one).
/sbin/initqueue --settled --onetime --unique --name 00-pvboot /usr/lib/pvboot/pvboot-job.sh

# No passphrase prompt on the console, which is the host's (pvboot(8), INITRAMFS):
# dracut's cryptroot-ask falls back to asking on the console whenever a key file does
# not open a volume (a volume of the host's own carrying the root's UUID, say), and no
# option turns that off. cryptroot-ask takes ask_for_password from
# /lib/dracut-crypt-lib.sh, which it sources; a definition appended there wins. The
# volume then stays closed, the root never appears, and rd.emergency (poweroff in a
# pvboot image) ends the boot. rd.pvboot=0 on the owner's command line leaves dracut
# as it is.
if [ -f /lib/dracut-crypt-lib.sh ] && getargbool 1 rd.pvboot; then
	cat >>/lib/dracut-crypt-lib.sh <<'PVBOOT_EOF'

# appended by pvboot's pre-trigger hook: no passphrase prompt on the host's console
ask_for_password() {
	warn "pvboot: a key did not open a LUKS volume; no passphrase prompt on the console, the volume stays closed"
	return 1
}
PVBOOT_EOF
fi
