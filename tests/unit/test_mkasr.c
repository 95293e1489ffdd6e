/* SPDX-License-Identifier: MIT */
/* The request builder of mkasr (tests/common/mkasr_lib.c) against the s390-tools vectors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "mkasr_lib.h"
#include "secrypto.h"
#include "t.h"
#include "util.h"

#define V "vectors/"

static void unhex(const char *s, uint8_t *out, size_t len)
{
	if (hex_decode(s, out, len))
		t_fail(__FILE__, __LINE__, "bad hex constant %.16s...", s);
}

static int load_key(struct se_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	int ret;

	se_key_init(k);
	if (len == SE_COORD_LEN)
		ret = se_key_from_private80(k, buf);
	else
		ret = se_key_load(k, buf, len);
	free(buf);
	return ret;
}

/*
 * Open a request as the ultravisor does, with the private host key `host`: find its
 * slot, unwrap the request key, decrypt. 0 and the secret value ‖ extension secret in
 * plain (sea bytes), -ENOENT without a slot for the key, or the error of the step that
 * failed.
 */
static int uv_open(const uint8_t *asr, size_t len, const struct se_key *host, uint8_t *plain,
		   size_t *plain_len)
{
	static const uint8_t zero_iv[ASR_IV_LEN];
	uint8_t kek[SE_KEY_LEN], key[SE_KEY_LEN];
	struct se_key cust;
	size_t nks, sea, aad_len;
	int ret = -ENOENT;

	if (len < ASR_MIN_SIZE)
		return -EINVAL;
	nks = asr[ASR_OFF_NKS];
	sea = get_be32(asr + ASR_OFF_SEA);
	if (ASR_OFF_SLOTS + ASR_SLOT_LEN * nks > len || sea + ASR_GCM_TAG_LEN > len)
		return -EINVAL;
	aad_len = len - sea - ASR_GCM_TAG_LEN;
	se_key_init(&cust);
	if (se_key_from_public160(&cust, asr + ASR_OFF_CUSTKEY) || se_kek(host, &cust, kek)) {
		se_key_free(&cust);
		return -EINVAL;
	}
	se_key_free(&cust);
	for (size_t i = 0; i < nks; i++) {
		const uint8_t *slot = asr + ASR_OFF_SLOTS + ASR_SLOT_LEN * i;

		if (memcmp(slot, host->phkh, ASR_PHKH_LEN) != 0)
			continue;
		ret = se_gcm_decrypt(kek, zero_iv, sizeof(zero_iv), NULL, 0, slot + ASR_PHKH_LEN,
				     SE_KEY_LEN, key, slot + ASR_PHKH_LEN + SE_KEY_LEN);
		if (ret)
			return ret;
		break;
	}
	if (ret)
		return ret;
	*plain_len = sea;
	return se_gcm_decrypt(key, asr + ASR_OFF_IV, ASR_IV_LEN, asr, aad_len, asr + aad_len, sea,
			      plain, asr + len - ASR_GCM_TAG_LEN);
}

/* the inputs of the vectors (spec/uv.md §7.2, vectors README) */
struct vec_inputs {
	struct se_key host, cust;
	const struct se_key *hosts[7];
	uint8_t iv[ASR_IV_LEN], key[SE_KEY_LEN], assoc[32];
};

static int vec_inputs_init(struct vec_inputs *v, struct mkasr_input *in)
{
	int ret = load_key(&v->host, V "keys/host.pem.crt");

	ret = ret ? ret : load_key(&v->cust, V "keys/private_cust.bin");
	for (size_t i = 0; i < ARRAY_SIZE(v->hosts); i++)
		v->hosts[i] = &v->host;
	memset(v->iv, 0x55, sizeof(v->iv));
	memset(v->key, 0x17, sizeof(v->key));
	memset(v->assoc, 0x11, sizeof(v->assoc));

	mkasr_input_init(in);
	in->host_keys = v->hosts;
	in->nr_host_keys = 1;
	memset(in->tags, 0x01, 64);
	memset(in->tags + 64, 0x02, 64);
	memset(in->tags + 128, 0x03, 64);
	memset(in->tags + 192, 0x04, 16);
	memset(in->cuid, 0x42, sizeof(in->cuid));
	in->iv = v->iv;
	in->request_key = v->key;
	in->cust_key = &v->cust;
	return ret;
}

static void vec_inputs_free(struct vec_inputs *v)
{
	se_key_free(&v->host);
	se_key_free(&v->cust);
}

static const struct {
	const char *file;
	bool assoc, ncuid, dump;
	size_t nks;
	enum mkasr_ext ext;
} vectors[] = {
    {"null_none_default_cuid_one", false, false, false, 1, MKASR_EXT_NONE},
    {"null_none_default_ncuid_one", false, true, false, 1, MKASR_EXT_NONE},
    {"null_none_dump_cuid_one", false, false, true, 1, MKASR_EXT_NONE},
    {"null_none_default_cuid_seven", false, false, false, 7, MKASR_EXT_NONE},
    {"null_simple_default_cuid_one", false, false, false, 1, MKASR_EXT_SIMPLE},
    {"null_derived_default_cuid_one", false, false, false, 1, MKASR_EXT_CCK},
    {"assoc_none_default_cuid_one", true, false, false, 1, MKASR_EXT_NONE},
    {"assoc_simple_default_cuid_one", true, false, false, 1, MKASR_EXT_SIMPLE},
    {"assoc_derived_default_cuid_one", true, false, false, 1, MKASR_EXT_CCK},
};

TEST(reproduces_vectors)
{
	for (size_t i = 0; i < ARRAY_SIZE(vectors); i++) {
		struct vec_inputs v;
		struct mkasr_input in;
		char path[128];
		const char *err = NULL;
		uint8_t *exp, *got;
		size_t exp_len, got_len;
		int before = t_failed_checks;

		T_REQUIRE(vec_inputs_init(&v, &in) == 0);
		in.nr_host_keys = vectors[i].nks;
		if (vectors[i].ncuid)
			memset(in.cuid, 0, sizeof(in.cuid));
		if (vectors[i].dump)
			in.flags = 0x8000000000000000ull;
		in.ext = vectors[i].ext;
		memset(in.ext_secret, vectors[i].ext == MKASR_EXT_SIMPLE ? 0x17 : 0x00, 32);
		if (vectors[i].assoc) {
			in.secret_type = SECRET_ASSOCIATION;
			mkasr_secret_id("add_secret_request", false, in.secret_id);
			in.secret = v.assoc;
			in.secret_len = sizeof(v.assoc);
		}

		snprintf(path, sizeof(path), V "exp/asrcb/%s", vectors[i].file);
		exp = t_read_file(path, &exp_len);
		T_EQ_INT(mkasr_build(&in, &got, &got_len, &err), 0);
		if (got) {
			T_EQ_INT(got_len, exp_len);
			T_EQ_MEM(got, exp, exp_len < got_len ? exp_len : got_len);
		}
		if (t_failed_checks != before)
			t_fail(__FILE__, __LINE__, "in %s (%s)", path, err ? err : "no error");
		free(got);
		free(exp);
		vec_inputs_free(&v);
	}
}

/* The exact bytes of the vectors' secret headers and tags (spec/uv.md §7.2). */
TEST(vector_fields)
{
	struct vec_inputs v;
	struct mkasr_input in;
	uint8_t *asr, exp[48];
	size_t len;

	T_REQUIRE(vec_inputs_init(&v, &in) == 0);
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 1352);
	unhex("00000001000000000000000000000000", exp, 16);
	T_EQ_MEM(asr + 0x508, exp, 16);
	unhex("04e2c301200abaf71117ac30b972a70c", exp, 16);
	T_EQ_MEM(asr + len - 16, exp, 16);
	free(asr);

	in.secret_type = SECRET_ASSOCIATION;
	mkasr_secret_id("add_secret_request", false, in.secret_id);
	in.secret = v.assoc;
	in.secret_len = 32;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 1416);
	unhex("00000002000000200000000000000000"
	      "70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9",
	      exp, 48);
	T_EQ_MEM(asr + 0x508, exp, 48);
	unhex("fbf57e5391337ffd69fc201c589e4ae2", exp, 16);
	T_EQ_MEM(asr + len - 16, exp, 16);
	free(asr);

	/* update CCK: 00 00 00 16 00 00 00 20, 40 zero bytes */
	in.secret_type = SECRET_UPDATE_CCK;
	memset(in.secret_id, 0, sizeof(in.secret_id));
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 1416);
	memset(exp, 0, sizeof(exp));
	unhex("0000001600000020", exp, 8);
	T_EQ_MEM(asr + 0x508, exp, 48);
	free(asr);
	vec_inputs_free(&v);
}

/* A request for cert/host.crt, with random IV, key and customer key, opens with host.key. */
TEST(round_trip_host_key)
{
	struct se_key host_pub, host_priv, host2_pub, host2_priv, fake_priv;
	const struct se_key *hosts[2];
	struct mkasr_input in;
	uint8_t secret[MKASR_SECRET_MAX], plain[MKASR_SECRET_MAX + 32], exp[64];
	uint8_t *asr, *asr2;
	size_t secret_len, len, len2, plain_len;
	static const char payload[] = "luks passphrase";

	T_REQUIRE(load_key(&host_pub, V "cert/host.crt") == 0);
	T_REQUIRE(load_key(&host_priv, V "cert/host.key") == 0);
	T_REQUIRE(load_key(&host2_pub, V "cert/host2.crt") == 0);
	T_REQUIRE(load_key(&host2_priv, V "cert/host2.key") == 0);
	T_REQUIRE(load_key(&fake_priv, V "cert/fake_host.key") == 0);

	hosts[0] = &host2_pub;
	hosts[1] = &host_pub;
	mkasr_input_init(&in);
	in.host_keys = hosts;
	in.nr_host_keys = 2;
	memset(in.tags, 0xa5, sizeof(in.tags));
	in.secret_type = SECRET_PLAINTEXT;
	mkasr_secret_id("luks-rfs-passphrase", false, in.secret_id);
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, (const uint8_t *)payload,
				     sizeof(payload) - 1, secret, &secret_len, NULL),
		 0);
	in.secret = secret;
	in.secret_len = secret_len;
	in.ext = MKASR_EXT_CCK;
	memset(in.ext_secret, 0x33, 32);
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 0x4b8 + 2 * 80 + 48 + 32 + 32 + 16);
	T_EQ_MEM(asr + ASR_OFF_SLOTS, host2_pub.phkh, 32);
	T_EQ_MEM(asr + ASR_OFF_SLOTS + 80, host_pub.phkh, 32);

	/* both host keys open it */
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), 0);
	T_EQ_INT(plain_len, secret_len + 32);
	T_EQ_MEM(plain, secret, secret_len);
	T_EQ_INT(se_ext_secret_from_cck(in.ext_secret, in.tags + 0xc0, exp), 0);
	T_EQ_MEM(plain + secret_len, exp, 32);
	memset(plain, 0, sizeof(plain));
	T_EQ_INT(uv_open(asr, len, &host2_priv, plain, &plain_len), 0);
	T_EQ_MEM(plain, secret, secret_len);
	/* another key has no slot */
	T_EQ_INT(uv_open(asr, len, &fake_priv, plain, &plain_len), -ENOENT);

	/* random IV, request key and customer key: a second request differs everywhere */
	T_EQ_INT(mkasr_build(&in, &asr2, &len2, NULL), 0);
	T_REQUIRE(asr2);
	T_EQ_INT(len2, len);
	T_CHECK(memcmp(asr + ASR_OFF_IV, asr2 + ASR_OFF_IV, ASR_IV_LEN) != 0);
	T_CHECK(memcmp(asr + ASR_OFF_CUSTKEY, asr2 + ASR_OFF_CUSTKEY, ASR_CUSTKEY_LEN) != 0);
	T_CHECK(memcmp(asr + len - 16, asr2 + len - 16, 16) != 0);
	T_EQ_INT(uv_open(asr2, len2, &host_priv, plain, &plain_len), 0);
	T_EQ_MEM(plain, secret, secret_len);

	/* any change to the authenticated part is detected */
	asr[ASR_OFF_PLD] ^= 1;
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), -EBADMSG);
	asr[ASR_OFF_PLD] ^= 1;
	asr[ASR_OFF_USERDATA + 511] ^= 1;
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), -EBADMSG);
	asr[ASR_OFF_USERDATA + 511] ^= 1;
	/* the wrapped key in host's slot: its unwrapping fails, and the slots are in the AAD */
	asr[ASR_OFF_SLOTS + 80 + 40] ^= 1;
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), -EBADMSG);
	T_EQ_INT(uv_open(asr, len, &host2_priv, plain, &plain_len), -EBADMSG);
	asr[ASR_OFF_SLOTS + 80 + 40] ^= 1;
	T_EQ_INT(uv_open(asr, len, &host2_priv, plain, &plain_len), 0);

	free(asr);
	free(asr2);
	se_key_free(&host_pub);
	se_key_free(&host_priv);
	se_key_free(&host2_pub);
	se_key_free(&host2_priv);
	se_key_free(&fake_priv);
}

/* spec/uv.md §7.4 and the limits of §3.2 */
TEST(plaintext_encoding)
{
	uint8_t in[MKASR_PLAIN_MAX + 1], out[MKASR_SECRET_MAX], exp[16];
	size_t len;
	const char *err = NULL;

	memset(in, 0x07, 14);
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, 14, out, &len, NULL), 0);
	T_EQ_INT(len, 16);
	exp[0] = 0x00;
	exp[1] = 0x0e;
	memset(exp + 2, 0x07, 14);
	T_EQ_MEM(out, exp, 16);

	for (int i = 0; i < 10; i++)
		in[i] = (uint8_t)(i + 1);
	memset(out, 0xee, 16);
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, 10, out, &len, NULL), 0);
	T_EQ_INT(len, 16);
	unhex("000a0102030405060708090a00000000", exp, 16);
	T_EQ_MEM(out, exp, 16);

	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, 0, out, &len, NULL), 0);
	T_EQ_INT(len, 16);
	memset(exp, 0, 16);
	T_EQ_MEM(out, exp, 16);

	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, 30, out, &len, NULL), 0);
	T_EQ_INT(len, 32);
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, 31, out, &len, NULL), 0);
	T_EQ_INT(len, 48);

	memset(in, 0x20, sizeof(in));
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, MKASR_PLAIN_MAX, out, &len, NULL), 0);
	T_EQ_INT(len, 8192);
	T_EQ_INT(get_be16(out), 8190);
	T_EQ_INT(mkasr_encode_secret(SECRET_PLAINTEXT, in, MKASR_PLAIN_MAX + 1, out, &len, &err),
		 -EINVAL);
	T_CHECK(err != NULL);
}

TEST(key_encoding)
{
	static const struct {
		const char *kind;
		uint16_t type;
		size_t len;
	} exact[] = {
	    {"aes-128", SECRET_AES_128, 16},
	    {"aes-192", SECRET_AES_192, 24},
	    {"aes-256", SECRET_AES_256, 32},
	    {"aes-xts-128", SECRET_AES_XTS_128, 32},
	    {"aes-xts-256", SECRET_AES_XTS_256, 64},
	    {"hmac-sha-256", SECRET_HMAC_SHA_256, 64},
	    {"hmac-sha-512", SECRET_HMAC_SHA_512, 128},
	};
	uint8_t in[128], out[MKASR_SECRET_MAX], exp[80];
	size_t len;
	uint16_t type;
	const char *err;

	for (size_t i = 0; i < 128; i++)
		in[i] = (uint8_t)(0x80 + i);
	for (size_t i = 0; i < ARRAY_SIZE(exact); i++) {
		T_EQ_INT(mkasr_kind_type(exact[i].kind, &type), 0);
		T_EQ_INT(type, exact[i].type);
		T_EQ_INT(mkasr_encode_secret(type, in, exact[i].len, out, &len, NULL), 0);
		T_EQ_INT(len, exact[i].len);
		T_EQ_MEM(out, in, exact[i].len);
		err = NULL;
		T_EQ_INT(mkasr_encode_secret(type, in, exact[i].len - 1, out, &len, &err), -EINVAL);
		T_CHECK(err != NULL);
		T_EQ_INT(mkasr_encode_secret(type, in, exact[i].len + 1, out, &len, NULL), -EINVAL);
	}

	/* EC scalars are left-padded: P-521 66 → 80, Ed448 57 → 64 */
	T_EQ_INT(mkasr_kind_type("ec-p521", &type), 0);
	T_EQ_INT(type, SECRET_EC_P521);
	T_EQ_INT(mkasr_encode_secret(type, in, 66, out, &len, NULL), 0);
	T_EQ_INT(len, 80);
	memset(exp, 0, 14);
	memcpy(exp + 14, in, 66);
	T_EQ_MEM(out, exp, 80);
	/* already padded (like keys/private_cust.bin) or shorter: the same encoding */
	T_EQ_INT(mkasr_encode_secret(type, exp, 80, out, &len, NULL), 0);
	T_EQ_INT(len, 80);
	T_EQ_MEM(out, exp, 80);
	T_EQ_INT(mkasr_encode_secret(type, in, 10, out, &len, NULL), 0);
	T_EQ_INT(len, 80);
	T_EQ_MEM(out + 70, in, 10);
	T_EQ_INT(mkasr_encode_secret(type, in, 67, out, &len, NULL), -EINVAL);
	T_EQ_INT(mkasr_encode_secret(type, in, 0, out, &len, NULL), -EINVAL);

	T_EQ_INT(mkasr_kind_type("ed448", &type), 0);
	T_EQ_INT(mkasr_encode_secret(type, in, 57, out, &len, NULL), 0);
	T_EQ_INT(len, 64);
	T_EQ_MEM(out + 7, in, 57);
	T_EQ_INT(out[0] | out[6], 0);
	T_EQ_INT(mkasr_kind_type("ec-p256", &type), 0);
	T_EQ_INT(mkasr_encode_secret(type, in, 32, out, &len, NULL), 0);
	T_EQ_INT(len, 32);
	T_EQ_INT(mkasr_encode_secret(type, in, 33, out, &len, NULL), -EINVAL);
	T_EQ_INT(mkasr_kind_type("ec-p384", &type), 0);
	T_EQ_INT(mkasr_encode_secret(type, in, 48, out, &len, NULL), 0);
	T_EQ_INT(len, 48);
	T_EQ_INT(mkasr_kind_type("ed25519", &type), 0);
	T_EQ_INT(mkasr_encode_secret(type, in, 32, out, &len, NULL), 0);
	T_EQ_INT(len, 32);

	T_EQ_INT(mkasr_kind_type("plain", &type), 0);
	T_EQ_INT(type, SECRET_PLAINTEXT);
	T_EQ_INT(mkasr_kind_type("aes", &type), -ENOENT);
	T_EQ_INT(mkasr_kind_type("", &type), -ENOENT);
	T_EQ_INT(mkasr_encode_secret(SECRET_ASSOCIATION, in, 32, out, &len, NULL), -EINVAL);
	T_EQ_INT(mkasr_encode_secret(SECRET_UPDATE_CCK, in, 32, out, &len, NULL), -EINVAL);
}

TEST(secret_ids)
{
	uint8_t id[32], exp[32];

	/* --use-name (SecretId::from_string, spec/uv.md §2.3) */
	mkasr_secret_id("Fancy secret ID", true, id);
	unhex("46616e6379207365637265742049440000000000000000000000000000000000", exp, 32);
	T_EQ_MEM(id, exp, 32);
	mkasr_secret_id(
	    "the most fanciest secret ID you have ever seen in the history of secret IDs", true,
	    id);
	memset(exp, 0, 32);
	memcpy(exp, "the most fanciest secret ID you", 31);
	T_EQ_MEM(id, exp, 32);
	mkasr_secret_id("", true, id);
	memset(exp, 0, 32);
	T_EQ_MEM(id, exp, 32);

	/* SHA-256 of the name (spec/uv.md §3.5) */
	mkasr_secret_id("association secret", false, id);
	unhex("75ad01b403a9e4595df07ace38129799ddad908a8f82f9c32cdd7d53efc73c62", exp, 32);
	T_EQ_MEM(id, exp, 32);
	mkasr_secret_id("test retr secret", false, id);
	unhex("612cd63ea8f2c115c10e15b88a9016c155ef9c7c2c8e56d0784c8a1dc93a80ba", exp, 32);
	T_EQ_MEM(id, exp, 32);
	mkasr_secret_id("PLAINTEXT_PAD", false, id);
	unhex("0f7bb0d287e7dce8945dc6c3a5d4d6812d015e0ba712970f78fe0d6dadba254a", exp, 32);
	T_EQ_MEM(id, exp, 32);
}

/* The vector inputs for an AES-256 request "key" of 32 bytes 0x99 to host.crt. */
static int aes_inputs(struct vec_inputs *v, struct mkasr_input *in, struct se_key *host_pub,
		      struct se_key *host_priv, const struct se_key *hosts[1], uint8_t secret[32])
{
	if (vec_inputs_init(v, in) || load_key(host_pub, V "cert/host.crt") ||
	    load_key(host_priv, V "cert/host.key"))
		return -1;
	hosts[0] = host_pub;
	in->host_keys = hosts;
	memset(secret, 0x99, 32);
	in->secret_type = SECRET_AES_256;
	mkasr_secret_id("key", false, in->secret_id);
	in->secret = secret;
	in->secret_len = 32;
	return 0;
}

/* The corruption knobs change the header, and the tag still verifies. */
TEST(overrides_keep_tag_valid)
{
	struct vec_inputs v;
	struct mkasr_input in;
	struct se_key host_pub, host_priv;
	const struct se_key *hosts[1];
	uint8_t *asr, plain[64], secret[32];
	size_t len, plain_len;

	T_REQUIRE(aes_inputs(&v, &in, &host_pub, &host_priv, hosts, secret) == 0);
	in.override_version = true;
	in.version = 0x200;
	in.override_secret_type = true;
	in.secret_type_value = 0x0b;
	in.override_secret_len = true;
	in.secret_len_value = 31;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 0x4b8 + 80 + 48 + 32 + 32 + 16);
	T_EQ_INT(get_be32(asr + ASR_OFF_VERSION), 0x200);
	T_EQ_INT(asr[ASR_OFF_NKS], 1);
	T_EQ_INT(get_be16(asr + 0x508 + 2), 0x0b);
	T_EQ_INT(get_be32(asr + 0x508 + 4), 31);
	T_EQ_INT(get_be32(asr + ASR_OFF_SEA), 64);
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), 0);
	T_EQ_MEM(plain, secret, 32);
	free(asr);

	/* nks: the slots stay as they are, the count lies */
	in.override_version = in.override_secret_type = in.override_secret_len = false;
	in.override_nks = true;
	in.nks = 0;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(len, 0x4b8 + 80 + 48 + 32 + 32 + 16);
	T_EQ_INT(asr[ASR_OFF_NKS], 0);
	T_EQ_INT(get_be32(asr + ASR_OFF_VERSION), 0x100);
	asr[ASR_OFF_NKS] = 1; /* only to let uv_open find the slot ... */
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), -EBADMSG); /* ... it is in AAD */
	free(asr);

	se_key_free(&host_pub);
	se_key_free(&host_priv);
	vec_inputs_free(&v);
}

TEST(flags_user_data_policy)
{
	struct vec_inputs v;
	struct mkasr_input in;
	uint8_t *asr, ud[ASR_USERDATA_LEN], exp[32];
	size_t len;
	static const char policy[] = "0123456789abcdef0123456789abcdef\n";
	char long_path[600];

	T_REQUIRE(vec_inputs_init(&v, &in) == 0);
	in.flags = 0x4000000000000001ull;
	in.udtype = ASR_UD_UNSIGNED;
	mkasr_policy_ref((const uint8_t *)policy, sizeof(policy) - 1, "toc.pol", ud);
	in.user_data = ud;
	in.user_data_len = sizeof(ud);
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_INT(get_be16(asr + ASR_OFF_UDTYPE), 1);
	T_EQ_INT(get_be64(asr + ASR_OFF_FLAGS), 0x4000000000000001ull);
	sha256(policy, sizeof(policy) - 1, exp);
	T_EQ_MEM(asr + ASR_OFF_USERDATA, exp, 32);
	T_EQ_MEM(asr + ASR_OFF_USERDATA + 32, "toc.pol\0\0\0", 10);
	T_CHECK(all_zero(asr + ASR_OFF_USERDATA + 39, 480 - 7));
	free(asr);

	/* a long path is truncated to 480 bytes */
	memset(long_path, 'p', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = 0;
	mkasr_policy_ref((const uint8_t *)policy, 0, long_path, ud);
	T_EQ_MEM(ud + 32, long_path, 480);

	/* short user data is zero padded */
	in.user_data = (const uint8_t *)"hello";
	in.user_data_len = 5;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_MEM(asr + ASR_OFF_USERDATA, "hello", 5);
	T_CHECK(all_zero(asr + ASR_OFF_USERDATA + 5, 512 - 5));
	free(asr);
	vec_inputs_free(&v);
}

/* A tag is no commitment: the maker forces any tag through one free user-data block. */
TEST(force_tag)
{
	static const uint8_t want[ASR_GCM_TAG_LEN] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2,	3,
						      4,    5,	  6,	7,    8, 9, 10, 11};
	struct vec_inputs v;
	struct mkasr_input in;
	struct se_key host_pub, host_priv;
	const struct se_key *hosts[1];
	uint8_t *asr, plain[64], secret[32], ud[489] = {0};
	size_t len, plain_len;
	const char *err = NULL;

	T_REQUIRE(aes_inputs(&v, &in, &host_pub, &host_priv, hosts, secret) == 0);
	in.force_tag = want;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_REQUIRE(asr);
	T_EQ_MEM(asr + len - ASR_GCM_TAG_LEN, want, ASR_GCM_TAG_LEN);
	T_EQ_INT(get_be16(asr + ASR_OFF_UDTYPE), ASR_UD_UNSIGNED);
	/* only user-data bytes 488..503 were chosen, and the ultravisor opens it */
	T_CHECK(all_zero(asr + ASR_OFF_USERDATA, 488));
	T_CHECK(!all_zero(asr + MKASR_FORCE_OFF, 16));
	T_CHECK(all_zero(asr + MKASR_FORCE_OFF + 16, ASR_USERDATA_LEN - 504));
	T_EQ_INT(uv_open(asr, len, &host_priv, plain, &plain_len), 0);
	T_EQ_MEM(plain, secret, 32);
	free(asr);
	/* the block must be free: no more than 488 bytes of user data, no signature */
	in.user_data = ud;
	in.user_data_len = sizeof(ud);
	T_EQ_INT(mkasr_build(&in, &asr, &len, &err), -EINVAL);
	T_CHECK(asr == NULL && err && strstr(err, "488"));
	in.user_data_len = 488;
	in.udtype = ASR_UD_EC_P521;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), -EINVAL);
	se_key_free(&host_pub);
	se_key_free(&host_priv);
	vec_inputs_free(&v);
}

TEST(build_rejects)
{
	static const struct se_key *many[256];
	struct vec_inputs v;
	struct mkasr_input in;
	uint8_t *asr = (uint8_t *)1, big[513] = {0};
	size_t len = 1;
	const char *err = NULL;

	T_REQUIRE(vec_inputs_init(&v, &in) == 0);
	in.nr_host_keys = 0;
	T_EQ_INT(mkasr_build(&in, &asr, &len, &err), -EINVAL);
	T_CHECK(asr == NULL && len == 0 && err != NULL);

	for (size_t i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = &v.host;
	in.host_keys = many;
	in.nr_host_keys = 256;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), -EINVAL);
	in.nr_host_keys = 255;
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), 0);
	T_EQ_INT(len, 0x4b8 + 255 * 80 + 16 + 32 + 16);
	T_CHECK(asr && asr[ASR_OFF_NKS] == 255);
	free(asr);
	in.nr_host_keys = 1;

	in.user_data = big;
	in.user_data_len = sizeof(big);
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), -EINVAL);
	in.user_data_len = 0;

	in.secret = big;
	in.secret_len = 32; /* a meta request has no value */
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), -EINVAL);
	in.secret_len = 0;

	in.cust_key = &v.host; /* no private key */
	T_EQ_INT(mkasr_build(&in, &asr, &len, NULL), -EINVAL);
	vec_inputs_free(&v);
}

T_SUITE(mkasr, T_CASE(reproduces_vectors), T_CASE(vector_fields), T_CASE(round_trip_host_key),
	T_CASE(plaintext_encoding), T_CASE(key_encoding), T_CASE(secret_ids),
	T_CASE(overrides_keep_tag_valid), T_CASE(flags_user_data_policy), T_CASE(force_tag),
	T_CASE(build_rejects));
