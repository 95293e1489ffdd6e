#!/bin/bash
# Helpers for scenario cases (sourced by tests/cases/*.sh). The case runs in $T, an
# empty directory; everything it prints is its transcript.
#
#   machine [DIR]     create a simulated machine from machine.yaml on stdin; standard
#                     fixtures (host keys, SE header) are copied next to it
#   run CMD...        run and record: "$ CMD", stdout, stderr ("! " lines), "[exit N]"
#   pvboot ARGS...    pvboot-sim on the current machine (use inside run)
#   mkasr ARGS...     the test request generator (not recorded; fails the case on error)
#   state             the simulated UV's uv.log and store, for state assertions
#   note TEXT         a comment line in the transcript
set -u

pvboot() {
	if [ -n "${MACHINE:-}" ]; then
		PVBOOT_SIM_MACHINE=$MACHINE $RUN_PREFIX "$SIM" "$@"
	else
		env -u PVBOOT_SIM_MACHINE $RUN_PREFIX "$SIM" "$@"
	fi
}

mkasr() {
	if ! "$MKASR" "$@" 2>"$T/.mkasr.err"; then
		echo "mkasr $* failed:" >&2
		cat "$T/.mkasr.err" >&2
		exit 1
	fi
}

machine() {
	MACHINE=$T/${1:-machine}
	mkdir -p "$MACHINE"
	cat >"$MACHINE/machine.yaml"
	cp "$TESTS/vectors/cert/host.key" "$TESTS/vectors/cert/host2.key" \
		"$TESTS/vectors/cert/fake_host.key" "$TESTS/vectors/exp/secure_guest.hdr" "$MACHINE/"
	export MACHINE
}

run() {
	local rc
	echo "\$ $*"
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	cat "$T/.out"
	sed 's/^/! /' "$T/.err"
	echo "[exit $rc]"
}

note() {
	echo "# $*"
}

# The simulator's own record, not pvboot's view: every UV call, and the store.
state() {
	echo "--- uv.log"
	cat "$MACHINE/uv.log" 2>/dev/null
	echo "--- state"
	grep -v -e '^#' -e '^clock_offset_ns' "$MACHINE/state" 2>/dev/null
	echo "---"
}

# Deterministic requests for the standard machine: fixed IV, request key and customer
# key (as the s390-tools vectors), bound to the SE header the machine booted.
V=$TESTS/vectors
DET=(--iv 0x555555555555555555555555
	--request-key 0x1717171717171717171717171717171717171717171717171717171717171717
	--customer-key "$V/keys/private_cust.bin")
# shellcheck disable=SC2034 # used by the case scripts that source this file
GEN=(-k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr"
	--cuid 0x42424242424242424242424242424242 "${DET[@]}")

# The standard machine: host.key, the vectors' SE header, CUID 16x0x42, small store.
std_machine() {
	machine "$@" <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
max_assoc_secrets: 4
max_retr_secrets: 4
YAML
}

# A file of N bytes of byte B (hex), for secrets.
bytes() {
	head -c "$1" /dev/zero | tr '\0' "\\$(printf '%03o' "0x$2")" >"$3"
}
