#!/bin/bash
# Makes the LUKS2 header fixtures of tests/unit/test_luks2.c, tests/cases/luks2_*.sh and
# the fuzz seeds, with the cryptsetup of the machine (these were made with cryptsetup
# 2.6.1, Debian 12). Run it here: `bash make.sh`; it rewrites the *.hdr files.
#
# Each header is a real cryptsetup header, cut to its two binary header copies and JSON
# areas (2 x 16 KiB, --luks2-metadata-size 16k): the keyslot areas behind them are
# random key material the reader never looks at, and the tests that need a whole
# header file (check-config checks the file size) extend the cut copy with zeros.
# Fixed UUIDs, labels and passphrase; the salts and keys are random, so a second run
# gives other bytes with the same structure.
#
#   aes512.hdr     detached (--header), aes-xts-plain64, 512-bit key, sector 4096,
#                  one pbkdf2 keyslot: what pvboot.yaml(5) recommends
#   ondisk.hdr     header on the volume (data offset 16 MiB), argon2id, two keyslots,
#                  a label, one token (luks2-keyring)
#   reencrypt.hdr  detached aes512.hdr-like volume after `cryptsetup reencrypt
#                  --init-only`: a reencrypt keyslot, two segments, a requirement
#
# The other ciphers of the tests (cipher_null-ecb, serpent-xts-plain64, ...) need the
# kernel's device-mapper to be formatted (cryptsetup checks them through dm-crypt):
# the tests make them from aes512.hdr the way a hostile host does, by rewriting the JSON
# area and recomputing both checksums (tests/common/luks2_edit.c, `mkasr luks2-edit`).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'fixture-passphrase' >"$work/pw"
truncate -s 32M "$work/disk"

fmt() {
	local out=$1
	shift
	rm -f "$work/h"
	cryptsetup luksFormat --type luks2 --batch-mode --key-file "$work/pw" \
		--luks2-metadata-size 16k --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "$@"
}

cut_to() {
	head -c 32768 "$1" >"$2"
}

fmt aes512 --header "$work/h" --luks2-keyslots-size 256k --cipher aes-xts-plain64 \
	--key-size 512 --sector-size 4096 --uuid 0f0e0d0c-0b0a-4908-8706-050403020100 \
	--label pvboot-root "$work/disk" 2>/dev/null
cut_to "$work/h" aes512.hdr

cp "$work/disk" "$work/d2"
cryptsetup luksFormat --type luks2 --batch-mode --key-file "$work/pw" \
	--luks2-metadata-size 16k --luks2-keyslots-size 1m --pbkdf argon2id \
	--pbkdf-force-iterations 4 --pbkdf-memory 32 --cipher aes-xts-plain64 --key-size 512 \
	--uuid 01234567-89ab-4def-8123-456789abcdef --label 'on disk' "$work/d2" 2>/dev/null
printf 'second-passphrase' >"$work/pw2"
cryptsetup luksAddKey --batch-mode --key-file "$work/pw" --pbkdf pbkdf2 \
	--pbkdf-force-iterations 1000 "$work/d2" "$work/pw2"
cryptsetup token add --key-description pvboot:test "$work/d2"
cut_to "$work/d2" ondisk.hdr

fmt reenc --header "$work/h" --luks2-keyslots-size 1m --cipher aes-xts-plain64 \
	--key-size 512 --uuid 0f0e0d0c-0b0a-4908-8706-050403020101 "$work/disk" 2>/dev/null
cryptsetup reencrypt --batch-mode --init-only --header "$work/h" --key-file "$work/pw" \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 "$work/disk" 2>/dev/null
cut_to "$work/h" reencrypt.hdr

ls -l ./*.hdr
