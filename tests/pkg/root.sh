#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/pkg/root.sh BUILD_DIR — a throw-away Debian 12 amd64 root with initramfs-tools,
# as an image builder's system has it (mmdebstrap --variant=essential: dpkg, its
# maintainer scripts and triggers work in it), kept as BUILD_DIR/pkg-root/root.tar and
# reused while its package list and suite are unchanged. Prints the tar's path. Used
# by the package's lifecycle test (tests/pkg/lifecycle.sh) and by the x86_64 boot tests,
# whose initramfs-tools image as shipped the package's trigger builds in it.
set -euo pipefail

B=$(realpath "$1")
suite=bookworm
packages=initramfs-tools,initramfs-tools-core,klibc-utils,busybox,cpio,kmod,udev,zstd

die() {
	echo "pkg-root: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root)"
cache=$B/pkg-root
key=$(echo "lifecycle root: $packages $suite" | sha256sum | cut -d' ' -f1)
mkdir -p "$cache"
if [ ! -s "$cache/root.tar" ] || [ "$(cat "$cache/root.key" 2>/dev/null)" != "$key" ]; then
	src=$(apt-get indextargets --format '$(TARGET_OF) $(SITE) $(RELEASE) $(COMPONENT) $(ORIGIN)' |
		awk '$1 == "deb" && $5 == "Debian" { print "deb " $2 " " $3 " " $4 }' | sort -u)
	[ -n "$src" ] || die "no Debian archive in this machine's apt sources"
	echo "pkg-root: mmdebstrap $suite amd64 with initramfs-tools into $cache/root.tar" >&2
	rm -f "$cache/root.tar" "$cache/root.key"
	printf '%s\n' "$src" | mmdebstrap --quiet --mode=root --variant=essential --format=tar \
		--include="$packages" "$suite" "$cache/root.tar.tmp" - >&2 || die "mmdebstrap failed"
	mv "$cache/root.tar.tmp" "$cache/root.tar"
	echo "$key" >"$cache/root.key"
fi
echo "$cache/root.tar"
