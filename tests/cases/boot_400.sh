#!/bin/bash
# A store of 400 secrets (more than pvsecret's 4-page list of 340): the boot job, `secret
# list`, retrieve and the skip-present rule see the whole store, so a second run in the
# same boot adds nothing and succeeds on the locked store, and the set's secrets (at
# indices 397..399) are found for retrieve.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
MAX_RETR=500 boot_machine
mkbootset
# 397 earlier secrets (plaintext, ids 1..397), as the simulator's state file
{
	echo "version 1"; echo "locked 0"; echo "dump_disabled 0"
	echo "cck $(printf '%064d' 0)"; echo "ext_secret -"; echo "next_index 397"
	echo "calls info=0 add=0 list=0 lock=0 retrieve=0"
	for ((i = 0; i < 397; i++)); do
		printf 'secret index=%d type=0x0003 len=16 id=%064x value=%032d\n' "$i" "$((i + 1))" 0
	done
} >"$MACHINE/state"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
  - {name: data-key, path: /run/pvboot/data.key}
YAML
boot
after_boot
note "a second run in the same boot: everything is already present"
boot
after_boot
grep -e '^  add' -e '^  retrieve' "$MACHINE/root/run/pvboot/status.txt"
run pvboot secret list --format yaml -o list.yaml
grep -c '^- index' list.yaml
tail -4 list.yaml
pvboot secret list 2>&1 | tail -2
run pvboot secret retrieve --name luks-root -o again.key
if cmp -s again.key "$MACHINE/root/run/pvboot/luks.key"; then echo "the same key"; else echo "not the same key"; fi
