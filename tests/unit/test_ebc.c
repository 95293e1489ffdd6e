// SPDX-License-Identifier: MIT
/*
 * Early-boot secret sets: policy references, the toc.pol parser, chain verification,
 * plain mode, the skip-present rule, bounded nested references, the directory loader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asr.h"
#include "ebc.h"
#include "mkasr_lib.h"
#include "safeio.h"
#include "secret_list.h"
#include "secrypto.h"
#include "t.h"
#include "util.h"

#define T_WHY_HAS(why, s)                                                                          \
	do {                                                                                       \
		if (!strstr((why), (s)))                                                           \
			t_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", (why), (s));     \
	} while (0)

/* ------------------------------------------------------------------ a set in memory */

#define MAX_FILES 260

struct tset {
	struct safe_dir d;
	struct safe_file f[MAX_FILES];
	struct safe_skip s[8];
};

static void tset_init(struct tset *t)
{
	memset(t, 0, sizeof(*t));
	t->d.files = t->f;
	t->d.skipped = t->s;
}

static void tset_free(struct tset *t)
{
	for (size_t i = 0; i < t->d.nfiles; i++) {
		free(t->f[i].name);
		free(t->f[i].data);
	}
	for (size_t i = 0; i < t->d.nskipped; i++)
		free(t->s[i].name);
}

/* Keeps the files sorted by name, as safe_load_dir() does. */
static struct safe_file *tset_put(struct tset *t, const char *name, const void *data, size_t len)
{
	size_t at = 0;
	struct safe_file *f;
	uint8_t *copy = malloc(len + 1);

	memcpy(copy, data, len);
	copy[len] = 0;
	while (at < t->d.nfiles && strcmp(t->f[at].name, name) < 0)
		at++;
	memmove(&t->f[at + 1], &t->f[at], (t->d.nfiles - at) * sizeof(t->f[0]));
	t->d.nfiles++;
	f = &t->f[at];
	f->name = strdup(name);
	f->data = copy;
	f->len = len;
	return f;
}

/* Rename a file, keeping the order by name. */
static void tset_rename(struct tset *t, const char *from, const char *to)
{
	struct safe_file *f = (struct safe_file *)safe_dir_file(&t->d, from);
	size_t at = (size_t)(f - t->f);
	struct safe_file old = *f;

	memmove(&t->f[at], &t->f[at + 1], (t->d.nfiles - at - 1) * sizeof(t->f[0]));
	t->d.nfiles--;
	tset_put(t, to, old.data, old.len);
	free(old.name);
	free(old.data);
}

static void tset_skip(struct tset *t, const char *name, int err, const char *why)
{
	struct safe_skip *s = &t->s[t->d.nskipped++];

	s->name = strdup(name);
	s->err = err;
	snprintf(s->why, sizeof(s->why), "%s", why);
}

static struct safe_file *tset_get(struct tset *t, const char *name)
{
	return (struct safe_file *)safe_dir_file(&t->d, name);
}

/*
 * A structurally valid request (asr_parse accepts it; nothing here checks the
 * cryptography, so the encrypted area and the tag are just distinct bytes). The tag
 * is the first 16 bytes of SHA-256(tagseed).
 */
static uint8_t *mkreq(uint16_t type, const char *id_name, const uint8_t *ud, const char *tagseed,
		      size_t *len)
{
	uint32_t slen = type == SECRET_NULL	     ? 0
			: type == SECRET_PLAINTEXT   ? 16
			: type == SECRET_AES_XTS_256 ? 64
						     : 32;
	size_t hdr = ASR_OFF_SLOTS + ASR_SLOT_LEN, shl = type == SECRET_NULL ? 16 : 48;
	size_t rql = hdr + shl + slen + 32 + 16;
	uint8_t *b = calloc(1, rql), h[32];

	memcpy(b, ASR_MAGIC, ASR_MAGIC_LEN);
	put_be16(b + ASR_OFF_UDTYPE, ud ? ASR_UD_UNSIGNED : ASR_UD_NONE);
	put_be32(b + ASR_OFF_VERSION, ASR_VERSION_1);
	put_be32(b + ASR_OFF_RQL, (uint32_t)rql);
	b[ASR_OFF_NKS] = 1;
	put_be32(b + ASR_OFF_SEA, slen + 32);
	if (ud)
		memcpy(b + ASR_OFF_USERDATA, ud, ASR_USERDATA_LEN);
	put_be16(b + hdr + 2, type);
	put_be32(b + hdr + 4, slen);
	if (type != SECRET_NULL && type != SECRET_UPDATE_CCK)
		secret_id_from_name(id_name, b + hdr + 16);
	memset(b + hdr + shl, 0x5a, slen + 32);
	sha256(tagseed, strlen(tagseed), h);
	memcpy(b + rql - 16, h, 16);
	*len = rql;
	return b;
}

static void put_req(struct tset *t, const char *name, uint16_t type, const char *id_name,
		    const uint8_t *ud)
{
	size_t len;
	uint8_t *b = mkreq(type, id_name, ud, name, &len);

	tset_put(t, name, b, len);
	free(b);
}

static void tag_hex(struct tset *t, const char *name, char *out)
{
	struct safe_file *f = tset_get(t, name);

	hex_encode(f->data + f->len - 16, 16, out);
}

/* toc.pol listing the given files' tags, and toc.asr referencing it by polname */
static void put_toc(struct tset *t, const char *polname, const char *const *names, size_t n)
{
	char pol[MAX_FILES * 33 + 1] = "", hex[33];
	uint8_t ud[ASR_USERDATA_LEN];

	for (size_t i = 0; i < n; i++) {
		tag_hex(t, names[i], hex);
		strcat(pol, hex);
		strcat(pol, "\n");
	}
	tset_put(t, "toc.pol", pol, strlen(pol));
	T_EQ_INT(ebc_policy_ref_build((uint8_t *)pol, strlen(pol), polname, ud, NULL, 0), 0);
	put_req(t, "toc.asr", SECRET_NULL, NULL, ud);
}

/* The s390-tools layout: rfs key, cck, passphrase, two user ASRs, toc.pol, toc.asr */
static void std_set(struct tset *t)
{
	static const char *const listed[] = {"rfs-luks-key.asr", "cck.asr",
					     "luks-rfs-passphrase.asr", "user1.asr", "user2.asr"};

	tset_init(t);
	put_req(t, "rfs-luks-key.asr", SECRET_AES_XTS_256, "rfs-luks-key", NULL);
	put_req(t, "cck.asr", SECRET_UPDATE_CCK, NULL, NULL);
	put_req(t, "luks-rfs-passphrase.asr", SECRET_PLAINTEXT, "luks-rfs-passphrase", NULL);
	put_req(t, "user1.asr", SECRET_ASSOCIATION, "EP11 domain 1", NULL);
	put_req(t, "user2.asr", SECRET_AES_256, "user key", NULL);
	put_toc(t, "toc.pol", listed, 5);
}

static int plan_toc(struct tset *t, struct ebc_plan *p, char *why)
{
	why[0] = 0;
	return ebc_plan_toc(&t->d, "toc.asr", NULL, p, why, EBC_WHY_LEN);
}

/* ------------------------------------------------------------------ policy references */

TEST(policy_ref_round_trip)
{
	static const char pol[] = "0123456789abcdef0123456789abcdef\n";
	uint8_t ud[ASR_USERDATA_LEN], mk[ASR_USERDATA_LEN], h[32];
	struct ebc_policy_ref ref;
	char why[EBC_WHY_LEN];

	T_EQ_INT(ebc_policy_ref_build((const uint8_t *)pol, strlen(pol), "toc.pol", ud, why,
				      sizeof(why)),
		 0);
	/* the same bytes as pvsecret create --policy (mkasr reproduces it) */
	mkasr_policy_ref((const uint8_t *)pol, strlen(pol), "toc.pol", mk);
	T_EQ_MEM(ud, mk, sizeof(ud));
	sha256(pol, strlen(pol), h);
	T_EQ_MEM(ud, h, 32);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), 0);
	T_EQ_STR(ref.name, "toc.pol");
	T_EQ_STR(ref.file, "toc.pol");
	T_EQ_MEM(ref.hash, h, 32);

	/* "./" is the same directory (pvsecret create --policy ./toc.pol) */
	T_EQ_INT(ebc_policy_ref_build((const uint8_t *)pol, 3, "././toc.pol", ud, NULL, 0), 0);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), 0);
	T_EQ_STR(ref.name, "././toc.pol");
	T_EQ_STR(ref.file, "toc.pol");

	/* no reference: the hash field is zero (whatever the name) */
	memset(ud, 0, sizeof(ud));
	memcpy(ud + 32, "toc.pol", 7);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), -ENOENT);
}

static void ref_bad(const void *name, size_t len, const char *msg)
{
	uint8_t ud[ASR_USERDATA_LEN] = {1};
	struct ebc_policy_ref ref;
	char why[EBC_WHY_LEN] = "";

	memcpy(ud + 32, name, len);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, msg);
}

TEST(policy_ref_names)
{
	uint8_t ud[ASR_USERDATA_LEN];
	struct ebc_policy_ref ref;
	char long_name[EBC_POLICY_NAME_LEN + 2];
	char why[EBC_WHY_LEN];

	ref_bad("", 0, "empty policy name");
	ref_bad("../toc.pol", 10, "policy name '../toc.pol' contains '..'");
	ref_bad("a..b", 4, "policy name 'a..b' contains '..'");
	ref_bad("/boot/toc.pol", 13, "policy name '/boot/toc.pol' is an absolute path");
	ref_bad("toc\0.pol", 8, "policy name 'toc\\x00.pol' has a NUL byte inside");
	/* NUL bytes before the name (pvebc trims them) */
	ref_bad("\0\0toc.pol", 9, "policy name '\\x00\\x00toc.pol' has a NUL byte inside");
	ref_bad("sub/toc.pol", 11,
		"policy name 'sub/toc.pol' names a file in another directory ('/' inside)");
	ref_bad("./", 2, "policy name './' names no file");
	ref_bad("toc\n.pol", 8, "policy name 'toc\\x0a.pol' has non-printable bytes");
	ref_bad("toc\xc2\x85.pol", 9, "policy name 'toc\\xc2\\x85.pol' has non-printable bytes");
	ref_bad("toc\xff.pol", 8, "policy name 'toc\\xff.pol' has non-printable bytes");
	/* a line separator, a zero-width space, a tag: Zl and Cf are not printable */
	ref_bad("toc\xe2\x80\xa8.pol", 10,
		"policy name 'toc\\xe2\\x80\\xa8.pol' has non-printable bytes");
	ref_bad("\xe2\x80\x8btoc.pol", 10,
		"policy name '\\xe2\\x80\\x8btoc.pol' has non-printable bytes");
	ref_bad("toc.pol\xf3\xa0\x80\x81", 11,
		"policy name 'toc.pol\\xf3\\xa0\\x80\\x81' has non-printable bytes");

	/* UTF-8 text is a name (pvebc takes the bytes as UTF-8) */
	memset(ud, 1, 32);
	memset(ud + 32, 0, EBC_POLICY_NAME_LEN);
	memcpy(ud + 32, "r\xc3\xa9sum\xc3\xa9.pol", 12);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), 0);

	/* a name that fills all 480 bytes has no NUL and is valid */
	memset(ud + 32, 'a', EBC_POLICY_NAME_LEN);
	T_EQ_INT(ebc_policy_ref_parse(ud, &ref, why, sizeof(why)), 0);
	T_EQ_INT(strlen(ref.name), EBC_POLICY_NAME_LEN);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	T_EQ_INT(ebc_policy_ref_build((const uint8_t *)"x", 1, long_name, ud, why, sizeof(why)),
		 -EINVAL);
	T_EQ_STR(why, "policy name of 481 bytes, at most 480 fit");
	T_EQ_INT(ebc_policy_ref_build((const uint8_t *)"x", 1, "../x", ud, why, sizeof(why)),
		 -EINVAL);
}

TEST(text_helpers)
{
	char out[16];

	/* request file names, as pvebc: a non-empty name with the extension asr */
	T_CHECK(ebc_request_name("a.asr") && ebc_request_name("..asr") &&
		ebc_request_name(".x.asr"));
	T_CHECK(!ebc_request_name(".asr") && !ebc_request_name("asr") &&
		!ebc_request_name("a.asr.pol") && !ebc_request_name(""));

	T_CHECK(text_printable("toc.pol", 7));
	T_CHECK(text_printable("\xe2\x82\xac", 3));	 /* € */
	T_CHECK(!text_printable("\xe2\x82", 2));	 /* cut */
	T_CHECK(!text_printable("\xc0\xaf", 2));	 /* overlong '/' */
	T_CHECK(!text_printable("\xed\xa0\x80", 3));	 /* surrogate */
	T_CHECK(!text_printable("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	T_CHECK(!text_printable("a\x7f", 2));
	T_CHECK(!text_printable("a\0", 2));
	T_EQ_STR(text_escape(out, sizeof(out), "a\\b\x01", 4), "a\\\\b\\x01");
	T_EQ_STR(text_escape(out, sizeof(out), "0123456789abcdefgh", 18), "0123456789ab...");
	T_EQ_STR(text_escape(out, sizeof(out), "0123456789abcde", 15), "0123456789abcde");
}

/* ------------------------------------------------------------------ toc.pol */

static void pol_bad(const char *text, size_t len, const char *msg)
{
	struct ebc_toc_entry *e = (void *)1;
	char why[EBC_WHY_LEN] = "";
	size_t n = 99;

	T_EQ_INT(ebc_tocpol_parse((const uint8_t *)text, len, "toc.pol", &e, &n, why, sizeof(why)),
		 -EINVAL);
	T_EQ_STR(why, msg);
	T_CHECK(e == NULL && n == 0);
}

#define TAG1 "a32a186fc7c0ebd4820d2f2e3bc45b8a"
#define TAG2 "72f4e5f24d76ab9a48479e0caf85d341"

TEST(tocpol_parse)
{
	static const char ok[] = TAG1 "\n" TAG2 "\n";
	struct ebc_toc_entry *e;
	char why[EBC_WHY_LEN], hex[33], *big;
	size_t n;

	T_EQ_INT(
	    ebc_tocpol_parse((const uint8_t *)ok, strlen(ok), "toc.pol", &e, &n, why, sizeof(why)),
	    0);
	T_REQUIRE(n == 2);
	T_EQ_STR(hex_encode(e[0].tag, 16, hex), TAG1);
	T_EQ_STR(hex_encode(e[1].tag, 16, hex), TAG2);
	T_EQ_INT(e[0].line, 1);
	T_EQ_INT(e[1].line, 2);
	free(e);
	/* the last line may lack its newline; upper case is the same tag */
	T_EQ_INT(ebc_tocpol_parse((const uint8_t *)"A32A186FC7C0EBD4820D2F2E3BC45B8A", 32, "p", &e,
				  &n, why, sizeof(why)),
		 0);
	T_REQUIRE(n == 1);
	T_EQ_STR(hex_encode(e[0].tag, 16, hex), TAG1);
	free(e);
	/* an empty policy lists nothing */
	T_EQ_INT(ebc_tocpol_parse((const uint8_t *)"", 0, "p", &e, &n, why, sizeof(why)), 0);
	T_CHECK(n == 0 && e == NULL);

	pol_bad("\n", 1, "toc.pol:1: empty line");
	pol_bad(TAG1 "\n\n" TAG2 "\n", 67, "toc.pol:2: empty line");
	pol_bad(TAG1 "\r\n", 34,
		"toc.pol:1: carriage return (a CRLF line end?); lines end with '\\n' only");
	pol_bad(TAG1 "\n" TAG2 " \n", 67, "toc.pol:2: expected 32 hex digits, found '" TAG2 " '");
	pol_bad(TAG1 "0\n", 34, "toc.pol:1: expected 32 hex digits, found '" TAG1 "0'");
	pol_bad("a32a186fc7c0ebd4820d2f2e3bc45b8\n", 32,
		"toc.pol:1: expected 32 hex digits, found 'a32a186fc7c0ebd4820d2f2e3bc45b8'");
	pol_bad("0xa32a186fc7c0ebd4820d2f2e3bc45b\n", 33,
		"toc.pol:1: expected 32 hex digits, found '0xa32a186fc7c0ebd4820d2f2e3bc45b'");
	pol_bad(TAG1 "\n" TAG2 "\nrm -rf /", 74,
		"toc.pol:3: expected 32 hex digits, found 'rm -rf /'");
	pol_bad("a32a186fc7c0ebd4\0820d2f2e3bc45b8a\n", 34,
		"toc.pol:1: expected 32 hex digits, found 'a32a186fc7c0ebd4\\x00820d2f2e3bc45b8a'");
	/* pvebc is laxer here: a '+' among the hex digits */
	pol_bad("+32a186fc7c0ebd4820d2f2e3bc45b8a\n", 33,
		"toc.pol:1: expected 32 hex digits, found '+32a186fc7c0ebd4820d2f2e3bc45b8a'");
	pol_bad("a32a186fc7c0ebd4+20d2f2e3bc45b8a\n", 33,
		"toc.pol:1: expected 32 hex digits, found 'a32a186fc7c0ebd4+20d2f2e3bc45b8a'");
	pol_bad(TAG1 "\n" TAG2 "\n" TAG1 "\n", 99,
		"toc.pol:3: tag " TAG1 " is listed twice (also on line 1)");
	pol_bad(TAG1 "\nA32A186FC7C0EBD4820D2F2E3BC45B8A\n", 66,
		"toc.pol:2: tag " TAG1 " is listed twice (also on line 1)");

	big = malloc(EBC_POLICY_MAX + 1);
	memset(big, 'a', EBC_POLICY_MAX + 1);
	T_EQ_INT(ebc_tocpol_parse((uint8_t *)big, EBC_POLICY_MAX + 1, "toc.pol", &e, &n, why,
				  sizeof(why)),
		 -EFBIG);
	T_EQ_STR(why, "toc.pol: 65537 bytes, more than a policy may have (65536)");
	free(big);
}

/* ------------------------------------------------------------------ TOC chains */

TEST(toc_happy_path)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];
	struct sbuf d;

	std_set(&t);
	put_req(&t, "old.asr", SECRET_AES_256, "old key", NULL);
	tset_put(&t, "README", "hello\n", 6);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_EQ_INT(p.mode, EBC_MODE_TOC);
	T_REQUIRE(p.n == 6);
	T_EQ_STR(p.reqs[0].name, "toc.asr");
	T_EQ_STR(p.reqs[1].name, "rfs-luks-key.asr");
	T_EQ_STR(p.reqs[2].name, "cck.asr");
	T_EQ_STR(p.reqs[3].name, "luks-rfs-passphrase.asr");
	T_EQ_STR(p.reqs[4].name, "user1.asr");
	T_EQ_STR(p.reqs[5].name, "user2.asr");
	T_EQ_INT(p.reqs[0].toc_line, 0);
	T_EQ_INT(p.reqs[5].toc_line, 5);
	T_CHECK(p.reqs[0].has_ref && !p.reqs[1].has_ref);
	T_EQ_STR(p.policy, "toc.pol");
	/* the plan submits the loaded copies themselves */
	T_CHECK(p.reqs[3].data == tset_get(&t, "luks-rfs-passphrase.asr")->data);
	T_REQUIRE(p.nignored == 2);
	T_EQ_STR(p.ignored[0].name, "README");
	T_EQ_STR(p.ignored[0].why, "not a request file (*.asr)");
	T_EQ_STR(p.ignored[1].name, "old.asr");
	T_EQ_STR(p.ignored[1].why, "not listed in the policy");
	sbuf_init(&d);
	ebc_plan_describe(&d, &p);
	T_REQUIRE(d.s != NULL);
	T_CHECK(strstr(d.s, "toc.pol: 5 requests listed\n") != NULL);
	T_CHECK(strstr(d.s, "order of submission: toc.asr, rfs-luks-key.asr, cck.asr, "
			    "luks-rfs-passphrase.asr, user1.asr, user2.asr\n") != NULL);
	sbuf_free(&d);
	ebc_plan_free(&p);
	tset_free(&t);
}

TEST(toc_empty_policy)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	tset_init(&t);
	put_toc(&t, "toc.pol", NULL, 0);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_EQ_INT(p.n, 1);
	ebc_plan_free(&p);
	tset_free(&t);
}

/* Mutate a standard set, expect the exact break. */
static void toc_break(void (*mutate)(struct tset *), const char *msg)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	std_set(&t);
	mutate(&t);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	T_EQ_STR(why, msg);
	T_CHECK(p.n == 0 && p.reqs == NULL);
	tset_free(&t);
}

static void m_no_toc(struct tset *t)
{
	tset_rename(t, "toc.asr", "toc.old");
}

static void m_toc_link(struct tset *t)
{
	m_no_toc(t);
	tset_skip(t, "toc.asr", -ELOOP, "a symbolic link (not followed)");
}

static void m_toc_garbage(struct tset *t)
{
	struct safe_file *f = tset_get(t, "toc.asr");

	f->len = 1000;
}

static void m_toc_assoc(struct tset *t)
{
	struct safe_file *f = tset_get(t, "toc.asr");
	uint8_t ud[ASR_USERDATA_LEN];
	size_t len;

	memcpy(ud, f->data + ASR_OFF_USERDATA, sizeof(ud));
	free(f->data);
	f->data = mkreq(SECRET_ASSOCIATION, "toc", ud, "x", &len);
	f->len = len;
}

static void m_toc_no_ud(struct tset *t)
{
	struct safe_file *f = tset_get(t, "toc.asr");

	put_be16(f->data + ASR_OFF_UDTYPE, ASR_UD_NONE);
	memset(f->data + ASR_OFF_USERDATA, 0, ASR_USERDATA_LEN);
}

static void m_toc_zero_hash(struct tset *t)
{
	memset(tset_get(t, "toc.asr")->data + ASR_OFF_USERDATA, 0, 32);
}

static void m_toc_dotdot(struct tset *t)
{
	memcpy(tset_get(t, "toc.asr")->data + ASR_OFF_USERDATA + 32, "../toc.pol", 11);
}

static void m_pol_changed(struct tset *t)
{
	tset_get(t, "toc.pol")->data[0] ^= 1;
}

static void m_pol_missing(struct tset *t)
{
	tset_rename(t, "toc.pol", "toc.pol.bak");
}

static void m_pol_fifo(struct tset *t)
{
	m_pol_missing(t);
	tset_skip(t, "toc.pol", -EINVAL, "a FIFO, not a regular file");
}

static void m_listed_missing(struct tset *t)
{
	tset_rename(t, "cck.asr", "cck.asr.old");
}

static void m_listed_link(struct tset *t)
{
	m_listed_missing(t);
	tset_skip(t, "cck.asr", -ELOOP, "a symbolic link (not followed)");
}

static void m_swapped(struct tset *t)
{
	struct safe_file *f = tset_get(t, "user2.asr");
	size_t len;

	free(f->data);
	f->data = mkreq(SECRET_AES_256, "user key", NULL, "another request", &len);
	f->len = len;
}

static void m_flipped_tag(struct tset *t)
{
	struct safe_file *f = tset_get(t, "user1.asr");

	f->data[f->len - 1] ^= 0x01;
}

static void m_listed_garbage(struct tset *t)
{
	/* keeps its tag, but no longer parses */
	tset_get(t, "user1.asr")->data[ASR_OFF_VERSION + 2] = 2;
}

static void m_two_files(struct tset *t)
{
	struct safe_file *f = tset_get(t, "user1.asr");
	uint8_t *b = malloc(f->len);

	memcpy(b, f->data, f->len);
	b[ASR_OFF_IV] ^= 1;
	tset_put(t, "user1-evil.asr", b, f->len);
	free(b);
}

TEST(toc_breaks)
{
	char tag[33];
	struct tset t;

	toc_break(m_no_toc, "toc.asr: no such file in the directory (the table of contents)");
	toc_break(m_toc_link, "toc.asr: a symbolic link (not followed); the table of contents is "
			      "not read");
	toc_break(m_toc_garbage,
		  "toc.asr: request too short: 1000 bytes, the smallest request has 1352");
	toc_break(m_toc_assoc, "toc.asr: a Association request; the table of contents must be a "
			       "meta request");
	toc_break(m_toc_no_ud, "toc.asr: user data none; the table of contents needs a policy "
			       "reference as its user data");
	toc_break(m_toc_zero_hash,
		  "toc.asr: no policy reference in its user data (the hash field is zero)");
	toc_break(m_toc_dotdot, "toc.asr: invalid policy reference: policy name '../toc.pol' "
				"contains '..'");
	toc_break(m_pol_missing, "toc.asr: policy toc.pol: no such file in the directory");
	toc_break(m_pol_fifo, "toc.asr: policy toc.pol: a FIFO, not a regular file; not read");
	toc_break(m_listed_garbage, "toc.pol:4: user1.asr has tag 81e7714cc6912b998253bd648a98adcc "
				    "but is invalid: unsupported request version: version "
				    "0x00000200, expected 0x00000100");

	/* messages that name a tag: compute it */
	std_set(&t);
	tag_hex(&t, "cck.asr", tag);
	tset_free(&t);
	{
		char msg[300];

		snprintf(msg, sizeof(msg), "toc.pol:2: no request with tag %s in the directory",
			 tag);
		toc_break(m_listed_missing, msg);
		snprintf(msg, sizeof(msg),
			 "toc.pol:2: no request with tag %s in the directory (not read: cck.asr: a "
			 "symbolic link (not followed))",
			 tag);
		toc_break(m_listed_link, msg);
	}
	std_set(&t);
	tag_hex(&t, "user2.asr", tag);
	tset_free(&t);
	{
		char msg[300];

		snprintf(msg, sizeof(msg), "toc.pol:5: no request with tag %s in the directory",
			 tag);
		toc_break(m_swapped, msg);
	}
	std_set(&t);
	tag_hex(&t, "user1.asr", tag);
	tset_free(&t);
	{
		char msg[300];

		snprintf(msg, sizeof(msg), "toc.pol:4: no request with tag %s in the directory",
			 tag);
		toc_break(m_flipped_tag, msg);
		snprintf(msg, sizeof(msg),
			 "toc.pol:4: tag %s matches two different files, user1-evil.asr and "
			 "user1.asr",
			 tag);
		toc_break(m_two_files, msg);
	}
}

TEST(toc_policy_hash_mismatch)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN], h[65], exp[300];
	uint8_t hash[32];

	std_set(&t);
	m_pol_changed(&t);
	sha256(tset_get(&t, "toc.pol")->data, tset_get(&t, "toc.pol")->len, hash);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	snprintf(exp, sizeof(exp), "toc.asr: policy toc.pol: its SHA-256 %s does not match",
		 hex_encode(hash, 32, h));
	T_WHY_HAS(why, exp);
	tset_free(&t);
}

TEST(toc_own_tag_and_copies)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN], pol[80], hex[33];
	uint8_t ud[ASR_USERDATA_LEN];

	/* toc.pol that lists toc.asr's own tag: the toc must come from a file made first */
	tset_init(&t);
	put_req(&t, "a.asr", SECRET_ASSOCIATION, "a", NULL);
	tag_hex(&t, "a.asr", hex);
	/* the meta request's tag does not depend on its user data here (mkreq) */
	put_req(&t, "toc.asr", SECRET_NULL, NULL, NULL);
	snprintf(pol, sizeof(pol), "%s\n", hex);
	tag_hex(&t, "toc.asr", hex);
	strcat(pol, hex);
	strcat(pol, "\n");
	tset_put(&t, "toc.pol", pol, strlen(pol));
	ebc_policy_ref_build((uint8_t *)pol, strlen(pol), "toc.pol", ud, NULL, 0);
	memcpy(tset_get(&t, "toc.asr")->data + ASR_OFF_USERDATA, ud, sizeof(ud));
	put_be16(tset_get(&t, "toc.asr")->data + ASR_OFF_UDTYPE, ASR_UD_UNSIGNED);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	snprintf(pol, sizeof(pol), "toc.pol:2: tag %s is the tag of toc.asr itself", hex);
	T_EQ_STR(why, pol);
	tset_free(&t);

	/* identical copies are one request; the first by name is used */
	std_set(&t);
	tset_put(&t, "a-copy.asr", tset_get(&t, "user1.asr")->data, tset_get(&t, "user1.asr")->len);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_EQ_STR(p.reqs[4].name, "a-copy.asr");
	T_REQUIRE(p.nignored == 1);
	T_EQ_STR(p.ignored[0].name, "user1.asr");
	T_EQ_STR(p.ignored[0].why, "an identical copy of a-copy.asr");
	ebc_plan_free(&p);
	tset_free(&t);
}

/* ------------------------------------------------------------------ nested references */

static void nested_set(struct tset *t, const char *refname, const void *pol, size_t len)
{
	const char *listed[1] = {"a.asr"};
	uint8_t ud[ASR_USERDATA_LEN];

	tset_init(t);
	T_EQ_INT(ebc_policy_ref_build(pol, len, refname, ud, NULL, 0), 0);
	put_req(t, "a.asr", SECRET_ASSOCIATION, "a", ud);
	put_toc(t, "toc.pol", listed, 1);
}

TEST(nested_references)
{
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	/* a valid nested reference: the file is present and unchanged */
	nested_set(&t, "extra.pol", "extra policy\n", 13);
	tset_put(&t, "extra.pol", "extra policy\n", 13);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_CHECK(p.reqs[1].has_ref);
	T_EQ_STR(p.reqs[1].ref.file, "extra.pol");
	T_EQ_INT(p.nignored, 0);
	ebc_plan_free(&p);
	tset_free(&t);

	/* changed */
	nested_set(&t, "extra.pol", "extra policy\n", 13);
	tset_put(&t, "extra.pol", "extra polic!\n", 13);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	T_WHY_HAS(why, "a.asr: policy extra.pol: its SHA-256 ");
	tset_free(&t);

	/* missing */
	nested_set(&t, "extra.pol", "x", 1);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	T_EQ_STR(why, "a.asr: policy extra.pol: no such file in the directory");
	tset_free(&t);

	/* a reference to itself can never verify: named as a loop */
	nested_set(&t, "a.asr", "x", 1);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	T_EQ_STR(why, "a.asr (toc.pol:1): its policy reference names the request itself (a "
		      "reference loop)");
	tset_free(&t);

	/* user data that is not a policy reference (first 32 bytes not zero) */
	{
		const char *listed[1] = {"a.asr"};
		uint8_t ud[ASR_USERDATA_LEN];

		tset_init(&t);
		memset(ud, 0x41, 32);
		memset(ud + 32, 0xff, sizeof(ud) - 32);
		put_req(&t, "a.asr", SECRET_ASSOCIATION, "a", ud);
		put_toc(&t, "toc.pol", listed, 1);
		T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
		T_WHY_HAS(why, "a.asr (toc.pol:1): user data with a non-zero hash field is not a "
			       "valid policy reference: policy name '\\xff\\xff");
		T_WHY_HAS(why, "...' has non-printable bytes");
		tset_free(&t);
	}
}

/*
 * Bounded: 255 listed requests, each referencing the next one's file (a long chain),
 * and the last one referencing the first (a cycle). References are checked by one
 * hash each, never followed, so this costs 255 hashes and ends at the first link
 * whose hash cannot match (a cycle of content hashes cannot be built).
 */
TEST(nested_chain_is_bounded)
{
	static const char *names[255];
	static char namebuf[255][16];
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];
	uint8_t ud[ASR_USERDATA_LEN];
	struct timespec t0, t1;

	tset_init(&t);
	for (int i = 254; i >= 0; i--) {
		snprintf(namebuf[i], sizeof(namebuf[i]), "r%03d.asr", i);
		names[i] = namebuf[i];
		if (i == 254) {
			put_req(&t, namebuf[i], SECRET_ASSOCIATION, namebuf[i], NULL);
			continue;
		}
		/* reference the file made just before: a valid chain r000 → r001 → … */
		ebc_policy_ref_build(tset_get(&t, namebuf[i + 1])->data,
				     tset_get(&t, namebuf[i + 1])->len, namebuf[i + 1], ud, NULL,
				     0);
		put_req(&t, namebuf[i], SECRET_ASSOCIATION, namebuf[i], ud);
	}
	put_toc(&t, "toc.pol", names, 255);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	T_EQ_INT(p.n, 256);
	for (size_t i = 1; i < 255; i++)
		T_CHECK(p.reqs[i].has_ref);
	ebc_plan_free(&p);
	tset_free(&t);

	/* close the cycle: r254 references r000 (its hash is of an older r000) */
	tset_init(&t);
	put_req(&t, "r000.asr", SECRET_ASSOCIATION, "r000", NULL);
	ebc_policy_ref_build(tset_get(&t, "r000.asr")->data, tset_get(&t, "r000.asr")->len,
			     "r000.asr", ud, NULL, 0);
	put_req(&t, "r001.asr", SECRET_ASSOCIATION, "r001", ud);
	ebc_policy_ref_build(tset_get(&t, "r001.asr")->data, tset_get(&t, "r001.asr")->len,
			     "r001.asr", ud, NULL, 0);
	free(tset_get(&t, "r000.asr")->data);
	{
		size_t len;
		struct safe_file *f = tset_get(&t, "r000.asr");

		f->data = mkreq(SECRET_ASSOCIATION, "r000", ud, "r000.asr", &len);
		f->len = len;
	}
	names[0] = "r000.asr";
	names[1] = "r001.asr";
	put_toc(&t, "toc.pol", names, 2);
	T_EQ_INT(plan_toc(&t, &p, why), -EINVAL);
	T_WHY_HAS(why, "r001.asr: policy r000.asr: its SHA-256 ");
	tset_free(&t);
	/* generous: 256 small hashes take well under a second even under qemu */
	T_CHECK(t1.tv_sec - t0.tv_sec < 5);
}

/* ------------------------------------------------------------------ plain mode */

static struct ebc_expect expect(uint16_t type, const char *name)
{
	struct ebc_expect x = {.type = type, .label = name};

	secret_id_from_name(name, x.id);
	return x;
}

TEST(plain_mode)
{
	struct ebc_expect exp[3];
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	std_set(&t);
	exp[0] = expect(SECRET_PLAINTEXT, "luks-rfs-passphrase");
	exp[1] = expect(SECRET_AES_XTS_256, "rfs-luks-key");
	T_REQUIRE(ebc_plan_plain(&t.d, exp, 2, NULL, &p, why, sizeof(why)) == 0);
	T_EQ_INT(p.mode, EBC_MODE_PLAIN);
	T_REQUIRE(p.n == 2);
	T_EQ_STR(p.reqs[0].name, "luks-rfs-passphrase.asr");
	T_EQ_STR(p.reqs[1].name, "rfs-luks-key.asr");
	T_EQ_STR(p.reqs[1].expect, "rfs-luks-key");
	/* everything else is ignored: the toc too */
	T_EQ_INT(p.nignored, 5);
	ebc_plan_free(&p);

	/* missing */
	exp[2] = expect(SECRET_AES_256, "nope");
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 3, NULL, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret nope (AES-256-KEY): no request in the directory");
	/* same id, other type */
	exp[2] = expect(SECRET_AES_256, "rfs-luks-key");
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 3, NULL, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret rfs-luks-key (AES-256-KEY): no such request "
		      "(rfs-luks-key.asr has that id but is a AES-XTS-256-KEY)");
	/* twice */
	exp[2] = exp[0];
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 3, NULL, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret luks-rfs-passphrase (PLAINTEXT) is expected twice");
	/* not listable */
	exp[2] = expect(SECRET_UPDATE_CCK, "cck");
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 3, NULL, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret cck: type Invalid(0x0016) is not a listable secret type");

	/* present twice in different requests: refused; an identical copy is fine */
	tset_put(&t, "copy.asr", tset_get(&t, "rfs-luks-key.asr")->data,
		 tset_get(&t, "rfs-luks-key.asr")->len);
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 2, NULL, &p, why, sizeof(why)), 0);
	T_EQ_STR(p.reqs[1].name, "copy.asr");
	ebc_plan_free(&p);
	put_req(&t, "evil.asr", SECRET_AES_XTS_256, "rfs-luks-key", NULL);
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 2, NULL, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret rfs-luks-key (AES-XTS-256-KEY) is in two different "
		      "requests, copy.asr and evil.asr");
	tset_free(&t);
}

TEST(type_names)
{
	uint16_t t;

	T_EQ_INT(ebc_type_parse("aes-256", &t), 0);
	T_EQ_INT(t, SECRET_AES_256);
	T_EQ_INT(ebc_type_parse("AES-XTS-256-KEY", &t), 0);
	T_EQ_INT(t, SECRET_AES_XTS_256);
	T_EQ_INT(ebc_type_parse("association", &t), 0);
	T_EQ_INT(t, SECRET_ASSOCIATION);
	T_EQ_INT(ebc_type_parse("PLAINTEXT", &t), 0);
	T_EQ_INT(t, SECRET_PLAINTEXT);
	T_EQ_INT(ebc_type_parse("0x13", &t), 0);
	T_EQ_INT(t, SECRET_EC_P521);
	T_EQ_INT(ebc_type_parse("1", &t), -EINVAL);
	T_EQ_INT(ebc_type_parse("0x16", &t), -EINVAL);
	T_EQ_INT(ebc_type_parse("aes", &t), -EINVAL);
}

/* ------------------------------------------------------------------ skip present */

static void add_entry(struct secret_list *l, uint16_t type, const char *name)
{
	l->entries = realloc(l->entries, (l->n + 1) * sizeof(*l->entries));
	memset(&l->entries[l->n], 0, sizeof(l->entries[0]));
	l->entries[l->n].index = (uint16_t)l->n;
	l->entries[l->n].type = type;
	secret_id_from_name(name, l->entries[l->n].id);
	l->n++;
}

TEST(skip_present_rule)
{
	struct secret_list l = {0};
	struct ebc_report rep;
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	std_set(&t);
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_REQUIRE(ebc_report_init(&rep, &p) == 0);
	T_EQ_INT(rep.failed, 6);

	/* some present: those are not submitted, toc.asr and the CCK update are */
	add_entry(&l, SECRET_AES_XTS_256, "rfs-luks-key");
	add_entry(&l, SECRET_AES_256, "luks-rfs-passphrase"); /* the id, but another type */
	ebc_mark_present(&rep, &l);
	T_EQ_INT(rep.e[0].outcome, EBC_NOT_ATTEMPTED);
	T_EQ_INT(rep.e[1].outcome, EBC_PRESENT);
	T_EQ_INT(rep.e[2].outcome, EBC_NOT_ATTEMPTED);
	T_EQ_INT(rep.e[3].outcome, EBC_NOT_ATTEMPTED);
	T_EQ_INT(rep.present, 1);
	T_EQ_INT(rep.skipped, 0);
	ebc_report_free(&rep);

	/* all listable ones present: the set was applied, the meta and CCK are skipped */
	add_entry(&l, SECRET_PLAINTEXT, "luks-rfs-passphrase");
	add_entry(&l, SECRET_ASSOCIATION, "EP11 domain 1");
	add_entry(&l, SECRET_AES_256, "user key");
	T_REQUIRE(ebc_report_init(&rep, &p) == 0);
	ebc_mark_present(&rep, &l);
	T_EQ_INT(rep.e[0].outcome, EBC_SKIPPED);
	T_EQ_INT(rep.e[2].outcome, EBC_SKIPPED);
	for (size_t i = 0; i < 6; i++)
		T_CHECK(rep.e[i].outcome != EBC_NOT_ATTEMPTED);
	T_EQ_INT(rep.present, 4);
	T_EQ_INT(rep.skipped, 2);
	T_EQ_STR(ebc_outcome_name(rep.e[0].outcome), "skipped");
	ebc_report_free(&rep);
	ebc_plan_free(&p);
	tset_free(&t);

	/* a plan without listable requests is always submitted */
	tset_init(&t);
	put_req(&t, "cck.asr", SECRET_UPDATE_CCK, NULL, NULL);
	{
		const char *n[1] = {"cck.asr"};

		put_toc(&t, "toc.pol", n, 1);
	}
	T_REQUIRE(plan_toc(&t, &p, why) == 0);
	T_REQUIRE(ebc_report_init(&rep, &p) == 0);
	ebc_mark_present(&rep, &l);
	T_EQ_INT(rep.e[0].outcome, EBC_NOT_ATTEMPTED);
	T_EQ_INT(rep.e[1].outcome, EBC_NOT_ATTEMPTED);
	ebc_report_free(&rep);
	ebc_plan_free(&p);
	tset_free(&t);
	secret_list_free(&l);
}

/* ------------------------------------------------------------------ the loader */

static void write_file(int dfd, const char *name, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[4096];

	memset(buf, 'x', sizeof(buf));
	T_REQUIRE(fd >= 0);
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		T_REQUIRE(write(fd, buf, n) == (ssize_t)n);
		len -= n;
	}
	close(fd);
}

TEST(load_dir)
{
	char dir[] = "/tmp/pvboot-unit-XXXXXX", why[200];
	struct safe_dir_limits lim = safe_dir_default_limits;
	struct safe_dir d;
	int dfd;

	T_REQUIRE(mkdtemp(dir) != NULL);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	T_REQUIRE(dfd >= 0);
	write_file(dfd, "b.asr", 1400);
	write_file(dfd, "a.asr", 1352);
	write_file(dfd, "toc.pol", 66);
	write_file(dfd, "big.pol", SAFEIO_POLICY_CAP + 1);
	write_file(dfd, "big.asr", SAFEIO_ASR_CAP + 1);
	write_file(dfd, "bad\001name.asr", 10);
	T_REQUIRE(symlinkat("a.asr", dfd, "link.asr") == 0);
	T_REQUIRE(mkfifoat(dfd, "fifo.asr", 0600) == 0);
	T_REQUIRE(mkdirat(dfd, "sub.asr", 0700) == 0);

	T_REQUIRE(safe_load_dir(dfd, NULL, &d, why, sizeof(why)) == 0);
	T_REQUIRE(d.nfiles == 3);
	T_EQ_STR(d.files[0].name, "a.asr");
	T_EQ_INT(d.files[0].len, 1352);
	T_EQ_STR(d.files[1].name, "b.asr");
	T_EQ_STR(d.files[2].name, "toc.pol");
	T_EQ_INT(d.bytes, 1352 + 1400 + 66);
	T_REQUIRE(d.nskipped == 6);
	T_EQ_STR(d.skipped[0].name, "bad\\x01name.asr");
	T_EQ_INT(d.skipped[0].err, -EILSEQ);
	T_EQ_STR(d.skipped[1].name, "big.asr");
	T_EQ_STR(d.skipped[1].why, "1048577 bytes, larger than the limit of 1048576");
	T_EQ_STR(d.skipped[2].name, "big.pol");
	T_EQ_STR(d.skipped[2].why, "65537 bytes, larger than the limit of 65536");
	T_EQ_STR(d.skipped[3].name, "fifo.asr");
	T_EQ_STR(d.skipped[3].why, "a FIFO, not a regular file");
	T_EQ_STR(d.skipped[4].name, "link.asr");
	T_EQ_INT(d.skipped[4].err, -ELOOP);
	T_EQ_STR(d.skipped[5].name, "sub.asr");
	T_EQ_STR(d.skipped[5].why, "a directory");
	T_CHECK(safe_dir_skip(&d, "link.asr") == &d.skipped[4]);
	T_CHECK(safe_dir_file(&d, "b.asr") == &d.files[1]);
	safe_dir_free(&d);

	/* limits: entries of any kind, bytes of all files */
	lim.max_entries = 8;
	T_EQ_INT(safe_load_dir(dfd, &lim, &d, why, sizeof(why)), -E2BIG);
	T_EQ_STR(why, "more than 8 entries");
	T_CHECK(d.nfiles == 0 && d.files == NULL);
	lim = safe_dir_default_limits;
	lim.max_bytes = 2000;
	T_EQ_INT(safe_load_dir(dfd, &lim, &d, why, sizeof(why)), -EFBIG);
	T_EQ_STR(why, "more than 2000 bytes in its files");
	/* the caller's fd still works */
	lim.max_bytes = 3000;
	T_EQ_INT(safe_load_dir(dfd, &lim, &d, why, sizeof(why)), 0);
	safe_dir_free(&d);

	for (const char *const *n =
		 (const char *const[]){"a.asr", "b.asr", "toc.pol", "big.pol", "big.asr",
				       "bad\001name.asr", "link.asr", "fifo.asr", NULL};
	     *n; n++)
		unlinkat(dfd, *n, 0);
	unlinkat(dfd, "sub.asr", AT_REMOVEDIR);
	close(dfd);
	rmdir(dir);
}

/* ------------------------------------------------------------------ owner signatures */

/* A request signed with keyfile (mkasr), user data ud (ud_len bytes) */
static void put_signed(struct tset *t, const char *name, const char *keyfile, uint16_t type,
		       const char *id_name, const uint8_t *ud, size_t ud_len)
{
	static const uint8_t value[32] = {7};
	const struct se_key *hk[1];
	struct se_key host;
	mbedtls_pk_context pk;
	struct mkasr_input in;
	const char *err = NULL;
	size_t klen, hlen, len;
	uint8_t *kbuf = t_read_file(keyfile, &klen),
		*hbuf = t_read_file("vectors/cert/host.crt", &hlen);
	uint8_t *req = NULL;

	se_key_init(&host);
	mbedtls_pk_init(&pk);
	T_REQUIRE(kbuf && hbuf && se_key_load(&host, hbuf, hlen) == 0 &&
		  mkasr_sign_key_load(&pk, kbuf, klen, &err) == 0);
	hk[0] = &host;
	mkasr_input_init(&in);
	in.host_keys = hk;
	in.nr_host_keys = 1;
	in.secret_type = type;
	if (type != SECRET_NULL) {
		secret_id_from_name(id_name, in.secret_id);
		in.secret = value;
		in.secret_len = sizeof(value);
	}
	in.user_data = ud;
	in.user_data_len = ud_len;
	in.sign_key = &pk;
	T_REQUIRE(mkasr_build(&in, &req, &len, &err) == 0);
	tset_put(t, name, req, len);
	free(req);
	free(kbuf);
	free(hbuf);
	mbedtls_pk_free(&pk);
	se_key_free(&host);
}

static void load_cert(struct usersig_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	char why[200];

	T_REQUIRE(buf && usersig_key_parse(k, buf, len, why, sizeof(why)) == 0);
	free(buf);
}

/*
 * std_set's requests (rfs-luks-key.asr signed with keyfile, user1.asr with user1_key,
 * unless members is false), toc.pol, and toc.asr signed with keyfile (area: 256 or 128
 * bytes)
 */
static void signed_set(struct tset *t, const char *keyfile, size_t area, bool members,
		       const char *user1_key)
{
	static const char *const listed[] = {"rfs-luks-key.asr", "user1.asr"};
	char pol[2 * 33 + 1] = "", hex[33];
	uint8_t ud[ASR_USERDATA_LEN];

	tset_init(t);
	if (members) {
		put_signed(t, "rfs-luks-key.asr", keyfile, SECRET_AES_256, "rfs-luks-key", NULL, 0);
		put_signed(t, "user1.asr", user1_key, SECRET_ASSOCIATION, "EP11 domain 1", NULL, 0);
	} else {
		put_req(t, "rfs-luks-key.asr", SECRET_AES_XTS_256, "rfs-luks-key", NULL);
		put_req(t, "user1.asr", SECRET_ASSOCIATION, "EP11 domain 1", NULL);
	}
	for (size_t i = 0; i < 2; i++) {
		tag_hex(t, listed[i], hex);
		strcat(pol, hex);
		strcat(pol, "\n");
	}
	tset_put(t, "toc.pol", pol, strlen(pol));
	T_REQUIRE(ebc_policy_ref_build_area((uint8_t *)pol, strlen(pol), "toc.pol", area, ud, NULL,
					    0) == 0);
	put_signed(t, "toc.asr", keyfile, SECRET_NULL, NULL, ud, area);
}

TEST(toc_signed_by_owner)
{
	struct usersig_key owner, other, rsa;
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	usersig_key_init(&owner);
	usersig_key_init(&other);
	usersig_key_init(&rsa);
	load_cert(&owner, "keys/owner-ec.crt");
	load_cert(&other, "keys/other-ec.crt");
	load_cert(&rsa, "vectors/keys/rsa3072.crt");

	/* toc.asr signed, its members not: a tag is no commitment, refused with the key */
	signed_set(&t, "keys/owner-ec.key", 256, false, NULL);
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &owner, &p, why, sizeof(why)), -EINVAL);
	T_EQ_INT(p.n, 0);
	T_EQ_STR(why, "rfs-luks-key.asr (toc.pol:1): the user data is not signed (user-data type "
		      "none); a request signed with the EC secp521r1 user-signing key is "
		      "required; with the owner's key every listed request must be signed by "
		      "the image owner (a tag alone can be forced by whoever makes a request)");
	/* without a key (CCK enforcement) unsigned members are taken */
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", NULL, &p, why, sizeof(why)), 0);
	T_EQ_INT(p.n, 3);
	ebc_plan_free(&p);
	tset_free(&t);

	signed_set(&t, "keys/owner-ec.key", 256, true, "keys/owner-ec.key");
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &owner, &p, why, sizeof(why)), 0);
	T_EQ_INT(p.n, 3);
	T_CHECK(p.reqs[0].owner_signed && p.reqs[1].owner_signed && p.reqs[2].owner_signed);
	T_EQ_STR(p.reqs[0].ref.name, "toc.pol");
	ebc_plan_free(&p);
	/* without a key the reference is read from the data area, the signature unchecked */
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", NULL, &p, why, sizeof(why)), 0);
	T_CHECK(!p.reqs[0].owner_signed && !p.reqs[1].owner_signed);
	ebc_plan_free(&p);
	tset_free(&t);
	/* one member signed with another key */
	signed_set(&t, "keys/owner-ec.key", 256, true, "keys/other-ec.key");
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &owner, &p, why, sizeof(why)), -EINVAL);
	T_CHECK(strstr(why, "user1.asr (toc.pol:2): the EC secp521r1 signature of the user data "
			    "does not verify") == why);
	tset_free(&t);
	signed_set(&t, "keys/owner-ec.key", 256, true, "keys/owner-ec.key");
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &other, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "toc.asr: the EC secp521r1 signature of the user data does not verify with "
		      "the user-signing key; a set is taken only from the image owner");
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &rsa, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "toc.asr: the user data is signed with an EC secp521r1 key (user-data type "
		      "2), the user-signing key is RSA-3072; a set is taken only from the image "
		      "owner");
	/* toc.pol changed after signing: the signed hash no longer matches */
	tset_put(&t, "toc.pol", "00000000000000000000000000000000\n", 33);
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &owner, &p, why, sizeof(why)), -EINVAL);
	T_CHECK(strstr(why, "toc.asr: policy toc.pol: its SHA-256") == why);
	tset_free(&t);

	/* the host's own unsigned set */
	std_set(&t);
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &owner, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "toc.asr: the user data is not signed (user-data type unsigned); a request "
		      "signed with the EC secp521r1 user-signing key is required; a set is taken "
		      "only from the image owner");
	tset_free(&t);

	/* RSA-3072: the reference in a 128-byte data area */
	signed_set(&t, "vectors/keys/rsa3072key.pem", 128, true, "vectors/keys/rsa3072key.pem");
	T_EQ_INT(ebc_plan_toc(&t.d, "toc.asr", &rsa, &p, why, sizeof(why)), 0);
	T_EQ_INT(p.n, 3);
	ebc_plan_free(&p);
	tset_free(&t);
	usersig_key_free(&owner);
	usersig_key_free(&other);
	usersig_key_free(&rsa);
}

TEST(plain_signed_by_owner)
{
	struct ebc_expect exp[1] = {{.type = SECRET_ASSOCIATION, .label = "EP11 domain 1"}};
	struct usersig_key owner;
	struct ebc_plan p;
	struct tset t;
	char why[EBC_WHY_LEN];

	secret_id_from_name("EP11 domain 1", exp[0].id);
	usersig_key_init(&owner);
	load_cert(&owner, "keys/owner-ec.crt");
	tset_init(&t);
	put_signed(&t, "user1.asr", "keys/owner-ec.key", SECRET_ASSOCIATION, "EP11 domain 1", NULL,
		   0);
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 1, &owner, &p, why, sizeof(why)), 0);
	T_CHECK(p.n == 1 && p.reqs[0].owner_signed);
	ebc_plan_free(&p);
	tset_free(&t);
	tset_init(&t);
	put_signed(&t, "user1.asr", "keys/other-ec.key", SECRET_ASSOCIATION, "EP11 domain 1", NULL,
		   0);
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 1, &owner, &p, why, sizeof(why)), -EINVAL);
	T_EQ_STR(why, "expected secret EP11 domain 1 (Association): user1.asr: the EC secp521r1 "
		      "signature of the user data does not verify with the user-signing key; a "
		      "secret is taken only from the image owner");
	tset_free(&t);
	tset_init(&t);
	put_req(&t, "user1.asr", SECRET_ASSOCIATION, "EP11 domain 1", NULL);
	T_EQ_INT(ebc_plan_plain(&t.d, exp, 1, &owner, &p, why, sizeof(why)), -EINVAL);
	tset_free(&t);
	usersig_key_free(&owner);
}

/* THE mkdir -p: 0700 directories, never through a symbolic link, clean paths only */
TEST(open_dirs)
{
	char dir[] = "/tmp/pvboot-unit-XXXXXX";
	const char *name;
	struct stat st;
	int dfd, fd;

	T_REQUIRE(mkdtemp(dir) != NULL);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	T_REQUIRE(dfd >= 0);
	fd = safe_open_dirs(dfd, "run/pvboot/mnt", 0700, true);
	T_CHECK(fd >= 0);
	close(fd);
	T_REQUIRE(fstatat(dfd, "run/pvboot", &st, 0) == 0);
	T_EQ_INT(st.st_mode & 07777, 0700);
	T_REQUIRE(fstatat(dfd, "run/pvboot/mnt", &st, 0) == 0);
	T_EQ_INT(st.st_mode & 07777, 0700);
	/* without create, a missing directory is ENOENT and nothing is made */
	T_EQ_INT(safe_open_dirs(dfd, "run/other", 0700, false), -ENOENT);
	T_CHECK(fstatat(dfd, "run/other", &st, 0) < 0);
	/* a symbolic link anywhere on the way: ELOOP, also with create */
	T_REQUIRE(symlinkat("pvboot", dfd, "run/link") == 0);
	T_EQ_INT(safe_open_dirs(dfd, "run/link/mnt", 0700, true), -ELOOP);
	T_EQ_INT(safe_open_dirs(dfd, "run/link", 0700, false), -ELOOP);
	T_EQ_INT(safe_open_parent(dfd, "run/link/x/key", 0700, true, &name), -ELOOP);
	T_CHECK(fstatat(dfd, "run/pvboot/x", &st, 0) < 0);
	/* a file on the way is not a directory */
	T_REQUIRE(mknodat(dfd, "run/file", S_IFREG | 0600, 0) == 0);
	T_EQ_INT(safe_open_dirs(dfd, "run/file/x", 0700, true), -ENOTDIR);
	/* unclean paths */
	T_EQ_INT(safe_open_dirs(dfd, "run/../run", 0700, true), -EINVAL);
	T_EQ_INT(safe_open_dirs(dfd, "run//pvboot", 0700, true), -EINVAL);
	T_EQ_INT(safe_open_dirs(dfd, "./run", 0700, true), -EINVAL);
	T_EQ_INT(safe_open_parent(dfd, "run/pvboot/..", 0700, true, &name), -EINVAL);
	/* the parent of a file, and its name */
	fd = safe_open_parent(dfd, "run/pvboot/keys/luks.key", 0700, true, &name);
	T_CHECK(fd >= 0);
	T_EQ_STR(name, "luks.key");
	T_EQ_INT(safe_write_new_at(fd, name, "k", 1, 0400), 0);
	T_EQ_INT(safe_write_new_at(fd, name, "k", 1, 0400), -EEXIST);
	T_REQUIRE(fstatat(fd, name, &st, 0) == 0);
	T_EQ_INT(st.st_mode & 07777, 0400);
	unlinkat(fd, name, 0);
	close(fd);
	unlinkat(dfd, "run/file", 0);
	unlinkat(dfd, "run/link", 0);
	unlinkat(dfd, "run/pvboot/keys", AT_REMOVEDIR);
	unlinkat(dfd, "run/pvboot/mnt", AT_REMOVEDIR);
	unlinkat(dfd, "run/pvboot", AT_REMOVEDIR);
	unlinkat(dfd, "run", AT_REMOVEDIR);
	close(dfd);
	T_CHECK(rmdir(dir) == 0);
}
T_SUITE(ebc, T_CASE(policy_ref_round_trip), T_CASE(policy_ref_names), T_CASE(text_helpers),
	T_CASE(tocpol_parse), T_CASE(toc_happy_path), T_CASE(toc_empty_policy), T_CASE(toc_breaks),
	T_CASE(toc_policy_hash_mismatch), T_CASE(toc_own_tag_and_copies), T_CASE(nested_references),
	T_CASE(nested_chain_is_bounded), T_CASE(plain_mode), T_CASE(type_names),
	T_CASE(skip_present_rule), T_CASE(load_dir), T_CASE(toc_signed_by_owner),
	T_CASE(plain_signed_by_owner), T_CASE(open_dirs));
