// SPDX-License-Identifier: MIT
/*
 * The LUKS2 header reader (src/luks2.c) on real cryptsetup headers
 * (tests/vectors/luks2/make.sh) and on the hostile variants a host makes of them:
 * every attack is checked together with its control (the same header without the
 * change is accepted), so a refusal means something.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luks2.h"
#include "luks2_edit.h"
#include "t.h"

#define SEG0  "\"encryption\":\"aes-xts-plain64\",\"sector_size\""
#define AREA0 "\"encryption\":\"aes-xts-plain64\",\"key_size\":64}"

static struct luks2_hdr hdr;
static char err[640];

static uint8_t *fixture(const char *name, size_t *len)
{
	char path[96];

	snprintf(path, sizeof(path), "vectors/luks2/%s", name);
	return t_read_file(path, len);
}

/* parse + check with the default ciphers: 0, or the error. */
static int verdict(const uint8_t *buf, size_t len)
{
	int ret;

	err[0] = 0;
	ret = luks2_parse(buf, len, &hdr, err, sizeof(err));
	if (!ret)
		ret = luks2_check(&hdr, NULL, 0, err, sizeof(err));
	return ret;
}

/* aes512.hdr with one JSON edit in both copies, checksums recomputed. */
static int edited(const char *old, const char *new)
{
	size_t len;
	uint8_t *buf = fixture("aes512.hdr", &len);
	int ret;

	if (luks2_edit_json(buf, len, -1, old, new) || luks2_edit_csum(buf, len, -1)) {
		free(buf);
		t_fail(__FILE__, __LINE__, "cannot edit '%s'", old);
		return 1;
	}
	ret = verdict(buf, len);
	free(buf);
	return ret;
}

static bool err_has(const char *s)
{
	if (strstr(err, s))
		return true;
	t_fail(__FILE__, __LINE__, "error '%s' does not say '%s'", err, s);
	return false;
}

TEST(real_headers)
{
	static const char *const only_paes[] = {"paes-xts-plain64"};
	size_t len;
	uint8_t *buf = fixture("aes512.hdr", &len);

	T_EQ_INT(len, 32768);
	T_EQ_INT(verdict(buf, len), 0);
	T_EQ_STR(hdr.cipher, "aes-xts-plain64");
	T_EQ_INT(hdr.key_bits, 512);
	T_EQ_INT(hdr.data_offset, 0);
	T_EQ_INT(hdr.data_size, 0);
	T_EQ_INT(hdr.sector_size, 4096);
	T_EQ_INT(hdr.hdr_size, 16384);
	T_EQ_INT(hdr.copy, 0);
	T_EQ_STR(hdr.uuid, "0f0e0d0c-0b0a-4908-8706-050403020100");
	T_EQ_STR(hdr.label, "pvboot-root");
	T_EQ_INT(hdr.n_keyslots, 1);
	T_EQ_INT(hdr.n_segments, 1);
	T_EQ_INT(hdr.n_tokens, 0);
	T_EQ_STR(hdr.keyslots[0].kdf, "pbkdf2");
	T_EQ_STR(hdr.keyslots[0].area_encryption, "aes-xts-plain64");
	T_EQ_INT(hdr.keyslots[0].area_key_bits, 512);
	T_EQ_INT(hdr.json_size, 12288);
	T_EQ_INT(hdr.keyslots_size, 262144);
	T_EQ_INT(hdr.metadata_end, 32768 + 262144);
	/* the allow-list: not allowed when the owner names only paes */
	T_EQ_INT(luks2_check(&hdr, only_paes, 1, err, sizeof(err)), -EINVAL);
	err_has("the data cipher 'aes-xts-plain64' is not an allowed one (paes-xts-plain64)");
	free(buf);

	buf = fixture("ondisk.hdr", &len);
	T_EQ_INT(verdict(buf, len), 0);
	T_EQ_INT(hdr.data_offset, 2097152);
	T_EQ_STR(hdr.label, "on disk");
	T_EQ_INT(hdr.n_keyslots, 2);
	T_EQ_STR(hdr.keyslots[0].kdf, "argon2id");
	T_EQ_INT(hdr.n_tokens, 1);
	T_EQ_STR(hdr.token_types[0], "luks2-keyring");
	free(buf);
}

TEST(reencryption_refused)
{
	size_t len;
	uint8_t *buf = fixture("reencrypt.hdr", &len);

	T_EQ_INT(luks2_parse(buf, len, &hdr, err, sizeof(err)), 0);
	T_EQ_INT(hdr.n_segments, 3);
	T_CHECK(hdr.requirements);
	T_EQ_STR(hdr.requirement, "online-reencrypt-v2");
	T_EQ_INT(verdict(buf, len), -EINVAL);
	err_has("requirements ('online-reencrypt-v2')");
	/* without the requirement, the reencrypt keyslot and the extra segments remain */
	T_REQUIRE(luks2_edit_json(buf, len, -1,
				  ",\"requirements\":{\"mandatory\":[\"online-reencrypt-v2\"]}",
				  "") == 0);
	luks2_edit_csum(buf, len, -1);
	T_EQ_INT(verdict(buf, len), -EINVAL);
	err_has("keyslot 2 is of type reencrypt");
	free(buf);
	/* a reencrypt keyslot alone, a linear segment alone, segment flags alone */
	T_EQ_INT(edited("\"type\":\"luks2\"", "\"type\":\"reencrypt\""), -EINVAL);
	err_has("keyslot 0 is of type reencrypt");
	T_EQ_INT(edited("\"type\":\"crypt\"", "\"type\":\"linear\""), -EINVAL);
	err_has("segment 0 is of type 'linear'");
	T_EQ_INT(
	    edited("\"sector_size\":4096}", "\"sector_size\":4096,\"flags\":[\"backup-final\"]}"),
	    -EINVAL);
	err_has("segment 0 has flags");
	T_EQ_INT(edited("\"keyslots_size\":\"262144\"",
			"\"keyslots_size\":\"262144\",\"requirements\":{\"mandatory\":[\"x\"]}"),
		 -EINVAL);
	err_has("requirements ('x')");
	T_EQ_INT(edited("\"keyslots_size\":\"262144\"",
			"\"keyslots_size\":\"262144\",\"requirements\":{\"optional\":[]}"),
		 -EINVAL);
	err_has("requirements");
	/* control: an empty mandatory list is no requirement */
	T_EQ_INT(edited("\"keyslots_size\":\"262144\"",
			"\"keyslots_size\":\"262144\",\"requirements\":{\"mandatory\":[]}"),
		 0);
}

TEST(null_ciphers_refused)
{
	static const char *const spellings[] = {
	    "cipher_null-ecb",	       "cipher_null",
	    "cipher_null-cbc-plain",   "CIPHER_NULL-ecb",
	    "Cipher_Null-xts-plain64", "capi:ecb(cipher_null)-plain",
	};
	char seg[128], area[128];

	T_EQ_INT(edited(SEG0, SEG0), 0); /* control */
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		snprintf(seg, sizeof(seg), "\"encryption\":\"%s\",\"sector_size\"", spellings[i]);
		T_EQ_INT(edited(SEG0, seg), -EINVAL);
		err_has("segment 0: the data is encrypted with");
		err_has("a null cipher");
		snprintf(area, sizeof(area), "\"encryption\":\"%s\",\"key_size\":64}",
			 spellings[i]);
		T_EQ_INT(edited(AREA0, area), -EINVAL);
		err_has("keyslot 0: its area is encrypted with");
	}
	T_CHECK(!luks2_cipher_is_null("aes-xts-plain64"));
	T_CHECK(!luks2_cipher_is_null("null"));
	T_CHECK(luks2_cipher_is_null("xts(cipher_NULL)"));
}

TEST(ciphers_allow_list)
{
	static const char *const serpent[] = {"serpent-xts-plain64"};
	size_t len;
	uint8_t *buf = fixture("aes512.hdr", &len);

	T_EQ_INT(edited(SEG0, "\"encryption\":\"serpent-xts-plain64\",\"sector_size\""), -EINVAL);
	err_has("the data cipher 'serpent-xts-plain64' is not an allowed one (aes-xts-plain64, "
		"paes-xts-plain64)");
	/* the kernel takes other spellings of the same cipher: the list is exact */
	T_EQ_INT(edited(SEG0, "\"encryption\":\"capi:xts(aes)-plain64\",\"sector_size\""), -EINVAL);
	T_EQ_INT(edited(SEG0, "\"encryption\":\"AES-xts-plain64\",\"sector_size\""), -EINVAL);
	T_EQ_INT(edited(SEG0, "\"encryption\":\"paes-xts-plain64\",\"sector_size\""), 0);
	/* named by the owner, serpent is allowed */
	T_REQUIRE(luks2_edit_json(buf, len, -1, SEG0,
				  "\"encryption\":\"serpent-xts-plain64\",\"sector_size\"") == 0);
	luks2_edit_csum(buf, len, -1);
	T_EQ_INT(luks2_parse(buf, len, &hdr, err, sizeof(err)), 0);
	T_EQ_INT(luks2_check(&hdr, serpent, 1, err, sizeof(err)), 0);
	free(buf);
}

TEST(layout_refused)
{
	static const char seg1[] =
	    "\"segments\":{\"1\":{\"type\":\"crypt\",\"offset\":\"0\",\"size\":\"dynamic\",\"iv_"
	    "tweak\":\"0\",\"encryption\":\"aes-xts-plain64\",\"sector_size\":4096},";

	T_EQ_INT(edited("\"segments\":{", seg1), -EINVAL);
	err_has("2 segments: exactly one crypt segment is required");
	T_EQ_INT(edited("\"sector_size\":4096}",
			"\"sector_size\":4096,\"integrity\":{\"type\":\"hmac(sha256)\"}}"),
		 -EINVAL);
	err_has("integrity");
	T_EQ_INT(edited("\"sector_size\":4096}", "\"sector_size\":4096,\"foo\":1}"), -EINVAL);
	err_has("segment 0: unknown member 'foo'");
	T_EQ_INT(edited("\"keyslots\":{", "\"extra\":{},\"keyslots\":{"), -EINVAL);
	err_has("JSON area: unknown member 'extra'");
	T_EQ_INT(edited("\"keyslots_size\":\"262144\"",
			"\"keyslots_size\":\"262144\",\"flags\":[\"allow-discards\"]"),
		 0);
	T_EQ_INT(hdr.flags, LUKS2_FLAG_ALLOW_DISCARDS);
	T_EQ_INT(edited("\"keyslots_size\":\"262144\"",
			"\"keyslots_size\":\"262144\",\"flags\":[\"hw-opal\"]"),
		 -EINVAL);
	err_has("config: unknown flag 'hw-opal'");
	T_EQ_INT(edited("\"kdf\":{\"type\":\"pbkdf2\"", "\"kdf\":{\"type\":\"scrypt\""), -EINVAL);
	T_EQ_INT(edited("\"keyslots\":[\"0\"]", "\"keyslots\":[]"), -EINVAL);
	err_has("no keyslot holds the data segment's key");
	T_EQ_INT(edited("\"offset\":\"32768\"", "\"offset\":\"16384\""), -EINVAL);
	err_has("outside the keyslots area");
	T_EQ_INT(edited("\"sector_size\":4096", "\"sector_size\":4095"), -EINVAL);
	T_EQ_INT(edited("\"json_size\":\"12288\"", "\"json_size\":\"12289\""), -EINVAL);
}

TEST(short_keys_refused)
{
	T_EQ_INT(edited("\"key_size\":64,\"af\"", "\"key_size\":16,\"af\""), -EINVAL);
	err_has("keyslot 0: a 128-bit key");
	T_EQ_INT(edited(AREA0, "\"encryption\":\"aes-xts-plain64\",\"key_size\":16}"), -EINVAL);
	err_has("128-bit area key");
	/* control: 256 bits is the least taken */
	T_EQ_INT(edited("\"key_size\":64,\"af\"", "\"key_size\":32,\"af\""), 0);
	T_EQ_INT(hdr.key_bits, 256);
}

TEST(binary_headers)
{
	size_t len;
	uint8_t *buf = fixture("aes512.hdr", &len), *copy = malloc(len);

	T_REQUIRE(copy);
	T_EQ_INT(verdict(buf, len), 0);
	/* a wrong checksum in either copy */
	memcpy(copy, buf, len);
	copy[448 + 5] ^= 1;
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("the primary LUKS2 header has a wrong checksum");
	memcpy(copy, buf, len);
	copy[16384 + 4096 + 3] ^= 0x20; /* a JSON byte of the secondary, csum not redone */
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("the secondary LUKS2 header (at 16384) has a wrong checksum");
	luks2_edit_csum(copy, len, 1); /* control for the checksum: now it is the content */
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("the same seqid but different contents");
	/* truncated */
	T_EQ_INT(verdict(buf, 100), -EINVAL);
	err_has("the primary LUKS2 header is cut short");
	T_EQ_INT(verdict(buf, len - 1), -EINVAL);
	err_has("the secondary LUKS2 header (at 16384) is cut short");
	/* magic, version, hdr_size */
	memcpy(copy, buf, len);
	copy[16384] = 'L';
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("secondary LUKS2 header (at 16384) has no LUKS2 magic");
	memcpy(copy, buf, len);
	copy[7] = 1;
	luks2_edit_csum(copy, len, 0);
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("is not version 2");
	memcpy(copy, buf, len);
	luks2_edit_u64(copy, len, 0, 8, 20000);
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("hdr_size");
	memcpy(copy, buf, len);
	luks2_edit_u64(copy, len, 1, 256, 0); /* the secondary claims offset 0 */
	luks2_edit_csum(copy, len, 1);
	T_EQ_INT(verdict(copy, len), -EINVAL);
	err_has("hdr_offset");
	free(copy);
	free(buf);
}

TEST(newer_copy_is_used)
{
	size_t len;
	uint8_t *buf = fixture("aes512.hdr", &len);
	uint64_t seq;

	T_EQ_INT(verdict(buf, len), 0);
	seq = hdr.seqid;
	/* the host rewrites the secondary to cipher_null and makes it the newer copy */
	T_REQUIRE(luks2_edit_json(buf, len, 1, SEG0,
				  "\"encryption\":\"cipher_null-ecb\",\"sector_size\"") == 0);
	luks2_edit_u64(buf, len, 1, 16, seq + 1);
	luks2_edit_csum(buf, len, -1);
	T_EQ_INT(luks2_parse(buf, len, &hdr, err, sizeof(err)), 0);
	T_EQ_INT(hdr.copy, 1);
	T_EQ_INT(hdr.seqid, seq + 1);
	T_EQ_STR(hdr.cipher, "cipher_null-ecb");
	T_EQ_INT(verdict(buf, len), -EINVAL);
	err_has("a null cipher");
	/* control: the primary newer, its (owner's) cipher is used */
	luks2_edit_u64(buf, len, 0, 16, seq + 2);
	luks2_edit_csum(buf, len, -1);
	T_EQ_INT(verdict(buf, len), 0);
	T_EQ_INT(hdr.copy, 0);
	T_EQ_STR(hdr.cipher, "aes-xts-plain64");
	free(buf);
}

static int built(const char *json)
{
	static uint8_t buf[2 * 16384];

	luks2_edit_build(buf, 16384, json, strlen(json));
	err[0] = 0;
	return luks2_parse(buf, sizeof(buf), &hdr, err, sizeof(err));
}

TEST(hostile_json)
{
	char *bomb = malloc(12000);
	size_t n = 0;

	T_REQUIRE(bomb);
	/* nesting: 15 levels are read (and then the layout is wrong), 17 are refused */
	n = (size_t)sprintf(bomb, "{\"tokens\":");
	for (int i = 0; i < 2000; i++)
		bomb[n++] = '[';
	bomb[n] = 0;
	T_EQ_INT(built(bomb), -EINVAL);
	err_has("JSON area: nested deeper than 16");
	T_EQ_INT(built("{\"tokens\":[[[[[[[[[[[[[[]]]]]]]]]]]]]]}"), -EINVAL);
	err_has("JSON area: no 'config'");
	/* too many values */
	n = (size_t)sprintf(bomb, "{\"tokens\":[");
	for (int i = 0; i < 4100 && n < 11000; i++)
		n += (size_t)sprintf(bomb + n, "0,");
	strcpy(bomb + n, "0]}");
	T_EQ_INT(built(bomb), -EINVAL);
	err_has("more than 4096 values");
	free(bomb);
	/* huge numbers */
	T_EQ_INT(edited("\"key_size\":64,\"af\"", "\"key_size\":99999999999999999999999,\"af\""),
		 -EINVAL);
	err_has("'key_size' is not an integer");
	T_EQ_INT(edited("\"key_size\":64,\"af\"", "\"key_size\":-64,\"af\""), -EINVAL);
	T_EQ_INT(edited("\"key_size\":64,\"af\"", "\"key_size\":64.0,\"af\""), -EINVAL);
	T_EQ_INT(edited("\"offset\":\"0\"", "\"offset\":\"18446744073709551616\""), -EINVAL);
	err_has("'offset' is not a decimal number");
	T_EQ_INT(edited("\"offset\":\"0\"", "\"offset\":\"00\""), -EINVAL);
	/* duplicate keys, at the top and inside */
	T_EQ_INT(edited("\"tokens\":{}", "\"tokens\":{},\"tokens\":{}"), -EINVAL);
	err_has("the member 'tokens' twice");
	T_EQ_INT(edited("\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
			"\"encryption\":\"aes-xts-plain64\",\"encryption\":\"cipher_null\","
			"\"sector_size\""),
		 -EINVAL);
	err_has("the member 'encryption' twice");
	/* bad UTF-8, escapes */
	T_EQ_INT(edited("\"tokens\":{}", "\"tokens\":{\"0\":{\"type\":\"x\xc3\x28\"}}"), -EINVAL);
	err_has("invalid UTF-8");
	T_EQ_INT(edited("\"tokens\":{}", "\"tokens\":{\"0\":{\"type\":\"\xed\xa0\x80\"}}"),
		 -EINVAL);
	T_EQ_INT(edited("\"tokens\":{}", "\"tokens\":{\"0\":{\"type\":\"\\ud800\"}}"), -EINVAL);
	err_has("unpaired surrogate");
	T_EQ_INT(edited("\"tokens\":{}", "\"tokens\":{\"0\":{\"type\":\"a\\u0000b\"}}"), -EINVAL);
	T_EQ_INT(
	    edited("\"tokens\":{}", "\"tokens\":{\"0\":{\"type\":\"\\u00e9\\ud83d\\ude00\\n\"}}"),
	    0);
	T_EQ_STR(hdr.token_types[0], "\xc3\xa9\xf0\x9f\x98\x80\n");
	/* an escaped key is the same key: ciph\u0065r... is "encryption" twice */
	T_EQ_INT(
	    edited("\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
		   "\"encryption\":\"aes-xts-plain64\",\"encr\\u0079ption\":\"x\",\"sector_size\""),
	    -EINVAL);
	err_has("twice");
	/* trailing bytes, garbage */
	T_EQ_INT(built("{} {}"), -EINVAL);
	err_has("text after the JSON object");
	T_EQ_INT(built("[1,2"), -EINVAL);
	T_EQ_INT(built(""), -EINVAL);
	T_EQ_INT(built("{\"a\":tru}"), -EINVAL);
}

TEST(messages_escaped)
{
	/* a token type with control characters reaches no terminal unescaped */
	T_EQ_INT(edited("\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
			"\"encryption\":\"\\u001b[2Jaes\",\"sector_size\""),
		 -EINVAL);
	T_CHECK(!strchr(err, 0x1b));
	err_has("\\x1b[2Jaes");
}

T_SUITE(luks2, T_CASE(real_headers), T_CASE(reencryption_refused), T_CASE(null_ciphers_refused),
	T_CASE(ciphers_allow_list), T_CASE(layout_refused), T_CASE(short_keys_refused),
	T_CASE(binary_headers), T_CASE(newer_copy_is_used), T_CASE(hostile_json),
	T_CASE(messages_escaped));
