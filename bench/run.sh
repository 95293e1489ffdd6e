#!/bin/bash
# bench/run.sh BUILD_DIR — binary sizes, and instructions of one `pvboot secret inspect`
# (callgrind) as a baseline for the boot-flow numbers to come; the AP latency and
# scaling benchmarks on pvboot-sim. Numbers go to bench/README.md by hand, with the date
# and the machine. BENCH_SMOKE=1 (make check-bench-smoke) runs everything but valgrind,
# in seconds, so the script cannot rot between measurements.
set -eu
die() {
	echo "bench: $*" >&2
	exit 1
}
callgrind() { [ -z "${BENCH_SMOKE:-}" ] && command -v valgrind >/dev/null; }
B=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
for f in musl-x86_64 musl-s390x; do
	if [ -f "$B/$f/pvboot.stripped" ]; then
		printf '%-12s pvboot stripped: %7d bytes  (%s)\n' "$f" \
			"$(stat -c %s "$B/$f/pvboot.stripped")" \
			"$(file -b "$B/$f/pvboot.stripped" | cut -d, -f1-2,4-5)"
	fi
done
if callgrind; then
	t=$(mktemp -d)
	valgrind --tool=callgrind --callgrind-out-file="$t/cg" "$B/musl-x86_64/pvboot" \
		secret inspect "$here/../tests/vectors/exp/asrcb/assoc_none_default_cuid_one" \
		>/dev/null 2>"$t/log"
	printf 'instructions, secret inspect: %s\n' "$(sed -n 's/.*Collected : //p' "$t/log")"
	rm -rf "$t"
fi

# ---- AP queues (pvboot-sim: the simulated AP bus on its virtual clock) ----
SIM=$B/musl-x86_64/pvboot-sim
clock() { sed -n 's/^clock_offset_ns //p' "$1/state"; }
ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
# A UV store with association secrets named n0, n1, ... (index = number).
store() {
	local m=$1 n=$2 i
	{
		printf 'version 1\nlocked 0\ndump_disabled 0\ncck %064d\next_secret -\n' 0
		printf 'next_index %d\nclock_offset_ns 0\n' "$n"
		echo 'calls info=0 add=0 list=0 lock=0 retrieve=0'
		for ((i = 0; i < n; i++)); do
			printf 'secret index=%d type=0x0002 len=32 id=%s value=%064d\n' "$i" \
				"$(printf 'n%d' "$i" | sha256sum | cut -c1-64)" 7
		done
	} >"$m/state"
}
wk() { printf '%s' "$1" | sha256sum | cut -c1-32; }
if [ -x "$SIM" ]; then
	t=$(mktemp -d)
	# Latency: 4 EP11 + 2 accelerator entries on a fresh guest; associations complete
	# 200 ms after the write. The simulated hardware needs 200 ms (the associations
	# run in parallel); everything beyond that is pvboot's: its CPU and I/O time (wall
	# clock) plus the virtual time it slept past a completion.
	cat >"$t/ap.yaml" <<YAML
- {mode: Accel}
- {mode: Accel}
- {name: n0, mode: EP11, mkvp: 0x$(wk 01.0000)}
- {name: n1, mode: EP11, mkvp: 0x$(wk 02.0000)}
- {name: n2, mode: EP11, mkvp: 0x$(wk 03.0000)}
- {name: n3, mode: EP11, mkvp: 0x$(wk 04.0000)}
YAML
	lat_machine() {
		mkdir -p "$1"
		cat >"$1/machine.yaml" <<'YAML'
ap:
  assoc_ms: 200
  cards:
    - {card: 1, type: CEX8P, wk: auto, domains: [0]}
    - {card: 2, type: CEX8P, wk: auto, domains: [0]}
    - {card: 3, type: CEX8P, wk: auto, domains: [0]}
    - {card: 4, type: CEX8P, wk: auto, domains: [0]}
    - {card: 5, type: CEX8A, domains: [0, 1]}
YAML
		store "$1" 4
	}
	over_min='' over_max=0 wall_min=''
	for run in 1 2 3 4 5; do
		m=$t/lat$run
		lat_machine "$m"
		s=$(date +%s%N)
		PVBOOT_SIM_MACHINE=$m "$SIM" -q ap apply --strict -c "$t/ap.yaml" || die "ap apply failed"
		e=$(date +%s%N)
		over=$(($(clock "$m") - 200000000))
		[ -n "$over_min" ] && [ "$over_min" -le "$over" ] || over_min=$over
		[ "$over_max" -ge "$over" ] || over_max=$over
		[ -n "$wall_min" ] && [ "$wall_min" -le $((e - s)) ] || wall_min=$((e - s))
	done
	printf 'ap latency, 4 EP11 + 2 accel, association 200 ms: slept beyond the hardware %s..%s ms (5 runs); pvboot-sim process wall %s ms (best, simulator I/O included)\n' \
		"$(ms "$over_min")" "$(ms "$over_max")" "$(ms "$wall_min")"
	if callgrind; then
		lat_machine "$t/latcg"
		PVBOOT_SIM_MACHINE=$t/latcg valgrind --tool=callgrind --callgrind-out-file="$t/cgl" \
			"$SIM" -q ap apply --strict -c "$t/ap.yaml" 2>"$t/logl" || die "ap apply failed"
		callgrind_annotate --inclusive=yes --threshold=100 "$t/cgl" >"$t/annl" 2>/dev/null
		total=$(sed -n 's/.*Collected : //p' "$t/logl" | tr -d ,)
		seam=$(awk '/ [?]+:host_[a-z_]+ / && !/host_path / { gsub(",", "", $1); s += $1 }
			END { print s + 0 }' "$t/annl")
		printf 'ap latency, instructions: %s in pvboot (%s with the simulator)\n' \
			"$((total - seam))" "$total"
	fi
	w0=$(wc -l <"$m/sysfs.log")
	s=$(date +%s%N)
	PVBOOT_SIM_MACHINE=$m "$SIM" -q ap apply --strict -c "$t/ap.yaml" || die "ap apply failed"
	e=$(date +%s%N)
	printf 'ap latency, the same guest again (nothing to do): wall %s ms, %d sysfs writes\n' \
		"$(ms $((e - s)))" "$(($(wc -l <"$m/sysfs.log") - w0))"

	# Scaling: 16 cards x 64 domains (8 EP11 cards, 8 accelerator cards, all unbound),
	# 32 entries: 16 accelerators and 16 EP11 domains spread over the cards (no serial
	# numbers given, so pvboot reads every key the greedy walk passes).
	m=$t/scale
	mkdir -p "$m"
	{
		echo 'ap:'
		echo '  cards:'
		for c in $(seq 1 8); do echo "    - {card: $c, type: CEX8P, wk: auto, domains: 0-63}"; done
		for c in $(seq 9 16); do echo "    - {card: $c, type: CEX8A, domains: 0-63}"; done
	} >"$m/machine.yaml"
	store "$m" 16
	{
		for i in $(seq 0 15); do echo '- {mode: Accel}'; done
		for i in $(seq 0 15); do
			printf -- '- {name: n%d, mode: EP11, mkvp: 0x%s}\n' "$i" \
				"$(wk "$(printf '%02x.%04x' $((i % 8 + 1)) $((i * 4)))")"
		done
	} >"$t/scale.yaml"
	cp -r "$m" "$t/scale2"
	s=$(date +%s%N)
	PVBOOT_SIM_MACHINE=$m "$SIM" -q ap apply --strict -c "$t/scale.yaml" || die "ap apply failed"
	e=$(date +%s%N)
	printf 'ap scaling, 1024 queues / 16 cards / 32 entries: wall %s ms, virtual sleep %s ms, %d sysfs writes\n' \
		"$(ms $((e - s)))" "$(ms "$(clock "$m")")" "$(wc -l <"$m/sysfs.log")"
	s=$(date +%s%N)
	PVBOOT_SIM_MACHINE=$m "$SIM" -q ap apply --strict -c "$t/scale.yaml" || die "ap apply failed"
	e=$(date +%s%N)
	printf 'ap scaling, second run (nothing to do): wall %s ms\n' "$(ms $((e - s)))"
	if callgrind; then
		PVBOOT_SIM_MACHINE=$t/scale2 valgrind --tool=callgrind \
			--callgrind-out-file="$t/cg" "$SIM" -q ap apply --strict -c "$t/scale.yaml" \
			2>"$t/log" || die "ap apply failed"
		total=$(sed -n 's/.*Collected : //p' "$t/log")
		# pvboot's own share: everything behind the host seam (host_*: the simulated
		# kernel, UV and AP bus) excluded; host_path is called inside host_lock_try
		callgrind_annotate --inclusive=yes --threshold=100 "$t/cg" >"$t/ann" 2>/dev/null
		seam=$(awk '/ [?]+:host_[a-z_]+ / && !/host_path / { gsub(",", "", $1); s += $1 }
			END { print s + 0 }' "$t/ann")
		plan=$(awk '/ [?]+:ap_plan_(make|resume) / { gsub(",", "", $1); s += $1 }
			END { print s + 0 }' "$t/ann")
		printf 'ap scaling, instructions: %s in all, %s behind the host seam (simulator), %s in pvboot (%s in planning)\n' \
			"$total" "$seam" "$((total - seam))" "$plan"
	fi
	rm -rf "$t"
fi
