#!/bin/bash
# The boot job's happy path: the s390-tools layout on LABEL=boot, a TOC set, the LUKS
# passphrase retrieved, the store locked; then `pvboot status`, the secret list, and a
# second run in the same boot that changes nothing.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
boot_machine
mkbootset
printf 'not an ASR\n' >"$MACHINE/bootfs/sics/README"
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
  - {name: data-key, type: aes-256, path: /run/keys/data.key}
YAML
boot
after_boot
note the passphrase file holds the payload, as pvsecret retrieve writes it
cat "$MACHINE/root/run/pvboot/luks.key"; echo
run pvboot status
run pvboot status --json
run pvboot secret list
note the kernel log got the same lines
cat "$MACHINE/kmsg"

note a second run in the same boot: nothing is added again, the locked store is fine
boot
after_boot
