#!/bin/bash
# Helpers for the boot_*.sh cases (sourced after lib.sh; not a case itself).
#
#   boot_machine [EXTRA]  (re)create the standard machine, freshly booted, with a virtual
#                         clock (exact durations), MAX_RETR (default 4) retrievable slots
#                         and a boot partition /dev/vda1 (LABEL=boot, UUID=1234-ABCD)
#                         whose file system is $MACHINE/bootfs; EXTRA (YAML lines on
#                         stdin) is appended to machine.yaml
#   mkbootset [DIR]       a TOC set in DIR (default: the boot partition's sics): the
#                         LUKS passphrase "luks-root", the association secret
#                         "EP11 domain 5", an AES key "data-key"; toc.asr references
#                         toc.pol, which lists the three, and is signed with the image
#                         owner's key tests/keys/owner-ec.key (SIGN), as are the
#                         three requests (so that plain mode finds them signed)
#   image_config          the image's /etc/pvboot/pvboot.yaml, from stdin; unless it
#                         names user_cert or cck_enforcement itself, the line
#                         "user_cert: /etc/pvboot/owner.crt" is appended (the owner's
#                         certificate, tests/keys/owner-ec.crt, is in the image)
#   image_file PATH       another file of the image (/etc/...), from stdin
#   boot ARGS...          `pvboot --kmsg boot ARGS` under run (records exit and output)
#   after_boot            what the boot left: status.txt, files below /run with their
#                         modes, mounts.log, the simulated UV's adds and lock state
#   reboot                forget the UV state, logs, /run and the device mapper (the
#                         image stays)

boot_machine() {
	local extra=""

	[ -t 0 ] || extra=$(cat)
	[ -n "${MACHINE:-}" ] && reboot
	machine <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
max_assoc_secrets: 4
max_retr_secrets: ${MAX_RETR:-4}
clock: virtual
cmdline: "root=/dev/vda2 quiet"
disks:
  - {dev: /dev/vda1, label: boot, uuid: 1234-ABCD, partlabel: se-boot, dir: bootfs}
$extra
YAML
	mkdir -p "$MACHINE/bootfs/sics" "$MACHINE/root/etc"
}

[ -f "$T/ext.bin" ] || {
	bytes 32 e5 "$T/ext.bin"
	bytes 32 a5 "$T/assoc.bin"
	bytes 32 33 "$T/data.key"
	printf 'correct horse battery staple' >"$T/pass.txt"
}
EXT=(--extension-secret "$T/ext.bin")
SIGN=(--user-sign-key "$TESTS/keys/owner-ec.key")

mkbootset() {
	local dir=${1:-$MACHINE/bootfs/sics}

	mkdir -p "$dir"
	(
		cd "$dir" || exit 1
		rm -f toc.pol
		mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol -o luks.asr \
			retrievable luks-root --kind plain --secret "$T/pass.txt"
		mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol -o ep11.asr \
			association "EP11 domain 5" --input-secret "$T/assoc.bin"
		mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol -o data.asr \
			retrievable data-key --kind aes-256 --secret "$T/data.key"
		mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
	) || exit 1
}

image_config() {
	local f=$MACHINE/root/etc/pvboot/pvboot.yaml

	mkdir -p "$MACHINE/root/etc/pvboot"
	cp "$TESTS/keys/owner-ec.crt" "$MACHINE/root/etc/pvboot/owner.crt"
	cat >"$f"
	grep -q '^user_cert:\|^cck_enforcement:' "$f" || echo 'user_cert: /etc/pvboot/owner.crt' >>"$f"
}

image_file() {
	mkdir -p "$(dirname "$MACHINE/root$1")"
	cat >"$MACHINE/root$1"
}

boot() {
	run pvboot --kmsg boot "$@"
}

after_boot() {
	echo "--- status.txt"
	cat "$MACHINE/root/run/pvboot/status.txt" 2>/dev/null || echo "(none)"
	echo "--- files below /run"
	(cd "$MACHINE/root" 2>/dev/null && find run -type f ! -name '*.lock' -printf '%m %s %p\n' | sort)
	echo "--- mounts.log"
	cat "$MACHINE/mounts.log" 2>/dev/null
	echo "--- uv"
	sed -n 's/^\(add call=[0-9]* [^ ]* type=[^ ]*\).*/\1/p; /^lock/p' "$MACHINE/uv.log" 2>/dev/null
	grep '^locked' "$MACHINE/state" 2>/dev/null
	echo "---"
}

reboot() {
	rm -rf "$MACHINE/state" "$MACHINE/uv.log" "$MACHINE/kmsg" "$MACHINE/mounts.log" \
		"$MACHINE/root/run" "$MACHINE/ap.state" "$MACHINE/sysfs.log" "$MACHINE/dm.log" "$MACHINE/dm"
}
