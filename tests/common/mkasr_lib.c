/* SPDX-License-Identifier: MIT */
/*
 * Add-secret request builder (spec/uv.md §3.1–3.3), the same bytes `pvsecret create`
 * writes for the same inputs (tests/unit/test_mkasr.c reproduces the s390-tools
 * vectors).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "mkasr_lib.h"
#include "util.h"

struct kind {
	const char *name;
	uint16_t type;
	uint16_t len;	 /* value length in the request */
	uint16_t scalar; /* EC: significant bytes of the scalar (left-padded to len); else 0 */
};

static const struct kind kinds[] = {
    {"plain", SECRET_PLAINTEXT, 0, 0},
    {"aes-128", SECRET_AES_128, 16, 0},
    {"aes-192", SECRET_AES_192, 24, 0},
    {"aes-256", SECRET_AES_256, 32, 0},
    {"aes-xts-128", SECRET_AES_XTS_128, 32, 0},
    {"aes-xts-256", SECRET_AES_XTS_256, 64, 0},
    {"hmac-sha-256", SECRET_HMAC_SHA_256, 64, 0},
    {"hmac-sha-512", SECRET_HMAC_SHA_512, 128, 0},
    {"ec-p256", SECRET_EC_P256, 32, 32},
    {"ec-p384", SECRET_EC_P384, 48, 48},
    {"ec-p521", SECRET_EC_P521, 80, 66},
    {"ed25519", SECRET_EC_ED25519, 32, 32},
    {"ed448", SECRET_EC_ED448, 64, 57},
};

void mkasr_input_init(struct mkasr_input *in)
{
	memset(in, 0, sizeof(*in));
	in->secret_type = SECRET_NULL;
	in->ext = MKASR_EXT_NONE;
}

void mkasr_secret_id(const char *name, bool use_name, uint8_t id[ASR_SECRET_ID_LEN])
{
	size_t len = strlen(name);

	if (use_name) {
		memset(id, 0, ASR_SECRET_ID_LEN);
		memcpy(id, name, len < ASR_SECRET_ID_LEN - 1 ? len : ASR_SECRET_ID_LEN - 1);
		return;
	}
	mbedtls_sha256((const unsigned char *)name, len, id, 0);
}

int mkasr_kind_type(const char *kind, uint16_t *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strcmp(kinds[i].name, kind) == 0) {
			*type = kinds[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

const char *mkasr_kind_names(void)
{
	return "plain|aes-128|aes-192|aes-256|aes-xts-128|aes-xts-256|hmac-sha-256|hmac-sha-512|"
	       "ec-p256|ec-p384|ec-p521|ed25519|ed448";
}

static const struct kind *kind_of(uint16_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].type == type)
			return &kinds[i];
	return NULL;
}

int mkasr_encode_secret(uint16_t type, const uint8_t *raw, size_t len, uint8_t *out,
			size_t *out_len, const char **err)
{
	const struct kind *k = kind_of(type);
	const char *msg;

	if (!k) {
		msg = "the secret type is not retrievable";
		goto fail;
	}
	if (type == SECRET_PLAINTEXT) {
		size_t padded = (2 + len + 15) & ~(size_t)15;

		if (len > MKASR_PLAIN_MAX) {
			msg = "a plaintext secret holds at most 8190 bytes";
			goto fail;
		}
		memset(out, 0, padded);
		put_be16(out, (uint16_t)len);
		if (len)
			memcpy(out + 2, raw, len);
		*out_len = padded;
		return 0;
	}
	if (!k->scalar) {
		if (len != k->len) {
			msg = "the key does not have the length of its kind (aes-128 16 bytes, "
			      "aes-192 24, aes-256 32, aes-xts-128 32, aes-xts-256 64, "
			      "hmac-sha-256 64, hmac-sha-512 128)";
			goto fail;
		}
		memcpy(out, raw, len);
		*out_len = len;
		return 0;
	}
	/* EC private scalar, big-endian: leading zero bytes beyond its size are allowed */
	while (len > k->scalar && raw[0] == 0) {
		raw++;
		len--;
	}
	if (!len || len > k->scalar) {
		msg = "the EC private key is empty or longer than the curve's scalar (ec-p256 32 "
		      "bytes, ec-p384 48, ec-p521 66, ed25519 32, ed448 57)";
		goto fail;
	}
	memset(out, 0, k->len);
	memcpy(out + k->len - len, raw, len);
	*out_len = k->len;
	return 0;
fail:
	if (err)
		*err = msg;
	return -EINVAL;
}

void mkasr_policy_ref(const uint8_t *policy, size_t len, const char *path,
		      uint8_t out[ASR_USERDATA_LEN])
{
	size_t n = strlen(path);

	memset(out, 0, ASR_USERDATA_LEN);
	mbedtls_sha256(policy, len, out, 0);
	memcpy(out + 32, path, n < MKASR_POLICY_NAME_LEN ? n : MKASR_POLICY_NAME_LEN);
}

/* The secret header (spec/uv.md §3.2) as it is stored in the request. */
int mkasr_sign_key_load(mbedtls_pk_context *pk, const uint8_t *buf, size_t len, const char **err)
{
	uint8_t *copy = malloc(len + 1);
	int ret;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = 0; /* PEM wants its NUL counted */
	ret = mbedtls_pk_parse_key(pk, copy, len + 1, NULL, 0, se_rng, NULL);
	if (ret)
		ret = mbedtls_pk_parse_key(pk, copy, len, NULL, 0, se_rng, NULL);
	mbedtls_platform_zeroize(copy, len);
	free(copy);
	if (ret) {
		*err = "not a private key (PEM or DER)";
		return -EINVAL;
	}
	return 0;
}

/* The user-data type a signing key makes; 0 if it cannot sign user data. */
static uint16_t sign_udtype(mbedtls_pk_context *pk)
{
	size_t bits = mbedtls_pk_get_bitlen(pk);

	if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY)
		return mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(*pk)) ==
			       MBEDTLS_ECP_DP_SECP521R1
			   ? ASR_UD_EC_P521
			   : 0;
	if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA)
		return bits == 2048 ? ASR_UD_RSA_2048 : bits == 3072 ? ASR_UD_RSA_3072 : 0;
	return 0;
}

/* Where a signed type's zeroed signature area starts in the user data. */
static size_t sig_area_off(uint16_t udtype)
{
	return udtype == ASR_UD_RSA_3072 ? ASR_UD_RSA3072_DATA_LEN : ASR_UD_SIGNED_DATA_LEN;
}

static bool udtype_signed(uint16_t udtype)
{
	return udtype >= ASR_UD_EC_P521 && udtype <= ASR_UD_RSA_3072;
}

/* Sign buf[0, len) (the signature area already zero) with key into sig. */
static int sign_request(const struct mkasr_input *in, uint16_t udtype, const uint8_t *buf,
			size_t len, uint8_t *sig, size_t *sig_len, const char **msg)
{
	uint8_t hash[64];
	int ret;

	mbedtls_sha512(buf, len, hash, 0);
	if (udtype == ASR_UD_EC_P521) {
		*msg = "ECDSA signing failed";
		ret = mbedtls_pk_sign(in->sign_key, MBEDTLS_MD_SHA512, hash, sizeof(hash), sig,
				      MBEDTLS_PK_SIGNATURE_MAX_SIZE, sig_len, se_rng, NULL);
	} else {
		mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*in->sign_key);
		size_t olen = mbedtls_rsa_get_len(rsa);
		size_t max = olen - sizeof(hash) - 2;
		size_t salt = in->pss_salt_len == MKASR_PSS_SALT_MAX ? max
			      : in->pss_salt_len		     ? in->pss_salt_len
								     : sizeof(hash);

		*msg = "RSA-PSS signing failed";
		ret = mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA512);
		if (!ret)
			ret = mbedtls_rsa_rsassa_pss_sign_ext(rsa, se_rng, NULL, MBEDTLS_MD_SHA512,
							      sizeof(hash), hash, (int)salt, sig);
		*sig_len = olen;
	}
	return ret ? -EINVAL : 0;
}

/* Put a signature into the user data of buf (spec/uv.md §3.3). */
static int insert_signature(uint8_t *buf, uint16_t udtype, const uint8_t *sig, size_t sig_len,
			    const char **msg)
{
	uint8_t *ud = buf + ASR_OFF_USERDATA;
	size_t off = sig_area_off(udtype);

	if (udtype == ASR_UD_EC_P521) {
		if (sig_len > ASR_UD_EC_SIG_MAX) {
			*msg = "the EC signature is longer than 139 bytes";
			return -EINVAL;
		}
		memcpy(ud + off, sig, sig_len);
		put_be16(ud + ASR_UD_EC_SIZE_OFF, (uint16_t)sig_len);
		return 0;
	}
	if (sig_len != ASR_USERDATA_LEN - off) {
		*msg = "the RSA signature does not fill the signature area of its type";
		return -EINVAL;
	}
	memcpy(ud + off, sig, sig_len);
	return 0;
}

static size_t sechdr_len(uint16_t type)
{
	return type == SECRET_NULL ? ASR_SECHDR_NULL_LEN : ASR_SECHDR_LEN;
}

static int check_input(const struct mkasr_input *in, const char **msg)
{
	if (!in->nr_host_keys || in->nr_host_keys > MKASR_MAX_SLOTS) {
		*msg = "a request needs 1 to 255 host keys";
		return -EINVAL;
	}
	for (size_t i = 0; i < in->nr_host_keys; i++) {
		if (!in->host_keys[i]) {
			*msg = "missing host key";
			return -EINVAL;
		}
	}
	if (in->user_data_len > ASR_USERDATA_LEN) {
		*msg = "the user data is longer than 512 bytes";
		return -EINVAL;
	}
	if (in->cust_key && !in->cust_key->has_private) {
		*msg = "the customer key has no private part";
		return -EINVAL;
	}
	if (in->sign_key && in->signature) {
		*msg = "a signing key and a ready-made signature exclude each other";
		return -EINVAL;
	}
	if (in->signature && !udtype_signed(in->udtype)) {
		*msg = "a ready-made signature needs a signed user-data type (2, 3 or 4)";
		return -EINVAL;
	}
	if (in->secret_len > MKASR_SECRET_MAX) {
		*msg = "the secret value is longer than 8192 bytes";
		return -EINVAL;
	}
	if (in->secret_len && !in->secret) {
		*msg = "the secret value is missing";
		return -EINVAL;
	}
	/* only what the layout needs: whether a value fits its type is the UV's check */
	if (in->secret_type == SECRET_NULL && in->secret_len) {
		*msg = "a meta request carries no secret value";
		return -EINVAL;
	}
	return 0;
}

/* GF(2^128) as GCM uses it (NIST SP 800-38D, 6.3): z = x * y, bits in GCM order. */
static void gf128_mul(const uint8_t x[16], const uint8_t y[16], uint8_t z[16])
{
	uint8_t v[16], r[16] = {0};

	memcpy(v, y, 16);
	for (int i = 0; i < 128; i++) {
		bool lsb = v[15] & 1;

		if (x[i / 8] & (0x80 >> (i % 8)))
			for (int k = 0; k < 16; k++)
				r[k] ^= v[k];
		for (int k = 15; k > 0; k--)
			v[k] = (uint8_t)(v[k] >> 1 | v[k - 1] << 7);
		v[0] >>= 1;
		if (lsb)
			v[0] ^= 0xe1;
	}
	memcpy(z, r, 16);
}

/* The inverse of a non-zero a: a^(2^128 - 2) = a^2 * a^4 * ... * a^(2^127). */
static void gf128_inv(const uint8_t a[16], uint8_t out[16])
{
	uint8_t sq[16], r[16] = {0x80}; /* 1 */

	memcpy(sq, a, 16);
	for (int i = 1; i < 128; i++) {
		gf128_mul(sq, sq, sq);
		gf128_mul(r, sq, r);
	}
	memcpy(out, r, 16);
}

/*
 * Change the AAD block at MKASR_FORCE_OFF of buf (encrypted, tag at the end) so that
 * the tag becomes want. tag(block ^ d) = tag(block) ^ d * c for a constant c (a power
 * of the hash key): c is what d = 1 changes, then d = (want ^ tag) * c^-1.
 */
static int force_tag(const uint8_t key[SE_KEY_LEN], const uint8_t iv[ASR_IV_LEN], uint8_t *buf,
		     size_t aad_len, size_t rql, const uint8_t *plain, size_t sea,
		     const uint8_t want[ASR_GCM_TAG_LEN])
{
	uint8_t *blk = buf + MKASR_FORCE_OFF, *tag = buf + rql - ASR_GCM_TAG_LEN;
	uint8_t t0[16], c[16], d[16];
	int ret;

	memcpy(t0, tag, 16);
	blk[0] ^= 0x80; /* + 1 */
	ret = se_gcm_encrypt(key, iv, ASR_IV_LEN, buf, aad_len, plain, sea, buf + aad_len, tag);
	blk[0] ^= 0x80;
	if (ret)
		return ret;
	for (int k = 0; k < 16; k++) {
		c[k] = tag[k] ^ t0[k];
		d[k] = want[k] ^ t0[k];
	}
	gf128_inv(c, c);
	gf128_mul(d, c, d);
	for (int k = 0; k < 16; k++)
		blk[k] ^= d[k];
	ret = se_gcm_encrypt(key, iv, ASR_IV_LEN, buf, aad_len, plain, sea, buf + aad_len, tag);
	if (!ret && memcmp(tag, want, ASR_GCM_TAG_LEN) != 0)
		ret = -EPROTO; /* the algebra above is wrong */
	return ret;
}

int mkasr_build(const struct mkasr_input *in, uint8_t **out, size_t *out_len, const char **err)
{
	static const uint8_t zero_iv[ASR_IV_LEN];
	const size_t nks = in->nr_host_keys;
	uint8_t key[SE_KEY_LEN], iv[ASR_IV_LEN], ext[ASR_EXT_SECRET_LEN];
	struct se_key fresh;
	const struct se_key *cust = in->cust_key;
	size_t hdr_len, sea = 0, rql, aad_len, off;
	uint8_t *buf = NULL, *plain = NULL;
	const char *msg = "out of memory";
	uint16_t udtype = in->udtype;
	int ret;

	*out = NULL;
	*out_len = 0;
	se_key_init(&fresh);
	ret = check_input(in, &msg);
	if (ret)
		goto out;
	if (in->sign_key) {
		udtype = sign_udtype(in->sign_key);
		ret = -EINVAL;
		msg = "the user-signing key is not EC secp521r1, RSA-2048 or RSA-3072";
		if (!udtype)
			goto out;
		msg = "the user data does not fit the data area of the signed type (256 bytes, "
		      "128 for RSA-3072)";
		if (in->user_data_len > sig_area_off(udtype))
			goto out;
	}

	if (in->force_tag) {
		ret = -EINVAL;
		msg = "forcing the tag needs unsigned user data of at most 488 bytes";
		if (in->sign_key || in->signature || udtype > ASR_UD_UNSIGNED ||
		    in->user_data_len > MKASR_FORCE_OFF - ASR_OFF_USERDATA)
			goto out;
		udtype = ASR_UD_UNSIGNED;
	}
	hdr_len = sechdr_len(in->secret_type);
	sea = in->secret_len + ASR_EXT_SECRET_LEN;
	rql = ASR_OFF_SLOTS + ASR_SLOT_LEN * nks + hdr_len + sea + ASR_GCM_TAG_LEN;
	aad_len = rql - sea - ASR_GCM_TAG_LEN;

	ret = -ENOMEM;
	buf = calloc(1, rql);
	plain = malloc(sea);
	if (!buf || !plain)
		goto out;

	/* request protection key, IV and customer key */
	msg = "cannot get random bytes";
	if (in->request_key)
		memcpy(key, in->request_key, sizeof(key));
	else if ((ret = se_random(key, sizeof(key))))
		goto out;
	if (in->iv)
		memcpy(iv, in->iv, sizeof(iv));
	else if ((ret = se_random(iv, sizeof(iv))))
		goto out;
	if (!cust) {
		msg = "cannot generate the customer key";
		ret = se_key_generate(&fresh);
		if (ret)
			goto out;
		cust = &fresh;
	}

	/* the request header and everything else in the clear */
	memcpy(buf + ASR_OFF_MAGIC, ASR_MAGIC, ASR_MAGIC_LEN);
	put_be16(buf + ASR_OFF_UDTYPE, udtype);
	put_be32(buf + ASR_OFF_VERSION, in->override_version ? in->version : ASR_VERSION_1);
	put_be32(buf + ASR_OFF_RQL, (uint32_t)rql);
	memcpy(buf + ASR_OFF_IV, iv, sizeof(iv));
	buf[ASR_OFF_NKS] = in->override_nks ? in->nks : (uint8_t)nks;
	put_be32(buf + ASR_OFF_SEA, (uint32_t)sea);
	put_be64(buf + ASR_OFF_FLAGS, in->flags);
	memcpy(buf + ASR_OFF_PLD, in->tags, ASR_TAGS_LEN);
	memcpy(buf + ASR_OFF_CUID, in->cuid, ASR_CUID_LEN);
	if (in->user_data_len)
		memcpy(buf + ASR_OFF_USERDATA, in->user_data, in->user_data_len);
	msg = "cannot encode the customer public key";
	ret = se_key_public160(cust, buf + ASR_OFF_CUSTKEY);
	if (ret)
		goto out;

	/* key slots: phkh ‖ AES-GCM(KEK, 0 IV, no AAD, request key) */
	for (size_t i = 0; i < nks; i++) {
		uint8_t *slot = buf + ASR_OFF_SLOTS + ASR_SLOT_LEN * i;
		uint8_t kek[SE_KEY_LEN];

		memcpy(slot, in->host_keys[i]->phkh, ASR_PHKH_LEN);
		msg = "ECDH with a host key failed";
		ret = se_kek(cust, in->host_keys[i], kek);
		if (!ret) {
			msg = "cannot wrap the request key";
			ret =
			    se_gcm_encrypt(kek, zero_iv, sizeof(zero_iv), NULL, 0, key, sizeof(key),
					   slot + ASR_PHKH_LEN, slot + ASR_PHKH_LEN + SE_KEY_LEN);
		}
		mbedtls_platform_zeroize(kek, sizeof(kek));
		if (ret)
			goto out;
	}

	/* secret header */
	off = ASR_OFF_SLOTS + ASR_SLOT_LEN * nks;
	put_be16(buf + off + 2, in->override_secret_type ? in->secret_type_value : in->secret_type);
	put_be32(buf + off + 4,
		 in->override_secret_len ? in->secret_len_value : (uint32_t)in->secret_len);
	if (hdr_len == ASR_SECHDR_LEN)
		memcpy(buf + off + 16, in->secret_id, ASR_SECRET_ID_LEN);

	/* encrypted part: secret value ‖ extension secret */
	memset(ext, 0, sizeof(ext));
	if (in->ext == MKASR_EXT_SIMPLE) {
		memcpy(ext, in->ext_secret, sizeof(ext));
	} else if (in->ext == MKASR_EXT_CCK) {
		msg = "cannot derive the extension secret from the CCK";
		ret = se_ext_secret_from_cck(in->ext_secret, in->tags + 3 * ASR_DIGEST_LEN, ext);
		if (ret)
			goto out;
	}
	if (in->secret_len)
		memcpy(plain, in->secret, in->secret_len);
	memcpy(plain + in->secret_len, ext, sizeof(ext));
	msg = "cannot encrypt the request";
	ret = se_gcm_encrypt(key, iv, sizeof(iv), buf, aad_len, plain, sea, buf + aad_len,
			     buf + rql - ASR_GCM_TAG_LEN);
	if (ret)
		goto out;

	/* signed user data: sign AAD ‖ ciphertext, insert, and make the tag again */
	if (in->sign_key || in->signature) {
		uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
		size_t sig_len = in->signature_len;

		if (in->sign_key) {
			ret = sign_request(in, udtype, buf, rql - ASR_GCM_TAG_LEN, sig, &sig_len,
					   &msg);
			if (ret)
				goto out;
		}
		ret = insert_signature(buf, udtype, in->sign_key ? sig : in->signature, sig_len,
				       &msg);
		if (ret)
			goto out;
		msg = "cannot encrypt the request";
		ret = se_gcm_encrypt(key, iv, sizeof(iv), buf, aad_len, plain, sea, buf + aad_len,
				     buf + rql - ASR_GCM_TAG_LEN);
		if (ret)
			goto out;
	}

	if (in->force_tag) {
		msg = "cannot force the tag";
		ret = force_tag(key, iv, buf, aad_len, rql, plain, sea, in->force_tag);
		if (ret)
			goto out;
	}

	*out = buf;
	*out_len = rql;
	buf = NULL;
out:
	if (ret && err)
		*err = msg;
	mbedtls_platform_zeroize(key, sizeof(key));
	mbedtls_platform_zeroize(ext, sizeof(ext));
	if (plain) {
		mbedtls_platform_zeroize(plain, sea);
		free(plain);
	}
	free(buf);
	se_key_free(&fresh);
	return ret;
}
