#!/bin/bash
# A failed boot leaves the secret store locked whenever lock is on, whatever the
# failure action: with `on_failure: continue` (or shell) whatever runs next must not
# be able to add secrets. Each failure step: the configuration, the source (before any
# add), the set (nothing submitted), half-way adds, retrieve, AP; lock: false leaves
# the store open; without /dev/uv nothing can be locked, and the status says so.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

status_lock() {
	echo "--- status: lock"
	grep -e '^secret store' -e '^  lock' "$MACHINE/root/run/pvboot/status.txt"
	grep '"locked"' "$MACHINE/root/run/pvboot/status.json"
	echo "---"
}

note "the configuration cannot be parsed: lock is on by default (action from the command line)"
boot_machine
mkbootset
image_config <<<'on_failure: [continue'
image_file /etc/cmdline <<<'rd.pvboot.onfail=continue'
boot
after_boot
status_lock
rm "$MACHINE/root/etc/cmdline"

note "the source never appears: nothing was added, the store is locked anyway"
reboot
image_config <<'YAML'
on_failure: continue
source: LABEL=nothing
timeouts: {source: 1}
YAML
boot
after_boot
status_lock

note "the set does not verify: nothing submitted, locked"
reboot
image_config <<<'on_failure: shell'
cp "$MACHINE/bootfs/sics/toc.pol" toc.pol.good
head -1 toc.pol.good >>"$MACHINE/bootfs/sics/toc.pol"
boot
after_boot
status_lock
cp toc.pol.good "$MACHINE/bootfs/sics/toc.pol"

note "the UV refuses a request half way (store full): locked after the adds"
MAX_RETR=1 boot_machine
mkbootset
image_config <<<'on_failure: continue'
boot
after_boot
status_lock

note "a secret to retrieve is missing (after the lock step: locked once)"
boot_machine
mkbootset
image_config <<'YAML'
on_failure: continue
retrieve:
  - {name: no-such-secret, path: /run/pvboot/x.key}
YAML
boot
after_boot
status_lock

note "the AP step fails (no AP bus, strict): locked once"
reboot
image_config <<'YAML'
on_failure: continue
ap: {strict: true, entries: [{mode: Accel}]}
timeouts: {ap: 1}
YAML
boot
after_boot
status_lock

note "lock: false (the owner's choice): a failure does not lock"
reboot
image_config <<'YAML'
on_failure: continue
lock: false
source: LABEL=nothing
timeouts: {source: 1}
YAML
boot
after_boot
status_lock

note "no /dev/uv: nothing can be locked; the status says the store is not locked"
machine m2 <<'YAML'
uvdevice: absent
clock: virtual
YAML
image_config <<<'{on_failure: continue, timeouts: {uv: 1}}'
boot
status_lock
