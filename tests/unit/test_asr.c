// SPDX-License-Identifier: MIT
/* The ASR parser against the s390-tools vectors and against every malformation. */
#include <stdio.h>
#include <stdlib.h>

#include "asr.h"
#include "t.h"
#include "util.h"

#define V "vectors/exp/asrcb/"

static uint8_t *load(const char *name, size_t *len)
{
	char path[200];

	snprintf(path, sizeof(path), V "%s", name);
	return t_read_file(path, len);
}

TEST(vectors_parse)
{
	static const struct {
		const char *name;
		size_t size;
		uint16_t type;
		uint8_t nks;
		uint64_t flags;
		int cuid_zero;
	} v[] = {
		{"null_none_default_cuid_one", 1352, SECRET_NULL, 1, 0, 0},
		{"null_none_default_ncuid_one", 1352, SECRET_NULL, 1, 0, 1},
		{"null_none_dump_cuid_one", 1352, SECRET_NULL, 1, ASR_FLAG_DISABLE_DUMP, 0},
		{"null_none_default_cuid_seven", 1832, SECRET_NULL, 7, 0, 0},
		{"null_simple_default_cuid_one", 1352, SECRET_NULL, 1, 0, 0},
		{"null_derived_default_cuid_one", 1352, SECRET_NULL, 1, 0, 0},
		{"assoc_none_default_cuid_one", 1416, SECRET_ASSOCIATION, 1, 0, 0},
		{"assoc_simple_default_cuid_one", 1416, SECRET_ASSOCIATION, 1, 0, 0},
		{"assoc_derived_default_cuid_one", 1416, SECRET_ASSOCIATION, 1, 0, 0},
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct asr_info a;
		char why[200];
		size_t len;
		uint8_t *b = load(v[i].name, &len);
		enum asr_err e = asr_parse(b, len, &a, why, sizeof(why));

		if (e != ASR_OK)
			t_fail(__FILE__, __LINE__, "%s: %s: %s", v[i].name, asr_strerror(e), why);
		T_EQ_INT(a.size, v[i].size);
		T_EQ_INT(a.secret_type, v[i].type);
		T_EQ_INT(a.nks, v[i].nks);
		T_CHECK(a.flags == v[i].flags);
		T_EQ_INT(all_zero(a.cuid, 16), v[i].cuid_zero);
		T_EQ_INT(a.udtype, ASR_UD_NONE);
		T_EQ_INT(a.tags[0], 0x01);
		T_EQ_INT(a.tags[64], 0x02);
		T_EQ_INT(a.tags[128], 0x03);
		T_EQ_INT(a.tags[192], 0x04);
		T_EQ_INT(a.aad_len, a.size - a.sea - 16);
		T_CHECK(a.gcm_tag == b + len - 16);
		free(b);
	}
}

TEST(association_fields)
{
	static const uint8_t id[32] = {0x70, 0xdc, 0x75, 0x8d, 0x71, 0x1f, 0xef, 0x60,
				       0x5b, 0x1b, 0x1b, 0x17, 0x74, 0xa2, 0xa4, 0xab,
				       0x70, 0x10, 0x20, 0xea, 0x4b, 0x2c, 0xb3, 0x99,
				       0xeb, 0xbd, 0xd5, 0xa3, 0x97, 0x1c, 0x76, 0xa9};
	static const uint8_t tag[16] = {0xfb, 0xf5, 0x7e, 0x53, 0x91, 0x33, 0x7f, 0xfd,
					0x69, 0xfc, 0x20, 0x1c, 0x58, 0x9e, 0x4a, 0xe2};
	struct asr_info a;
	size_t len;
	uint8_t *b = load("assoc_none_default_cuid_one", &len);

	T_REQUIRE(asr_parse(b, len, &a, NULL, 0) == ASR_OK);
	T_EQ_INT(a.secret_len, 32);
	T_EQ_INT(a.sea, 64);
	T_EQ_INT(a.sechdr_off, 0x508);
	T_EQ_INT(a.sechdr_len, 48);
	T_REQUIRE(a.secret_id);
	T_EQ_MEM(a.secret_id, id, 32);
	T_EQ_MEM(a.gcm_tag, tag, 16);
	T_CHECK(secret_type_listable(a.secret_type));
	T_CHECK(!secret_type_retrievable(a.secret_type));
	free(b);
}

/* Each mutation of a valid request must be refused with the right error. */
static void expect(const uint8_t *b, size_t len, enum asr_err want, const char *what)
{
	struct asr_info a;
	char why[200] = "";
	enum asr_err e = asr_parse(b, len, &a, why, sizeof(why));

	if (e != want)
		t_fail(__FILE__, __LINE__, "%s: got '%s' (%s), expected '%s'", what,
		       asr_strerror(e), why, asr_strerror(want));
	else if (want != ASR_OK && !why[0])
		t_fail(__FILE__, __LINE__, "%s: no explanation", what);
}

TEST(malformations)
{
	size_t len;
	uint8_t *orig = load("assoc_none_default_cuid_one", &len);
	uint8_t *b = malloc(len + 64);

#define MUT(stmt, want)                                                                            \
	do {                                                                                       \
		memcpy(b, orig, len);                                                              \
		stmt;                                                                              \
		expect(b, len, want, #stmt);                                                       \
	} while (0)

	T_REQUIRE(b);
	MUT((void)0, ASR_OK);
	MUT(b[0] = 'A', ASR_E_MAGIC);
	MUT(b[5] = 'm', ASR_E_MAGIC);
	MUT(put_be16(b + ASR_OFF_UDTYPE, 5), ASR_E_UDTYPE);
	MUT(put_be32(b + ASR_OFF_VERSION, 0x200), ASR_E_VERSION);
	MUT(put_be32(b + ASR_OFF_RQL, (uint32_t)len + 16), ASR_E_RQL);
	MUT(put_be32(b + ASR_OFF_RQL, (uint32_t)len - 16), ASR_E_RQL);
	MUT(b[0x1c] = 1, ASR_E_RESERVED);
	MUT(b[0x26] = 1, ASR_E_RESERVED);
	MUT(b[0x2a] = 1, ASR_E_RESERVED);
	MUT(b[0x200] = 1, ASR_E_RESERVED);
	MUT(b[ASR_OFF_NKS] = 0, ASR_E_NKS);
	MUT(b[ASR_OFF_NKS] = 2, ASR_E_NKS);
	MUT(b[ASR_OFF_NKS] = 200, ASR_E_NKS);
	MUT(put_be32(b + ASR_OFF_SEA, 48), ASR_E_SEA);
	MUT(put_be16(b + 0x508, 1), ASR_E_SECHDR);
	MUT(b[0x508 + 9] = 1, ASR_E_SECHDR);
	MUT(put_be16(b + 0x50a, 0x0b), ASR_E_SECRET_TYPE);
	MUT(put_be16(b + 0x50a, 0x00), ASR_E_SECRET_TYPE);
	MUT(put_be16(b + 0x50a, 0x17), ASR_E_SECRET_TYPE);
	MUT(put_be32(b + 0x50c, 16), ASR_E_SECRET_LEN);
	/* AES-256 has the association's 32 bytes: a consistent request of another type */
	MUT(put_be16(b + 0x50a, SECRET_AES_256), ASR_OK);
	MUT(put_be16(b + 0x50a, SECRET_AES_128), ASR_E_SECRET_LEN);
	MUT(put_be16(b + 0x50a, SECRET_PLAINTEXT), ASR_OK);
	MUT((put_be16(b + 0x50a, SECRET_UPDATE_CCK)), ASR_E_SECHDR);
	MUT((put_be16(b + 0x50a, SECRET_UPDATE_CCK), memset(b + 0x518, 0, 32)), ASR_OK);
	MUT(b[ASR_OFF_USERDATA] = 1, ASR_E_USERDATA);
	MUT((put_be16(b + ASR_OFF_UDTYPE, ASR_UD_UNSIGNED), b[ASR_OFF_USERDATA] = 1), ASR_OK);
	MUT(put_be16(b + ASR_OFF_UDTYPE, ASR_UD_EC_P521), ASR_E_USERDATA);
	/* flags are the UV's to judge: parsed, not refused */
	MUT(put_be64(b + ASR_OFF_FLAGS, 0x4000000000000000ull), ASR_OK);
#undef MUT

	expect(orig, len - 1, ASR_E_RQL, "one byte short");
	memcpy(b, orig, len);
	memset(b + len, 0, 16);
	expect(b, len + 16, ASR_E_RQL, "16 bytes of trailing garbage");
	expect(orig, 5, ASR_E_MAGIC, "5 bytes");
	expect(orig, 0, ASR_E_MAGIC, "empty");
	expect(orig, 100, ASR_E_SHORT, "100 bytes");
	free(b);
	free(orig);
}

TEST(too_large)
{
	size_t n = ASR_MAX_SIZE + 1;
	uint8_t *b = calloc(1, n);

	T_REQUIRE(b);
	memcpy(b, ASR_MAGIC, ASR_MAGIC_LEN);
	expect(b, n, ASR_E_LARGE, "1 MiB + 1");
	free(b);
}

TEST(secret_lengths)
{
	T_EQ_INT(asr_expected_secret_len(SECRET_ASSOCIATION), 32);
	T_EQ_INT(asr_expected_secret_len(SECRET_AES_128), 16);
	T_EQ_INT(asr_expected_secret_len(SECRET_AES_192), 24);
	T_EQ_INT(asr_expected_secret_len(SECRET_AES_XTS_256), 64);
	T_EQ_INT(asr_expected_secret_len(SECRET_HMAC_SHA_512), 128);
	T_EQ_INT(asr_expected_secret_len(SECRET_EC_P521), 80);
	T_EQ_INT(asr_expected_secret_len(SECRET_EC_ED448), 64);
	T_EQ_INT(asr_expected_secret_len(0x0b), -1);
	T_CHECK(asr_plaintext_len_valid(16));
	T_CHECK(asr_plaintext_len_valid(8192));
	T_CHECK(!asr_plaintext_len_valid(8208));
	T_CHECK(!asr_plaintext_len_valid(0));
	T_CHECK(!asr_plaintext_len_valid(24));
	T_CHECK(secret_type_retrievable(SECRET_EC_ED448));
	T_CHECK(!secret_type_retrievable(SECRET_UPDATE_CCK));
	T_CHECK(!secret_type_listable(SECRET_NULL));
}

T_SUITE(asr, T_CASE(vectors_parse), T_CASE(association_fields), T_CASE(malformations),
	T_CASE(too_large), T_CASE(secret_lengths));
