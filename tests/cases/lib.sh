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

# The simulated AP bus: the sysfs writes pvboot made since the last apstate (the record
# is emptied after printing), then every queue's state (without timestamps).
apstate() {
	echo "--- sysfs.log"
	cat "$MACHINE/sysfs.log" 2>/dev/null
	: >"$MACHINE/sysfs.log"
	echo "--- ap.state"
	grep -v '^#' "$MACHINE/ap.state" 2>/dev/null | sed 's/ until=[0-9]*//'
	echo "---"
}

# A UV store holding association secrets (written as the simulator's state file, before
# the first pvboot-sim call): assoc_store NAME... gives NAME index 0, 1, ... and the id
# SHA-256(NAME); an argument 0x<64 hex> is taken as the id itself, and INDEX=NAME (or
# INDEX=0x...) picks the index (ascending).
assoc_store() {
	local arg idx=0 next name id
	{
		echo "version 1"
		echo "locked 0"
		echo "dump_disabled 0"
		echo "cck $(printf '%064d' 0)"
		echo "ext_secret -"
		for arg in "$@"; do
			case $arg in [0-9]*=*) next=${arg%%=*} ;; *) next=$idx ;; esac
			idx=$((next + 1))
		done
		echo "next_index $idx"
		echo "clock_offset_ns 0"
		echo "calls info=0 add=0 list=0 lock=0 retrieve=0"
		idx=0
		for arg in "$@"; do
			case $arg in [0-9]*=*) idx=${arg%%=*} name=${arg#*=} ;; *) name=$arg ;; esac
			case $name in
			0x*) id=${name#0x} ;;
			*) id=$(printf '%s' "$name" | sha256sum | cut -d' ' -f1) ;;
			esac
			echo "secret index=$idx type=0x0002 len=32 id=$id value=$(printf '%064d' 7)"
			idx=$((idx + 1))
		done
	} >"$MACHINE/state"
}
