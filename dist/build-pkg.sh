#!/bin/sh
# dist/build-pkg.sh deb|rpm ARCH TARBALL DEPS OUTDIR — build pvboot's Debian package
# (ARCH amd64 or s390x) or RPM (x86_64 or s390x) from the `make dist` tarball, in a
# fresh directory below OUTDIR, and leave the package in OUTDIR. DEPS is a build
# directory holding the downloaded dependency sources (dl/, apt/): they are copied in
# so the package build fetches nothing (it still unpacks and compiles them). The
# packaging files come from the tarball (dist/), never from the checkout. Run by
# `make deb` and `make rpm`; SOURCE_DATE_EPOCH is every date in the package.
set -eu
kind=$1 arch=$2 tarball=$(realpath "$3") deps=$(realpath "$4") out=$5
: "${SOURCE_DATE_EPOCH:?build-pkg: SOURCE_DATE_EPOCH is not set (the Makefile sets it)}"
export SOURCE_DATE_EPOCH
mkdir -p "$out"
out=$(realpath "$out")
base=$(basename "$tarball" .tar.gz) # pvboot-VERSION
version=${base#pvboot-}
work=$out/work-$kind-$arch
rm -rf "$work"
mkdir -p "$work"
log=$out/$kind-$arch.log
fail() {
	tail -n 40 "$log" >&2
	echo "build-pkg: the $kind for $arch failed; the whole log is $log" >&2
	exit 1
}

case $kind in
deb)
	tar -xzf "$tarball" -C "$work"
	src=$work/$base
	cp -a "$src/dist/debian" "$src/debian"
	mkdir -p "$src/build"
	cp -a "$deps/dl" "$deps/apt" "$src/build/"
	{
		printf 'pvboot (%s) unstable; urgency=medium\n\n' "$version"
		printf '  * Built from the pvboot source tree (make dist).\n\n'
		printf ' -- %s  %s\n' "$(sed -n 's/^Maintainer: //p' "$src/debian/control")" \
			"$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
	} >"$src/debian/changelog"
	# -d: the build dependencies are ci/install-deps.sh's build and s390x groups;
	# dpkg-checkbuilddeps cannot see an amd64 host's s390x musl cross toolchain.
	cross=
	[ "$arch" = amd64 ] || cross="--host-arch=$arch -d -Pcross,nocheck"
	# shellcheck disable=SC2086
	(cd "$src" && dpkg-buildpackage -b -us -uc $cross) >"$log" 2>&1 || fail
	deb=pvboot_${version}_$arch.deb
	mv "$work/$deb" "$out/$deb"
	echo "$out/$deb"
	;;
rpm)
	mkdir -p "$work/SOURCES" "$work/SPECS" "$work/tmp"
	cp "$tarball" "$work/SOURCES/"
	tar -xzf "$tarball" -O "$base/dist/pvboot.spec" |
		sed "/^#/!s/@VERSION@/$version/; s/@DATE@/$(date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')/" \
			>"$work/SPECS/pvboot.spec"
	rpmbuild -bb --target "$arch-linux" --define "_topdir $work" \
		--define "pvboot_deps $deps" --define "_tmppath $work/tmp" \
		"$work/SPECS/pvboot.spec" >"$log" 2>&1 || fail
	rpm=pvboot-$version-1.$arch.rpm
	mv "$work/RPMS/$arch/$rpm" "$out/$rpm"
	echo "$out/$rpm"
	;;
*)
	echo "build-pkg: deb or rpm, not '$kind'" >&2
	exit 2
	;;
esac
rm -rf "$work"
