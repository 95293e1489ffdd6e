#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/pkg/lifecycle.sh BUILD_DIR OLD_DEB NEW_DEB — the Debian package's life in a
# throw-away Debian 12 root with initramfs-tools: install OLD_DEB, upgrade to NEW_DEB,
# remove, purge. dpkg runs in the root (chroot, /proc mounted in a private mount
# namespace), so the package's maintainer scripts and its update-initramfs trigger run
# as on a real system. After each step: the initramfs was rebuilt (its bytes changed)
# and carries pvboot's binary, hook and boot script of that version (or none after
# removal); after purge: no file of the package, no dpkg record, nothing in /etc.
# The control: the same root with no package step keeps its initramfs's bytes
# (update-initramfs is not run by anything else), so "rebuilt" is the package's doing.
# The root is tests/pkg/root.sh's (mmdebstrap --variant=essential, kept in
# BUILD_DIR/pkg-root/root.tar). Run by make check-pkg.
set -euo pipefail

B=$(realpath "$1")
old=$(realpath "$2")
new=$(realpath "$3")
kver=6.1.0-pvboot-test

pass=0 fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
die() {
	echo "lifecycle: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (chroot, mmdebstrap --mode=root)"
root_tar=$("$(dirname "$0")/root.sh" "$B") || die "no Debian root"

t=$(mktemp -d /tmp/pvboot-lifecycle.XXXXXX)
trap 'rm -rf "$t"' EXIT
R=$t/root
mkdir "$R"
tar -xf "$root_tar" -C "$R"
cp "$old" "$t/root/tmp/old.deb"
cp "$new" "$t/root/tmp/new.deb"
# A kernel release without modules (mkinitramfs needs its directory and config;
# update-initramfs -u finds it by its /boot/vmlinuz); pvboot's hook adds the modules a
# kernel has, none here.
mkdir -p "$R/usr/lib/modules/$kver"
echo CONFIG_RD_GZIP=y >"$R/boot/config-$kver"
: >"$R/boot/vmlinuz-$kver"
for f in modules.order modules.builtin modules.builtin.modinfo; do : >"$R/usr/lib/modules/$kver/$f"; done
inroot() { unshare -m sh -c 'mount -t proc proc "$1/proc" && shift && chroot "$@"' sh "$R" "$R" "$@"; }
inroot depmod "$kver"
inroot update-initramfs -c -k "$kver" >"$t/create.log" 2>&1 || { cat "$t/create.log"; die "update-initramfs -c failed"; }
img=$R/boot/initrd.img-$kver
sum() { sha256sum <"$img" | cut -d' ' -f1; }
listing() { inroot lsinitramfs "/boot/initrd.img-$kver" 2>/dev/null | sort; }
in_image() { # not listing | grep -q: grep's early exit would fail the pipe (pipefail)
	local l
	l=$(listing)
	printf '%s\n' "$l" | grep -qx "$1"
}
image_bin_is() { # the image's /usr/sbin/pvboot is the one the package installed
	local d=$t/unpack
	rm -rf "$d" && mkdir "$d"
	inroot unmkinitramfs "/boot/initrd.img-$kver" /tmp/unpack >/dev/null 2>&1 || return 1
	mv "$R/tmp/unpack" "$d/x"
	local f
	f=$(find "$d/x" -path '*/usr/sbin/pvboot' -type f | head -n1)
	[ -n "$f" ] && cmp -s "$f" "$R/usr/sbin/pvboot"
}
version_is() { [ "$(inroot dpkg-query -W -f='${Version}' pvboot 2>/dev/null)" = "$1" ]; }
before=$(find "$R" -xdev \( -path "$R/proc" -o -path "$R/tmp" -o -path "$R/boot" -o -path "$R/var/lib/dpkg" -o -path "$R/var/log" -o -path "$R/var/cache" -o -path "$R/var/lib/initramfs-tools" \) -prune -o -print | sort)

old_v=$(dpkg-deb -f "$old" Version)
new_v=$(dpkg-deb -f "$new" Version)
[ "$old_v" != "$new_v" ] || die "OLD_DEB and NEW_DEB have the same version $old_v"

# Control: nothing but time passes; the image stays as it is.
s0=$(sum)
sleep 1
inroot dpkg --configure -a >/dev/null 2>&1 || true
check "control: without a package step the initramfs keeps its bytes" [ "$(sum)" = "$s0" ]
check "control: the image has no pvboot" eval '! in_image usr/sbin/pvboot'

step() { # step NAME COMMAND...: run dpkg in the root, check it rebuilt the image
	local name=$1 s
	shift
	s=$(sum)
	sleep 1
	if inroot "$@" >"$t/$name.log" 2>&1; then ok "$name: $*"; else
		bad "$name: $* failed"
		cat "$t/$name.log"
	fi
	check "$name: update-initramfs ran (trigger)" grep -q 'update-initramfs: Generating /boot/initrd.img' "$t/$name.log"
	check "$name: the initramfs was rebuilt (its bytes changed)" [ "$(sum)" != "$s" ]
}

step install dpkg -i /tmp/old.deb
check "install: version $old_v installed" version_is "$old_v"
check "install: the image carries the package's pvboot binary" image_bin_is
check "install: the image has the boot script" in_image scripts/init-premount/pvboot
check "install: the image has the glue" in_image scripts/pvboot-glue
check "install: no /etc/pvboot/pvboot.yaml (the job stays off)" [ ! -e "$R/etc/pvboot/pvboot.yaml" ]
check "install: the image has no pvboot.yaml" eval '! in_image etc/pvboot/pvboot.yaml'
check "install: no conffile" eval '[ -z "$(inroot dpkg-query -W -f="\${Conffiles}" pvboot)" ]'

step upgrade dpkg -i /tmp/new.deb
check "upgrade: version $new_v installed" version_is "$new_v"
check "upgrade: the image carries the new binary" image_bin_is
check "upgrade: the binary says $new_v" eval 'inroot /usr/sbin/pvboot --version | grep -q "$new_v"'

step remove dpkg -r pvboot
check "remove: the image has no pvboot" eval '! in_image usr/sbin/pvboot'
check "remove: the image has no boot script" eval '! in_image scripts/init-premount/pvboot'

if inroot dpkg -P pvboot >"$t/purge.log" 2>&1; then ok "purge: dpkg -P pvboot"; else
	bad "purge: dpkg -P pvboot failed"
	cat "$t/purge.log"
fi
check "purge: dpkg has no record of pvboot" eval '! inroot dpkg-query -W pvboot >/dev/null 2>&1'
check "purge: no /var/lib/dpkg/info/pvboot.*" eval '[ -z "$(ls "$R/var/lib/dpkg/info/" | grep "^pvboot\.")" ]'
after=$(find "$R" -xdev \( -path "$R/proc" -o -path "$R/tmp" -o -path "$R/boot" -o -path "$R/var/lib/dpkg" -o -path "$R/var/log" -o -path "$R/var/cache" -o -path "$R/var/lib/initramfs-tools" \) -prune -o -print | sort)
left=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
check "purge: no file left behind (the tree is as before the install)" [ -z "$left" ]
[ -z "$left" ] || printf 'left: %s\n' "$left"

echo "package lifecycle: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
