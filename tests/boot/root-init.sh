#!/bin/sh
# SPDX-License-Identifier: MIT
# /sbin/init of the boot tests' real root (tests/boot/README.md): record what the
# initramfs left on the marker disk (a tar written to /dev/vdc), then power off.
# Runs under busybox sh; PID 1.
PATH=/bin:/sbin:/usr/sbin
export PATH
busybox mount -t proc proc /proc 2>/dev/null
busybox mount -t sysfs sysfs /sys 2>/dev/null
[ -e /dev/vdc ] || busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
# the root is read-only
busybox mount -t tmpfs tmpfs /tmp 2>/dev/null

m=/tmp/marker
mkdir -p "$m"
echo "PVBOOT-TEST real root reached" >/dev/console
echo "reached" >"$m/root"

# pvboot as the image ran it: the simulator on the simulated SE machine in /run when
# the image carried one, else the real binary.
if [ -e /run/pvboot-sim/machine.yaml ]; then
	pv=/usr/lib/pvboot-test/pvboot
else
	pv=/usr/sbin/pvboot
fi
"$pv" status --json >"$m/status.json" 2>"$m/status.err"
echo $? >"$m/status.rc"
"$pv" ap list >"$m/ap.txt" 2>&1
"$pv" secret list >"$m/secrets.txt" 2>&1

# The key files: mode, size, owner; never their content. The LUKS key must be gone
# (pvboot wipe before switch_root), the keep: true one there.
stat -c '%a %s %u' /run/pvboot/luks.key >"$m/keyfile" 2>/dev/null || echo none >"$m/keyfile"
stat -c '%a %s %u' /run/keys/data.key >"$m/keptfile" 2>/dev/null || echo none >"$m/keptfile"
# When pvboot finished (its status file) and when the LUKS root was opened (the dm
# node): full-resolution times of the same clock.
stat -c '%y' /run/pvboot/status.json >"$m/t.status" 2>/dev/null
for d in /dev/dm-*; do
	[ -e "$d" ] && stat -c '%y' "$d" >"$m/t.unlock" && break
done
cat /proc/mounts >"$m/mounts"
cat /proc/cmdline >"$m/cmdline"
dmesg >"$m/dmesg"
find /run -type f 2>/dev/null | sort >"$m/run-files"
# Every log the initramfs left (the systemd journal, dracut's and initramfs-tools'
# logs): for the host's check that the key never appears in one.
mkdir -p "$m/logs"
for f in /run/log /run/initramfs; do
	[ -e "$f" ] && cp -a "$f" "$m/logs/" 2>/dev/null
done
# The simulated machine's logs (not its state, which holds the secrets' values).
mkdir -p "$m/machine"
for f in uv.log ap.state sysfs.log; do
	[ -e "/run/pvboot-sim/$f" ] && cp "/run/pvboot-sim/$f" "$m/machine/"
done

(cd "$m" && tar -cf /dev/vdc .)
sync
echo "PVBOOT-TEST marker written" >/dev/console
poweroff -f
