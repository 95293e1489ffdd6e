#!/bin/bash
# The root volume (issue 15) on the simulated machine: the boot job attaches the root
# from its sealed header (the image's cryptsetup, the key on a pipe: dm.log records the
# call and the byte count, never the bytes) and proves the live device-mapper table;
# `pvboot root check` proves a root whose header is on the disk. The owner's table is
# the control of every refusal; a refusal removes the mapping and wipes the retrieved
# files before the failure.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"

KEYRING=":64:logon:cryptsetup:0f0e0d0c-0b0a-4908-8706-050403020100-d0"
OWNER="0 65536 crypt aes-xts-plain64 $KEYRING 0 254:16 0 1 sector_size:4096"
# boot_root TABLE [STATUS [OUTPUT]]: a fresh machine whose attach program loads TABLE
boot_root() {
	boot_machine <<YAML
  - {dev: /dev/vdb, partuuid: 5eed0000-0000-4000-8000-000000000001, devno: "254:16", dir: bootfs, image: disk.img}
dm:
  status: ${2:-0}
  output: "${3:-}"
  table: "$1"
YAML
	mkbootset
	cp "$TESTS/vectors/luks2/${DISK_HDR:-ondisk.hdr}" "$MACHINE/disk.img"
	image_file /etc/pvboot/root.hdr <"$TESTS/vectors/luks2/aes512.hdr"
	image_config <<YAML
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
root:
  device: PARTUUID=5eed0000-0000-4000-8000-000000000001
  key: {name: luks-root}
  ${HEADER-header: /etc/pvboot/root.hdr}
${CIPHER:-}
YAML
}
# the boot, its attach lines and verdict, the files below /run
boot_brief() {
	boot | grep -aE '^(\$ |ok$|poweroff$|\[exit)|attach|FAILED'
	echo "--- files below /run"
	(cd "$MACHINE/root" && find run -type f ! -name '*.lock' ! -name 'status.*' -printf '%m %s %p\n' | sort)
}
dm_state() {
	echo "--- dm.log"
	cat "$MACHINE/dm.log" 2>/dev/null
	echo "--- live tables"
	(cd "$MACHINE" && for f in dm/*; do [ -e "$f" ] && echo "$f: $(cat "$f")"; done)
	echo "---"
}

note "the sealed header: attach, then the live table is the header's (the control)"
boot_root "$OWNER"
boot
after_boot
dm_state
note "a second run finds its own mapping: checked, not opened again"
boot | grep -a 'attach'
dm_state

note "the attach program loads another table: refused, removed, the key file wiped"
for t in "0 65536 crypt cipher_null-ecb - 0 254:16 0" \
	"0 65536 crypt capi:ecb(cipher_null)-plain - 0 254:16 0" \
	"0 65536 crypt aes-xts-plain64 $KEYRING 0 254:32 0 1 sector_size:4096" \
	"0 65536 crypt aes-xts-plain64 :32:logon:x 0 254:16 0 1 sector_size:4096" \
	"0 65536 crypt aes-xts-plain64 $KEYRING 0 254:16 0" \
	"0 65536 crypt aes-xts-plain64 $KEYRING 0 254:16 0 1 integrity:28:aead" \
	"0 65536 linear 254:16 0"; do
	boot_root "$t"
	boot_brief
	dm_state
done

note "cryptsetup fails (a wrong key, random bytes): the failure, the key file wiped"
boot_root "$OWNER" 2 "No key available with this passphrase."
boot_brief
dm_state

note "a header on the disk: the boot job leaves the unlock to the initramfs ..."
HEADER='' boot_root "$OWNER"
boot_brief
dm_state
note "... and pvboot root check proves what it opened, from the disk's header"
mkdir -p "$MACHINE/dm"
echo "0 65536 crypt aes-xts-plain64 $KEYRING 0 254:16 4096 1 sector_size:4096" >"$MACHINE/dm/root"
run pvboot --kmsg root check
note "the host rewrote the disk's data cipher: the stock unlock made a null mapping"
echo "0 65536 crypt cipher_null-ecb - 0 254:16 4096" >"$MACHINE/dm/root"
run pvboot --kmsg root check
echo "--- files below /run"
(cd "$MACHINE/root" && find run -type f ! -name '*.lock' ! -name 'status.*' -printf '%m %s %p\n' | sort)
dm_state
note "no mapping at all: fails closed"
run pvboot root check
note "the disk's header itself is refused (cipher_null in its JSON area)"
HEADER='' DISK_HDR=aes512.hdr boot_root "$OWNER"
mkasr luks2-edit "$TESTS/vectors/luks2/ondisk.hdr" "$MACHINE/disk.img" json \
	'"encryption":"aes-xts-plain64","sector_size"' '"encryption":"cipher_null-ecb","sector_size"'
boot >/dev/null
mkdir -p "$MACHINE/dm"
echo "0 65536 crypt cipher_null-ecb - 0 254:16 4096" >"$MACHINE/dm/root"
run pvboot root check
dm_state
note "not an SE guest, or no root: configured: skipped"
boot_machine <<<'se_guest: false'
image_config </dev/null
run pvboot root check

note "paes: a pvics volume (paes-xts-plain64, a 44-byte UV secret token as its key)"
paes_hdr() {
	mkasr luks2-edit "$TESTS/vectors/luks2/aes512.hdr" "$MACHINE/root/etc/pvboot/root.hdr" \
		json '"encryption":"aes-xts-plain64","sector_size"' '"encryption":"paes-xts-plain64","sector_size"' \
		json '"key_size":64' '"key_size":44'
}
boot_root "0 65536 crypt paes-xts-plain64 :44:logon:cryptsetup:p-d0 0 254:16 0 1 sector_size:4096"
paes_hdr
boot | grep -a 'attach'
note "... where the image expects paes, a clear-key aes table is refused"
CIPHER='  cipher: paes-xts-plain64' boot_root "$OWNER"
paes_hdr
boot | grep -a 'attach'
dm_state
