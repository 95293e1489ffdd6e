#!/bin/bash
# pvboot's own directory /run/pvboot (status, the mount point, retrieved keys by
# default) is made 0700, by the boot job and by the host layer that makes the mount
# point (the simulator's host_mount_ro uses the same helper as src/host_linux.c).
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
boot_machine
mkbootset
image_config </dev/null
boot >/dev/null
(cd "$MACHINE/root/run" && find pvboot -printf '%m %y %p\n' | sort -k3)
