#!/bin/sh
# Install every Debian package a fresh Debian 12 machine needs to build pvboot and run
# `make check` (native, ASan/UBSan, s390x cross under qemu-user, fuzz smoke).
# Idempotent: packages already present are skipped by apt.
#
#   install-deps.sh        the build and `make check`
#   install-deps.sh boot   what `make check-boot` needs (tests/boot/README.md): dracut's and
#                          initramfs-tools' -core packages side by side (never the full
#                          `dracut` or `initramfs-tools` packages: they conflict, and the
#                          first regenerates /boot on every trigger), busybox, klibc,
#                          cryptsetup, QEMU. The kernel is fetched into build/ by the test.
#   install-deps.sh boot-s390x  what `make check-boot-s390x` needs (tests/boot/s390x/
#                          README.md): qemu-system-s390x, mmdebstrap and qemu-user for the
#                          s390x root the images are built in, cryptsetup and e2fsprogs for
#                          the disks. dracut and initramfs-tools come from that root.
set -eu

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

pkgs="build-essential musl-tools m4 bzip2 xz-utils dpkg-dev ca-certificates
      clang libclang-rt-14-dev
      gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static
      musl-dev:s390x
      file binutils valgrind"
if [ "${1:-}" = boot ]; then
	pkgs="dracut-core initramfs-tools-core busybox klibc-utils cpio kmod udev
	      cryptsetup cryptsetup-bin dmsetup qemu-system-x86 e2fsprogs
	      systemd ca-certificates"
fi
if [ "${1:-}" = boot-s390x ]; then
	pkgs="qemu-system-misc qemu-user-static mmdebstrap arch-test binutils cpio
	      cryptsetup-bin e2fsprogs ca-certificates"
fi

if ! dpkg --print-foreign-architectures | grep -qx s390x; then
	$SUDO dpkg --add-architecture s390x
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
	echo "install-deps: all packages present"
fi
