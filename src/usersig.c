// SPDX-License-Identifier: MIT
/*
 * User-signing keys and user-data signatures (usersig.h). The format follows s390-tools'
 * rust/pv/src/uvsecret/user_data.rs and rust/pv/src/crypto.rs (sign_msg,
 * verify_signature) byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha512.h>
#include <mbedtls/x509_crt.h>

#include "usersig.h"
#include "util.h"

void usersig_key_init(struct usersig_key *k)
{
	memset(k, 0, sizeof(*k));
	mbedtls_pk_init(&k->pk);
}

void usersig_key_free(struct usersig_key *k)
{
	mbedtls_pk_free(&k->pk);
	memset(k, 0, sizeof(*k));
}

const char *usersig_type_name(uint16_t udtype)
{
	switch (udtype) {
	case ASR_UD_EC_P521:
		return "EC secp521r1";
	case ASR_UD_RSA_2048:
		return "RSA-2048";
	case ASR_UD_RSA_3072:
		return "RSA-3072";
	}
	return "unsupported";
}

/* The user-data type the key signs, or a message why it cannot be a user-signing key. */
static int key_type(struct usersig_key *k, char *why, size_t why_size)
{
	size_t bits = mbedtls_pk_get_bitlen(&k->pk);

	switch (mbedtls_pk_get_type(&k->pk)) {
	case MBEDTLS_PK_ECKEY:
		/* the only curve in pvboot's mbedTLS; others fail to parse (see below) */
		if (mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(k->pk)) !=
		    MBEDTLS_ECP_DP_SECP521R1)
			return fail_why(why, why_size, "an EC key not on secp521r1");
		k->udtype = ASR_UD_EC_P521;
		return 0;
	case MBEDTLS_PK_RSA:
		if (bits == 2048)
			k->udtype = ASR_UD_RSA_2048;
		else if (bits == 3072)
			k->udtype = ASR_UD_RSA_3072;
		else
			return fail_why(why, why_size,
					"an RSA key of %zu bits; user-signing keys are RSA-2048 or "
					"RSA-3072",
					bits);
		return 0;
	default:
		return fail_why(
		    why, why_size,
		    "a %s key; user-signing keys are EC secp521r1, RSA-2048 or RSA-3072",
		    mbedtls_pk_get_name(&k->pk));
	}
}

static bool contains(const uint8_t *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(buf + i, s, n) == 0)
			return true;
	return false;
}

int usersig_key_parse(struct usersig_key *k, const uint8_t *buf, size_t len, char *why,
		      size_t why_size)
{
	mbedtls_x509_crt crt;
	uint8_t *copy;
	int ret, cret;

	usersig_key_free(k);
	usersig_key_init(k);
	if (!len)
		return fail_why(why, why_size, "empty file");
	if (len > USERSIG_KEY_CAP)
		return fail_why(why, why_size, "larger than %d bytes", USERSIG_KEY_CAP);
	if (contains(buf, len, "PRIVATE KEY-----"))
		return fail_why(why, why_size,
				"a private key; the image must hold only the certificate or the "
				"public key");
	/* PEM parsing wants the terminating NUL counted in the length */
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = 0;
	mbedtls_x509_crt_init(&crt);
	cret = mbedtls_x509_crt_parse(&crt, copy, len + 1);
	if (cret == 0 || (cret > 0 && crt.raw.len)) {
		/* the first certificate: its key, as pvsecret verify takes it */
		k->from_cert = 1;
		k->pk = crt.pk;
		mbedtls_pk_init(&crt.pk);
		ret = 0;
	} else {
		ret = mbedtls_pk_parse_public_key(&k->pk, copy, len + 1);
		if (ret && buf[0] != '-')
			ret = mbedtls_pk_parse_public_key(&k->pk, copy, len);
	}
	mbedtls_x509_crt_free(&crt);
	free(copy);
	if (ret == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE || cret == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE)
		ret = fail_why(why, why_size, "an EC key not on secp521r1");
	else if (ret)
		ret = fail_why(why, why_size,
			       "neither an X.509 certificate nor a public key (PEM or DER)");
	else
		ret = key_type(k, why, why_size);
	if (ret) {
		mbedtls_pk_free(&k->pk);
		mbedtls_pk_init(&k->pk);
	}
	return ret;
}

/* SHA-512 of req[0, rql-16) with user-data bytes [area_off, 512) read as zero. */
static void signed_digest(const uint8_t *req, const struct asr_info *info, size_t area_off,
			  uint8_t out[64])
{
	static const uint8_t zeros[ASR_USERDATA_LEN];
	size_t start = ASR_OFF_USERDATA + area_off, end = ASR_OFF_USERDATA + ASR_USERDATA_LEN;
	mbedtls_sha512_context c;

	mbedtls_sha512_init(&c);
	mbedtls_sha512_starts(&c, 0);
	mbedtls_sha512_update(&c, req, start);
	mbedtls_sha512_update(&c, zeros, end - start);
	mbedtls_sha512_update(&c, req + end, info->size - ASR_GCM_TAG_LEN - end);
	mbedtls_sha512_finish(&c, out);
	mbedtls_sha512_free(&c);
}

enum usersig_err usersig_verify(const uint8_t *req, const struct asr_info *info,
				const struct usersig_key *key, struct asr_sig *sig, char *why,
				size_t why_size)
{
	/* verifying does not change the key; mbedTLS's API just is not const */
	mbedtls_pk_context *pk = (mbedtls_pk_context *)&key->pk;
	struct asr_sig s;
	uint8_t hash[64];
	int ret;

	if (info->udtype == ASR_UD_NONE || info->udtype == ASR_UD_UNSIGNED) {
		fail_why(
		    why, why_size,
		    "the user data is not signed (user-data type %s); a request signed with the "
		    "%s user-signing key is required",
		    asr_udtype_name(info->udtype), usersig_type_name(key->udtype));
		return USERSIG_E_UNSIGNED;
	}
	if (info->udtype != key->udtype) {
		fail_why(why, why_size,
			 "the user data is signed with an %s key (user-data type %u), the "
			 "user-signing key is %s",
			 usersig_type_name(info->udtype), info->udtype,
			 usersig_type_name(key->udtype));
		return USERSIG_E_KEYTYPE;
	}
	if (asr_sig_layout(info->udtype, info->userdata, &s, why, why_size) != ASR_OK)
		return USERSIG_E_LAYOUT;
	signed_digest(req, info, s.area_off, hash);
	if (info->udtype == ASR_UD_EC_P521) {
		ret =
		    mbedtls_pk_verify(pk, MBEDTLS_MD_SHA512, hash, sizeof(hash), s.sig, s.sig_len);
	} else {
		const mbedtls_pk_rsassa_pss_options pss = {
		    .mgf1_hash_id = MBEDTLS_MD_SHA512,
		    .expected_salt_len = MBEDTLS_RSA_SALT_LEN_ANY,
		};

		ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &pss, pk, MBEDTLS_MD_SHA512,
					    hash, sizeof(hash), s.sig, s.sig_len);
	}
	secure_zero(hash, sizeof(hash));
	if (ret) {
		fail_why(
		    why, why_size,
		    "the %s signature of the user data does not verify with the user-signing key",
		    usersig_type_name(info->udtype));
		return USERSIG_E_BADSIG;
	}
	if (sig)
		*sig = s;
	return USERSIG_OK;
}
