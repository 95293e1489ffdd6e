// SPDX-License-Identifier: MIT
/* The live device-mapper table parser and check (src/dmcrypt.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dm_owner.h"
#include "dmcrypt.h"
#include "t.h"

/* The kernel's answer to DM_TABLE_STATUS for targets "START LENGTH TYPE PARAMS"... */
static size_t answer(uint8_t *buf, size_t size, uint32_t flags, const char *const *lines, size_t n)
{
	struct dm_ioctl_v4 io;
	size_t off = sizeof(io), data = 0;

	memset(buf, 0, size);
	memset(&io, 0, sizeof(io));
	io.version[0] = 4;
	io.data_start = sizeof(io);
	io.flags = flags;
	for (size_t i = 0; i < n; i++) {
		struct dm_target_spec_v4 sp;
		unsigned long long s, l;
		char type[16] = "";
		int pos = 0;

		memset(&sp, 0, sizeof(sp));
		if (sscanf(lines[i], "%llu %llu %15s %n", &s, &l, type, &pos) != 3)
			return 0;
		sp.sector_start = s;
		sp.length = l;
		memcpy(sp.target_type, type, sizeof(type));
		memcpy(buf + off + sizeof(sp), lines[i] + pos, strlen(lines[i] + pos) + 1);
		data = off + sizeof(sp) + strlen(lines[i] + pos) + 1;
		sp.next = (uint32_t)(((data - sizeof(io)) + 7) & ~7u);
		memcpy(buf + off, &sp, sizeof(sp));
		off = sizeof(io) + sp.next;
	}
	io.target_count = (uint32_t)n;
	io.data_size = (uint32_t)(n ? data : sizeof(io));
	memcpy(buf, &io, sizeof(io));
	return size;
}

#define KEYRING ":64:logon:cryptsetup:7e57b007-0000-4000-8000-00000000c0de-d0"
#define HEXKEY                                                                                     \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"                         \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static int parse_line(const char *line, struct dmcrypt_table *t, char *why, size_t wsz)
{
	uint8_t buf[4096];
	size_t len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT | DMF_STATUS_TABLE, &line, 1);

	return dm_table_parse(buf, len, t, why, wsz);
}

TEST(keyring_table)
{
	struct dmcrypt_table t;
	char why[256] = "";

	T_EQ_INT(parse_line("0 65536 crypt aes-xts-plain64 " KEYRING " 0 254:16 0", &t, why,
			    sizeof(why)),
		 0);
	T_EQ_STR(t.cipher, "aes-xts-plain64");
	T_EQ_INT(t.key_bytes, 64);
	T_CHECK(t.key_in_keyring);
	T_EQ_INT(t.dev_major, 254);
	T_EQ_INT(t.dev_minor, 16);
	T_EQ_INT(t.offset, 0);
	T_EQ_INT(t.length, 65536);
	T_EQ_INT(t.sector_size, 512);
	T_EQ_INT(dmcrypt_check(&t, &dm_owner, why, sizeof(why)), 0);
}

TEST(hex_key_options)
{
	struct dmcrypt_table t;
	struct dmcrypt_expect e = dm_owner;
	char why[256] = "";

	T_EQ_INT(parse_line("0 2048 crypt aes-xts-plain64 " HEXKEY
			    " 0 8:16 32768 3 allow_discards no_read_workqueue sector_size:4096",
			    &t, why, sizeof(why)),
		 0);
	T_EQ_INT(t.key_bytes, 64);
	T_CHECK(!t.key_in_keyring);
	T_EQ_INT(t.sector_size, 4096);
	T_EQ_INT(t.offset, 32768);
	e.dev_major = 8;
	e.dev_minor = 16;
	e.offset_bytes = 16u << 20;
	e.sector_size = 4096;
	T_EQ_INT(dmcrypt_check(&t, &e, why, sizeof(why)), 0);
	/* the header's 512-byte sectors do not match a 4096-byte mapping */
	e.sector_size = 512;
	T_EQ_INT(dmcrypt_check(&t, &e, why, sizeof(why)), -EPERM);
	T_CHECK(strstr(why, "sector size is 4096") != NULL);
	/* the key's value is never in a message */
	T_CHECK(strstr(why, "00112233") == NULL);
}

TEST(null_ciphers_refused)
{
	/* every spelling of the null cipher the kernel accepts: the check is exact */
	static const char *const lines[] = {
	    "0 65536 crypt cipher_null-ecb - 0 254:16 0",
	    "0 65536 crypt cipher_null-cbc-plain - 0 254:16 0",
	    "0 65536 crypt capi:ecb(cipher_null)-plain - 0 254:16 0",
	    "0 65536 crypt cipher_null-ecb " KEYRING " 0 254:16 0",
	    "0 65536 crypt capi:xts(aes)-plain64 " KEYRING " 0 254:16 0",
	    "0 65536 crypt aes-cbc-essiv:sha256 " KEYRING " 0 254:16 0",
	    "0 65536 crypt AES-xts-plain64 " KEYRING " 0 254:16 0",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct dmcrypt_table t;
		char why[256] = "";

		T_EQ_INT(parse_line(lines[i], &t, why, sizeof(why)), 0);
		T_EQ_INT(dmcrypt_check(&t, &dm_owner, why, sizeof(why)), -EPERM);
		T_CHECK(strstr(why, "the live cipher is ") == why);
		T_CHECK(strstr(why, ", not one the image allows (aes-xts-plain64, "
				    "paes-xts-plain64)") != NULL);
	}
}

TEST(mismatches)
{
	/* a table of an allowed cipher that differs from the header in one field */
	static const struct {
		const char *line, *why;
	} cases[] = {
	    /* paes is allowed, but the header says aes: the table must be the header's */
	    {"0 65536 crypt paes-xts-plain64 " KEYRING " 0 254:16 0",
	     "the live cipher is paes-xts-plain64, the image expects aes-xts-plain64"},
	    {"0 65536 crypt aes-xts-plain64 :32:logon:x 0 254:16 0",
	     "the live key has 256 bits, the header says 512"},
	    {"0 65536 crypt aes-xts-plain64 " KEYRING " 0 254:32 0",
	     "the mapping is over device 254:32, the configured device is 254:16"},
	    {"0 65536 crypt aes-xts-plain64 " KEYRING " 0 254:16 8",
	     "the live data offset is sector 8, the header says byte 0"},
	    {"0 65536 crypt aes-xts-plain64 " KEYRING " 5 254:16 0",
	     "the live IV offset is 5, the header says 0"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dmcrypt_table t;
		char why[256] = "";

		T_EQ_INT(parse_line(cases[i].line, &t, why, sizeof(why)), 0);
		T_EQ_INT(dmcrypt_check(&t, &dm_owner, why, sizeof(why)), -EPERM);
		T_EQ_STR(why, cases[i].why);
	}
}

TEST(paes)
{
	/* pvics: paes-xts-plain64 with a 44-byte UV secret token as the volume key */
	struct dmcrypt_expect e = dm_owner;
	struct dmcrypt_table t;
	char why[256] = "";

	e.cipher = "paes-xts-plain64";
	e.key_bits = 44 * 8;
	T_EQ_INT(parse_line("0 65536 crypt paes-xts-plain64 :44:logon:cryptsetup:u-d0 0 254:16 0",
			    &t, why, sizeof(why)),
		 0);
	T_EQ_INT(dmcrypt_check(&t, &e, why, sizeof(why)), 0);
	/* a clear-key aes table where the image expects paes is refused */
	T_EQ_INT(parse_line("0 65536 crypt aes-xts-plain64 " KEYRING " 0 254:16 0", &t, why,
			    sizeof(why)),
		 0);
	T_EQ_INT(dmcrypt_check(&t, &e, why, sizeof(why)), -EPERM);
	T_EQ_STR(why, "the live cipher is aes-xts-plain64, the image expects paes-xts-plain64");
}

TEST(malformed_params)
{
	static const char *const bad[] = {
	    "",
	    "aes-xts-plain64",
	    "aes-xts-plain64 " KEYRING,
	    "aes-xts-plain64 " KEYRING " 0",
	    "aes-xts-plain64 " KEYRING " 0 254:16",
	    "aes-xts-plain64  " KEYRING " 0 254:16 0",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 ",
	    " aes-xts-plain64 " KEYRING " 0 254:16 0",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 1",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 2 allow_discards",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 1 allow_discards extra",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 1 integrity:28:aead",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 1 sector_size:1000",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0 0",
	    "aes-xts-plain64 " KEYRING " 00 254:16 0",
	    "aes-xts-plain64 " KEYRING " -1 254:16 0",
	    "aes-xts-plain64 " KEYRING " 0 254-16 0",
	    "aes-xts-plain64 " KEYRING " 0 254:16 0x10",
	    "aes-xts-plain64 abc 0 254:16 0",
	    "aes-xts-plain64 zz 0 254:16 0",
	    "aes-xts-plain64 :64 0 254:16 0",
	    "aes-xts-plain64 :x:logon:a 0 254:16 0",
	    "aes xts 0 254:16 0",
	    "aes-xts-plain64\t" KEYRING " 0 254:16 0",
	    "aes-xts-plain64 " KEYRING " 0 254:16 99999999999999999999999",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dmcrypt_table t;
		char why[256] = "";

		if (dmcrypt_parse_params(bad[i], strlen(bad[i]), &t, why, sizeof(why)) != -EBADMSG)
			t_fail(__FILE__, __LINE__, "accepted: '%s'", bad[i]);
		T_CHECK(why[0] != 0);
	}
}

TEST(table_shape)
{
	static const char *const two[] = {
	    "0 1024 crypt aes-xts-plain64 " KEYRING " 0 254:16 0",
	    "1024 1024 crypt aes-xts-plain64 " KEYRING " 0 254:16 1024",
	};
	static const char *const lin = "0 1024 linear 254:16 0";
	static const char *const off = "8 1024 crypt aes-xts-plain64 " KEYRING " 0 254:16 0";
	struct dmcrypt_table t;
	uint8_t buf[4096];
	char why[256] = "";
	struct dm_ioctl_v4 io;
	size_t len;

	len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT, two, 2);
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	T_CHECK(strstr(why, "2 targets") != NULL);
	len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT, &lin, 1);
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	T_EQ_STR(why, "the live target is 'linear', not crypt");
	len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT, &off, 1);
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	/* no live table (only an inactive one, or none) */
	len = answer(buf, sizeof(buf), 0, two, 1);
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -ENODATA);
	len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT | DMF_BUFFER_FULL, two, 1);
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -E2BIG);
	/* short, wrong version, inconsistent sizes, unterminated text */
	T_EQ_INT(dm_table_parse(buf, 100, &t, why, sizeof(why)), -EBADMSG);
	len = answer(buf, sizeof(buf), DMF_ACTIVE_PRESENT, two, 1);
	memcpy(&io, buf, sizeof(io));
	io.version[0] = 3;
	memcpy(buf, &io, sizeof(io));
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	io.version[0] = 4;
	io.data_size = (uint32_t)len + 1;
	memcpy(buf, &io, sizeof(io));
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	io.data_size = (uint32_t)(sizeof(io) + 40 + 10);
	memcpy(buf, &io, sizeof(io));
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
	T_EQ_STR(why, "the crypt parameters are not terminated");
	io.data_start = 8;
	memcpy(buf, &io, sizeof(io));
	T_EQ_INT(dm_table_parse(buf, len, &t, why, sizeof(why)), -EBADMSG);
}

T_SUITE(dmcrypt, T_CASE(keyring_table), T_CASE(hex_key_options), T_CASE(null_ciphers_refused),
	T_CASE(mismatches), T_CASE(paes), T_CASE(malformed_params), T_CASE(table_shape));
