#!/bin/sh
# install-deps.sh [--ensure] [GROUP...] — the Debian packages pvboot's make targets need.
#
# Groups (no group: all of them):
#   build   the static musl x86_64 binary, the simulator, `make demo`
#   s390x   the s390x cross build and qemu-user to run it
#   clang   the ASan+UBSan and libFuzzer builds
#   check   the rest of `make check` and `make bench` (shellcheck, valgrind)
#   boot    the x86_64 QEMU boot tests (tests/boot/README.md): dracut's and
#           initramfs-tools' -core packages side by side (never the full `dracut` or
#           `initramfs-tools` packages: they conflict, and the first regenerates /boot
#           on every trigger), busybox, klibc, cryptsetup, QEMU. The kernel is fetched
#           into build/ by the tests.
#   pkg     `make deb`, `make rpm`, `make check-pkg`: debhelper, lintian, rpm
#           (rpmbuild), rpmlint; mmdebstrap for the package lifecycle test's root
#   boot-s390x  the s390x QEMU boot tests (tests/boot/s390x/README.md):
#           qemu-system-s390x, mmdebstrap and qemu-user for the s390x root the images
#           are built in, cryptsetup and e2fsprogs for the disks. dracut and
#           initramfs-tools come from that root.
#
# Without --ensure it installs what is missing (as root) and says so. With --ensure
# (how make calls it) it prints nothing when everything is there; when something is
# missing it installs it as root, and otherwise stops with one line naming the command
# to run. It never asks a question: apt runs non-interactively and sudo is never used.
set -eu

ensure=
if [ "${1:-}" = --ensure ]; then
	ensure=1
	shift
fi
[ $# -gt 0 ] || set -- build s390x clang check pkg boot boot-s390x

pkgs=
foreign=
for g; do
	case $g in
	build) pkgs="$pkgs build-essential musl-tools m4 bzip2 xz-utils dpkg-dev ca-certificates
		file binutils" ;;
	s390x)
		pkgs="$pkgs gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static musl-dev:s390x"
		foreign=s390x
		;;
	clang) pkgs="$pkgs clang libclang-rt-14-dev" ;;
	check) pkgs="$pkgs shellcheck valgrind" ;;
	pkg) pkgs="$pkgs debhelper lintian rpm rpmlint mmdebstrap" ;;
	boot) pkgs="$pkgs dracut-core initramfs-tools-core busybox klibc-utils cpio kmod udev
		cryptsetup cryptsetup-bin dmsetup qemu-system-x86 e2fsprogs systemd" ;;
	boot-s390x)
		pkgs="$pkgs qemu-system-misc qemu-user-static mmdebstrap arch-test binutils cpio
		cryptsetup-bin e2fsprogs ca-certificates"
		foreign=s390x
		;;
	*)
		echo "install-deps: unknown group '$g' (build, s390x, clang, check, pkg, boot, boot-s390x)" >&2
		exit 2
		;;
	esac
done

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$foreign" ] || dpkg --print-foreign-architectures | grep -qx "$foreign" ||
	missing="$missing (architecture $foreign)"

if [ -z "$missing" ]; then
	[ -n "$ensure" ] || echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "pvboot: missing packages:$missing; run as root: bash ci/install-deps.sh $*" >&2
	exit 1
fi

echo "install-deps: installing:$missing"
if [ -n "$foreign" ] && ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
	dpkg --add-architecture "$foreign"
fi
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q "$@"
}
apt_get update -qq
# shellcheck disable=SC2086
apt_get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "install-deps: done"
