#!/bin/bash
# The boot job's AP step: two EP11 cards and an accelerator whose bus scan completes
# late; bind + associate with the set's association secret; a re-run writes nothing;
# bindings that never complete (bounded wait); strict and non-strict.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
WK3=0x3333333333333333333333333333333333333333333333333333333333333333
WK4=0x4444444444444444444444444444444444444444444444444444444444444444
ap_machine() {
	boot_machine <<YAML
ap:
  scan_ms: ${1:-300}
  driver_ms: ${2:-0}
  cards:
    - {card: 0x03, type: CEX8P, serialnr: 93AADFK719460003, queues: [{domain: 5, wk: $WK3}]}
    - {card: 0x04, type: CEX7P, serialnr: 93AADFK719460004, queues: [{domain: 5, wk: $WK4}]}
    - {card: 0x05, type: CEX8A, domains: [5]}
YAML
	mkbootset
}
sysfs_writes() {
	echo "--- sysfs writes"
	cat "$MACHINE/sysfs.log" 2>/dev/null
	echo "---"
}

ap_machine
image_config <<'YAML'
ap:
  strict: true
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x44444444444444444444444444444444}
    - {name: accelerator, mode: Accel, mingen: CEX8}
YAML
boot
after_boot
sysfs_writes
run pvboot ap list

note "a re-run in the same boot: nothing is written"
boot
sysfs_writes

note "the AP bus never finishes binding its devices: the wait is bounded"
ap_machine 300 never
image_config <<'YAML'
timeouts: {ap: 2}
ap:
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x33333333333333333333333333333333}
YAML
boot

note "an entry no queue satisfies: strict fails, non-strict is content with one"
ap_machine
image_config <<'YAML'
ap:
  strict: true
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x33333333333333333333333333333333}
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x55555555555555555555555555555555}
YAML
boot
ap_machine
image_config <<'YAML'
ap:
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x33333333333333333333333333333333}
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x55555555555555555555555555555555}
YAML
image_file /etc/cmdline.d/ap.conf <<<'rd.pvboot.strict=0'
boot
after_boot
note "rd.pvboot.strict makes it strict from the command line"
ap_machine
image_file /etc/cmdline.d/ap.conf <<<'rd.pvboot.strict'
boot

note "rd.pvboot.ap=0 skips the AP step"
ap_machine
image_file /etc/cmdline.d/ap.conf <<<'rd.pvboot.ap=0'
boot
sysfs_writes
