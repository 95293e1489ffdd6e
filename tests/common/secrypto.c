/* SPDX-License-Identifier: MIT */
/*
 * The cryptography of Secure Execution requests for the test tools (spec/uv.md §3.3,
 * §4.2), on top of mbedTLS 3.6. The configuration has no DRBG: every random number
 * comes from getrandom(), including the blinding values mbedTLS asks for.
 */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS /* grp, Q and d of mbedtls_ecp_keypair */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "secrypto.h"
#include "util.h"

#define SE_CURVE    MBEDTLS_ECP_DP_SECP521R1
#define SE_P521_LEN 66 /* bytes of a P-521 field element or scalar */

/* SE header v1 (spec/uv.md §4.1, §4.2) */
#define SEHDR_MAGIC	   "IBMSecEx"
#define SEHDR_VERSION	   0x100u
#define SEHDR_OFF_VERSION  0x008
#define SEHDR_OFF_SEHS	   0x00c
#define SEHDR_OFF_PLD	   0x0e0
#define SEHDR_HEAD_LEN	   0x1a0 /* everything up to the key slots */
#define SEHDR_PROBES	   0x15
#define SEHDR_PAGE	   0x1000
#define SEIMG_META_OFF	   0xc000
#define SEIMG_META_MAGIC   "SeImgLnx"
#define SEIMG_META_LEN	   28
#define SEIMG_META_OFF_HDR 8

static const char ext_secret_info[] = "IBM Z Ultravisor Add-Secret";

int se_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int se_rng(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
	return se_random(buf, len) ? MBEDTLS_ERR_ECP_RANDOM_FAILED : 0;
}

void se_key_init(struct se_key *k)
{
	memset(k, 0, sizeof(*k));
	mbedtls_ecp_keypair_init(&k->kp);
}

void se_key_free(struct se_key *k)
{
	mbedtls_ecp_keypair_free(&k->kp);
	memset(k, 0, sizeof(*k));
}

/* k->kp holds a P-521 key with a valid public point: fill in the key hash. */
static int se_key_finish(struct se_key *k, bool has_private)
{
	uint8_t pub[SE_PUBKEY_LEN];
	int ret;

	if (k->kp.grp.id != SE_CURVE || mbedtls_ecp_check_pubkey(&k->kp.grp, &k->kp.Q))
		return -EINVAL;
	if (has_private && mbedtls_ecp_check_privkey(&k->kp.grp, &k->kp.d))
		return -EINVAL;
	k->has_private = has_private;
	ret = se_key_public160(k, pub);
	if (ret)
		return ret;
	mbedtls_sha256(pub, sizeof(pub), k->phkh, 0);
	return 0;
}

/* Take over the key of a parsed PK context (must be EC P-521). */
static int se_key_from_pk(struct se_key *k, const mbedtls_pk_context *pk, bool has_private)
{
	const mbedtls_ecp_keypair *src;

	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY)
		return -EINVAL;
	src = mbedtls_pk_ec(*pk);
	if (!src || src->grp.id != SE_CURVE)
		return -EINVAL;
	mbedtls_ecp_keypair_free(&k->kp);
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_ecp_group_load(&k->kp.grp, SE_CURVE) || mbedtls_ecp_copy(&k->kp.Q, &src->Q) ||
	    (has_private && mbedtls_mpi_copy(&k->kp.d, &src->d)))
		return -ENOMEM;
	return se_key_finish(k, has_private);
}

int se_key_load(struct se_key *k, const uint8_t *buf, size_t len)
{
	mbedtls_x509_crt crt;
	mbedtls_pk_context pk;
	size_t n = len;
	uint8_t *copy;
	int ret = -EINVAL;

	if (!len)
		return -EINVAL;
	/* mbedTLS recognises PEM only in a NUL-terminated buffer whose length counts the NUL */
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = 0;

	/* DER keeps its exact length: not every parser ignores trailing bytes */
	if (memmem(buf, len, "-----BEGIN ", 11))
		n++;

	mbedtls_x509_crt_init(&crt);
	if (mbedtls_x509_crt_parse(&crt, copy, n) == 0) {
		ret = se_key_from_pk(k, &crt.pk, false);
		goto out_crt;
	}
	mbedtls_pk_init(&pk);
	if (mbedtls_pk_parse_key(&pk, copy, n, NULL, 0, se_rng, NULL) == 0)
		ret = se_key_from_pk(k, &pk, true);
	else if (mbedtls_pk_parse_public_key(&pk, copy, n) == 0)
		ret = se_key_from_pk(k, &pk, false);
	mbedtls_pk_free(&pk);
out_crt:
	mbedtls_x509_crt_free(&crt);
	mbedtls_platform_zeroize(copy, len);
	free(copy);
	return ret;
}

int se_key_from_private80(struct se_key *k, const uint8_t priv[SE_COORD_LEN])
{
	mbedtls_ecp_keypair_free(&k->kp);
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_ecp_read_key(SE_CURVE, &k->kp, priv, SE_COORD_LEN) ||
	    mbedtls_ecp_mul(&k->kp.grp, &k->kp.Q, &k->kp.d, &k->kp.grp.G, se_rng, NULL))
		return -EINVAL;
	return se_key_finish(k, true);
}

int se_key_from_public160(struct se_key *k, const uint8_t pub[SE_PUBKEY_LEN])
{
	mbedtls_ecp_keypair_free(&k->kp);
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_ecp_group_load(&k->kp.grp, SE_CURVE) ||
	    mbedtls_mpi_read_binary(&k->kp.Q.X, pub, SE_COORD_LEN) ||
	    mbedtls_mpi_read_binary(&k->kp.Q.Y, pub + SE_COORD_LEN, SE_COORD_LEN) ||
	    mbedtls_mpi_lset(&k->kp.Q.Z, 1))
		return -ENOMEM;
	return se_key_finish(k, false);
}

int se_key_generate(struct se_key *k)
{
	mbedtls_ecp_keypair_free(&k->kp);
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_ecp_gen_key(SE_CURVE, &k->kp, se_rng, NULL))
		return -EIO;
	return se_key_finish(k, true);
}

int se_key_public160(const struct se_key *k, uint8_t out[SE_PUBKEY_LEN])
{
	if (mbedtls_mpi_write_binary(&k->kp.Q.X, out, SE_COORD_LEN) ||
	    mbedtls_mpi_write_binary(&k->kp.Q.Y, out + SE_COORD_LEN, SE_COORD_LEN))
		return -EINVAL;
	return 0;
}

int se_kek(const struct se_key *priv, const struct se_key *peer, uint8_t kek[SE_KEY_LEN])
{
	static const uint8_t counter[4] = {0, 0, 0, 1};
	uint8_t z[SE_P521_LEN + sizeof(counter)];
	mbedtls_ecp_group grp;
	mbedtls_mpi shared;
	int ret = -EINVAL;

	if (!priv->has_private || priv->kp.grp.id != SE_CURVE || peer->kp.grp.id != SE_CURVE)
		return -EINVAL;
	/* a private group: ECDH may cache tables in it, and priv is const */
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&shared);
	if (mbedtls_ecp_group_load(&grp, SE_CURVE) ||
	    mbedtls_ecdh_compute_shared(&grp, &shared, &peer->kp.Q, &priv->kp.d, se_rng, NULL) ||
	    mbedtls_mpi_write_binary(&shared, z, SE_P521_LEN))
		goto out;
	memcpy(z + SE_P521_LEN, counter, sizeof(counter));
	mbedtls_sha256(z, sizeof(z), kek, 0);
	ret = 0;
out:
	mbedtls_platform_zeroize(z, sizeof(z));
	mbedtls_mpi_free(&shared);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

int se_gcm_encrypt(const uint8_t key[SE_KEY_LEN], const uint8_t *iv, size_t iv_len,
		   const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		   uint8_t tag[SE_TAG_LEN])
{
	mbedtls_gcm_context gcm;
	int ret = -EINVAL;

	mbedtls_gcm_init(&gcm);
	if (!mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, SE_KEY_LEN * 8) &&
	    !mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, iv, iv_len, aad, aad_len, in,
				       out, SE_TAG_LEN, tag))
		ret = 0;
	mbedtls_gcm_free(&gcm);
	return ret;
}

int se_gcm_decrypt(const uint8_t key[SE_KEY_LEN], const uint8_t *iv, size_t iv_len,
		   const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t tag[SE_TAG_LEN])
{
	mbedtls_gcm_context gcm;
	int ret = -EINVAL;

	mbedtls_gcm_init(&gcm);
	if (!mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, SE_KEY_LEN * 8)) {
		ret = mbedtls_gcm_auth_decrypt(&gcm, len, iv, iv_len, aad, aad_len, tag, SE_TAG_LEN,
					       in, out);
		if (ret == MBEDTLS_ERR_GCM_AUTH_FAILED)
			ret = -EBADMSG;
		else if (ret)
			ret = -EINVAL;
	}
	mbedtls_gcm_free(&gcm);
	return ret;
}

int se_ext_secret_from_cck(const uint8_t cck[32], const uint8_t hdr_tag[SE_TAG_LEN],
			   uint8_t out[32])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA512);

	if (!md ||
	    mbedtls_hkdf(md, hdr_tag, SE_TAG_LEN, cck, 32, (const unsigned char *)ext_secret_info,
			 sizeof(ext_secret_info) - 1, out, 32))
		return -EINVAL;
	return 0;
}

int se_hdr_tags(const uint8_t *img, size_t len, uint8_t tags[SE_HDR_TAGS_LEN])
{
	unsigned int probes = SEHDR_PROBES;
	size_t pos = 0, sehs;

	/* An image built by genprotimg/pvimg says where its header is. */
	if (len >= SEIMG_META_OFF + SEIMG_META_LEN &&
	    memcmp(img + SEIMG_META_OFF, SEIMG_META_MAGIC, 8) == 0) {
		uint64_t off = get_be64(img + SEIMG_META_OFF + SEIMG_META_OFF_HDR);

		if (off > len)
			return -EINVAL;
		pos = (size_t)off;
		probes = 1;
	}
	/* Otherwise a bare header, or the header at one of the first 0x15 pages. */
	for (;; pos += SEHDR_PAGE) {
		if (!probes-- || pos > len || len - pos < 8)
			return -EINVAL;
		if (memcmp(img + pos, SEHDR_MAGIC, 8) == 0)
			break;
	}
	if (len - pos < SEHDR_HEAD_LEN || get_be32(img + pos + SEHDR_OFF_VERSION) != SEHDR_VERSION)
		return -EINVAL;
	sehs = get_be32(img + pos + SEHDR_OFF_SEHS);
	if (sehs < SEHDR_HEAD_LEN + SE_TAG_LEN || sehs > len - pos)
		return -EINVAL;
	memcpy(tags, img + pos + SEHDR_OFF_PLD, 3 * 64);
	memcpy(tags + 3 * 64, img + pos + sehs - SE_TAG_LEN, SE_TAG_LEN);
	return 0;
}
