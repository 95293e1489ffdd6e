#!/bin/bash
# dist/mkdist.sh VERSION OUTDIR — the source tarball the packages are built from
# (`make dist`): OUTDIR/pvboot-VERSION.tar.gz holding what git tracks plus what is not
# ignored (uncommitted edits count; outside git: the tree without build/), below
# pvboot-VERSION/. Reproducible: names sorted in the C locale, every mtime
# SOURCE_DATE_EPOCH, owner and group 0 with no names, modes 0644/0755 whatever the
# umask of the checkout, gzip without name or time (-n).
set -eu
version=$1
out=$2
top=$(pwd)
: "${SOURCE_DATE_EPOCH:?mkdist: SOURCE_DATE_EPOCH is not set (the Makefile sets it)}"
mkdir -p "$out"
list=$(mktemp)
trap 'rm -f "$list" "$out/.pvboot-$version.tar.gz.tmp"' EXIT
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1 &&
	[ "$(git -C "$top" rev-parse --show-toplevel)" = "$top" ]; then
	git -C "$top" ls-files -z --cached --others --exclude-standard
else
	find . -path ./build -prune -o ! -type d -print0 | sed -z 's|^\./||'
fi | LC_ALL=C sort -z -u | while IFS= read -r -d '' f; do
	# a file deleted but not yet committed is not in the tree
	if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
done >"$list"
tar -C "$top" --null --no-recursion -T "$list" --format=gnu --mtime="@$SOURCE_DATE_EPOCH" \
	--owner=0 --group=0 --numeric-owner --mode='u+rw,go=rX' \
	--transform="s|^|pvboot-$version/|" -cf - |
	gzip -n -9 >"$out/.pvboot-$version.tar.gz.tmp"
# The same bytes as last time: keep the file and its mtime, so make does not rebuild
# the packages made from it.
if cmp -s "$out/.pvboot-$version.tar.gz.tmp" "$out/pvboot-$version.tar.gz"; then
	rm "$out/.pvboot-$version.tar.gz.tmp"
else
	mv "$out/.pvboot-$version.tar.gz.tmp" "$out/pvboot-$version.tar.gz"
fi
echo "$out/pvboot-$version.tar.gz"
