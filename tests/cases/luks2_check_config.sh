#!/bin/bash
# pvboot check-config and root: the sealed LUKS2 header is read at image build time and
# every refusal of issue 15 names the header file and the reason. Each hostile header is
# made from the owner's (tests/vectors/luks2/aes512.hdr, a real cryptsetup header) the
# way a host would, by rewriting the JSON area and recomputing both checksums; the
# owner's header, checked first, is the control.
. "$TESTS/cases/lib.sh"

cp "$TESTS/keys/owner-ec.crt" owner.crt
# The fixture holds the two header copies; a header file also holds its keyslots area.
hdr() {
	cp "$TESTS/vectors/luks2/$1" "$2"
	truncate -s 294912 "$2"
}
edit() {
	mkasr luks2-edit "$TESTS/vectors/luks2/aes512.hdr" root.hdr "$@"
	truncate -s 294912 root.hdr
}
conf() {
	cat >pvboot.yaml <<YAML
user_cert: $T/owner.crt
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
root:
  device: UUID=0f0e0d0c-0b0a-4908-8706-050403020100
  key: {name: luks-root}
  header: $T/root.hdr
$1
YAML
}
check() {
	run pvboot check-config "$@" pvboot.yaml 2>&1 | sed "s|$T|T|g"
}
SEG='"encryption":"aes-xts-plain64","sector_size"'
AREA='"encryption":"aes-xts-plain64","key_size":64}'

note "control: the owner's header, the default ciphers; the image needs these files"
conf ""
hdr aes512.hdr root.hdr
check
check --list-files
note "the header on the disk: no file to read or install"
sed -i '/header:/d' pvboot.yaml
check
check --list-files

note "cipher_null in the data segment, in two spellings the kernel takes"
conf ""
edit json "$SEG" '"encryption":"cipher_null-ecb","sector_size"'
check
edit json "$SEG" '"encryption":"Cipher_Null-cbc-plain","sector_size"'
check
note "cipher_null in the keyslot area (opens with any passphrase before cryptsetup 2.8.1)"
edit json "$AREA" '"encryption":"cipher_null-ecb","key_size":64}'
check
note "only in the secondary copy, which the host made the newer one"
edit json1 "$SEG" '"encryption":"cipher_null-ecb","sector_size"' seqid1 99
check

note "an unfinished re-encryption (a real cryptsetup reencrypt --init-only header)"
hdr reencrypt.hdr root.hdr
truncate -s 1081344 root.hdr
check
note "a reencrypt keyslot, a linear segment, segment flags, any requirement"
edit json '"type":"luks2"' '"type":"reencrypt"'
check
edit json '"type":"crypt"' '"type":"linear"'
check
edit json '"sector_size":4096}' '"sector_size":4096,"flags":["backup-final"]}'
check
edit json '"keyslots_size":"262144"' '"keyslots_size":"262144","requirements":{"mandatory":["opal"]}'
check

note "what the reader does not understand"
edit json '"sector_size":4096}' '"sector_size":4096,"integrity":{"type":"hmac(sha256)"}}'
check
edit json '"sector_size":4096}' '"sector_size":4096,"iv_large_sectors":true}'
check
edit json '"keyslots_size":"262144"' '"keyslots_size":"262144","flags":["hw-opal"]'
check
note "more than one crypt segment"
edit json '"segments":{' '"segments":{"1":{"type":"crypt","offset":"0","size":"dynamic","iv_tweak":"0","encryption":"aes-xts-plain64","sector_size":4096},'
check

note "keys under 256 bits: the volume key, the keyslot area key"
edit json '"key_size":64,"af"' '"key_size":16,"af"'
check
edit json "$AREA" '"encryption":"aes-xts-plain64","key_size":16}'
check

note "a data cipher that is not allowed: by default, then named by the owner"
edit json "$SEG" '"encryption":"serpent-xts-plain64","sector_size"'
check
conf "  cipher: serpent-xts-plain64"
check
conf "  cipher: [paes-xts-plain64]"
check
edit json "$SEG" '"encryption":"paes-xts-plain64","sector_size"'
check

note "broken headers: a checksum, equal seqids that disagree, a file cut short"
conf ""
edit badcsum0
check
edit json1 "$SEG" '"encryption":"aes-cbc-essiv:sha256","sector_size"'
check
cp "$TESTS/vectors/luks2/aes512.hdr" root.hdr
check
note "not a regular file: a symbolic link, a directory; missing"
hdr aes512.hdr real.hdr
ln -sf real.hdr root.hdr
check
rm root.hdr && mkdir root.hdr
check
rmdir root.hdr
check

note "the root: entry itself"
conf "  cipher: cipher_null-ecb"
check
conf "  cipher: [aes-xts-plain64, aes-xts-plain64]"
check
conf "  name: ../root"
check
sed -i 's/^  device: .*/  device: sda1/' pvboot.yaml
check
conf ""
sed -i 's|^  header: .*|  header: root.hdr|' pvboot.yaml
check
printf 'cck_enforcement: true\nroot:\n  device: LABEL=r\n' >pvboot.yaml
check
printf 'cck_enforcement: true\nroot:\n  device: LABEL=r\n  key: {id: 0x%064d, type: aes-256}\n  tpm: yes\n' 0 >pvboot.yaml
check
