#!/bin/sh
# SPDX-License-Identifier: MIT
# Make s390x ELF binaries run through qemu-user (spec/toolchain.md §2): mount
# binfmt_misc if needed and register qemu-s390x from qemu-user-static's binfmt.d file.
# The F flag in that file makes the registration work inside a chroot. Idempotent.
set -eu
bm=/proc/sys/fs/binfmt_misc
conf=/usr/lib/binfmt.d/qemu-s390x.conf
[ -e "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm"
if [ ! -e "$bm/qemu-s390x" ]; then
	[ -r "$conf" ] || { echo "binfmt: $conf missing (qemu-user-static)" >&2; exit 1; }
	grep -v '^#' "$conf" | grep . >"$bm/register"
fi
grep -qx enabled "$bm/qemu-s390x" || { echo "binfmt: qemu-s390x is disabled" >&2; exit 1; }
