#!/bin/bash
# SPDX-License-Identifier: MIT
# Build (or reuse) the s390x root the s390x boot images are made from: a Debian 12
# s390x system with dracut, systemd, initramfs-tools, busybox, klibc, cryptsetup, udev
# and kmod, plus Debian's s390x kernel and its modules. The images are then built
# inside it (chroot, s390x binaries run by qemu-user through binfmt_misc), exactly as
# an s390x image builder would build them.
#
# Why mmdebstrap --variant=essential (measured, bench/README.md): it resolves the
# package closure with apt and runs the maintainer scripts (users, groups, ld.so.cache,
# alternatives, systemd presets) under qemu-user in ~140 s; a bare `dpkg -x` closure
# leaves those undone and dracut's systemd module and cryptsetup-initramfs depend on
# them; debootstrap --foreign + --second-stage does the same work as mmdebstrap
# serially and slower. The kernel is not installed with dpkg (its postinst would run
# update-initramfs under emulation): `apt-get download` + extraction + depmod.
#
# Usage: mkroot.sh DIR   -> DIR/root (the tree), DIR/root.kver (kernel release)
# Reused when DIR/root.key matches this script and the package list; delete DIR/root*
# to force a rebuild.
set -euo pipefail

dir=${1:?usage: mkroot.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
packages=dracut-core,systemd,udev,kmod,initramfs-tools-core,initramfs-tools,busybox,klibc-utils,cryptsetup,cryptsetup-initramfs,cpio,e2fsprogs
suite=bookworm
kpkg_meta=linux-image-s390x:s390x

log() { echo "mkroot: $*" >&2; }
die() {
	log "$*"
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (chroot, mmdebstrap --mode=root)"
for t in mmdebstrap qemu-s390x-static arch-test apt-get dpkg-deb unshare; do
	command -v "$t" >/dev/null || die "$t is missing (ci/install-deps.sh boot-s390x)"
done

key=$( (cat "$0" && echo "$packages $suite") | sha256sum | cut -d' ' -f1)
mkdir -p "$dir"
if [ -d "$dir/root" ] && [ "$(cat "$dir/root.key" 2>/dev/null)" = "$key" ] &&
	[ -s "$dir/root.kver" ]; then
	log "reusing $dir/root (kernel $(cat "$dir/root.kver"))"
	exit 0
fi

"$here/binfmt.sh"

# The Debian archive this machine uses, from its apt sources (never a hard-coded host).
sources() {
	apt-get indextargets --format '$(TARGET_OF) $(SITE) $(RELEASE) $(COMPONENT) $(ORIGIN)' |
		awk '$1 == "deb" && $5 == "Debian" { print "deb " $2 " " $3 " " $4 }' | sort -u
}
src=$(sources)
if [ -z "$src" ]; then
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	src=$(sources)
fi
[ -n "$src" ] || die "no Debian archive in this machine's apt sources"

start=$(date +%s)
rm -rf "$dir/root" "$dir/root.tmp" "$dir/root.key" "$dir/root.kver"
log "mmdebstrap $suite s390x into $dir/root.tmp"
printf '%s\n' "$src" | mmdebstrap --quiet --mode=root --arch=s390x --variant=essential \
	--include="$packages" "$suite" "$dir/root.tmp" - ||
	die "mmdebstrap failed"

# The kernel: the version the linux-image-s390x metapackage points at.
kpkg=$(apt-cache depends "$kpkg_meta" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-s390x\)\(:s390x\)\?$/\1/p' | head -n1)
if [ -z "$kpkg" ]; then
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	kpkg=$(apt-cache depends "$kpkg_meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-s390x\)\(:s390x\)\?$/\1/p' | head -n1)
fi
[ -n "$kpkg" ] || die "cannot resolve $kpkg_meta (is s390x a dpkg foreign architecture?)"
kver=${kpkg#linux-image-}
dl=$(mktemp -d)
trap 'rm -rf "$dl"' EXIT
chmod 0777 "$dl" # apt-get download drops to _apt
(cd "$dl" && apt-get download -qq "$kpkg:s390x") || die "apt-get download $kpkg failed"
# tar, not dpkg -x: keep the root's /lib -> usr/lib symlink (merged /usr).
dpkg-deb --fsys-tarfile "$dl"/*.deb |
	tar -x -C "$dir/root.tmp" --keep-directory-symlink --no-same-owner ||
	die "extracting $kpkg failed"
chroot "$dir/root.tmp" depmod "$kver" || die "depmod $kver failed"
[ -f "$dir/root.tmp/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver in $kpkg"

mv "$dir/root.tmp" "$dir/root"
echo "$kver" >"$dir/root.kver"
echo "$key" >"$dir/root.key"
log "built $dir/root with $kpkg in $(($(date +%s) - start)) s"
