/* SPDX-License-Identifier: MIT */
/* tests/common/secrypto.c against the s390-tools vectors (spec/uv.md §7) and KATs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "asr.h"
#include "secrypto.h"
#include "t.h"
#include "util.h"

#define V "vectors/"

static const char kek_hex[] = "753277558f3b6003419ef249ae3c4b55aad77d09d97fdd1fc88fd8f0cf22f149";
static const char host_phkh_hex[] =
    "415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0";
static const char cust_hash_hex[] =
    "5ee905a9be70366815a45641afae00973b1f45292f43bcd7638ee2a73fd7c45e";
static const char derived_hex[] =
    "b7e28c1ed1ecd063afe5eb9b54c6685aca5c193163e82e2071c3150ed6ff6473";

/* the tags of exp/secure_guest.hdr (s390-tools rust/pv/src/brcb.rs tests) */
static const char hdr_tags_hex[] =
    "be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d42"
    "58c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161"
    "2858c3368b2a0af0c5ea0fde7905eb15af9cd1dd737165933cdaa2b850b6a8e2"
    "f0f42c7b36dd5381096288dc092daa8a6facec2534137bc94ca80bda4fcb9328"
    "4860ebcf7b9d24eb909a795356ad32c936b62165988a9ffcd66170dbc590c230"
    "10d7952fa882d1bb79558f9be0a549d8d7a94ae720e5c0760a825d479fe67af5"
    "92309d4589b9a85b427f8753171d1520";

/* a throwaway P-521 key in SEC1 form, and a P-256 key (wrong curve) */
static const char sec1_p521[] = "-----BEGIN EC PRIVATE KEY-----\n"
				"MIHcAgEBBEIBV+uVG414QkiV8bJuBFo0jCIe+/2bFgmpxEI98Zv7YWro86oBNpmJ\n"
				"RFYUuFpYLLY3atC2bNUAubJD06iInCCR3zqgBwYFK4EEACOhgYkDgYYABAD8ZEyD\n"
				"pS6w4cyhPeXuDOsoROrcblz4hkI/mmM3LElEsJCwJDXviMeJFIKoACT2PREEOprm\n"
				"LQkLbOWsJe4rt4gxhwFSJF0bpIhzjibDPRQakZI8PH0p0wOp0IEITt+llIIsovkG\n"
				"wRsCRDlvq/xbuoPIF8C5HfaP/sHuXtXF+JVGwjQ31g==\n"
				"-----END EC PRIVATE KEY-----\n";
static const char sec1_p256[] = "-----BEGIN EC PRIVATE KEY-----\n"
				"MHcCAQEEIPAee8w20bsYektcqE1QwrDB7lOq4qUksjHSRUszZLeCoAoGCCqGSM49\n"
				"AwEHoUQDQgAExfKwh0kb5ZMpuVXaJ013WD0Sf4EayD6UiTTseGrE9YBwEWoHvXbP\n"
				"tsYVh2bxb4kYfXMUFQFR1J4xhymTwvvQSA==\n"
				"-----END EC PRIVATE KEY-----\n";

static void unhex(const char *s, uint8_t *out, size_t len)
{
	if (hex_decode(s, out, len))
		t_fail(__FILE__, __LINE__, "bad hex constant %.16s...", s);
}

static int load_key_file(struct se_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	int ret = se_key_load(k, buf, len);

	free(buf);
	return ret;
}

static int load_private80(struct se_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	int ret = len == SE_COORD_LEN ? se_key_from_private80(k, buf) : -EINVAL;

	free(buf);
	return ret;
}

/* The DER inside a one-block PEM file (base64 between the BEGIN and END lines). */
static uint8_t *pem_to_der(const char *path, size_t *der_len)
{
	size_t len, n = 0;
	uint8_t *pem = t_read_file(path, &len), *der;
	char *b64 = malloc(len + 1), *p = strchr((char *)pem, '\n'), *end;

	end = strstr((char *)pem, "-----END");
	if (!b64 || !p || !end) {
		free(pem);
		free(b64);
		return NULL;
	}
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r')
			b64[n++] = *p;
	der = malloc(len);
	if (der && mbedtls_base64_decode(der, len, der_len, (uint8_t *)b64, n)) {
		free(der);
		der = NULL;
	}
	free(pem);
	free(b64);
	return der;
}

TEST(kek_vector)
{
	struct se_key cust, host;
	uint8_t kek[SE_KEY_LEN], exp[SE_KEY_LEN], pub[SE_PUBKEY_LEN];
	size_t len;
	uint8_t *pub_file = t_read_file(V "keys/public_cust.bin", &len);

	se_key_init(&cust);
	se_key_init(&host);
	T_EQ_INT(load_private80(&cust, V "keys/private_cust.bin"), 0);
	T_EQ_INT(load_key_file(&host, V "keys/host.pem.crt"), 0);
	T_CHECK(cust.has_private);
	T_CHECK(!host.has_private);

	/* the customer's public key as the vectors store it */
	T_EQ_INT(len, SE_PUBKEY_LEN);
	T_EQ_INT(se_key_public160(&cust, pub), 0);
	T_EQ_MEM(pub, pub_file, SE_PUBKEY_LEN);

	unhex(kek_hex, exp, sizeof(exp));
	T_EQ_INT(se_kek(&cust, &host, kek), 0);
	T_EQ_MEM(kek, exp, sizeof(exp));
	/* without a private part there is no ECDH */
	T_EQ_INT(se_kek(&host, &cust, kek), -EINVAL);

	free(pub_file);
	se_key_free(&cust);
	se_key_free(&host);
}

TEST(key_hashes)
{
	struct se_key host, cust;
	uint8_t exp[32], h[32];
	size_t len;
	uint8_t *pub = t_read_file(V "keys/public_cust.bin", &len);

	se_key_init(&host);
	se_key_init(&cust);
	T_EQ_INT(load_key_file(&host, V "keys/host.pem.crt"), 0);
	unhex(host_phkh_hex, exp, sizeof(exp));
	T_EQ_MEM(host.phkh, exp, sizeof(exp));

	unhex(cust_hash_hex, exp, sizeof(exp));
	mbedtls_sha256(pub, len, h, 0);
	T_EQ_MEM(h, exp, sizeof(exp));
	T_EQ_INT(se_key_from_public160(&cust, pub), 0);
	T_CHECK(!cust.has_private);
	T_EQ_MEM(cust.phkh, exp, sizeof(exp));

	/* the same point from the private key */
	T_EQ_INT(load_private80(&cust, V "keys/private_cust.bin"), 0);
	T_EQ_MEM(cust.phkh, exp, sizeof(exp));

	/* not on the curve */
	pub[SE_PUBKEY_LEN - 1] ^= 1;
	T_EQ_INT(se_key_from_public160(&cust, pub), -EINVAL);
	memset(pub, 0, SE_PUBKEY_LEN);
	T_EQ_INT(se_key_from_public160(&cust, pub), -EINVAL);
	memset(pub, 0xff, SE_PUBKEY_LEN);
	T_EQ_INT(se_key_from_public160(&cust, pub), -EINVAL);

	free(pub);
	se_key_free(&host);
	se_key_free(&cust);
}

TEST(private80_rejects)
{
	struct se_key k;
	uint8_t priv[SE_COORD_LEN];

	se_key_init(&k);
	memset(priv, 0, sizeof(priv));
	T_EQ_INT(se_key_from_private80(&k, priv), -EINVAL); /* zero */
	memset(priv, 0xff, sizeof(priv));
	T_EQ_INT(se_key_from_private80(&k, priv), -EINVAL); /* ≥ n */
	se_key_free(&k);
}

/* cert/host.key and cert/host.crt hold the same key; PEM and DER; ECDH both ways */
TEST(key_load_forms)
{
	struct se_key priv, pub, der_priv, der_pub, cust, sec1;
	uint8_t k1[SE_KEY_LEN], k2[SE_KEY_LEN];
	uint8_t *der;
	size_t der_len;

	se_key_init(&priv);
	se_key_init(&pub);
	se_key_init(&der_priv);
	se_key_init(&der_pub);
	se_key_init(&cust);
	se_key_init(&sec1);

	T_EQ_INT(load_key_file(&priv, V "cert/host.key"), 0);
	T_EQ_INT(load_key_file(&pub, V "cert/host.crt"), 0);
	T_CHECK(priv.has_private);
	T_CHECK(!pub.has_private);
	T_EQ_MEM(priv.phkh, pub.phkh, 32);

	der = pem_to_der(V "cert/host.key", &der_len);
	T_REQUIRE(der);
	T_EQ_INT(se_key_load(&der_priv, der, der_len), 0);
	T_CHECK(der_priv.has_private);
	T_EQ_MEM(der_priv.phkh, pub.phkh, 32);
	free(der);
	der = pem_to_der(V "cert/host.crt", &der_len);
	T_REQUIRE(der);
	T_EQ_INT(se_key_load(&der_pub, der, der_len), 0);
	T_CHECK(!der_pub.has_private);
	T_EQ_MEM(der_pub.phkh, pub.phkh, 32);
	/* a truncated certificate */
	T_EQ_INT(se_key_load(&der_pub, der, der_len - 1), -EINVAL);
	free(der);

	/* customer → host public and host private → customer agree */
	T_EQ_INT(se_key_generate(&cust), 0);
	T_CHECK(cust.has_private);
	T_EQ_INT(se_kek(&cust, &pub, k1), 0);
	T_EQ_INT(se_kek(&priv, &cust, k2), 0);
	T_EQ_MEM(k1, k2, sizeof(k1));

	/* SEC1 */
	T_EQ_INT(se_key_load(&sec1, (const uint8_t *)sec1_p521, strlen(sec1_p521)), 0);
	T_CHECK(sec1.has_private);
	T_EQ_INT(se_kek(&sec1, &cust, k1), 0);
	T_EQ_INT(se_kek(&cust, &sec1, k2), 0);
	T_EQ_MEM(k1, k2, sizeof(k1));

	/* another host key gives another KEK */
	T_EQ_INT(load_key_file(&der_pub, V "cert/host2.crt"), 0);
	T_CHECK(memcmp(der_pub.phkh, pub.phkh, 32) != 0);
	T_EQ_INT(se_kek(&cust, &der_pub, k2), 0);
	T_EQ_INT(se_kek(&cust, &pub, k1), 0);
	T_CHECK(memcmp(k1, k2, sizeof(k1)) != 0);

	se_key_free(&priv);
	se_key_free(&pub);
	se_key_free(&der_priv);
	se_key_free(&der_pub);
	se_key_free(&cust);
	se_key_free(&sec1);
}

TEST(key_load_rejects)
{
	static const uint8_t garbage[] =
	    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	struct se_key k;
	uint8_t zeros[64] = {0};

	se_key_init(&k);
	T_EQ_INT(se_key_load(&k, (const uint8_t *)sec1_p256, strlen(sec1_p256)), -EINVAL);
	T_EQ_INT(se_key_load(&k, garbage, sizeof(garbage) - 1), -EINVAL);
	T_EQ_INT(se_key_load(&k, zeros, sizeof(zeros)), -EINVAL);
	T_EQ_INT(se_key_load(&k, zeros, 0), -EINVAL);
	se_key_free(&k);
}

TEST(hkdf_ext_secret)
{
	uint8_t cck[32], salt[16], out[32], exp[32];

	memset(cck, 0, sizeof(cck));
	memset(salt, 0x04, sizeof(salt));
	unhex(derived_hex, exp, sizeof(exp));
	T_EQ_INT(se_ext_secret_from_cck(cck, salt, out), 0);
	T_EQ_MEM(out, exp, sizeof(exp));
}

/* RFC 5869 A.1: the HKDF implementation itself (mbedtls_hkdf, SHA-256) */
TEST(hkdf_rfc5869)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], exp[42];

	memset(ikm, 0x0b, sizeof(ikm));
	for (size_t i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	unhex(
	    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
	    exp, sizeof(exp));
	T_EQ_INT(mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), salt, sizeof(salt), ikm,
			      sizeof(ikm), info, sizeof(info), okm, sizeof(okm)),
		 0);
	T_EQ_MEM(okm, exp, sizeof(exp));
}

/* The GCM specification's test case 16 (AES-256, 96-bit IV, AAD, 60-byte plaintext). */
TEST(gcm_kat)
{
	uint8_t key[32], iv[12], aad[20], pt[60], ct[60], tag[16], exp_ct[60], exp_tag[16];
	uint8_t out[60];

	unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, sizeof(key));
	unhex("cafebabefacedbaddecaf888", iv, sizeof(iv));
	unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, sizeof(aad));
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	      pt, sizeof(pt));
	unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	      exp_ct, sizeof(exp_ct));
	unhex("76fc6ece0f4e1768cddf8853bb2d551b", exp_tag, sizeof(exp_tag));

	T_EQ_INT(se_gcm_encrypt(key, iv, sizeof(iv), aad, sizeof(aad), pt, sizeof(pt), ct, tag), 0);
	T_EQ_MEM(ct, exp_ct, sizeof(ct));
	T_EQ_MEM(tag, exp_tag, sizeof(tag));
	T_EQ_INT(se_gcm_decrypt(key, iv, sizeof(iv), aad, sizeof(aad), ct, sizeof(ct), out, tag),
		 0);
	T_EQ_MEM(out, pt, sizeof(pt));

	tag[15] ^= 1;
	T_EQ_INT(se_gcm_decrypt(key, iv, sizeof(iv), aad, sizeof(aad), ct, sizeof(ct), out, tag),
		 -EBADMSG);
	tag[15] ^= 1;
	aad[0] ^= 1;
	T_EQ_INT(se_gcm_decrypt(key, iv, sizeof(iv), aad, sizeof(aad), ct, sizeof(ct), out, tag),
		 -EBADMSG);
	aad[0] ^= 1;
	ct[59] ^= 0x80;
	T_EQ_INT(se_gcm_decrypt(key, iv, sizeof(iv), aad, sizeof(aad), ct, sizeof(ct), out, tag),
		 -EBADMSG);
}

TEST(hdr_tags_vector)
{
	uint8_t tags[SE_HDR_TAGS_LEN], exp[SE_HDR_TAGS_LEN];
	size_t len;
	uint8_t *hdr = t_read_file(V "exp/secure_guest.hdr", &len);

	T_EQ_INT(len, 640);
	unhex(hdr_tags_hex, exp, sizeof(exp));
	T_EQ_INT(se_hdr_tags(hdr, len, tags), 0);
	T_EQ_MEM(tags, exp, sizeof(exp));
	free(hdr);
}

/* An "image" of npages zero pages with the vector header copied to hdr_off. */
static uint8_t *make_image(size_t size, size_t hdr_off, const uint8_t *hdr, size_t hdr_len)
{
	uint8_t *img = calloc(1, size);

	if (img && hdr)
		memcpy(img + hdr_off, hdr, hdr_len);
	return img;
}

static void put_metadata(uint8_t *img, uint64_t hdr_off)
{
	memcpy(img + 0xc000, "SeImgLnx", 8);
	put_be64(img + 0xc008, hdr_off);
	put_be32(img + 0xc010, 1);
	put_be64(img + 0xc014, 0x11000);
}

TEST(hdr_tags_image)
{
	uint8_t tags[SE_HDR_TAGS_LEN], exp[SE_HDR_TAGS_LEN];
	size_t len;
	uint8_t *hdr = t_read_file(V "exp/secure_guest.hdr", &len), *img;

	unhex(hdr_tags_hex, exp, sizeof(exp));

	/* probing: the header at page 3, at the last probed page 0x14, not at page 0x15 */
	img = make_image(0x20000, 0x3000, hdr, len);
	T_REQUIRE(img);
	memset(tags, 0, sizeof(tags));
	T_EQ_INT(se_hdr_tags(img, 0x20000, tags), 0);
	T_EQ_MEM(tags, exp, sizeof(exp));
	free(img);

	img = make_image(0x20000, 0x14000, hdr, len);
	T_REQUIRE(img);
	T_EQ_INT(se_hdr_tags(img, 0x20000, tags), 0);
	T_EQ_MEM(tags, exp, sizeof(exp));
	/* exactly as long as the header needs, one byte short of it */
	T_EQ_INT(se_hdr_tags(img, 0x14000 + len, tags), 0);
	T_EQ_INT(se_hdr_tags(img, 0x14000 + len - 1, tags), -EINVAL);
	free(img);

	img = make_image(0x20000, 0x15000, hdr, len);
	T_REQUIRE(img);
	T_EQ_INT(se_hdr_tags(img, 0x20000, tags), -EINVAL);
	free(img);

	/* not at a page boundary: not found by probing */
	img = make_image(0x20000, 0x2010, hdr, len);
	T_REQUIRE(img);
	T_EQ_INT(se_hdr_tags(img, 0x20000, tags), -EINVAL);
	free(img);

	/* SeImgLnx metadata at 0xc000: the header anywhere, even beyond the probed pages */
	img = make_image(0x40000, 0x30010, hdr, len);
	T_REQUIRE(img);
	put_metadata(img, 0x30010);
	memset(tags, 0, sizeof(tags));
	T_EQ_INT(se_hdr_tags(img, 0x40000, tags), 0);
	T_EQ_MEM(tags, exp, sizeof(exp));
	/* the metadata wins over a header found by probing, and is probed only once */
	memcpy(img + 0x1000, hdr, len);
	put_metadata(img, 0x31000);
	T_EQ_INT(se_hdr_tags(img, 0x40000, tags), -EINVAL);
	put_metadata(img, 0x40000 - 4);
	T_EQ_INT(se_hdr_tags(img, 0x40000, tags), -EINVAL);
	put_metadata(img, 0xffffffffffff0000ull);
	T_EQ_INT(se_hdr_tags(img, 0x40000, tags), -EINVAL);
	/* without the metadata magic the probe finds the copy at page 1 */
	memset(img + 0xc000, 0, 8);
	T_EQ_INT(se_hdr_tags(img, 0x40000, tags), 0);
	T_EQ_MEM(tags, exp, sizeof(exp));
	free(img);

	free(hdr);
}

TEST(hdr_tags_rejects)
{
	uint8_t tags[SE_HDR_TAGS_LEN];
	uint8_t buf[0x1000];
	size_t len;
	uint8_t *hdr = t_read_file(V "exp/secure_guest.hdr", &len);

	T_REQUIRE(len == 640);
	/* garbage */
	memset(buf, 0x5a, sizeof(buf));
	T_EQ_INT(se_hdr_tags(buf, sizeof(buf), tags), -EINVAL);
	T_EQ_INT(se_hdr_tags(buf, 0, tags), -EINVAL);
	/* truncated: magic only, before the end of the fixed part, before the tag */
	T_EQ_INT(se_hdr_tags(hdr, 7, tags), -EINVAL);
	T_EQ_INT(se_hdr_tags(hdr, 8, tags), -EINVAL);
	T_EQ_INT(se_hdr_tags(hdr, 0x19f, tags), -EINVAL);
	T_EQ_INT(se_hdr_tags(hdr, len - 1, tags), -EINVAL);
	/* wrong version */
	memcpy(buf, hdr, len);
	put_be32(buf + 8, 0x200);
	T_EQ_INT(se_hdr_tags(buf, len, tags), -EINVAL);
	put_be32(buf + 8, 0x100);
	T_EQ_INT(se_hdr_tags(buf, len, tags), 0);
	/* header size: larger than the data, or too small to hold a tag after the fixed part */
	put_be32(buf + 12, (uint32_t)len + 1);
	T_EQ_INT(se_hdr_tags(buf, len, tags), -EINVAL);
	put_be32(buf + 12, 0xffffffff);
	T_EQ_INT(se_hdr_tags(buf, len, tags), -EINVAL);
	put_be32(buf + 12, 0x1a0);
	T_EQ_INT(se_hdr_tags(buf, len, tags), -EINVAL);
	put_be32(buf + 12, 0);
	T_EQ_INT(se_hdr_tags(buf, len, tags), -EINVAL);
	/* a shorter sehs within the data is taken as it is */
	put_be32(buf + 12, 0x1b0);
	T_EQ_INT(se_hdr_tags(buf, len, tags), 0);
	T_EQ_MEM(tags + 0xc0, buf + 0x1a0, 16);
	free(hdr);
}

static const struct {
	const char *file;
	size_t nks;
	bool assoc;
	int ext; /* 0 none, 1 simple 32×0x17, 2 derived */
} asrcb_vectors[] = {
    {"null_none_default_cuid_one", 1, false, 0},    {"null_none_default_ncuid_one", 1, false, 0},
    {"null_none_dump_cuid_one", 1, false, 0},	    {"null_none_default_cuid_seven", 7, false, 0},
    {"null_simple_default_cuid_one", 1, false, 1},  {"null_derived_default_cuid_one", 1, false, 2},
    {"assoc_none_default_cuid_one", 1, true, 0},    {"assoc_simple_default_cuid_one", 1, true, 1},
    {"assoc_derived_default_cuid_one", 1, true, 2},
};

/* Every slot of every vector unwraps to 32×0x17 with the KEK; the body decrypts. */
TEST(asrcb_vectors_decrypt)
{
	static const uint8_t zero_iv[12];
	uint8_t kek[SE_KEY_LEN], phkh[32], k17[32], plain[64], exp[64];

	unhex(kek_hex, kek, sizeof(kek));
	unhex(host_phkh_hex, phkh, sizeof(phkh));
	memset(k17, 0x17, sizeof(k17));

	for (size_t v = 0; v < ARRAY_SIZE(asrcb_vectors); v++) {
		char path[128];
		size_t len, sea, aad_len, hdr_len = asrcb_vectors[v].assoc ? 48 : 16;
		uint8_t *asr, key[SE_KEY_LEN];
		int before = t_failed_checks;

		snprintf(path, sizeof(path), V "exp/asrcb/%s", asrcb_vectors[v].file);
		asr = t_read_file(path, &len);
		T_EQ_INT(len, 0x4b8 + 80 * asrcb_vectors[v].nks + hdr_len +
				  (asrcb_vectors[v].assoc ? 32 : 0) + 32 + 16);
		T_EQ_INT(get_be32(asr + ASR_OFF_RQL), len);
		T_EQ_INT(asr[ASR_OFF_NKS], asrcb_vectors[v].nks);
		for (size_t i = 0; i < asrcb_vectors[v].nks; i++) {
			const uint8_t *slot = asr + ASR_OFF_SLOTS + 80 * i;

			T_EQ_MEM(slot, phkh, 32);
			memset(key, 0, sizeof(key));
			T_EQ_INT(se_gcm_decrypt(kek, zero_iv, 12, NULL, 0, slot + 32, 32, key,
						slot + 64),
				 0);
			T_EQ_MEM(key, k17, 32);
		}
		sea = get_be32(asr + ASR_OFF_SEA);
		T_REQUIRE(sea <= sizeof(plain) && sea + 16 < len);
		aad_len = len - sea - 16;
		T_EQ_INT(se_gcm_decrypt(k17, asr + ASR_OFF_IV, 12, asr, aad_len, asr + aad_len, sea,
					plain, asr + len - 16),
			 0);
		memset(exp, 0x11, 32);
		if (asrcb_vectors[v].ext == 0)
			memset(exp + sea - 32, 0, 32);
		else if (asrcb_vectors[v].ext == 1)
			memset(exp + sea - 32, 0x17, 32);
		else
			unhex(derived_hex, exp + sea - 32, 32);
		T_EQ_MEM(plain, exp, sea);
		if (t_failed_checks != before)
			t_fail(__FILE__, __LINE__, "in %s", path);
		free(asr);
	}
}

TEST(random_bytes)
{
	uint8_t a[32], b[32], zero[32] = {0};

	T_EQ_INT(se_random(a, sizeof(a)), 0);
	T_EQ_INT(se_random(b, sizeof(b)), 0);
	T_CHECK(memcmp(a, b, sizeof(a)) != 0);
	T_CHECK(memcmp(a, zero, sizeof(a)) != 0);
	T_EQ_INT(se_random(a, 0), 0);
}

T_SUITE(secrypto, T_CASE(kek_vector), T_CASE(key_hashes), T_CASE(private80_rejects),
	T_CASE(key_load_forms), T_CASE(key_load_rejects), T_CASE(hkdf_ext_secret),
	T_CASE(hkdf_rfc5869), T_CASE(gcm_kat), T_CASE(hdr_tags_vector), T_CASE(hdr_tags_image),
	T_CASE(hdr_tags_rejects), T_CASE(asrcb_vectors_decrypt), T_CASE(random_bytes));
