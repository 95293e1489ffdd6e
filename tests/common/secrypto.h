/* SPDX-License-Identifier: MIT */
/*
 * The cryptography of Secure Execution requests (spec/uv.md §3.3, §4), for the test
 * tools: the simulated ultravisor (tests/sim) and the request generator
 * (tests/tools/mkasr). Never linked into pvboot itself.
 */
#ifndef PVBOOT_SECRYPTO_H
#define PVBOOT_SECRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

#define SE_COORD_LEN 80   /* P-521 coordinates are left-padded to 80 bytes */
#define SE_PUBKEY_LEN 160 /* X ‖ Y */
#define SE_KEY_LEN 32     /* AES-256 */
#define SE_TAG_LEN 16
#define SE_HDR_TAGS_LEN 0xd0

/* A P-521 key: a host key (with or without its private part) or a customer key. */
struct se_key {
	mbedtls_ecp_keypair kp;
	bool has_private;
	uint8_t phkh[32]; /* SHA-256 of X‖Y (80+80): the key's hash as key slots name it */
};

void se_key_init(struct se_key *k);
void se_key_free(struct se_key *k);
/* A PEM or DER private key (PKCS#8 or SEC1), or a PEM/DER X.509 certificate
 * (public key only, e.g. a host-key document). 0 or -EINVAL. */
int se_key_load(struct se_key *k, const uint8_t *buf, size_t len);
/* The fixed-format keys of the s390-tools vectors: scalar padded to 80 bytes. */
int se_key_from_private80(struct se_key *k, const uint8_t priv[SE_COORD_LEN]);
/* Public point X‖Y (80+80) e.g. from ASRCB offset 0x418. */
int se_key_from_public160(struct se_key *k, const uint8_t pub[SE_PUBKEY_LEN]);
/* A fresh random key (mkasr's default customer key). */
int se_key_generate(struct se_key *k);
/* X‖Y of k's public point, each left-padded to 80 bytes. */
int se_key_public160(const struct se_key *k, uint8_t out[SE_PUBKEY_LEN]);

/* KEK = SHA-256(ECDH(priv, peer).x (66 bytes) ‖ 00 00 00 01). */
int se_kek(const struct se_key *priv, const struct se_key *peer, uint8_t kek[SE_KEY_LEN]);

/* AES-256-GCM. decrypt returns -EBADMSG when the tag does not verify. */
int se_gcm_encrypt(const uint8_t key[SE_KEY_LEN], const uint8_t *iv, size_t iv_len,
		   const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		   uint8_t tag[SE_TAG_LEN]);
int se_gcm_decrypt(const uint8_t key[SE_KEY_LEN], const uint8_t *iv, size_t iv_len,
		   const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t tag[SE_TAG_LEN]);

/* Extension secret derived from a CCK: HKDF-SHA512(CCK, salt = SE-header tag,
 * info = "IBM Z Ultravisor Add-Secret", L = 32). */
int se_ext_secret_from_cck(const uint8_t cck[32], const uint8_t hdr_tag[SE_TAG_LEN],
			   uint8_t out[32]);

/*
 * Find the SE header in an SE image or a bare header (spec/uv.md §4.2) and return the
 * 0xd0-byte boot-tag block PLD ‖ ALD ‖ TLD ‖ tag. 0, or -EINVAL if no valid header.
 */
int se_hdr_tags(const uint8_t *img, size_t len, uint8_t tags[SE_HDR_TAGS_LEN]);

/* Random bytes from the kernel (getrandom). */
int se_random(void *buf, size_t len);
/* The same as mbedTLS's f_rng (key generation, blinding, signing). */
int se_rng(void *ctx, unsigned char *buf, size_t len);

#endif
