#!/bin/sh
# SPDX-License-Identifier: MIT
# init= of the s390x boot tests' real root (tests/boot/s390x/README.md): put into the
# kernel log when the real root was reached, which of the s390x modules pvboot asks
# for are loaded, and what loading the rest does on this guest (uvdevice refuses
# without an ultravisor), then hand over to the common test init (root-init.sh).
PATH=/bin:/sbin:/usr/sbin
export PATH
busybox mount -t proc proc /proc 2>/dev/null
busybox mount -t sysfs sysfs /sys 2>/dev/null
[ -e /dev/kmsg ] || busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null

kmsg() { echo "<30>pvboot-test: $*" >/dev/kmsg; }

kmsg "real root reached"

# virtio-ccw disks are probed in parallel, so their vdX names change from boot to boot.
# Give this /dev the names the common test init uses (by the serials the host set):
# boot vda, luks vdb, marker vdc, plain vdd.
t=/dev/.pvboot-test
mkdir -p "$t"
for b in /sys/block/vd*; do
	case $(cat "$b/serial" 2>/dev/null) in
	boot) n=vda ;;
	luks) n=vdb ;;
	marker) n=vdc ;;
	plain) n=vdd ;;
	*) continue ;;
	esac
	# shellcheck disable=SC2046 # major and minor
	mknod "$t/$n" b $(tr ':' ' ' <"$b/dev") && kmsg "disk ${b##*/} (serial $(cat "$b/serial")) is /dev/$n here"
done
for n in vda vdb vdc vdd; do
	[ -e "$t/$n" ] && mv -f "$t/$n" "/dev/$n"
done
mods="uvdevice zcrypt zcrypt_cex4 pkey pkey_uv pkey_ep11 pkey_cca pkey_pckmo paes_s390"
loaded=
for m in $mods; do
	grep -q "^$m " /proc/modules && loaded="$loaded $m"
done
kmsg "s390x modules loaded by the initramfs:${loaded:- none}"
[ -d /sys/bus/ap ] && kmsg "AP bus present (built in), devices: $(ls /sys/bus/ap/devices | tr '\n' ' ')"
[ -e /sys/firmware/uv ] || kmsg "no /sys/firmware/uv: not a Secure Execution guest"
# The modules this kernel has (copied next to this script from the image's kernel),
# in dependency order; what the kernel says when they cannot load is the point.
kd=/lib/modules/$(uname -r)
for m in uvdevice zcrypt zcrypt_cex4; do
	grep -q "^$m " /proc/modules && continue
	f=$(find "$kd" -name "$m.ko*" | head -n1)
	[ -n "$f" ] || { kmsg "modprobe $m: not in kernel $(uname -r)"; continue; }
	if out=$(insmod "$f" 2>&1); then
		kmsg "modprobe $m: loaded"
	else
		kmsg "modprobe $m: refused: ${out##*: }"
	fi
done
exec /sbin/init
