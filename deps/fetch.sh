#!/bin/sh
# fetch.sh NAME BUILDDIR — download the Debian source package NAME as pinned in
# deps/manifest, verify version and orig-tarball sha256, unpack it (Debian patches
# applied) to BUILDDIR/src/NAME and leave a stamp. Never touches the system's apt state.
set -eu
name=$1
B=$2
here=$(cd "$(dirname "$0")" && pwd)

line=$(awk -v n="$name" '$1 == n { print; exit }' "$here/manifest")
[ -n "$line" ] || { echo "fetch: $name is not in deps/manifest" >&2; exit 1; }
# shellcheck disable=SC2086
set -- $line
suite=$2 version=$3 orig=$4 sha=$5

# The archive URI comes from the machine's own apt configuration, never from us.
archive=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	archive=$(awk '/^URIs:/ { print $2; exit }' "$f")
	[ -n "$archive" ] && break
done
if [ -z "$archive" ] && [ -f /etc/apt/sources.list ]; then
	archive=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' /etc/apt/sources.list)
fi
[ -n "$archive" ] || { echo "fetch: no Debian archive URI in /etc/apt/sources*" >&2; exit 1; }

A=$B/apt
mkdir -p "$A"
# make -j may fetch several packages at once: apt's list directories are per suite,
# not per package, so fetches take turns.
exec 9>"$A/fetch.lock"
flock 9
mkdir -p "$A/lists-$suite/partial" "$A/cache-$suite/archives/partial" "$B/dl"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive $suite main" >"$A/$suite.list"
APT="-o Dir::Etc::sourcelist=$A/$suite.list -o Dir::Etc::sourceparts=- \
     -o Dir::State::Lists=$A/lists-$suite -o Dir::Cache=$A/cache-$suite -o Debug::NoLocking=1"
if [ ! -f "$A/$suite.updated" ]; then
	# shellcheck disable=SC2086
	apt-get $APT update -qq >&2
	touch "$A/$suite.updated"
fi

# shellcheck disable=SC2086
served=$(apt-cache $APT showsrc "$name" | awk '/^Version:/ { print $2; exit }')
if [ "$served" != "$version" ]; then
	echo "fetch: $suite serves $name $served, deps/manifest pins $version." >&2
	echo "fetch: review the new version, then update its line in deps/manifest." >&2
	exit 1
fi

cd "$B/dl"
if [ ! -f "$orig" ] || [ ! -f "${name}_${version#*:}.dsc" ]; then
	# shellcheck disable=SC2086
	apt-get $APT source --download-only -qq "$name=$version" 2>&1 |
		grep -v 'unsandboxed as root' >&2 || true
fi
got=$(sha256sum "$orig" | cut -d' ' -f1)
if [ "$got" != "$sha" ]; then
	echo "fetch: $orig has sha256 $got, deps/manifest expects $sha." >&2
	echo "fetch: the archive serves a different tarball; refusing to build from it." >&2
	exit 1
fi

rm -rf "$B/src/$name" "$B/src/$name.tmp"
mkdir -p "$B/src"
# The signature cannot be checked without debian-keyring; integrity comes from the
# pinned sha256 above and the checksums in the .dsc, which dpkg-source does check.
if ! dpkg-source -q --no-copy -x "${name}_${version#*:}.dsc" "$B/src/$name.tmp" >"$B/dl/$name.unpack.log" 2>&1; then
	cat "$B/dl/$name.unpack.log" >&2
	exit 1
fi
mv "$B/src/$name.tmp" "$B/src/$name"
echo "$name $version $sha" >"$B/src/$name/.pvboot-fetched"
