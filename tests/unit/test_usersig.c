// SPDX-License-Identifier: MIT
/*
 * User-data signatures (src/usersig.c): keys, the requests signed by OpenSSL as pvsecret
 * signs them (tests/vectors/signed), mkasr's signing, and every way a signature area or
 * a key can be wrong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mkasr_lib.h"
#include "t.h"
#include "usersig.h"
#include "util.h"

static int load_key(struct usersig_key *k, const char *path, char *why, size_t why_size)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	int ret;

	if (!buf)
		return -ENOENT;
	ret = usersig_key_parse(k, buf, len, why, why_size);
	free(buf);
	return ret;
}

TEST(key_formats)
{
	static const struct {
		const char *path;
		uint16_t udtype;
		int from_cert;
	} ok[] = {
	    {"keys/owner-ec.crt", ASR_UD_EC_P521, 1},
	    {"keys/owner-ec.crt.der", ASR_UD_EC_P521, 1},
	    {"keys/owner-ec.pub.pem", ASR_UD_EC_P521, 0},
	    {"keys/owner-ec.pub.der", ASR_UD_EC_P521, 0},
	    {"vectors/keys/rsa2048.crt", ASR_UD_RSA_2048, 1},
	    {"vectors/keys/rsa2048key.pub.pem", ASR_UD_RSA_2048, 0},
	    {"vectors/keys/rsa3072.crt", ASR_UD_RSA_3072, 1},
	    {"vectors/keys/rsa3072key.pub.pem", ASR_UD_RSA_3072, 0},
	};
	struct usersig_key k;
	char why[256];

	usersig_key_init(&k);
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		why[0] = 0;
		T_EQ_INT(load_key(&k, ok[i].path, why, sizeof(why)), 0);
		T_EQ_INT(k.udtype, ok[i].udtype);
		T_EQ_INT(k.from_cert, ok[i].from_cert);
	}
	T_EQ_INT(load_key(&k, "keys/p256.crt", why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "an EC key not on secp521r1");
	T_EQ_INT(load_key(&k, "vectors/keys/ecsecp256k1.pem", why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "a private key; the image must hold only the certificate or the public key");
	T_EQ_INT(load_key(&k, "keys/owner-ec.key", why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "a private key; the image must hold only the certificate or the public key");
	T_EQ_INT(load_key(&k, "vectors/cert/host.crt", why, sizeof(why)), 0); /* P-521 too */
	T_EQ_INT(usersig_key_parse(&k, (const uint8_t *)"hello", 5, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "neither an X.509 certificate nor a public key (PEM or DER)");
	T_EQ_INT(usersig_key_parse(&k, (const uint8_t *)"", 0, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "empty file");
	usersig_key_free(&k);
}

TEST(key_rsa4096_refused)
{
	struct usersig_key k;
	char why[256];

	usersig_key_init(&k);
	T_EQ_INT(load_key(&k, "keys/rsa4096.pub.pem", why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "an RSA key of 4096 bits; user-signing keys are RSA-2048 or RSA-3072");
	usersig_key_free(&k);
}

static enum usersig_err verify_file(const char *req_path, const char *key_path, char *why,
				    size_t why_size)
{
	struct usersig_key k;
	struct asr_info info;
	enum usersig_err ret = USERSIG_E_LAYOUT;
	size_t len;
	uint8_t *req = t_read_file(req_path, &len);

	usersig_key_init(&k);
	if (!req || load_key(&k, key_path, why, why_size) ||
	    asr_parse(req, len, &info, why, why_size) != ASR_OK) {
		t_fail(__FILE__, __LINE__, "%s / %s: %s", req_path, key_path, why);
	} else {
		ret = usersig_verify(req, &info, &k, NULL, why, why_size);
	}
	usersig_key_free(&k);
	free(req);
	return ret;
}

/* Requests signed by OpenSSL as pvsecret signs: verify with their key, not another. */
TEST(openssl_signed_vectors)
{
	static const struct {
		const char *req, *key, *other_same_type, *other_type;
	} v[] = {
	    {"vectors/signed/ec-meta.asr", "keys/owner-ec.crt", "keys/other-ec.crt",
	     "vectors/keys/rsa2048.crt"},
	    {"vectors/signed/ec-assoc.asr", "keys/owner-ec.pub.der", "keys/other-ec.crt",
	     "vectors/keys/rsa3072.crt"},
	    {"vectors/signed/rsa2048-meta.asr", "vectors/keys/rsa2048.crt",
	     "keys/other-rsa2048.crt", "keys/owner-ec.crt"},
	    {"vectors/signed/rsa2048-salt64-meta.asr", "vectors/keys/rsa2048key.pub.pem",
	     "keys/other-rsa2048.crt", "vectors/keys/rsa3072.crt"},
	    {"vectors/signed/rsa3072-assoc.asr", "vectors/keys/rsa3072.crt", NULL,
	     "vectors/keys/rsa2048.crt"},
	};
	char why[512];

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		why[0] = 0;
		T_EQ_INT(verify_file(v[i].req, v[i].key, why, sizeof(why)), USERSIG_OK);
		if (v[i].other_same_type)
			T_EQ_INT(verify_file(v[i].req, v[i].other_same_type, why, sizeof(why)),
				 USERSIG_E_BADSIG);
		T_EQ_INT(verify_file(v[i].req, v[i].other_type, why, sizeof(why)),
			 USERSIG_E_KEYTYPE);
	}
	T_EQ_INT(verify_file("vectors/signed/ec-meta.asr", "keys/other-ec.crt", why, sizeof(why)),
		 USERSIG_E_BADSIG);
	T_EQ_STR(why, "the EC secp521r1 signature of the user data does not verify with the "
		      "user-signing key");
	T_EQ_INT(
	    verify_file("vectors/signed/rsa2048-meta.asr", "keys/owner-ec.crt", why, sizeof(why)),
	    USERSIG_E_KEYTYPE);
	T_EQ_STR(why, "the user data is signed with an RSA-2048 key (user-data type 3), the "
		      "user-signing key is EC secp521r1");
	T_EQ_INT(verify_file("vectors/exp/asrcb/null_none_default_cuid_one", "keys/owner-ec.crt",
			     why, sizeof(why)),
		 USERSIG_E_UNSIGNED);
	T_EQ_STR(why, "the user data is not signed (user-data type none); a request signed with "
		      "the EC secp521r1 user-signing key is required");
}

/* A request made by mkasr with sign_key; *req is malloc'ed. */
static void make_signed(const char *key_path, size_t salt, const uint8_t *ud, size_t ud_len,
			uint8_t **req, size_t *len)
{
	static const uint8_t id[32] = {1};
	static const uint8_t value[32] = {2};
	struct se_key host;
	mbedtls_pk_context pk;
	const struct se_key *hk[1] = {&host};
	struct mkasr_input in;
	const char *err = NULL;
	size_t klen, hlen;
	uint8_t *kbuf = t_read_file(key_path, &klen), *hbuf;

	*req = NULL;
	se_key_init(&host);
	hbuf = t_read_file("vectors/cert/host.crt", &hlen);
	mbedtls_pk_init(&pk);
	mkasr_input_init(&in);
	if (!kbuf || !hbuf || se_key_load(&host, hbuf, hlen) ||
	    mkasr_sign_key_load(&pk, kbuf, klen, &err)) {
		t_fail(__FILE__, __LINE__, "cannot load %s", key_path);
		goto out;
	}
	in.host_keys = hk;
	in.nr_host_keys = 1;
	in.secret_type = SECRET_ASSOCIATION;
	memcpy(in.secret_id, id, sizeof(id));
	in.secret = value;
	in.secret_len = sizeof(value);
	in.user_data = ud;
	in.user_data_len = ud_len;
	in.sign_key = &pk;
	in.pss_salt_len = salt;
	if (mkasr_build(&in, req, len, &err))
		t_fail(__FILE__, __LINE__, "mkasr_build: %s", err);
out:
	mbedtls_pk_free(&pk);
	se_key_free(&host);
	free(kbuf);
	free(hbuf);
}

static enum usersig_err verify_buf(const uint8_t *req, size_t len, const char *key_path, char *why,
				   size_t why_size)
{
	struct usersig_key k;
	struct asr_info info;
	enum usersig_err ret;

	usersig_key_init(&k);
	if (load_key(&k, key_path, why, why_size)) {
		t_fail(__FILE__, __LINE__, "%s: %s", key_path, why);
		return USERSIG_E_LAYOUT;
	}
	if (asr_parse(req, len, &info, why, why_size) != ASR_OK)
		ret = USERSIG_E_LAYOUT;
	else
		ret = usersig_verify(req, &info, &k, NULL, why, why_size);
	usersig_key_free(&k);
	return ret;
}

TEST(mkasr_signs_every_type)
{
	static const struct {
		const char *key, *cert;
		size_t salt;
		uint16_t udtype;
		size_t data;
	} v[] = {
	    {"keys/owner-ec.key", "keys/owner-ec.crt", 0, ASR_UD_EC_P521, 256},
	    {"vectors/keys/rsa2048key.pem", "vectors/keys/rsa2048.crt", 0, ASR_UD_RSA_2048, 256},
	    {"vectors/keys/rsa2048key.pem", "vectors/keys/rsa2048.crt", MKASR_PSS_SALT_MAX,
	     ASR_UD_RSA_2048, 256},
	    {"vectors/keys/rsa2048key.pem", "vectors/keys/rsa2048.crt", 20, ASR_UD_RSA_2048, 256},
	    {"vectors/keys/rsa3072key.pem", "vectors/keys/rsa3072.crt", 0, ASR_UD_RSA_3072, 128},
	};
	uint8_t ud[256];
	char why[512];

	for (size_t i = 0; i < sizeof(ud); i++)
		ud[i] = (uint8_t)(i + 1);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct usersig_key k;
		struct asr_info info;
		struct asr_sig sig;
		uint8_t *req;
		size_t len;

		make_signed(v[i].key, v[i].salt, ud, v[i].data, &req, &len);
		T_REQUIRE(req);
		T_EQ_INT(get_be16(req + ASR_OFF_UDTYPE), v[i].udtype);
		usersig_key_init(&k);
		T_REQUIRE(load_key(&k, v[i].cert, why, sizeof(why)) == 0);
		T_REQUIRE(asr_parse(req, len, &info, why, sizeof(why)) == ASR_OK);
		T_EQ_INT(usersig_verify(req, &info, &k, &sig, why, sizeof(why)), USERSIG_OK);
		T_EQ_INT(sig.data_len, v[i].data);
		T_EQ_MEM(req + ASR_OFF_USERDATA, ud, v[i].data);
		/* one bit anywhere in [0, rql-16) breaks it; the GCM tag is not covered */
		for (size_t off = 0; off < len - ASR_GCM_TAG_LEN; off += 97) {
			req[off] ^= 0x10;
			if (asr_parse(req, len, &info, NULL, 0) == ASR_OK &&
			    info.udtype == v[i].udtype)
				T_CHECK(usersig_verify(req, &info, &k, NULL, why, sizeof(why)) !=
					USERSIG_OK);
			req[off] ^= 0x10;
		}
		req[len - 1] ^= 1;
		T_REQUIRE(asr_parse(req, len, &info, why, sizeof(why)) == ASR_OK);
		T_EQ_INT(usersig_verify(req, &info, &k, NULL, why, sizeof(why)), USERSIG_OK);
		/* the last signature byte */
		req[ASR_OFF_USERDATA + sig.area_off + sig.sig_len - 1] ^= 0x80;
		T_EQ_INT(usersig_verify(req, &info, &k, NULL, why, sizeof(why)), USERSIG_E_BADSIG);
		usersig_key_free(&k);
		free(req);
	}
}

TEST(ec_layout_errors)
{
	uint8_t *req, *ud, last;
	size_t len;
	uint16_t n;
	char why[512];

	make_signed("keys/owner-ec.key", 0, (const uint8_t *)"x", 1, &req, &len);
	T_REQUIRE(req);
	ud = req + ASR_OFF_USERDATA;
	n = get_be16(ud + ASR_UD_EC_SIZE_OFF);
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_OK);

	put_be16(ud + ASR_UD_EC_SIZE_OFF, 140);
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	T_EQ_STR(why, "EC signature size field (user data +0x190) is 140, expected 8 to 139");
	put_be16(ud + ASR_UD_EC_SIZE_OFF, 0);
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	T_EQ_STR(why, "EC signature size field (user data +0x190) is 0, expected 8 to 139");
	/*
	 * A smaller size field: the rest of the DER reads as trailing garbage. Made
	 * non-zero here: the signature's last byte (of s) is zero in one request of 256,
	 * and each request has its own random key and IV, so its own signature.
	 */
	put_be16(ud + ASR_UD_EC_SIZE_OFF, (uint16_t)(n - 1));
	last = ud[ASR_UD_EC_SIG_OFF + n - 1];
	ud[ASR_UD_EC_SIG_OFF + n - 1] = (uint8_t)(last | 1);
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	T_CHECK(strstr(why, "non-zero bytes after the") != NULL);
	ud[ASR_UD_EC_SIG_OFF + n - 1] = last;
	put_be16(ud + ASR_UD_EC_SIZE_OFF, n);
	if (n < ASR_UD_EC_SIG_MAX) {
		ud[ASR_UD_EC_SIG_OFF + ASR_UD_EC_SIG_MAX - 1] = 1;
		T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)),
			 USERSIG_E_LAYOUT);
		ud[ASR_UD_EC_SIG_OFF + ASR_UD_EC_SIG_MAX - 1] = 0;
		/* a size field larger than the DER SEQUENCE: zero bytes counted in */
		put_be16(ud + ASR_UD_EC_SIZE_OFF, (uint16_t)(n + 1));
		T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)),
			 USERSIG_E_LAYOUT);
		T_CHECK(strstr(why, "the DER SEQUENCE is") != NULL);
		put_be16(ud + ASR_UD_EC_SIZE_OFF, n);
	}
	ud[ASR_UD_EC_SIZE_OFF + 2] = 1;
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	T_EQ_STR(why, "reserved bytes around the EC signature size field are not zero");
	ud[ASR_UD_EC_SIZE_OFF + 2] = 0;
	ud[ASR_UD_EC_SIG_OFF + ASR_UD_EC_SIG_MAX] = 1;
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	ud[ASR_UD_EC_SIG_OFF + ASR_UD_EC_SIG_MAX] = 0;
	ud[ASR_UD_EC_SIG_OFF] = 0x31;
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_E_LAYOUT);
	T_EQ_STR(why, "EC signature is not a DER SEQUENCE (first byte 0x31)");
	ud[ASR_UD_EC_SIG_OFF] = 0x30;
	T_EQ_INT(verify_buf(req, len, "keys/owner-ec.crt", why, sizeof(why)), USERSIG_OK);
	free(req);
}

TEST(mkasr_signing_rejects)
{
	static const uint8_t big[257];
	struct se_key host;
	mbedtls_pk_context pk;
	const struct se_key *hk[1] = {&host};
	struct mkasr_input in;
	const char *err = NULL;
	uint8_t *req, *kbuf, *hbuf;
	size_t klen, hlen;

	kbuf = t_read_file("vectors/keys/rsa4096key.pem", &klen);
	hbuf = t_read_file("vectors/cert/host.crt", &hlen);
	T_REQUIRE(kbuf && hbuf);
	se_key_init(&host);
	mbedtls_pk_init(&pk);
	T_REQUIRE(se_key_load(&host, hbuf, hlen) == 0);
	T_REQUIRE(mkasr_sign_key_load(&pk, kbuf, klen, &err) == 0);
	mkasr_input_init(&in);
	in.host_keys = hk;
	in.nr_host_keys = 1;
	in.secret_type = SECRET_NULL;
	in.sign_key = &pk;
	T_EQ_INT(mkasr_build(&in, &req, &klen, &err), -EINVAL);
	T_EQ_STR(err, "the user-signing key is not EC secp521r1, RSA-2048 or RSA-3072");
	mbedtls_pk_free(&pk);
	free(kbuf);
	kbuf = t_read_file("keys/owner-ec.key", &klen);
	mbedtls_pk_init(&pk);
	T_REQUIRE(mkasr_sign_key_load(&pk, kbuf, klen, &err) == 0);
	in.user_data = big;
	in.user_data_len = sizeof(big);
	T_EQ_INT(mkasr_build(&in, &req, &klen, &err), -EINVAL);
	mbedtls_pk_free(&pk);
	se_key_free(&host);
	free(kbuf);
	free(hbuf);
}

T_SUITE(usersig, T_CASE(key_formats), T_CASE(key_rsa4096_refused), T_CASE(openssl_signed_vectors),
	T_CASE(mkasr_signs_every_type), T_CASE(ec_layout_errors), T_CASE(mkasr_signing_rejects));
