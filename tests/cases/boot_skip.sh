#!/bin/bash
# When the boot job does nothing, and when "nothing" is a failure: not enabled, not an
# SE guest (optional / required by the file / required by rd.pvboot), rd.pvboot=0.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

note no pvboot.yaml and no rd.pvboot: not enabled, no trace at all
boot_machine
boot
after_boot

note rd.pvboot=0 wins over a configuration that requires pvboot
image_config <<'YAML'
required: true
YAML
image_file /etc/cmdline.d/50-pvboot.conf <<<'rd.pvboot=0'
boot
after_boot
rm "$MACHINE/root/etc/cmdline.d/50-pvboot.conf"

note not an SE guest, configured but not required: skipped quietly
machine <<'YAML'
se_guest: false
clock: virtual
YAML
image_config <<<'source: LABEL=boot'
boot
after_boot
run pvboot status

note not an SE guest and required by the file
image_config <<<'required: true'
boot
after_boot

note not an SE guest and required by rd.pvboot, with another failure action
machine m2 <<'YAML'
se_guest: false
clock: virtual
cmdline: "quiet rd.pvboot rd.pvboot.onfail=halt"
YAML
boot
run pvboot status
