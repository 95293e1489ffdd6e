#!/bin/bash
# Helpers for the ebc_*.sh cases (sourced after lib.sh; not a case itself).
#
#   ebc_machine [DIR]   the standard machine, with an SE header that allows CCK updates
#   mkset DIR           an early-boot set in the s390-tools (pvics) layout: the LUKS key,
#                       cck.asr, the passphrase and two user requests, all with one
#                       extension secret and listed in toc.pol; toc.asr references it
#   retoc DIR           remake DIR/toc.asr for the current DIR/toc.pol (the owner made
#                       a set with that policy)
#   copyset FROM TO     a copy of a set (regular files only)
#   adds                how many add calls reached the simulated UV so far
#   userdata HASH NAME OUT   512 bytes of user data: HASH (64 hex) then NAME (printf
#                       format, so \000 is a NUL), NUL padded

ebc_machine() {
	machine "$@" <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
scf: {cck_update_allowed: true}
max_assoc_secrets: 4
max_retr_secrets: 4
YAML
}

[ -f "$T/ext.bin" ] || {
	bytes 32 e5 "$T/ext.bin"
	bytes 64 17 "$T/xts.key"
	bytes 32 c1 "$T/newcck.bin"
	bytes 32 a5 "$T/assoc.bin"
	bytes 32 33 "$T/user.key"
	printf 'correct horse battery staple' >"$T/pass.txt"
}
EXT=(--extension-secret "$T/ext.bin")

mkset() {
	mkdir -p "$1"
	(
		cd "$1" || exit 1
		rm -f toc.pol
		mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o rfs-luks-key.asr \
			retrievable rfs-luks-key --kind aes-xts-256 --secret "$T/xts.key"
		mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o cck.asr update-cck "$T/newcck.bin"
		mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o luks-rfs-passphrase.asr \
			retrievable luks-rfs-passphrase --kind plain --secret "$T/pass.txt"
		mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o ep11.asr \
			association "EP11 domain 5" --input-secret "$T/assoc.bin"
		mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o user-key.asr \
			retrievable user-key --kind aes-256 --secret "$T/user.key"
		mkasr "${GEN[@]}" "${EXT[@]}" --policy toc.pol -o toc.asr meta
	) || exit 1
}

retoc() {
	(cd "$1" && mkasr "${GEN[@]}" "${EXT[@]}" --policy toc.pol -o toc.asr meta) || exit 1
}

copyset() {
	local f
	mkdir -p "$2"
	for f in "$1"/*; do
		if [ -f "$f" ] && [ ! -L "$f" ]; then cp "$f" "$2"/; fi
	done
}

adds() {
	local n
	n=$(grep -c '^add ' "$MACHINE/uv.log" 2>/dev/null)
	echo "# uv.log: ${n:-0} add calls"
}

userdata() {
	{
		printf '%b' "$(printf '%s' "$1" | sed 's/../\\x&/g')"
		printf "$2"
		head -c 512 /dev/zero
	} | head -c 512 >"$3"
}
