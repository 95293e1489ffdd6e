// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "t.h"
#include "util.h"

TEST(hex_roundtrip)
{
	uint8_t in[4] = {0x00, 0x7f, 0xa5, 0xff}, out[4];
	char hex[9];

	T_EQ_STR(hex_encode(in, 4, hex), "007fa5ff");
	T_EQ_INT(hex_decode("007FA5ff", out, 4), 0);
	T_EQ_MEM(out, in, 4);
	T_EQ_INT(hex_decode("0x007fa5ff", out, 4), 0);
	T_EQ_INT(hex_decode("007fa5f", out, 4), -EINVAL);
	T_EQ_INT(hex_decode("007fa5fff0", out, 4), -EINVAL);
	T_EQ_INT(hex_decode("007fa5fg", out, 4), -EINVAL);
	T_EQ_INT(hex_decode("0x", out, 0), 0);
}

TEST(big_endian)
{
	uint8_t b[8];

	put_be64(b, 0x0102030405060708ull);
	T_EQ_INT(b[0], 1);
	T_EQ_INT(b[7], 8);
	T_CHECK(get_be64(b) == 0x0102030405060708ull);
	T_EQ_INT(get_be32(b + 4), 0x05060708);
	T_EQ_INT(get_be16(b + 6), 0x0708);
	put_be16(b, 0xfffe);
	T_EQ_INT(b[0], 0xff);
	T_EQ_INT(b[1], 0xfe);
}

TEST(parse_numbers)
{
	uint64_t v;

	T_EQ_INT(parse_u64("0", 10, &v), 0);
	T_EQ_INT(v, 0);
	T_EQ_INT(parse_u64("65535", 65535, &v), 0);
	T_EQ_INT(v, 65535);
	T_EQ_INT(parse_u64("65536", 65535, &v), -ERANGE);
	T_EQ_INT(parse_u64("0x10", 100, &v), 0);
	T_EQ_INT(v, 16);
	T_EQ_INT(parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	T_EQ_INT(parse_u64("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	T_EQ_INT(parse_u64("", 10, &v), -EINVAL);
	T_EQ_INT(parse_u64("0x", 10, &v), -EINVAL);
	T_EQ_INT(parse_u64("-1", 10, &v), -EINVAL);
	T_EQ_INT(parse_u64("1 ", 10, &v), -EINVAL);
}

TEST(sha256_vector)
{
	static const uint8_t exp[32] = {0x70, 0xdc, 0x75, 0x8d, 0x71, 0x1f, 0xef, 0x60,
					0x5b, 0x1b, 0x1b, 0x17, 0x74, 0xa2, 0xa4, 0xab,
					0x70, 0x10, 0x20, 0xea, 0x4b, 0x2c, 0xb3, 0x99,
					0xeb, 0xbd, 0xd5, 0xa3, 0x97, 0x1c, 0x76, 0xa9};
	uint8_t out[32];

	sha256("add_secret_request", 18, out);
	T_EQ_MEM(out, exp, 32);
}

TEST(sbuf_building)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_puts(&b, "a");
	sbuf_printf(&b, "%d-%s", 42, "x");
	for (int i = 0; i < 1000; i++)
		sbuf_add(&b, "0123456789", 10);
	T_EQ_INT(b.len, 5 + 10000);
	T_CHECK(!b.failed);
	T_CHECK(strncmp(b.s, "a42-x0123", 9) == 0);
	sbuf_free(&b);

	sbuf_init(&b);
	sbuf_json_str(&b, "q\"\\\n\t\x01z", 7);
	T_EQ_STR(b.s, "\"q\\\"\\\\\\n\\t\\u0001z\"");
	sbuf_free(&b);
}

TEST(escaping)
{
	char out[16];
	struct sbuf b;

	/* one rule for every hostile byte on its way to a terminal, log, kmsg or status */
	T_EQ_STR(text_escape(out, sizeof(out), "a\r\nb\\", 5), "a\\x0d\\x0ab\\\\");
	T_EQ_STR(text_escape(out, sizeof(out), "\x1b]0;x\a", 6), "\\x1b]0;x\\x07");
	T_EQ_STR(text_escape(out, sizeof(out), "0123456789abcdefgh", 18), "0123456789ab...");
	T_EQ_STR(text_escape(out, 8, "\x01\x02", 2), "\\x01...");
	sbuf_init(&b);
	sbuf_escape(&b,
		    "\x9b"
		    "2J\xc3\xa9\x7f",
		    6);
	T_EQ_STR(b.s, "\\x9b2J\\xc3\\xa9\\x7f");
	sbuf_free(&b);

	/* JSON: printable UTF-8 stays; C1 (also as UTF-8), DEL and non-UTF-8 bytes never raw */
	sbuf_init(&b);
	sbuf_json_str(&b, "\xc3\xa9\xc2\x9b\x9b\x7f\xff\xe2\x82", 9);
	T_EQ_STR(b.s, "\"\xc3\xa9\\u009b\\u009b\\u007f\\u00ff\\u00e2\\u0082\"");
	sbuf_free(&b);
	/* bidirectional formatting (RLO) reorders a line: not printable, escaped in JSON */
	T_CHECK(text_printable("a\xc3\xa9"
			       "b",
			       4));
	T_CHECK(!text_printable("a\xe2\x80\xae"
				"b",
				5));
	T_CHECK(!text_printable("\xe2\x81\xa6", 3));
	T_CHECK(!text_printable("\xc2\x85", 2));
	sbuf_init(&b);
	sbuf_json_str(&b, "\xe2\x80\xae", 3);
	T_EQ_STR(b.s, "\"\\u202e\"");
	sbuf_free(&b);

	/* Zl, Zp and every format character (Cf): not printable, escaped in JSON */
	static const struct {
		const char *utf8, *json;
		bool printable;
	} cps[] = {
	    {"\xe2\x80\xa8", "\\u2028", false},		   /* LINE SEPARATOR (Zl) */
	    {"\xe2\x80\xa9", "\\u2029", false},		   /* PARAGRAPH SEPARATOR (Zp) */
	    {"\xc2\xad", "\\u00ad", false},		   /* SOFT HYPHEN */
	    {"\xd8\x80", "\\u0600", false},		   /* ARABIC NUMBER SIGN */
	    {"\xd8\x9c", "\\u061c", false},		   /* ARABIC LETTER MARK */
	    {"\xe1\xa0\x8e", "\\u180e", false},		   /* MONGOLIAN VOWEL SEPARATOR */
	    {"\xe2\x80\x8b", "\\u200b", false},		   /* ZERO WIDTH SPACE */
	    {"\xe2\x80\x8d", "\\u200d", false},		   /* ZERO WIDTH JOINER */
	    {"\xe2\x80\x8e", "\\u200e", false},		   /* LRM */
	    {"\xe2\x80\x8f", "\\u200f", false},		   /* RLM */
	    {"\xe2\x80\xaa", "\\u202a", false},		   /* LRE */
	    {"\xe2\x81\xa0", "\\u2060", false},		   /* WORD JOINER */
	    {"\xe2\x81\xa4", "\\u2064", false},		   /* INVISIBLE PLUS */
	    {"\xe2\x81\xa9", "\\u2069", false},		   /* PDI */
	    {"\xe2\x81\xaf", "\\u206f", false},		   /* NOMINAL DIGIT SHAPES */
	    {"\xef\xbb\xbf", "\\ufeff", false},		   /* ZWNBSP (BOM) */
	    {"\xef\xbf\xb9", "\\ufff9", false},		   /* INTERLINEAR ANNOTATION ANCHOR */
	    {"\xf3\xa0\x80\x81", "\\udb40\\udc01", false}, /* LANGUAGE TAG (U+E0001) */
	    {"\xf3\xa0\x81\xbf", "\\udb40\\udc7f", false}, /* CANCEL TAG (U+E007F) */
	    {"\xf0\x9d\x85\xb3", "\\ud834\\udd73", false}, /* MUSICAL SYMBOL BEGIN BEAM */
	    /* the neighbours stay text */
	    {"\xc2\xa0", "\xc2\xa0", true},		    /* NO-BREAK SPACE (Zs) */
	    {"\xe2\x80\x8a", "\xe2\x80\x8a", true},	    /* HAIR SPACE (Zs) */
	    {"\xe2\x80\xaf", "\xe2\x80\xaf", true},	    /* NARROW NO-BREAK SPACE */
	    {"\xe2\x80\xa7", "\xe2\x80\xa7", true},	    /* HYPHENATION POINT */
	    {"\xe2\x81\xa5", "\xe2\x81\xa5", true},	    /* U+2065 (unassigned) */
	    {"\xf3\xa0\x82\x80", "\xf3\xa0\x82\x80", true}, /* U+E0080 (unassigned) */
	    {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", true}, /* an emoji */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cps); i++) {
		char want[32];

		T_CHECK(text_printable(cps[i].utf8, strlen(cps[i].utf8)) == cps[i].printable);
		sbuf_init(&b);
		sbuf_json_str(&b, cps[i].utf8, strlen(cps[i].utf8));
		snprintf(want, sizeof(want), "\"%s\"", cps[i].json);
		T_EQ_STR(b.s, want);
		sbuf_free(&b);
	}
	/* on a console (text_escape) every byte of them is \xNN anyway */
	T_EQ_STR(text_escape(out, sizeof(out), "\xe2\x80\xa8", 3), "\\xe2\\x80\\xa8");
}

/* A read-only mount of a host's file system never replays its journal */
TEST(ro_mount_data)
{
	T_EQ_STR(fs_ro_mount_data("ext4"), "noload");
	T_EQ_STR(fs_ro_mount_data("ext3"), "noload");
	T_EQ_STR(fs_ro_mount_data("xfs"), "norecovery");
	T_CHECK(fs_ro_mount_data("ext2") == NULL && fs_ro_mount_data("vfat") == NULL &&
		fs_ro_mount_data("btrfs") == NULL);
}

/* A kmsg record is shortened with a marker, never longer than the kernel takes */
TEST(kmsg_record)
{
	char rec[KMSG_RECORD_MAX + 1], text[2000];
	size_t len;

	T_EQ_INT(log_kmsg_record(rec, 3, "error: ", "short"), 24);
	T_EQ_STR(rec, "<3>pvboot: error: short\n");
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	len = log_kmsg_record(rec, 3, "error: ", text);
	T_EQ_INT(len, KMSG_RECORD_MAX);
	T_EQ_INT(strlen(rec), KMSG_RECORD_MAX);
	T_CHECK(strcmp(rec + len - 17, " ... (shortened)\n") == 0);
	/* exactly the limit: as it is */
	text[KMSG_RECORD_MAX - 19] = 0;
	T_EQ_INT(log_kmsg_record(rec, 3, "error: ", text), KMSG_RECORD_MAX);
	T_CHECK(!strstr(rec, "shortened"));
	/* never inside a UTF-8 character */
	memset(text, 'a', sizeof(text) - 1);
	for (size_t i = 900; i + 1 < sizeof(text) - 1; i += 2) {
		text[i] = (char)0xc3;
		text[i + 1] = (char)0xa9;
	}
	len = log_kmsg_record(rec, 4, "", text);
	T_CHECK(len <= KMSG_RECORD_MAX);
	T_CHECK(((unsigned char)rec[len - 18] & 0xc0) != 0xc0);
}

TEST(compare_helpers)
{
	uint8_t z[5] = {0}, nz[5] = {0, 0, 0, 0, 1};

	T_CHECK(all_zero(z, 5));
	T_CHECK(!all_zero(nz, 5));
	T_CHECK(all_zero(nz, 4));
	T_CHECK(ct_equal(z, z, 5));
	T_CHECK(!ct_equal(z, nz, 5));
	secure_zero(nz, 5);
	T_CHECK(all_zero(nz, 5));
}

T_SUITE(util, T_CASE(hex_roundtrip), T_CASE(big_endian), T_CASE(parse_numbers),
	T_CASE(sha256_vector), T_CASE(sbuf_building), T_CASE(escaping), T_CASE(ro_mount_data),
	T_CASE(kmsg_record), T_CASE(compare_helpers));
