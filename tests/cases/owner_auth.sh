#!/bin/bash
# Owner authentication (pvboot(8), OWNER AUTHENTICATION): a set is taken only if the
# image owner made it. With user_cert, toc.asr (plain mode: every expected request) must
# carry user data signed with the owner's key; with cck_enforcement the ultravisor itself
# refuses requests made without the CCK. Every attack below ends with no request added.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
K=$TESTS/keys

# flipbit FILE OFFSET: flip the lowest bit of one byte
flipbit() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# set_with ARGS...: mkbootset with ARGS instead of the owner's signature
set_with() {
	local -a SIGN=("$@")
	mkbootset
}
adds() {
	local log
	log=$(cat "$MACHINE/uv.log" 2>/dev/null)
	echo "# uv.log: $(grep -c '^add ' <<<"$log") add calls, $(grep -c '^add .*rc=0x0001' <<<"$log") accepted"
}

note "check-config: a configuration with neither way is refused, naming both"
printf 'lock: true\n' >none.yaml
run pvboot check-config none.yaml
printf 'cck_enforcement: false\n' >none.yaml
run pvboot check-config none.yaml
note "user_cert: every key pvsecret signs with, as a certificate or a public key, PEM or DER"
for c in owner-ec.crt owner-ec.crt.der owner-ec.pub.pem owner-ec.pub.der; do
	printf 'user_cert: %s\n' "$K/$c" >c.yaml
	run pvboot check-config c.yaml 2>&1 | sed "s|$K|K|g" | grep -v '^  [^o]'
done
printf 'user_cert: %s\n' "$TESTS/vectors/keys/rsa3072.crt" >c.yaml
run pvboot check-config c.yaml 2>&1 | sed "s|$TESTS|TESTS|g" | grep '^\$\|owner\|exit'
note "user_cert problems: line and column, and what is wrong with the file"
for c in missing.crt owner-ec.key p256.crt rsa4096.pub.pem README; do
	printf 'lock: true\nuser_cert: %s\n' "$K/$c" >c.yaml
	run pvboot check-config c.yaml 2>&1 | sed "s|$K|K|g"
done
printf 'user_cert: keys/owner.crt\n' >c.yaml
run pvboot check-config c.yaml
printf 'user_cert: /etc/owner.crt\ncck_enforcement: yes please\n' >c.yaml
run pvboot check-config c.yaml

note "the boot job refuses such a configuration too (and with no file and rd.pvboot)"
boot_machine
mkbootset
image_config <<<'cck_enforcement: false'
sed -i '/^user_cert/d' "$MACHINE/root/etc/pvboot/pvboot.yaml"
boot
adds
rm "$MACHINE/root/etc/pvboot/pvboot.yaml"
image_file /etc/cmdline.d/pvboot.conf <<<'rd.pvboot'
boot
adds
rm "$MACHINE/root/etc/cmdline.d/pvboot.conf"

note "pvboot secret verify: requests signed by OpenSSL as pvsecret signs them"
S=$TESTS/vectors/signed
cp "$S"/*.asr . && cp "$K"/owner-ec.crt "$K"/other-ec.crt "$TESTS"/vectors/keys/rsa*.crt .
run pvboot secret verify --user-cert owner-ec.crt ec-meta.asr ec-assoc.asr
run pvboot secret verify --user-cert rsa2048.crt rsa2048-meta.asr rsa2048-salt64-meta.asr
run pvboot secret verify -u rsa3072.crt rsa3072-assoc.asr
note "with another key, another key type, none; an unsigned request; a bad certificate"
run pvboot secret verify --user-cert other-ec.crt ec-meta.asr
run pvboot secret verify --user-cert rsa3072.crt rsa2048-meta.asr ec-meta.asr
run pvboot secret verify ec-meta.asr
cp "$TESTS/vectors/exp/asrcb/null_none_default_cuid_one" unsigned.asr
run pvboot secret verify unsigned.asr
run pvboot secret verify --user-cert owner-ec.crt unsigned.asr
run pvboot secret verify --user-cert README ec-meta.asr
printf 'x' >README
run pvboot secret verify --user-cert README ec-meta.asr
run pvboot secret verify --user-cert owner-ec.crt
note "a bad size field; trailing bytes after the DER signature"
cp ec-meta.asr size.asr
printf '\000\213' | dd of=size.asr bs=1 seek=$((0x218 + 0x190)) conv=notrunc status=none
run pvboot secret verify --user-cert owner-ec.crt size.asr
cp ec-meta.asr trail.asr
printf '\001' | dd of=trail.asr bs=1 seek=$((0x218 + 256 + 138)) conv=notrunc status=none
run pvboot secret verify --user-cert owner-ec.crt trail.asr
note "secret inspect shows the user-data type and the signature size"
run pvboot secret inspect ec-meta.asr | grep '^\$\|^User\|^Sig\|exit'
run pvboot secret inspect rsa3072-assoc.asr | grep '^\$\|^User\|^Sig\|exit'
run pvboot secret inspect --format json rsa2048-meta.asr | grep -o '"user_data[a-z_]*":[0-9]*'

note "the owner's route with pvsecret: ebc policy-ref --size 256, then create --user-data --user-sign-key"
printf '00112233445566778899aabbccddeeff\n' >toc.pol
run pvboot ebc policy-ref --size 256 -o ud.bin toc.pol
mkasr "${GEN[@]}" --user-data ud.bin --user-sign-key "$K/owner-ec.key" -o toc.asr meta
mkasr "${GEN[@]}" --policy toc.pol --user-sign-key "$K/owner-ec.key" -o ref.asr meta
cmp toc.asr ref.asr && echo "the same bytes as mkasr --policy with the key"
run pvboot secret verify --user-cert owner-ec.crt toc.asr
run pvboot ebc policy-ref --size 128 -n "$(printf 'n%.0s' {1..97})" -o ud.bin toc.pol
run pvboot secret verify --help

note "1. the host's own complete, consistent set (unsigned), against an image with user_cert"
reboot
image_config </dev/null
rm -r "$MACHINE/bootfs/sics"
set_with
note "   consistent (pvboot ebc verify without --user-cert accepts it), but not the owner's:"
run pvboot ebc verify "$MACHINE/bootfs/sics" 2>&1 | tail -2
run pvboot ebc verify --user-cert "$K/owner-ec.crt" "$MACHINE/bootfs/sics" 2>&1 |
	sed "s|$K|K|g; s|$MACHINE|M|g"
boot
adds
note "2. the host's set signed with another key"
reboot
rm -r "$MACHINE/bootfs/sics"
set_with --user-sign-key "$K/other-ec.key"
boot
adds
set_with --user-sign-key "$TESTS/vectors/keys/rsa2048key.pem"
boot
adds

note "3. the owner's set with one bit of toc.asr's signature flipped"
reboot
rm -r "$MACHINE/bootfs/sics"
mkbootset
flipbit "$MACHINE/bootfs/sics/toc.asr" $((0x218 + 256 + 40))
boot
adds
note "   ... or one bit of its signed data (the policy reference's hash)"
mkbootset
flipbit "$MACHINE/bootfs/sics/toc.asr" $((0x218 + 3))
boot
adds

note "4. a validly signed toc.asr whose toc.pol was changed: the host lists its own passphrase"
reboot
mkbootset
(
	cd "$MACHINE/bootfs/sics" || exit 1
	printf 'the host knows this' >"$T/hostpass"
	mkasr "${GEN[@]}" "${EXT[@]}" -o luks.asr retrievable luks-root --kind plain --secret "$T/hostpass"
	: >toc.pol
	for f in luks.asr ep11.asr data.asr; do
		tail -c 16 "$f" | od -An -tx1 | tr -d ' \n' >>toc.pol
		echo >>toc.pol
	done
)
boot
adds

note "5. a toc.asr the owner signed for another image: the UV refuses it, nothing else is added"
reboot
rm -r "$MACHINE/bootfs/sics"
mkbootset
(
	cd "$MACHINE/bootfs/sics" || exit 1
	OTHER=(-k "$V/cert/host.crt" --tags "$(printf '%0416d' 0 | tr 0 b)" "${DET[@]}")
	mkasr "${OTHER[@]}" "${EXT[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
)
boot
adds
after_boot | sed -n '/--- uv/,$p'

note "the owner's set signed with RSA-2048 (and RSA-3072) boots with the matching user_cert"
reboot
rm -r "$MACHINE/bootfs/sics"
set_with --user-sign-key "$TESTS/vectors/keys/rsa2048key.pem"
image_config <<<'user_cert: /etc/pvboot/rsa.crt'
cp "$TESTS/vectors/keys/rsa2048.crt" "$MACHINE/root/etc/pvboot/rsa.crt"
boot
adds
reboot
rm -r "$MACHINE/bootfs/sics"
set_with --user-sign-key "$TESTS/vectors/keys/rsa3072key.pem" --pss-salt max
cp "$TESTS/vectors/keys/rsa3072key.pub.pem" "$MACHINE/root/etc/pvboot/rsa.crt"
run pvboot ebc verify --user-cert "$TESTS/vectors/keys/rsa3072.crt" "$MACHINE/bootfs/sics" 2>&1 |
	sed "s|$MACHINE|M|g; s|$TESTS|TESTS|g; s|tag [0-9a-f]*|tag (random: PSS salts are)|" | head -3
boot | grep -v '^! pvboot: added'
adds

note "plain mode with user_cert: every expected request must be signed by the owner"
reboot
image_config <<'YAML'
mode: plain
expect: [{name: luks-root, type: plaintext}, {name: EP11 domain 5, type: association}]
YAML
rm -r "$MACHINE/bootfs/sics"
mkbootset
boot | tail -2
adds
reboot
cp "$T/hostpass" "$T/pass.txt"
(
	cd "$MACHINE/bootfs/sics" || exit 1
	mkasr "${GEN[@]}" "${EXT[@]}" -o luks.asr retrievable luks-root --kind plain --secret "$T/pass.txt"
)
boot
adds

note "the CCK path: an image built with --enable-cck-extension-secret, cck_enforcement: true"
cck_machine
image_config <<<'cck_enforcement: true'
note "the host's own set (it has no CCK): refused by the UV at toc.asr, nothing else added"
set_with
boot
adds
after_boot | sed -n '/--- uv/,$p'
note "the owner's set made with the CCK boots"
reboot
rm -r "$MACHINE/bootfs/sics"
EXT=(--cck "$T/cck.bin")
set_with
boot | tail -2
adds
