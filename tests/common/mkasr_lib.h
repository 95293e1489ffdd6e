/* SPDX-License-Identifier: MIT */
/*
 * Building add-secret requests (spec/uv.md §3), byte-compatible with
 * `pvsecret create`: the core of tests/tools/mkasr, callable from unit tests.
 */
#ifndef PVBOOT_MKASR_LIB_H
#define PVBOOT_MKASR_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "asr.h"
#include "secrypto.h"

#define MKASR_PLAIN_MAX	      8190 /* payload bytes of a plaintext secret */
#define MKASR_SECRET_MAX      8192 /* largest encoded secret value (plaintext, padded) */
#define MKASR_MAX_SLOTS	      255
#define MKASR_POLICY_NAME_LEN 480

enum mkasr_ext {
	MKASR_EXT_NONE,	  /* 32 zero bytes */
	MKASR_EXT_SIMPLE, /* ext is the extension secret */
	MKASR_EXT_CCK,	  /* ext is a CCK: HKDF-SHA512 with the SE-header tag as salt */
};

/* Everything a request is made of; mkasr_input_init() gives the defaults. */
struct mkasr_input {
	const struct se_key *const *host_keys; /* one key slot each, in order */
	size_t nr_host_keys;
	uint8_t tags[ASR_TAGS_LEN]; /* PLD ‖ ALD ‖ TLD ‖ SE-header tag */
	uint8_t cuid[ASR_CUID_LEN];
	uint64_t flags;
	uint16_t udtype;
	const uint8_t *user_data; /* copied to the start of the 512-byte user-data field */
	size_t user_data_len;
	enum mkasr_ext ext;
	uint8_t ext_secret[ASR_EXT_SECRET_LEN];

	uint16_t secret_type;		      /* SECRET_NULL, SECRET_ASSOCIATION, ... */
	uint8_t secret_id[ASR_SECRET_ID_LEN]; /* ignored for SECRET_NULL */
	const uint8_t *secret;		      /* the encoded secret value (mkasr_encode_*) */
	size_t secret_len;

	/*
	 * Signed user data, as `pvsecret create --user-sign-key`: the user data (at most 256
	 * bytes, 128 for RSA-3072) is followed by a signature over the request without its
	 * tag (spec/uv.md §3.3); udtype follows the key. RSA signs with RSASSA-PSS, SHA-512,
	 * MGF1-SHA-512 and a salt of pss_salt_len bytes (0: 64, the digest length, OpenSSL
	 * 3.1's default; MKASR_PSS_SALT_MAX: the largest, OpenSSL 3.0's default).
	 */
	mbedtls_pk_context *sign_key;
	size_t pss_salt_len;
	/*
	 * Or a ready-made signature (e.g. from openssl) over the request made with the same
	 * inputs and udtype (2, 3 or 4) but no signature: it is inserted and the tag made
	 * again. The bytes to sign are that request without its last 16 bytes (its
	 * signature area is zero).
	 */
	const uint8_t *signature;
	size_t signature_len;

	/*
	 * Test-only attack: force the request's GCM tag to these 16 bytes (a tag is no
	 * commitment, whoever makes a request knows its key). GHASH is linear in each
	 * block of the authenticated data, so one free 16-byte block is chosen to hit the
	 * tag: the last whole block of the user data (request bytes MKASR_FORCE_OFF..+16,
	 * user-data bytes 488..503). Needs unsigned user data of at most 488 bytes (the
	 * user-data type becomes unsigned).
	 */
	const uint8_t *force_tag;

	/* Deterministic mode; NULL = random IV, random request key, fresh customer key. */
	const uint8_t *iv;	    /* ASR_IV_LEN */
	const uint8_t *request_key; /* SE_KEY_LEN */
	const struct se_key *cust_key;

	/*
	 * Test-only corruption: written into the header before encryption, so the GCM
	 * tag covers the wrong values. The layout follows the real nks/type/length.
	 */
	bool override_nks, override_version, override_secret_type, override_secret_len;
	uint8_t nks;
	uint32_t version;
	uint16_t secret_type_value;
	uint32_t secret_len_value;
};

#define MKASR_PSS_SALT_MAX ((size_t)-1)
#define MKASR_FORCE_OFF	   1024 /* 16-aligned in the AAD, inside the user data */

void mkasr_input_init(struct mkasr_input *in);

/* A user-signing private key (PEM or DER; EC secp521r1, RSA-2048, RSA-3072). 0 or
 * -EINVAL with *err. */
int mkasr_sign_key_load(mbedtls_pk_context *pk, const uint8_t *buf, size_t len, const char **err);

/*
 * Build the request. On success *out is a malloc'ed buffer of *out_len bytes (the last
 * 16 are the request's GCM tag) and 0 is returned; otherwise -errno and *err (if not
 * NULL) says what is wrong.
 */
int mkasr_build(const struct mkasr_input *in, uint8_t **out, size_t *out_len, const char **err);

/* The secret ID of NAME: SHA-256(name), or with use_name the first 31 bytes, NUL padded. */
void mkasr_secret_id(const char *name, bool use_name, uint8_t id[ASR_SECRET_ID_LEN]);

/* Retrievable kinds by mkasr's name ("plain", "aes-256", "ec-p521", ...); 0 or -ENOENT. */
int mkasr_kind_type(const char *kind, uint16_t *type);
const char *mkasr_kind_names(void); /* "plain|aes-128|...", for usage texts */

/*
 * Encode the value of a retrievable secret of type `type` from the raw input: plaintext
 * as u16 BE length ‖ payload ‖ zero padding to a multiple of 16 (payload ≤ 8190);
 * keys as they are, with their exact length; EC private scalars left-padded (the input
 * may be shorter than the scalar, or already padded with zeros). out holds
 * MKASR_SECRET_MAX bytes. 0 or -EINVAL with *err.
 */
int mkasr_encode_secret(uint16_t type, const uint8_t *raw, size_t len, uint8_t *out,
			size_t *out_len, const char **err);

/* A PolicyReference (spec/uv.md §5.1) as 512 bytes of unsigned user data: SHA-256 of
 * the policy ‖ the path as given, truncated to 480 bytes, NUL padded. */
void mkasr_policy_ref(const uint8_t *policy, size_t len, const char *path,
		      uint8_t out[ASR_USERDATA_LEN]);

#endif
