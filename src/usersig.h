/* SPDX-License-Identifier: MIT */
/*
 * The image owner's user-signing key and the user-data signature of add-secret requests
 * (spec/uv.md §3.3, §6.5): what `pvsecret create --user-sign-key` writes and `pvsecret
 * verify --user-cert` checks. Pure: buffers in, a verdict and one precise line out.
 *
 * The signature covers request bytes [0, rql-16) with the signature area (from the end
 * of the data area to the end of the 512 bytes of user data) zeroed; SHA-512; ECDSA
 * (DER) for EC secp521r1, RSASSA-PSS with MGF1-SHA-512 for RSA-2048 and RSA-3072. PSS
 * accepts every salt length: pvsecret signs with OpenSSL's default, which is the
 * maximum (190 bytes for RSA-2048) in OpenSSL 3.0 and the digest length (64) from 3.1.
 */
#ifndef PVBOOT_USERSIG_H
#define PVBOOT_USERSIG_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "asr.h"

#define USERSIG_KEY_CAP (64 * 1024) /* a certificate or public key file */

struct usersig_key {
	mbedtls_pk_context pk;
	uint16_t udtype; /* ASR_UD_EC_P521, ASR_UD_RSA_2048 or ASR_UD_RSA_3072 */
	int from_cert;	 /* 1: taken from an X.509 certificate; 0: a public key */
};

void usersig_key_init(struct usersig_key *k);
void usersig_key_free(struct usersig_key *k);

/*
 * The key of a PEM or DER X.509 certificate (the first of a PEM file) or of a PEM or DER
 * public key (SubjectPublicKeyInfo or PKCS#1 RSA). Only EC secp521r1, RSA-2048 and
 * RSA-3072 keys; a private key is refused (the image needs only the public part).
 * 0, or -EINVAL with why.
 */
int usersig_key_parse(struct usersig_key *k, const uint8_t *buf, size_t len, char *why,
		      size_t why_size);

/* "EC secp521r1", "RSA-2048", "RSA-3072" (the key types of the signed user-data types). */
const char *usersig_type_name(uint16_t udtype);

enum usersig_err {
	USERSIG_OK = 0,
	USERSIG_E_UNSIGNED, /* a key is required, the request's user data is not signed */
	USERSIG_E_KEYTYPE,  /* signed with another key type than the key's */
	USERSIG_E_LAYOUT,   /* the signature area is malformed (asr_sig_layout) */
	USERSIG_E_BADSIG,   /* the signature does not verify with the key */
};

/*
 * Verify the user-data signature of the request req (len bytes, parsed by asr_parse()
 * into info) with key. On USERSIG_OK, sig (if not NULL) describes the signed data
 * area. Otherwise why holds one line.
 */
enum usersig_err usersig_verify(const uint8_t *req, const struct asr_info *info,
				const struct usersig_key *key, struct asr_sig *sig, char *why,
				size_t why_size);

#endif
