#!/bin/bash
# A second boot of the same image with a different set on the boot partition: the new
# set is verified and added; the old one is gone with the reboot.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
boot_machine
mkbootset
image_config <<<'retrieve: [{name: luks-root, path: /run/pvboot/luks.key}]'
boot
run pvboot secret list

note "the owner ships a new set: a new passphrase, no AES key"
reboot
rm -r "$MACHINE/bootfs/sics"
printf 'a new passphrase' >"$T/pass.txt"
mkdir -p "$MACHINE/bootfs/sics"
(
	cd "$MACHINE/bootfs/sics" || exit 1
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol -o luks.asr \
		retrievable luks-root --kind plain --secret "$T/pass.txt"
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
)
boot
after_boot
cat "$MACHINE/root/run/pvboot/luks.key"; echo
run pvboot secret list
