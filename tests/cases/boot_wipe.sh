#!/bin/bash
# No retrieved secret stays behind (issue 16). A step after retrieve fails -- the host
# withholds the AP card the configuration asks for -- and the key pvboot just wrote is
# overwritten and removed before the failure action is printed; the same boot with the
# card (the control) keeps it. `pvboot wipe`, the glue's last step before switch_root,
# removes every retrieved file except those with keep: true, and fails on what it must
# not touch.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
WK3=0x3333333333333333333333333333333333333333333333333333333333333333
card_machine() {
	boot_machine <<YAML
ap:
  scan_ms: 100
  cards:
$1
YAML
	mkbootset
}
CARD='    - {card: 0x03, type: CEX8P, serialnr: 93AADFK719460003, queues: [{domain: 5, wk: '$WK3'}]}'
config() {
	image_config <<YAML
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
  - {name: data-key, path: /run/keys/data.key, keep: ${1:-false}}
on_failure: ${2:-shell}
ap:
  strict: true
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x33333333333333333333333333333333}
YAML
}

note "control: the card is there: both keys in place, status ok"
card_machine "$CARD"
config
boot
after_boot

note "the host withholds the card: the AP step fails after retrieve; both keys removed"
card_machine "    []"
config
boot
after_boot

note "... also with on_failure: continue, and for a keep: true entry"
card_machine "    []"
config true continue
boot
after_boot

note "pvboot wipe before switch_root: the key goes, the keep: true entry stays"
card_machine "$CARD"
config true
boot
run pvboot wipe
after_boot
note "a second run: nothing left to remove"
run pvboot -vv wipe
note "--all removes the kept one too"
run pvboot wipe --all
after_boot

note "rd.pvboot=0: the boot job does not run, and neither does wipe (no trace at all)"
card_machine "$CARD"
config
boot
image_file /etc/cmdline.d/off.conf <<<'rd.pvboot=0'
run pvboot -vv wipe
after_boot | sed -n '/^--- files below/,/^--- mounts/p'

note "a symbolic link at a retrieve path is left alone, and wipe fails (the glue powers off)"
card_machine "$CARD"
config
mkdir -p "$MACHINE/root/run/keys"
ln -s /etc/passwd "$MACHINE/root/run/keys/data.key"
run pvboot wipe
ls -l "$MACHINE/root/run/keys" | sed -n 's/^\(l\)[^ ]* .* \(data.key -> .*\)/\1 \2/p'

note "an unreadable configuration: which files are secrets is unknown, wipe fails"
image_file /etc/pvboot/pvboot.yaml <<<'retrieve: [{name: x}]'
run pvboot wipe
note "no configuration at all: nothing to remove"
rm -f "$MACHINE/root/etc/pvboot/pvboot.yaml"
run pvboot wipe
