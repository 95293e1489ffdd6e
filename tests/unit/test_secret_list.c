// SPDX-License-Identifier: MIT
/* Secret list decoding and output, with the upstream vectors of spec/uv.md §2 and §7.4. */
#include <errno.h>
#include <stdlib.h>

#include "asr.h"
#include "secret_list.h"
#include "t.h"

static void print(const struct secret_list *l, enum secret_list_format f, struct sbuf *b)
{
	sbuf_init(b);
	secret_list_print(b, l, f);
	T_CHECK(!b->failed);
}

TEST(upstream_vector)
{
	/* secret_list.rs: num=1, total=0x112, next=0x101; index 1, Association, len 32 */
	uint8_t buf[16 + 48] = {0x00, 0x01, 0x01, 0x12, 0x01, 0x01};
	struct secret_list l;
	struct sbuf b;

	buf[16 + 1] = 0x01;
	buf[16 + 3] = 0x02;
	buf[16 + 7] = 0x20;
	T_REQUIRE(secret_list_decode(buf, sizeof(buf), &l) == 0);
	T_EQ_INT(l.num_stored, 1);
	T_EQ_INT(l.total, 0x112);
	T_EQ_INT(l.next_idx, 0x101);
	T_EQ_INT(l.entries[0].index, 1);
	T_EQ_INT(l.entries[0].type, SECRET_ASSOCIATION);
	T_EQ_INT(l.entries[0].len, 32);
	print(&l, SL_HUMAN, &b);
	T_EQ_STR(b.s, "Total number of secrets: 274\n\n1 Association:\n "
		      "0x0000000000000000000000000000000000000000000000000000000000000000\n");
	sbuf_free(&b);
	print(&l, SL_BIN, &b);
	T_EQ_INT(b.len, sizeof(buf));
	T_EQ_MEM((uint8_t *)b.s, buf, sizeof(buf));
	sbuf_free(&b);
	secret_list_free(&l);
}

TEST(empty_store)
{
	uint8_t buf[4096] = {0};
	struct secret_list l;
	struct sbuf b;

	T_REQUIRE(secret_list_decode(buf, sizeof(buf), &l) == 0);
	print(&l, SL_HUMAN, &b);
	T_EQ_STR(b.s, "Total number of secrets: 0\n");
	sbuf_free(&b);
	print(&l, SL_YAML, &b);
	T_EQ_STR(b.s, "total_num_secrets: 0\nsecrets: []\n");
	sbuf_free(&b);
	print(&l, SL_JSON, &b);
	T_EQ_STR(b.s, "{\"total_num_secrets\":0,\"secrets\":[]}\n");
	sbuf_free(&b);
	secret_list_free(&l);
}

TEST(count_must_fit)
{
	uint8_t buf[16 + 2 * 48] = {0x00, 0x03};
	struct secret_list l;

	T_EQ_INT(secret_list_decode(buf, sizeof(buf), &l), -EINVAL);
	T_EQ_INT(secret_list_decode(buf, 15, &l), -EINVAL);
	buf[1] = 2;
	T_EQ_INT(secret_list_decode(buf, sizeof(buf), &l), 0);
	secret_list_free(&l);
}

TEST(formats)
{
	uint8_t buf[16 + 2 * 48] = {0x00, 0x02, 0x00, 0x02};
	struct secret_list l;
	struct sbuf b;
	uint8_t *e1 = buf + 16, *e2 = buf + 64;

	put_be16(e1, 0);
	put_be16(e1 + 2, SECRET_PLAINTEXT);
	put_be32(e1 + 4, 32);
	secret_id_from_string("Fancy secret ID", e1 + 16);
	put_be16(e2, 7);
	put_be16(e2 + 2, SECRET_AES_XTS_256);
	put_be32(e2 + 4, 96);
	secret_id_from_name("add_secret_request", e2 + 16);
	T_REQUIRE(secret_list_decode(buf, sizeof(buf), &l) == 0);

	print(&l, SL_HUMAN, &b);
	T_EQ_STR(b.s, "Total number of secrets: 2\n\n"
		      "0 PLAINTEXT:\n"
		      " Fancy secret ID | "
		      "0x46616e6379207365637265742049440000000000000000000000000000000000\n"
		      "7 AES-XTS-256-KEY:\n"
		      " 0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9\n");
	sbuf_free(&b);
	print(&l, SL_YAML, &b);
	T_EQ_STR(b.s, "total_num_secrets: 2\nsecrets:\n"
		      "- index: 0\n  stype: 3\n  len: 32\n"
		      "  id: 0x46616e6379207365637265742049440000000000000000000000000000000000\n"
		      "- index: 7\n  stype: 8\n  len: 96\n"
		      "  id: 0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9\n");
	sbuf_free(&b);
	print(&l, SL_JSON, &b);
	T_EQ_STR(b.s, "{\"total_num_secrets\":2,\"secrets\":["
		      "{\"index\":0,\"stype\":3,\"type\":\"PLAINTEXT\",\"len\":32,"
		      "\"id\":\"0x46616e6379207365637265742049440000000000000000000000000000000000\","
		      "\"name\":\"Fancy secret ID\"},"
		      "{\"index\":7,\"stype\":8,\"type\":\"AES-XTS-256-KEY\",\"len\":96,"
		      "\"id\":\"0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9\"}"
		      "]}\n");
	sbuf_free(&b);
	secret_list_free(&l);
}

TEST(type_names)
{
	char tb[24];

	T_EQ_STR(secret_type_name(SECRET_ASSOCIATION, tb), "Association");
	T_EQ_STR(secret_type_name(SECRET_EC_P521, tb), "EC-SECP521R1-PRIVATE-KEY");
	T_EQ_STR(secret_type_name(SECRET_HMAC_SHA_256, tb), "HMAC-SHA-256-KEY");
	T_EQ_STR(secret_type_name(0x0b, tb), "Unknown(0x000b)");
	T_EQ_STR(secret_type_name(0x0001, tb), "Invalid(0x0001)");
	T_EQ_STR(secret_type_name(0x0016, tb), "Invalid(0x0016)");
	T_EQ_STR(secret_type_name(0x1234, tb), "Unknown(0x1234)");
}

TEST(id_forms)
{
	uint8_t id[32];
	size_t n;

	secret_id_from_string("the most fanciest secret ID you can imagine, more than 31 bytes",
			      id);
	T_CHECK(secret_id_ascii(id, &n));
	T_EQ_INT(n, 31);
	T_CHECK(memcmp(id, "the most fanciest secret ID you", 31) == 0);
	memset(id, 0, 32);
	T_CHECK(!secret_id_ascii(id, &n)); /* empty before the NUL */
	memcpy(id, "ab", 2);
	id[20] = 1;
	T_CHECK(!secret_id_ascii(id, &n)); /* non-zero after the NUL */
	memset(id, 'a', 32);
	T_CHECK(!secret_id_ascii(id, &n)); /* no NUL */
	memset(id, 0, 32);
	memcpy(id, "a\x80", 2);
	T_CHECK(!secret_id_ascii(id, &n));
}

TEST(find)
{
	uint8_t buf[16 + 3 * 48] = {0x00, 0x03, 0x00, 0x03};
	struct secret_list l;
	uint8_t id[32];
	size_t count;

	for (int i = 0; i < 3; i++) {
		put_be16(buf + 16 + 48 * i, (uint16_t)(10 + i));
		secret_id_from_name(i == 1 ? "b" : "a", buf + 16 + 48 * i + 16);
	}
	T_REQUIRE(secret_list_decode(buf, sizeof(buf), &l) == 0);
	secret_id_from_name("a", id);
	T_EQ_INT(secret_list_find_id(&l, id, &count)->index, 10);
	T_EQ_INT(count, 2);
	secret_id_from_name("c", id);
	T_CHECK(secret_list_find_id(&l, id, &count) == NULL);
	T_EQ_INT(count, 0);
	T_EQ_INT(secret_list_find_index(&l, 11)->index, 11);
	T_CHECK(secret_list_find_index(&l, 13) == NULL);
	secret_list_free(&l);
}

TEST(plaintext_payload)
{
	/* pvsecret's retr_secret.rs cases (spec/uv.md §7.4) */
	uint8_t a[16] = {0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0, 0, 0};
	uint8_t sp[32], tail[16] = {0, 4, 'a', 'b', 'c', 'd', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t pad[48] = {0, 4, 'a', 'b', 'c', 'd'};
	uint8_t z[32] = {0};
	size_t off, len;

	secret_plaintext_payload(a, 16, &off, &len);
	T_EQ_INT(off, 2);
	T_EQ_INT(len, 10);
	memset(sp, 0x20, 32);
	secret_plaintext_payload(sp, 32, &off, &len);
	T_EQ_INT(off, 0);
	T_EQ_INT(len, 32);
	secret_plaintext_payload(tail, 16, &off, &len);
	T_EQ_INT(len, 16);
	secret_plaintext_payload(pad, 48, &off, &len); /* 42 bytes of padding: >= 16 */
	T_EQ_INT(len, 48);
	secret_plaintext_payload(z, 32, &off, &len); /* L = 0, 30 bytes of padding */
	T_EQ_INT(len, 32);
}

TEST(pem)
{
	uint8_t p[48];
	struct sbuf b;

	memset(p, 0x11, sizeof(p));
	sbuf_init(&b);
	secret_pem(&b, SECRET_PLAINTEXT, p, sizeof(p));
	T_EQ_STR(b.s, "-----BEGIN PLAINTEXT SECRET-----\n"
		      "ERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERER\n"
		      "-----END PLAINTEXT SECRET-----\n");
	sbuf_free(&b);
	sbuf_init(&b);
	secret_pem(&b, SECRET_AES_128, p, sizeof(p));
	T_EQ_STR(b.s, "-----BEGIN IBM PROTECTED KEY-----\n"
		      "kind: AES-128-KEY\n\n"
		      "ERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERER\n"
		      "-----END IBM PROTECTED KEY-----\n");
	sbuf_free(&b);
}

T_SUITE(secret_list, T_CASE(upstream_vector), T_CASE(empty_store), T_CASE(count_must_fit),
	T_CASE(formats), T_CASE(type_names), T_CASE(id_forms), T_CASE(find),
	T_CASE(plaintext_payload), T_CASE(pem));
