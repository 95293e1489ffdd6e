#!/bin/sh
# SPDX-License-Identifier: MIT
# Test images only (tests/boot/README.md): installed as /usr/sbin/pvboot in place of the
# real binary, so the unchanged glue runs pvboot-sim on the simulated SE machine. The
# machine directory moves to /run, which survives the switch to the real root, where
# the test's init asks for the status and the AP state.
m=/run/pvboot-sim
if [ ! -e "$m/machine.yaml" ]; then
	mkdir -p "$m" && cp -a /usr/lib/pvboot-test/machine/. "$m/" || exit 125
fi
PVBOOT_SIM_MACHINE=$m exec /usr/lib/pvboot-test/pvboot-sim "$@"
