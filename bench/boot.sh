#!/bin/bash
# bench/boot.sh BUILD_DIR [SECRETS CARDS DOMAINS ENTRIES] — the boot job on the simulator.
#
# An image with a TOC set of SECRETS requests (default 8: ENTRIES association secrets,
# the rest retrievable), 2 retrieves, ENTRIES EP11 entries (default 4) over CARDS x
# DOMAINS queues (default 4 x 16 = 64), a virtual clock (simulated hardware waits
# cost no wall time). toc.asr and every request are signed with the owner's EC P-521
# user-signing key (tests/keys/owner-ec.key) and the image's pvboot.yaml names its
# certificate (user_cert), as a real image must (pvboot.yaml(5)): the boot verifies
# each signature. Prints:
#   - wall time of `pvboot-sim boot` (pvboot plus the simulator, whose ultravisor
#     really decrypts every request with ECDH P-521 + AES-GCM);
#   - instructions of pvboot itself (callgrind, inclusive cost of bootflow_run minus
#     the inclusive cost of the simulator's host_* functions that stand in for the
#     kernel and firmware), and of the whole process for reference;
#   - the simulated hardware time the boot waited for (virtual clock).
# BENCH_SMOKE=1 (make check-bench-smoke) leaves out callgrind: a check in seconds that
# the boot still succeeds.
set -eu
B=$(realpath "$1")
N=${2:-8}
CARDS=${3:-4}
DOMS=${4:-16}
ENTRIES=${5:-4}
here=$(cd "$(dirname "$0")" && pwd)
V=$here/../tests/vectors
SIM=$B/musl-x86_64/pvboot-sim
MKASR=$B/musl-x86_64/mkasr
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
m=$t/machine
mkdir -p "$m/bootfs/sics" "$m/root/etc/pvboot"
cp "$V/cert/host.key" "$V/exp/secure_guest.hdr" "$m/"
cp "$here/../tests/keys/owner-ec.crt" "$m/root/etc/pvboot/owner.crt"

# The simulator's "wk: auto" pattern of queue cc.dddd is SHA-256("cc.dddd"); an EP11
# entry's mkvp is its first 16 bytes.
mkvp() { printf '0x%s' "$(printf '%02x.%04x' "$1" "$2" | sha256sum | cut -c1-32)"; }

{
	cat <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
max_assoc_secrets: 2048
max_retr_secrets: 2048
clock: virtual
disks:
  - {dev: /dev/vda1, label: boot, dir: bootfs}
ap:
  scan_ms: 200
  cards:
YAML
	for ((c = 0; c < CARDS; c++)); do
		printf '    - {card: %d, type: CEX8P, serialnr: 93AADFK7194600%02d, wk: auto, domains: [%s]}\n' \
			"$c" "$((c % 100))" "$(seq -s, 0 $((DOMS - 1)))"
	done
} >"$m/machine.yaml"

gen=(-k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr"
	--cuid 0x42424242424242424242424242424242 --extension-secret "$t/ext.bin"
	--user-sign-key "$here/../tests/keys/owner-ec.key")
head -c 32 /dev/urandom >"$t/ext.bin"
printf 'bench passphrase' >"$t/pass.txt"
head -c 32 /dev/urandom >"$t/key.bin"
sics=$m/bootfs/sics
{
	echo "user_cert: /etc/pvboot/owner.crt"
	echo "retrieve:"
	echo "  - {name: secret-0, path: /run/pvboot/luks.key}"
	echo "  - {name: secret-1, path: /run/pvboot/data.key}"
	echo "ap:"
	echo "  strict: true"
	echo "  entries:"
} >"$m/root/etc/pvboot/pvboot.yaml"
for ((i = 0; i < N; i++)); do
	if ((i < ENTRIES)); then
		"$MKASR" "${gen[@]}" --toc-policy "$sics/toc.pol" -o "$sics/a$i.asr" \
			association "assoc-$i" --input-secret "$t/key.bin"
		c=$((i % CARDS))
		d=$((i / CARDS % DOMS))
		printf '    - {name: assoc-%d, mode: EP11, mkvp: %s}\n' "$i" "$(mkvp "$c" "$d")" \
			>>"$m/root/etc/pvboot/pvboot.yaml"
	else
		"$MKASR" "${gen[@]}" --toc-policy "$sics/toc.pol" -o "$sics/r$i.asr" \
			retrievable "secret-$((i - ENTRIES))" --kind plain --secret "$t/pass.txt"
	fi
done
(cd "$sics" && "$MKASR" "${gen[@]}" --policy toc.pol -o toc.asr meta)

reboot() { rm -rf "$m/state" "$m/uv.log" "$m/kmsg" "$m/mounts.log" "$m/root/run" "$m/ap.state" "$m/sysfs.log"; }

echo "image: TOC + $N requests, 2 retrieves, $ENTRIES EP11 entries over $((CARDS * DOMS)) queues ($CARDS cards x $DOMS domains)"
start=$(date +%s%N)
PVBOOT_SIM_MACHINE=$m "$SIM" -q boot >/dev/null
end=$(date +%s%N)
grep -q ": ok" "$m/root/run/pvboot/status.txt" || { echo "the boot failed:"; cat "$m/root/run/pvboot/status.txt"; exit 1; }
printf 'wall time, pvboot-sim boot (pvboot + simulator):  %d ms\n' $(((end - start) / 1000000))
printf 'simulated hardware time waited for:             %s ms\n' \
	"$(sed -n 's/^  ap .* \([0-9]*\) ms .*/\1/p' "$m/root/run/pvboot/status.txt" | head -1)"
if [ -z "${BENCH_SMOKE:-}" ] && command -v valgrind >/dev/null &&
	command -v callgrind_annotate >/dev/null; then
	reboot
	PVBOOT_SIM_MACHINE=$m valgrind --tool=callgrind --callgrind-out-file="$t/cg" \
		"$SIM" -q boot >/dev/null 2>"$t/log"
	total=$(sed -n 's/.*Collected : //p' "$t/log")
	callgrind_annotate --inclusive=yes --threshold=100 "$t/cg" 2>/dev/null |
		sed 's/,//g' >"$t/ann"
	flow=$(awk '$0 ~ /[:]bootflow_run / { print $1; exit }' "$t/ann")
	hosts=$(awk '$0 ~ /[:]host_[a-z_]* / { s += $1 } END { printf "%.0f\n", s }' "$t/ann")
	printf 'instructions, whole process (incl. simulator):  %s\n' "$total"
	printf 'instructions, pvboot itself (boot job - sim):   %s\n' "$((flow - hosts))"
fi
