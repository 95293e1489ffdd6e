#!/bin/bash
# A GCM tag is no commitment (pvboot(8), OWNER AUTHENTICATION): whoever makes a request
# knows its key, and GHASH is linear in every block of the authenticated data, so one
# free block of user data forces any tag. Against a set made without an extension
# secret (pvsecret's default: all zeros), the host replaces the owner's luks-root request
# by one of its own with the listed tag; toc.asr and toc.pol stay the owner's, signed.
# Under user_cert every listed request must be signed by the owner: the forged member is
# refused before anything is submitted. Control: the owner's fully signed set boots.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
K=$TESTS/keys
adds() {
	local log
	log=$(cat "$MACHINE/uv.log" 2>/dev/null)
	echo "# uv.log: $(grep -c '^add ' <<<"$log") add calls, $(grep -c '^add .*rc=0x0001' <<<"$log") accepted"
}
tag() {
	tail -c 16 "$1" | od -An -tx1 | tr -d ' \n'
}

note "control: the owner's set, every member signed, no extension secret: it boots"
boot_machine
EXT=()
mkbootset
image_config <<'YAML'
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
YAML
run pvboot ebc verify --user-cert "$K/owner-ec.crt" "$MACHINE/bootfs/sics" 2>&1 |
	sed "s|$MACHINE|M|g; s|$K|K|g"
boot | grep -e 'retrieve:' -e 'done in'
adds

note "the attack: the host's own luks-root request, its tag forced to the listed one"
printf 'the host knows this' >"$T/hostpass"
S=$MACHINE/bootfs/sics
want=$(tag "$S/luks.asr")
mkasr "${GEN[@]}" --force-tag "$want" -o "$T/forged.asr" \
	retrievable luks-root --kind plain --secret "$T/hostpass"
[ "$(tag "$T/forged.asr")" = "$want" ] && echo "# forged.asr has the listed tag $want"
cmp -s "$T/forged.asr" "$S/luks.asr" || echo "# ... and is another request (the host's passphrase)"
cp "$T/forged.asr" "$S/luks.asr"
note "   the set is consistent: pvboot ebc verify without the owner's key takes it"
run pvboot ebc verify "$S" 2>&1 | sed "s|$MACHINE|M|g"
note "   the ultravisor would take it too (a valid tag, the same zero extension secret):"
reboot
run pvboot secret add "$S/toc.asr" "$S/luks.asr" 2>&1 | sed "s|$MACHINE|M|g"
adds
note "   but under user_cert each listed request must be signed: refused, nothing added"
reboot
run pvboot ebc verify --user-cert "$K/owner-ec.crt" "$S" 2>&1 | sed "s|$MACHINE|M|g; s|$K|K|g"
boot
adds
note "   no key file: nothing was retrieved"
after_boot | sed -n '/--- files/,/--- mounts/p'

note "the owner's member signed with another key, or listed unsigned: refused alike"
reboot
mkbootset
(
	cd "$S" || exit 1
	mkasr "${GEN[@]}" --user-sign-key "$K/other-ec.key" -o data.asr retrievable data-key \
		--kind aes-256 --secret "$T/data.key"
	mkasr "${GEN[@]}" -o ep11.asr association "EP11 domain 5" --input-secret "$T/assoc.bin"
	: >toc.pol
	for f in luks.asr ep11.asr data.asr; do
		echo "$(tag "$f")" >>toc.pol
	done
	mkasr "${GEN[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
)
boot
adds
(cd "$S" && mkasr "${GEN[@]}" "${SIGN[@]}" -o ep11.asr association "EP11 domain 5" \
	--input-secret "$T/assoc.bin")
sed -i "2s/.*/$(tag "$S/ep11.asr")/" "$S/toc.pol"
(cd "$S" && mkasr "${GEN[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta)
boot
adds

note "cck_enforcement alone: unsigned members stay accepted (a pvics set); the UV checks the CCK"
cck_machine
EXT=(--cck "$T/cck.bin")
SIGN=()
mkbootset
image_config <<<'cck_enforcement: true'
boot | tail -2
adds
note "user_cert and cck_enforcement: pvboot checks what it can, every member signed too"
reboot
image_config <<<'user_cert: /etc/pvboot/owner.crt
cck_enforcement: true'
(cd "$S" && mkasr "${GEN[@]}" "${EXT[@]}" --user-sign-key "$K/owner-ec.key" --policy toc.pol \
	-o toc.asr meta)
boot
adds
note "   the owner's set made with the CCK and signed throughout boots"
reboot
SIGN=(--user-sign-key "$K/owner-ec.key")
mkbootset
boot | tail -2
adds
