#!/bin/sh
# Make the requests with signed user data in this directory, signed by OpenSSL the way
# pvsecret create --user-sign-key signs (s390-tools rust/pv/src/crypto.rs sign_msg:
# SHA-512; ECDSA; RSA with PKCS1_PSS padding and OpenSSL's default salt length, which is
# the maximum in OpenSSL 3.0 and the digest length from 3.1; MGF1 with SHA-512).
#
#   tests/vectors/signed/make.sh MKASR      (run from the repository root)
#
# mkasr makes the request with the signed user-data type and a zero signature area
# (deterministic: fixed IV, request key and customer key); its bytes [0, rql-16) are
# what the signature covers; openssl signs them; mkasr makes the same request again
# with that signature inserted and the GCM tag recomputed.
set -eu
MKASR=$1
D=tests/vectors/signed
K=tests/keys
V=tests/vectors
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TAGS=$(printf '%0416d' 0 | tr 0 a)
printf 'user data signed by the image owner' >"$T/ud"
printf '0123456789abcdef0123456789abcdef' >"$T/assoc"

mk() { # OUT UDTYPE [--user-signature SIG] TYPE...
	out=$1 udt=$2
	shift 2
	"$MKASR" -k $V/cert/host.crt --tags "$TAGS" --iv 555555555555555555555555 \
		--request-key "$(printf '%064d' 0 | tr 0 7)" --customer-key $V/keys/private_cust.bin \
		--user-data "$T/ud" --user-data-type "$udt" -o "$out" "$@"
}

sign() { # NAME UDTYPE KEY OPENSSL-SIGOPTS TYPE...
	name=$1 udt=$2 key=$3 sigopts=$4
	shift 4
	mk "$T/$name.tbs" "$udt" "$@"
	len=$(wc -c <"$T/$name.tbs")
	head -c $((len - 16)) "$T/$name.tbs" >"$T/$name.bin"
	# shellcheck disable=SC2086
	openssl dgst -sha512 -sign "$key" $sigopts -out "$T/$name.sig" "$T/$name.bin"
	mk "$D/$name.asr" "$udt" --user-signature "$T/$name.sig" "$@"
}

sign ec-meta 2 $K/owner-ec.key "" meta
sign ec-assoc 2 $K/owner-ec.key "" association "signed association" --input-secret "$T/assoc"
sign rsa2048-meta 3 $V/keys/rsa2048key.pem "-sigopt rsa_padding_mode:pss" meta
sign rsa2048-salt64-meta 3 $V/keys/rsa2048key.pem \
	"-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest" meta
sign rsa3072-assoc 4 $V/keys/rsa3072key.pem "-sigopt rsa_padding_mode:pss" \
	association "signed association" --input-secret "$T/assoc"
