#!/bin/sh
# check-repro.sh — is pvboot reproducible? Build this tree's static pvboot for x86_64
# and s390x, then build the same files again in another directory (a longer path, a
# later time, another umask), dependencies included: their Debian sources are unpacked
# and compiled again there from the tarballs already downloaded. Every binary, the
# source tarball (make dist) and the packages built from it (make deb, make rpm: amd64
# and s390x .deb, x86_64 and s390x .rpm) must come out byte for byte the same. Run by
# `make check-repro`.
set -eu

top=$(pwd)
arches="musl-x86_64 musl-s390x"

version=$(sed -n 's/^VERSION := //p' Makefile)
pkgs="dist/pvboot-$version.tar.gz pkg/pvboot_${version}_amd64.deb pkg/pvboot_${version}_s390x.deb
	pkg/pvboot-$version-1.x86_64.rpm pkg/pvboot-$version-1.s390x.rpm"

build() { # build DIR: the static pvboot of each flavour, the tarball and packages in DIR
	for f in $arches; do
		make -C "$1" --no-print-directory -s FLAVOUR="$f" "build/$f/pvboot" >/dev/null
	done
	make -C "$1" --no-print-directory -s dist deb rpm >/dev/null
}

echo "check-repro: building in $top"
build "$top"

work=$(mktemp -d /tmp/pvboot-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT
other=$work/a/much/longer/path/to/another/checkout/of/pvboot
mkdir -p "$other/build"

# The same files: what git tracks plus what is not ignored (uncommitted edits count).
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$other"
else
	(cd "$top" && tar -cf - --exclude=./build --exclude=./pvboot .) | tar -xf - -C "$other"
fi
# The downloaded source packages and apt lists, so nothing is fetched again; the
# unpacking (deps/fetch.sh) and every compile happen again in the other directory.
cp -a "$top/build/dl" "$top/build/apt" "$other/build/"
# SOURCE_DATE_EPOCH comes from the commit; outside git both builds must agree on it.
SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

sleep 1 # another time, to the second
echo "check-repro: building again in $other"
(umask 077 && build "$other")

bad=0
files=
for f in $arches; do files="$files $f/pvboot $f/pvboot.stripped"; done
for f in $files $pkgs; do
	a=$top/build/$f b=$other/build/$f
	sa=$(sha256sum <"$a" | cut -d' ' -f1)
	if cmp -s "$a" "$b"; then
		echo "check-repro: $f identical  sha256 $sa"
	else
		sb=$(sha256sum <"$b" | cut -d' ' -f1)
		n=$(cmp -l "$a" "$b" 2>/dev/null | wc -l)
		echo "check-repro: $f DIFFERS ($n bytes): $sa here, $sb in $other" >&2
		bad=1
	fi
done
if [ $bad -ne 0 ]; then
	trap - EXIT
	echo "check-repro: FAILED; the second tree stays in $work for a look (cmp -l, strings, diffoscope)" >&2
	exit 1
fi
echo "check-repro: reproducible"
