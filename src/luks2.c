// SPDX-License-Identifier: MIT
/*
 * The LUKS2 header reader (luks2.h): binary headers, a small JSON reader over the
 * subset LUKS2 writes, and the LUKS2 objects. Every byte is hostile: every size is
 * capped, every offset checked before use, nothing is read twice.
 *
 * The JSON reader: RFC 8259 values (objects, arrays, strings, numbers, true, false,
 * null) into a flat node array of at most LUKS2_JSON_MAX_NODES, nested at most
 * LUKS2_JSON_MAX_DEPTH, strings valid UTF-8 without NUL (escapes decoded, surrogate
 * pairs checked), no duplicate keys in an object. Numbers are kept as text and read
 * as unsigned integers only where the format has one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/sha256.h>

#include "luks2.h"
#include "util.h"

/* ------------------------------------------------------------------ errors */

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* values from the header are quoted in messages: keep them one printable line */
	text_escape(err, errsz, msg, strlen(msg));
	return -EINVAL;
}

/* ------------------------------------------------------------------ JSON */

enum jkind { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	enum jkind kind;
	const char *key; /* in an object: the member's name (decoded, NUL-terminated) */
	const char *s;	 /* J_STR: decoded, NUL-terminated; J_NUM: the text */
	size_t len;	 /* J_STR, J_NUM: bytes; J_ARR, J_OBJ: members */
	int first;	 /* J_ARR, J_OBJ: the first member, -1 if none */
	int next;	 /* the next member of the parent, -1 if last */
};

struct jparser {
	const char *base, *p, *end;
	struct jnode *nodes;
	int n, max_nodes;
	char *strbuf; /* decoded strings, NUL-terminated, one after the other */
	size_t strpos, strcap;
	char *err;
	size_t errsz;
};

static int jfail(struct jparser *j, const char *what)
{
	return fail(j->err, j->errsz, "JSON area: %s at byte %zu", what, (size_t)(j->p - j->base));
}

static void skip_ws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int new_node(struct jparser *j, enum jkind kind)
{
	if (j->n >= j->max_nodes)
		return fail(j->err, j->errsz, "JSON area: more than %d values",
			    LUKS2_JSON_MAX_NODES);
	j->nodes[j->n] = (struct jnode){.kind = kind, .first = -1, .next = -1};
	return j->n++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];

		*v <<= 4;
		if (ch >= '0' && ch <= '9')
			*v |= (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			*v |= (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			*v |= (unsigned)(ch - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void put_utf8(struct jparser *j, unsigned cp)
{
	char *o = j->strbuf + j->strpos;

	if (cp < 0x80) {
		o[0] = (char)cp;
		j->strpos += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		j->strpos += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		j->strpos += 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		j->strpos += 4;
	}
}

/* The length of one valid UTF-8 sequence at p (shortest form, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned cp, n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (unsigned i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A string at j->p (the opening quote): decoded into strbuf; *out points at it. */
static int parse_string(struct jparser *j, const char **out, size_t *outlen)
{
	size_t start = j->strpos;

	j->p++; /* " */
	for (;;) {
		unsigned char ch;

		if (j->p >= j->end)
			return jfail(j, "unterminated string");
		ch = (unsigned char)*j->p;
		if (ch == '"') {
			j->p++;
			break;
		}
		if (ch < 0x20)
			return jfail(j, "a control character in a string");
		if (ch == '\\') {
			unsigned cp, lo;

			if (j->end - j->p < 2)
				return jfail(j, "unterminated string");
			ch = (unsigned char)j->p[1];
			j->p += 2;
			switch (ch) {
			case '"':
			case '\\':
			case '/':
				j->strbuf[j->strpos++] = (char)ch;
				continue;
			case 'b':
				j->strbuf[j->strpos++] = '\b';
				continue;
			case 'f':
				j->strbuf[j->strpos++] = '\f';
				continue;
			case 'n':
				j->strbuf[j->strpos++] = '\n';
				continue;
			case 'r':
				j->strbuf[j->strpos++] = '\r';
				continue;
			case 't':
				j->strbuf[j->strpos++] = '\t';
				continue;
			case 'u':
				break;
			default:
				return jfail(j, "an unknown escape in a string");
			}
			if (j->end - j->p < 4 || hex4(j->p, &cp))
				return jfail(j, "a bad \\u escape");
			j->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
				    hex4(j->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return jfail(j, "an unpaired surrogate in a string");
				j->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return jfail(j, "an unpaired surrogate in a string");
			}
			if (cp == 0)
				return jfail(j, "a NUL character in a string");
			/* a \u escape (6 or 12 bytes) decodes to at most 4 bytes: strbuf holds it
			 */
			put_utf8(j, cp);
			continue;
		}
		{
			size_t n =
			    utf8_len((const unsigned char *)j->p, (const unsigned char *)j->end);

			if (!n)
				return jfail(j, "invalid UTF-8 in a string");
			memcpy(j->strbuf + j->strpos, j->p, n);
			j->strpos += n;
			j->p += n;
		}
	}
	j->strbuf[j->strpos++] = 0;
	*out = j->strbuf + start;
	*outlen = j->strpos - start - 1;
	return 0;
}

static int parse_value(struct jparser *j, int depth);

static bool lit(struct jparser *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return false;
	j->p += n;
	return true;
}

static int parse_number(struct jparser *j)
{
	const char *s = j->p;
	int id;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return jfail(j, "a bad number");
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jfail(j, "a bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jfail(j, "a bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if ((id = new_node(j, J_NUM)) < 0)
		return id;
	j->nodes[id].s = s;
	j->nodes[id].len = (size_t)(j->p - s);
	return id;
}

static int parse_container(struct jparser *j, int depth, bool obj)
{
	int id, last = -1;

	if (depth >= LUKS2_JSON_MAX_DEPTH)
		return fail(j->err, j->errsz, "JSON area: nested deeper than %d",
			    LUKS2_JSON_MAX_DEPTH);
	if ((id = new_node(j, obj ? J_OBJ : J_ARR)) < 0)
		return id;
	j->p++; /* { or [ */
	skip_ws(j);
	if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
		j->p++;
		return id;
	}
	for (;;) {
		const char *key = NULL;
		size_t keylen;
		int v;

		skip_ws(j);
		if (obj) {
			if (j->p >= j->end || *j->p != '"')
				return jfail(j, "expected a member name");
			if (parse_string(j, &key, &keylen))
				return -EINVAL;
			for (int m = j->nodes[id].first; m >= 0; m = j->nodes[m].next)
				if (strcmp(j->nodes[m].key, key) == 0)
					return fail(j->err, j->errsz,
						    "JSON area: the member '%s' twice in one "
						    "object",
						    key);
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return jfail(j, "expected ':'");
			j->p++;
		}
		if ((v = parse_value(j, depth + 1)) < 0)
			return v;
		j->nodes[v].key = key;
		if (last < 0)
			j->nodes[id].first = v;
		else
			j->nodes[last].next = v;
		last = v;
		j->nodes[id].len++;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
			j->p++;
			return id;
		}
		return jfail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_value(struct jparser *j, int depth)
{
	int id;

	skip_ws(j);
	if (j->p >= j->end)
		return jfail(j, "expected a value");
	switch (*j->p) {
	case '{':
		return parse_container(j, depth, true);
	case '[':
		return parse_container(j, depth, false);
	case '"':
		if ((id = new_node(j, J_STR)) < 0)
			return id;
		if (parse_string(j, &j->nodes[id].s, &j->nodes[id].len))
			return -EINVAL;
		return id;
	case 't':
		return lit(j, "true") ? new_node(j, J_TRUE) : jfail(j, "expected a value");
	case 'f':
		return lit(j, "false") ? new_node(j, J_FALSE) : jfail(j, "expected a value");
	case 'n':
		return lit(j, "null") ? new_node(j, J_NULL) : jfail(j, "expected a value");
	default:
		return parse_number(j);
	}
}

/* ------------------------------------------------------------------ JSON access */

struct lctx {
	const struct jnode *nodes;
	char *err;
	size_t errsz;
};

static const struct jnode *member(const struct lctx *c, const struct jnode *obj, const char *key)
{
	for (int m = obj->first; m >= 0; m = c->nodes[m].next)
		if (strcmp(c->nodes[m].key, key) == 0)
			return &c->nodes[m];
	return NULL;
}

static const struct jnode *first(const struct lctx *c, const struct jnode *n)
{
	return n->first >= 0 ? &c->nodes[n->first] : NULL;
}

static const struct jnode *next(const struct lctx *c, const struct jnode *n)
{
	return n->next >= 0 ? &c->nodes[n->next] : NULL;
}

/* Every member of obj is one of allowed[]. */
static int only_keys(const struct lctx *c, const struct jnode *obj, const char *where,
		     const char *const *allowed)
{
	for (const struct jnode *m = first(c, obj); m; m = next(c, m)) {
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], m->key) != 0)
			i++;
		if (!allowed[i])
			return fail(c->err, c->errsz, "%s: unknown member '%s'", where, m->key);
	}
	return 0;
}

static int need(const struct lctx *c, const struct jnode *obj, const char *where, const char *key,
		enum jkind kind, const struct jnode **out)
{
	static const char *const kinds[] = {"null",	"a boolean", "a boolean", "a number",
					    "a string", "an array",  "an object"};
	const struct jnode *m = member(c, obj, key);

	if (!m)
		return fail(c->err, c->errsz, "%s: no '%s'", where, key);
	if (m->kind != kind && !(kind == J_TRUE && m->kind == J_FALSE))
		return fail(c->err, c->errsz, "%s: '%s' is not %s", where, key, kinds[kind]);
	*out = m;
	return 0;
}

/* Decimal digits only, at most max: "0", "16777216" (no sign, no leading zeros). */
static int dec_u64(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	*v = 0;
	if (!len || len > 20 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return *v > max ? -1 : 0;
}

/* A member that LUKS2 writes as a decimal string ("offset": "16777216"). */
static int need_strnum(const struct lctx *c, const struct jnode *obj, const char *where,
		       const char *key, uint64_t max, uint64_t *v)
{
	const struct jnode *m;

	if (need(c, obj, where, key, J_STR, &m))
		return -EINVAL;
	if (dec_u64(m->s, m->len, max, v))
		return fail(c->err, c->errsz, "%s: '%s' is not a decimal number up to %llu: '%s'",
			    where, key, (unsigned long long)max, m->s);
	return 0;
}

/* A member that LUKS2 writes as a JSON number ("key_size": 64). */
static int need_num(const struct lctx *c, const struct jnode *obj, const char *where,
		    const char *key, uint64_t max, uint64_t *v)
{
	const struct jnode *m;

	if (need(c, obj, where, key, J_NUM, &m))
		return -EINVAL;
	if (dec_u64(m->s, m->len, max, v))
		return fail(c->err, c->errsz, "%s: '%s' is not an integer from 0 to %llu: '%.24s'",
			    where, key, (unsigned long long)max, m->s);
	return 0;
}

static int need_name(const struct lctx *c, const struct jnode *obj, const char *where,
		     const char *key, char out[LUKS2_NAME_MAX])
{
	const struct jnode *m;

	if (need(c, obj, where, key, J_STR, &m))
		return -EINVAL;
	if (!m->len || m->len >= LUKS2_NAME_MAX)
		return fail(c->err, c->errsz, "%s: '%s' is empty or longer than %d bytes", where,
			    key, LUKS2_NAME_MAX - 1);
	memcpy(out, m->s, m->len + 1);
	return 0;
}

/* An object's member name as LUKS2 numbers keyslots, segments, digests and tokens. */
static int member_id(const struct lctx *c, const struct jnode *m, const char *what, unsigned limit,
		     unsigned *id)
{
	uint64_t v;

	if (dec_u64(m->key, strlen(m->key), limit - 1, &v))
		return fail(c->err, c->errsz, "%s: '%s' is not a number from 0 to %u", what, m->key,
			    limit - 1);
	*id = (unsigned)v;
	return 0;
}

/* An array of id strings ("keyslots": ["0", "1"]) as a bit mask. */
static int id_list(const struct lctx *c, const struct jnode *obj, const char *where,
		   const char *key, uint32_t *mask)
{
	const struct jnode *a;
	uint64_t v;

	*mask = 0;
	if (need(c, obj, where, key, J_ARR, &a))
		return -EINVAL;
	for (const struct jnode *e = first(c, a); e; e = next(c, e)) {
		if (e->kind != J_STR || dec_u64(e->s, e->len, 31, &v))
			return fail(c->err, c->errsz,
				    "%s: '%s' lists something not an id from 0 "
				    "to 31",
				    where, key);
		*mask |= 1u << v;
	}
	return 0;
}

/* ------------------------------------------------------------------ LUKS2 objects */

#define SIZE_MAX_BYTES (UINT64_MAX >> 1) /* an offset or size cryptsetup would take */

static int read_segment(const struct lctx *c, const struct jnode *s, struct luks2_segment *seg)
{
	static const char *const keys[] = {"type",	"offset",     "size",
					   "iv_tweak",	"encryption", "sector_size",
					   "integrity", "flags",      NULL};
	char where[48];
	const struct jnode *m;
	uint64_t v;

	snprintf(where, sizeof(where), "segment %u", seg->id);
	if (s->kind != J_OBJ)
		return fail(c->err, c->errsz, "%s: not an object", where);
	if (need_name(c, s, where, "type", seg->type))
		return -EINVAL;
	if (need_strnum(c, s, where, "offset", SIZE_MAX_BYTES, &seg->offset))
		return -EINVAL;
	if (need(c, s, where, "size", J_STR, &m))
		return -EINVAL;
	if (strcmp(m->s, "dynamic") == 0)
		seg->dynamic = true;
	else if (need_strnum(c, s, where, "size", SIZE_MAX_BYTES, &seg->size))
		return -EINVAL;
	if ((m = member(c, s, "flags"))) {
		if (m->kind != J_ARR)
			return fail(c->err, c->errsz, "%s: 'flags' is not an array", where);
		seg->flags = m->len != 0;
	}
	if (strcmp(seg->type, "crypt") != 0)
		return 0; /* recorded; luks2_check() refuses it */
	if (only_keys(c, s, where, keys))
		return -EINVAL;
	if (need_strnum(c, s, where, "iv_tweak", SIZE_MAX_BYTES, &seg->iv_tweak) ||
	    need_name(c, s, where, "encryption", seg->encryption) ||
	    need_num(c, s, where, "sector_size", 4096, &v))
		return -EINVAL;
	if (v != 512 && v != 1024 && v != 2048 && v != 4096)
		return fail(c->err, c->errsz, "%s: sector_size %llu is not 512, 1024, 2048 or 4096",
			    where, (unsigned long long)v);
	seg->sector_size = (unsigned)v;
	if (seg->offset % 512 || (!seg->dynamic && seg->size % v))
		return fail(c->err, c->errsz,
			    "%s: offset or size is not a multiple of the sector "
			    "size",
			    where);
	if ((m = member(c, s, "integrity"))) {
		if (m->kind != J_OBJ)
			return fail(c->err, c->errsz, "%s: 'integrity' is not an object", where);
		seg->integrity = true;
	}
	return 0;
}

static int read_keyslot(const struct lctx *c, const struct jnode *k, struct luks2_keyslot *ks,
			uint64_t area_lo, uint64_t area_hi)
{
	static const char *const keys[] = {"type", "key_size", "area", "kdf",
					   "af",   "priority", NULL};
	static const char *const area_keys[] = {"type",	      "offset",	  "size",
						"encryption", "key_size", NULL};
	char where[48];
	const struct jnode *area, *kdf, *af, *m;
	uint64_t v, off, size;
	char type[LUKS2_NAME_MAX];

	snprintf(where, sizeof(where), "keyslot %u", ks->id);
	if (k->kind != J_OBJ)
		return fail(c->err, c->errsz, "%s: not an object", where);
	if (need_name(c, k, where, "type", ks->type))
		return -EINVAL;
	if (strcmp(ks->type, "luks2") != 0)
		return 0; /* recorded; luks2_check() refuses it */
	if (only_keys(c, k, where, keys) || need_num(c, k, where, "key_size", 4096, &v))
		return -EINVAL;
	ks->key_bits = (unsigned)v * 8;
	if ((m = member(c, k, "priority"))) {
		if (m->kind != J_NUM || dec_u64(m->s, m->len, 2, &v))
			return fail(c->err, c->errsz, "%s: 'priority' is not 0, 1 or 2", where);
	}
	snprintf(where, sizeof(where), "keyslot %u area", ks->id);
	if (need(c, k, where, "area", J_OBJ, &area) || only_keys(c, area, where, area_keys) ||
	    need_name(c, area, where, "type", type))
		return -EINVAL;
	if (strcmp(type, "raw") != 0)
		return fail(c->err, c->errsz, "%s: type '%s' is not raw", where, type);
	if (need_strnum(c, area, where, "offset", SIZE_MAX_BYTES, &off) ||
	    need_strnum(c, area, where, "size", SIZE_MAX_BYTES, &size) ||
	    need_name(c, area, where, "encryption", ks->area_encryption) ||
	    need_num(c, area, where, "key_size", 4096, &v))
		return -EINVAL;
	ks->area_key_bits = (unsigned)v * 8;
	if (off < area_lo || size > area_hi - area_lo || off - area_lo > area_hi - area_lo - size)
		return fail(c->err, c->errsz,
			    "%s: offset %llu size %llu is outside the keyslots area (%llu to %llu)",
			    where, (unsigned long long)off, (unsigned long long)size,
			    (unsigned long long)area_lo, (unsigned long long)area_hi);
	snprintf(where, sizeof(where), "keyslot %u kdf", ks->id);
	if (need(c, k, where, "kdf", J_OBJ, &kdf) || need_name(c, kdf, where, "type", ks->kdf))
		return -EINVAL;
	if (strcmp(ks->kdf, "pbkdf2") != 0 && strcmp(ks->kdf, "argon2i") != 0 &&
	    strcmp(ks->kdf, "argon2id") != 0)
		return fail(c->err, c->errsz, "%s: type '%s' is not pbkdf2, argon2i or argon2id",
			    where, ks->kdf);
	snprintf(where, sizeof(where), "keyslot %u af", ks->id);
	if (need(c, k, where, "af", J_OBJ, &af) || need_name(c, af, where, "type", type))
		return -EINVAL;
	if (strcmp(type, "luks1") != 0)
		return fail(c->err, c->errsz, "%s: type '%s' is not luks1", where, type);
	return 0;
}

static const char *const known_flags[] = {
    "allow-discards", "same-cpu-crypt",	   "submit-from-crypt-cpus",
    "no-journal",     "no-read-workqueue", "no-write-workqueue",
};

static int read_config(const struct lctx *c, const struct jnode *cfg, struct luks2_hdr *h)
{
	static const char *const keys[] = {"json_size", "keyslots_size", "flags", "requirements",
					   NULL};
	const struct jnode *m;

	if (only_keys(c, cfg, "config", keys) ||
	    need_strnum(c, cfg, "config", "json_size", LUKS2_HDR_MAX, &h->json_size) ||
	    need_strnum(c, cfg, "config", "keyslots_size", SIZE_MAX_BYTES, &h->keyslots_size))
		return -EINVAL;
	if (h->json_size != h->hdr_size - LUKS2_BIN_SIZE)
		return fail(c->err, c->errsz,
			    "config: json_size %llu does not match the header size %llu",
			    (unsigned long long)h->json_size, (unsigned long long)h->hdr_size);
	if (h->keyslots_size % 4096)
		return fail(c->err, c->errsz, "config: keyslots_size is not a multiple of 4096");
	if ((m = member(c, cfg, "flags"))) {
		if (m->kind != J_ARR)
			return fail(c->err, c->errsz, "config: 'flags' is not an array");
		for (const struct jnode *f = first(c, m); f; f = next(c, f)) {
			size_t i = 0;

			if (f->kind != J_STR)
				return fail(c->err, c->errsz, "config: a flag is not a string");
			while (i < ARRAY_SIZE(known_flags) && strcmp(known_flags[i], f->s) != 0)
				i++;
			if (i == ARRAY_SIZE(known_flags))
				return fail(c->err, c->errsz, "config: unknown flag '%s'", f->s);
			h->flags |= 1u << i;
		}
	}
	if ((m = member(c, cfg, "requirements"))) {
		const struct jnode *mand;

		if (m->kind != J_OBJ)
			return fail(c->err, c->errsz, "config: 'requirements' is not an object");
		/* any member is a requirement pvboot does not meet; name the first one */
		h->requirements = m->len != 0;
		mand = member(c, m, "mandatory");
		if (mand && mand->kind == J_ARR) {
			const struct jnode *r = first(c, mand);

			h->requirements = h->requirements && (mand->len || m->len > 1);
			if (r && r->kind == J_STR)
				snprintf(h->requirement, sizeof(h->requirement), "%.*s",
					 LUKS2_NAME_MAX - 1, r->s);
		}
	}
	return 0;
}

static int read_json(const struct lctx *c, const struct jnode *root, struct luks2_hdr *h)
{
	static const char *const keys[] = {"keyslots", "segments", "digests",
					   "config",   "tokens",   NULL};
	const struct jnode *o;
	uint32_t seen = 0;
	uint64_t area_lo = 2 * h->hdr_size, area_hi;
	unsigned id;

	if (root->kind != J_OBJ)
		return fail(c->err, c->errsz, "JSON area: not an object");
	if (only_keys(c, root, "JSON area", keys))
		return -EINVAL;
	if (need(c, root, "JSON area", "config", J_OBJ, &o) || read_config(c, o, h))
		return -EINVAL;
	if (h->keyslots_size > SIZE_MAX_BYTES - area_lo)
		return fail(c->err, c->errsz, "config: keyslots_size is too large");
	area_hi = area_lo + h->keyslots_size;
	h->metadata_end = area_hi;

	if (need(c, root, "JSON area", "segments", J_OBJ, &o))
		return -EINVAL;
	if (o->len > LUKS2_MAX_SEGMENTS)
		return fail(c->err, c->errsz, "segments: more than %d", LUKS2_MAX_SEGMENTS);
	for (const struct jnode *m = first(c, o); m; m = next(c, m)) {
		struct luks2_segment *seg = &h->segments[h->n_segments];

		if (member_id(c, m, "segments", LUKS2_MAX_SEGMENTS, &id))
			return -EINVAL;
		seg->id = id;
		if (read_segment(c, m, seg))
			return -EINVAL;
		h->n_segments++;
	}

	if (need(c, root, "JSON area", "keyslots", J_OBJ, &o))
		return -EINVAL;
	for (const struct jnode *m = first(c, o); m; m = next(c, m)) {
		struct luks2_keyslot *ks = &h->keyslots[h->n_keyslots];

		if (member_id(c, m, "keyslots", LUKS2_MAX_KEYSLOTS, &id))
			return -EINVAL;
		ks->id = id;
		if (read_keyslot(c, m, ks, area_lo, area_hi))
			return -EINVAL;
		h->n_keyslots++;
	}

	if (need(c, root, "JSON area", "digests", J_OBJ, &o))
		return -EINVAL;
	if (o->len > LUKS2_MAX_DIGESTS)
		return fail(c->err, c->errsz, "digests: more than %d", LUKS2_MAX_DIGESTS);
	for (const struct jnode *m = first(c, o); m; m = next(c, m)) {
		static const char *const dkeys[] = {"type",   "keyslots", "segments",	"salt",
						    "digest", "hash",	  "iterations", NULL};
		char where[32], type[LUKS2_NAME_MAX];
		uint32_t ks, segs;

		if (member_id(c, m, "digests", LUKS2_MAX_DIGESTS, &id))
			return -EINVAL;
		snprintf(where, sizeof(where), "digest %u", id);
		if (m->kind != J_OBJ)
			return fail(c->err, c->errsz, "%s: not an object", where);
		if (only_keys(c, m, where, dkeys) || need_name(c, m, where, "type", type) ||
		    id_list(c, m, where, "keyslots", &ks) ||
		    id_list(c, m, where, "segments", &segs))
			return -EINVAL;
		if (strcmp(type, "pbkdf2") != 0)
			return fail(c->err, c->errsz, "%s: type '%s' is not pbkdf2", where, type);
		if (segs & seen)
			return fail(c->err, c->errsz, "%s: a segment has a second digest", where);
		seen |= segs;
		for (unsigned i = 0; i < h->n_keyslots; i++) {
			struct luks2_keyslot *k = &h->keyslots[i];

			if (!(ks & (1u << k->id)))
				continue;
			k->bound = true;
			/* the volume key of the data segment: the size its keyslots hold */
			for (unsigned s = 0; s < h->n_segments; s++) {
				if (!(segs & (1u << h->segments[s].id)))
					continue;
				if (h->key_bits && h->key_bits != k->key_bits)
					return fail(c->err, c->errsz,
						    "%s: its keyslots hold keys of different "
						    "sizes",
						    where);
				h->key_bits = k->key_bits;
			}
		}
		h->n_digests++;
	}

	if (need(c, root, "JSON area", "tokens", J_OBJ, &o))
		return -EINVAL;
	if (o->len > LUKS2_MAX_TOKENS)
		return fail(c->err, c->errsz, "tokens: more than %d", LUKS2_MAX_TOKENS);
	for (const struct jnode *m = first(c, o); m; m = next(c, m)) {
		char where[32];

		if (member_id(c, m, "tokens", LUKS2_MAX_TOKENS, &id))
			return -EINVAL;
		snprintf(where, sizeof(where), "token %u", id);
		if (m->kind != J_OBJ)
			return fail(c->err, c->errsz, "%s: not an object", where);
		if (need_name(c, m, where, "type", h->token_types[h->n_tokens]))
			return -EINVAL;
		h->n_tokens++;
	}

	if (h->n_segments == 1 && strcmp(h->segments[0].type, "crypt") == 0) {
		const struct luks2_segment *s = &h->segments[0];

		memcpy(h->cipher, s->encryption, sizeof(h->cipher));
		h->data_offset = s->offset;
		h->data_size = s->dynamic ? 0 : s->size;
		h->iv_tweak = s->iv_tweak;
		h->sector_size = s->sector_size;
	} else {
		h->key_bits = 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ binary headers */

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

#define OFF_MAGIC     0
#define OFF_VERSION   6
#define OFF_HDR_SIZE  8
#define OFF_SEQID     16
#define OFF_LABEL     24
#define OFF_CSUM_ALG  72
#define OFF_SALT      104
#define OFF_UUID      168
#define OFF_SUBSYSTEM 208
#define OFF_HDR_OFF   256
#define OFF_CSUM      448
#define CSUM_LEN      64

static bool valid_hdr_size(uint64_t v)
{
	return v >= LUKS2_HDR_MIN && v <= LUKS2_HDR_MAX && !(v & (v - 1));
}

static bool field_str(const uint8_t *p, size_t n)
{
	return memchr(p, 0, n) != NULL;
}

/* One copy at buf (len bytes available); what is wrong with it, or NULL. */
static const char *copy_problem(const uint8_t *buf, size_t len, unsigned which, uint64_t *hdr_size)
{
	static const uint8_t magic[2][6] = {{'L', 'U', 'K', 'S', 0xba, 0xbe},
					    {'S', 'K', 'U', 'L', 0xba, 0xbe}};
	static const uint8_t zero[CSUM_LEN];
	mbedtls_sha256_context ctx;
	uint8_t sum[32];
	uint64_t size;

	if (len < LUKS2_BIN_SIZE)
		return "is cut short";
	if (memcmp(buf + OFF_MAGIC, magic[which], 6) != 0)
		return "has no LUKS2 magic";
	if (buf[OFF_VERSION] != 0 || buf[OFF_VERSION + 1] != 2)
		return "is not version 2";
	size = be64(buf + OFF_HDR_SIZE);
	if (!valid_hdr_size(size))
		return "has a hdr_size that is not a power of two from 16 KiB to 4 MiB";
	*hdr_size = size;
	if (size > len)
		return "is cut short";
	if (be64(buf + OFF_HDR_OFF) != (which ? size : 0))
		return "has a hdr_offset other than its own offset";
	if (!field_str(buf + OFF_LABEL, 48) || !field_str(buf + OFF_SUBSYSTEM, 48) ||
	    !field_str(buf + OFF_UUID, 40))
		return "has a label, subsystem or uuid without its NUL";
	if (strcmp((const char *)buf + OFF_CSUM_ALG, "sha256") != 0)
		return "has a checksum algorithm other than sha256";
	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts(&ctx, 0);
	mbedtls_sha256_update(&ctx, buf, OFF_CSUM);
	mbedtls_sha256_update(&ctx, zero, CSUM_LEN);
	mbedtls_sha256_update(&ctx, buf + OFF_CSUM + CSUM_LEN, size - OFF_CSUM - CSUM_LEN);
	mbedtls_sha256_finish(&ctx, sum);
	mbedtls_sha256_free(&ctx);
	if (memcmp(sum, buf + OFF_CSUM, 32) != 0 ||
	    memcmp(buf + OFF_CSUM + 32, zero, CSUM_LEN - 32) != 0)
		return "has a wrong checksum";
	return NULL;
}

/* The two copies are the same apart from magic, salt (per copy), hdr_offset and csum. */
static bool same_copies(const uint8_t *a, const uint8_t *b, uint64_t size)
{
	return memcmp(a + 6, b + 6, OFF_SALT - 6) == 0 &&
	       memcmp(a + OFF_UUID, b + OFF_UUID, OFF_HDR_OFF - OFF_UUID) == 0 &&
	       memcmp(a + OFF_HDR_OFF + 8, b + OFF_HDR_OFF + 8, OFF_CSUM - OFF_HDR_OFF - 8) == 0 &&
	       memcmp(a + OFF_CSUM + CSUM_LEN, b + OFF_CSUM + CSUM_LEN,
		      size - OFF_CSUM - CSUM_LEN) == 0;
}

static void printable_field(char *out, size_t outsz, const uint8_t *field)
{
	snprintf(out, outsz, "%s", (const char *)field);
}

int luks2_parse(const uint8_t *buf, size_t len, struct luks2_hdr *out, char *err, size_t errsz)
{
	uint64_t size0 = 0, size1 = 0;
	const char *why;
	const uint8_t *use, *json_end, *json;
	struct jparser j = {0};
	struct lctx c = {0};
	size_t json_len;
	int root, ret;

	memset(out, 0, sizeof(*out));
	if ((why = copy_problem(buf, len, 0, &size0)))
		return fail(err, errsz, "the primary LUKS2 header %s", why);
	if ((why = copy_problem(buf + size0, len - size0, 1, &size1)))
		return fail(err, errsz, "the secondary LUKS2 header (at %llu) %s",
			    (unsigned long long)size0, why);
	if (size0 != size1)
		return fail(err, errsz, "the two LUKS2 headers have different sizes (%llu, %llu)",
			    (unsigned long long)size0, (unsigned long long)size1);
	out->hdr_size = size0;
	if (be64(buf + OFF_SEQID) == be64(buf + size0 + OFF_SEQID)) {
		if (!same_copies(buf, buf + size0, size0))
			return fail(err, errsz,
				    "the two LUKS2 headers have the same seqid but "
				    "different contents");
		out->copy = 0;
	} else {
		out->copy = be64(buf + size0 + OFF_SEQID) > be64(buf + OFF_SEQID);
	}
	use = buf + (out->copy ? size0 : 0);
	out->seqid = be64(use + OFF_SEQID);
	for (size_t i = 0; i < 40 && use[OFF_UUID + i]; i++)
		if (use[OFF_UUID + i] < 0x21 || use[OFF_UUID + i] > 0x7e)
			return fail(err, errsz, "the LUKS2 header's uuid is not printable");
	printable_field(out->uuid, sizeof(out->uuid), use + OFF_UUID);
	printable_field(out->label, sizeof(out->label), use + OFF_LABEL);
	printable_field(out->subsystem, sizeof(out->subsystem), use + OFF_SUBSYSTEM);

	json = use + LUKS2_BIN_SIZE;
	json_end = memchr(json, 0, size0 - LUKS2_BIN_SIZE);
	if (!json_end)
		return fail(err, errsz, "JSON area: not NUL-terminated");
	json_len = (size_t)(json_end - json);
	for (const uint8_t *p = json_end; p < use + size0; p++)
		if (*p)
			return fail(err, errsz, "JSON area: bytes other than NUL after the JSON");

	j.base = j.p = (const char *)json;
	j.end = (const char *)json + json_len;
	j.err = err;
	j.errsz = errsz;
	j.strcap = json_len + 1;
	/* every value takes at least one byte of text: no more nodes than bytes are needed */
	j.max_nodes = json_len < LUKS2_JSON_MAX_NODES ? (int)json_len + 1 : LUKS2_JSON_MAX_NODES;
	j.nodes = malloc((size_t)j.max_nodes * sizeof(*j.nodes));
	j.strbuf = malloc(j.strcap);
	if (!j.nodes || !j.strbuf) {
		ret = fail(err, errsz, "out of memory");
		goto out;
	}
	root = parse_value(&j, 0);
	if (root < 0) {
		ret = -EINVAL;
		goto out;
	}
	skip_ws(&j);
	if (j.p != j.end) {
		ret = jfail(&j, "text after the JSON object");
		goto out;
	}
	c.nodes = j.nodes;
	c.err = err;
	c.errsz = errsz;
	ret = read_json(&c, &j.nodes[root], out) ? -EINVAL : 0;
out:
	free(j.nodes);
	free(j.strbuf);
	if (ret) {
		char keep[512];

		snprintf(keep, sizeof(keep), "%s", err);
		memset(out, 0, sizeof(*out));
		snprintf(err, errsz, "%s", keep);
	}
	return ret;
}

/* ------------------------------------------------------------------ policy */

bool luks2_cipher_is_null(const char *cipher)
{
	static const char null[] = "cipher_null";

	for (const char *p = cipher; *p; p++)
		if (strncasecmp(p, null, sizeof(null) - 1) == 0)
			return true;
	return false;
}

int luks2_check(const struct luks2_hdr *h, const char *const *ciphers, size_t n, char *err,
		size_t errsz)
{
	static const char *const def[] = LUKS2_DEFAULT_CIPHERS;
	const struct luks2_segment *s = &h->segments[0];
	char allowed[320] = "";
	size_t i;

	if (!ciphers || !n) {
		ciphers = def;
		n = ARRAY_SIZE(def);
	}
	if (h->requirements)
		return fail(err, errsz,
			    "the header has requirements ('%s'): an unfinished re-encryption or a "
			    "feature pvboot does not know",
			    h->requirement[0] ? h->requirement : "?");
	for (i = 0; i < h->n_keyslots; i++) {
		const struct luks2_keyslot *k = &h->keyslots[i];

		if (strcmp(k->type, "reencrypt") == 0)
			return fail(err, errsz,
				    "keyslot %u is of type reencrypt: an unfinished re-encryption",
				    k->id);
		if (strcmp(k->type, "luks2") != 0)
			return fail(err, errsz, "keyslot %u: unknown type '%s'", k->id, k->type);
		if (luks2_cipher_is_null(k->area_encryption))
			return fail(err, errsz,
				    "keyslot %u: its area is encrypted with '%s', a null cipher "
				    "(any passphrase would open it)",
				    k->id, k->area_encryption);
		if (k->key_bits < LUKS2_MIN_KEY_BITS || k->area_key_bits < LUKS2_MIN_KEY_BITS)
			return fail(err, errsz,
				    "keyslot %u: a %u-bit key (%u-bit area key); at least %d bits "
				    "are required",
				    k->id, k->key_bits, k->area_key_bits, LUKS2_MIN_KEY_BITS);
	}
	for (i = 0; i < h->n_segments; i++) {
		const struct luks2_segment *g = &h->segments[i];

		if (strcmp(g->type, "crypt") != 0)
			return fail(err, errsz,
				    "segment %u is of type '%s' (an unfinished re-encryption or "
				    "a layout pvboot does not know)",
				    g->id, g->type);
		if (luks2_cipher_is_null(g->encryption))
			return fail(err, errsz,
				    "segment %u: the data is encrypted with '%s', a null cipher "
				    "(no encryption)",
				    g->id, g->encryption);
		if (g->flags)
			return fail(err, errsz,
				    "segment %u has flags (an unfinished re-encryption)", g->id);
		if (g->integrity)
			return fail(err, errsz,
				    "segment %u has integrity protection (dm-integrity), which "
				    "pvboot does not check",
				    g->id);
	}
	if (h->n_segments != 1)
		return fail(err, errsz, "%u segments: exactly one crypt segment is required",
			    h->n_segments);
	if (!h->n_keyslots)
		return fail(err, errsz, "no keyslots");
	if (!h->key_bits)
		return fail(err, errsz, "no keyslot holds the data segment's key");
	for (i = 0; i < h->n_keyslots; i++)
		if (!h->keyslots[i].bound)
			return fail(err, errsz,
				    "keyslot %u holds no digest's key (an unbound keyslot)",
				    h->keyslots[i].id);
	for (i = 0; i < n; i++) {
		if (strcmp(s->encryption, ciphers[i]) == 0)
			return 0;
		snprintf(allowed + strlen(allowed), sizeof(allowed) - strlen(allowed), "%s%s",
			 i ? ", " : "", ciphers[i]);
	}
	return fail(err, errsz, "the data cipher '%s' is not an allowed one (%s)", s->encryption,
		    allowed);
}
