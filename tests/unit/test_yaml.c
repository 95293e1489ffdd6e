// SPDX-License-Identifier: MIT
/* The YAML layer: tree shape, marks, limits, and the libfyaml regression inputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "ydoc.h"

static struct ydoc *parse(const char *s, struct yerror *e)
{
	return ydoc_parse(s, strlen(s), e);
}

TEST(mapping_and_sequence)
{
	struct yerror e;
	struct ydoc *d = parse("# comment\n"
			       "name: test\n"
			       "count: 0x10\n"
			       "flag: yes\n"
			       "quoted: '12'\n"
			       "list:\n"
			       "  - mode: EP11\n"
			       "    mkvp: 0xab\n"
			       "  - !Association {a: 1}\n",
			       &e);
	const struct ynode *r, *l;
	uint64_t v;
	bool b;

	T_REQUIRE(d);
	r = ydoc_root(d);
	T_REQUIRE(r && r->kind == YNODE_MAP);
	T_EQ_INT(r->n, 5);
	T_EQ_STR(ydoc_get(r, "name")->str, "test");
	T_EQ_INT(ydoc_get(r, "name")->line, 2);
	T_EQ_INT(ydoc_get(r, "name")->col, 7);
	T_EQ_INT(ydoc_u64(ydoc_get(r, "count"), &v), 0);
	T_EQ_INT(v, 16);
	T_EQ_INT(ydoc_bool(ydoc_get(r, "flag"), &b), 0);
	T_CHECK(b);
	T_EQ_INT(ydoc_u64(ydoc_get(r, "quoted"), &v), -EINVAL);
	T_CHECK(ydoc_get(r, "quoted")->quoted);
	l = ydoc_get(r, "list");
	T_REQUIRE(l && l->kind == YNODE_SEQ && l->n == 2);
	T_EQ_STR(ydoc_get(l->vals[0], "mode")->str, "EP11");
	T_EQ_INT(l->vals[0]->line, 7);
	T_EQ_INT(l->vals[0]->col, 5);
	T_EQ_STR(l->vals[1]->tag, "!Association");
	T_CHECK(ydoc_get(r, "missing") == NULL);
	ydoc_free(d);
}

TEST(unknown_keys)
{
	static const char *const allowed[] = {"a", "b", NULL};
	struct yerror e;
	struct ydoc *d = parse("a: 1\nb: 2\nc: 3\n", &e);
	const struct ynode *k;

	T_REQUIRE(d);
	k = ydoc_unknown_key(ydoc_root(d), allowed);
	T_REQUIRE(k);
	T_EQ_STR(k->str, "c");
	T_EQ_INT(k->line, 3);
	T_EQ_INT(k->col, 1);
	ydoc_free(d);
}

static void expect_error(const char *in, size_t len, unsigned line, const char *msg_part)
{
	struct yerror e;
	struct ydoc *d = ydoc_parse(in, len, &e);

	T_CHECK(d == NULL);
	ydoc_free(d);
	if (line)
		T_EQ_INT(e.line, line);
	if (!strstr(e.msg, msg_part))
		t_fail(__FILE__, __LINE__, "error '%s' lacks '%s'", e.msg, msg_part);
}

TEST(errors_carry_position)
{
	expect_error("a: 1\nb: [\n", 10, 3, "");
	expect_error("a: 1\na: 2\n", 10, 2, "duplicate key 'a'");
	/* a key with control characters is quoted escaped: the message stays one line */
	expect_error("\"a\\nb\": 1\n\"a\\nb\": 2\n", 18, 2, "duplicate key 'a\\x0ab'");
	expect_error("a: &x 1\nb: *x\n", 14, 2, "aliases are not supported");
	expect_error("a: 1\n---\nb: 2\n", 14, 2, "more than one document");
	expect_error("[1, 2]: x\n", 10, 1, "mapping keys must be plain scalars");
	expect_error("a: \"x\\0y\"\n", 10, 1, "NUL byte");
	expect_error("a\0b", 3, 0, "NUL byte");
}

TEST(limits)
{
	size_t n = YAML_MAX_INPUT + 1;
	char *big = malloc(n), deep[200];
	int i;

	T_REQUIRE(big);
	memset(big, ' ', n);
	expect_error(big, n, 0, "larger than");
	free(big);

	for (i = 0; i < 40; i++)
		deep[i] = '[';
	deep[i] = 0;
	expect_error(deep, strlen(deep), 1, "nesting deeper than");

	/* exactly the depth limit is fine */
	for (i = 0; i < YAML_MAX_DEPTH; i++)
		deep[i] = '[';
	for (; i < 2 * YAML_MAX_DEPTH; i++)
		deep[i] = ']';
	deep[i] = 0;
	{
		struct yerror e;
		struct ydoc *d = ydoc_parse(deep, strlen(deep), &e);

		T_CHECK(d != NULL);
		ydoc_free(d);
	}
}

TEST(empty_document)
{
	struct yerror e;
	struct ydoc *d = parse("", &e);

	T_REQUIRE(d);
	T_CHECK(ydoc_root(d) == NULL);
	ydoc_free(d);
	d = parse("# only a comment\n", &e);
	T_REQUIRE(d);
	T_CHECK(ydoc_root(d) == NULL);
	ydoc_free(d);
}

/* Inputs that crashed or hung libfyaml 0.7.12 / 0.9.4 (spec/toolchain.md §6). */
TEST(libfyaml_regressions)
{
	static const char *const files[] = {"fuzz/corpus/yaml/libfyaml-0.7.12-overflow",
					    "fuzz/corpus/yaml/libfyaml-0.7.12-hang",
					    "fuzz/corpus/yaml/libfyaml-0.9.4-overflow"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct yerror e;
		size_t len;
		uint8_t *in = t_read_file(files[i], &len);
		struct ydoc *d = ydoc_parse((const char *)in, len, &e);

		/* any outcome but a crash or a hang is fine; these are all malformed */
		T_CHECK(d == NULL);
		ydoc_free(d);
		free(in);
	}
}

TEST(booleans_and_numbers)
{
	struct yerror e;
	struct ydoc *d = parse("[true, off, maybe, 12, 0x, 99999999999999999999]", &e);
	const struct ynode *r;
	uint64_t v;
	bool b;

	T_REQUIRE(d);
	r = ydoc_root(d);
	T_EQ_INT(ydoc_bool(r->vals[0], &b), 0);
	T_CHECK(b);
	T_EQ_INT(ydoc_bool(r->vals[1], &b), 0);
	T_CHECK(!b);
	T_EQ_INT(ydoc_bool(r->vals[2], &b), -EINVAL);
	T_EQ_INT(ydoc_u64(r->vals[3], &v), 0);
	T_EQ_INT(v, 12);
	T_EQ_INT(ydoc_u64(r->vals[4], &v), -EINVAL);
	T_EQ_INT(ydoc_u64(r->vals[5], &v), -EINVAL);
	T_EQ_INT(ydoc_u64(r, &v), -EINVAL);
	ydoc_free(d);
}

T_SUITE(yaml, T_CASE(mapping_and_sequence), T_CASE(unknown_keys), T_CASE(errors_carry_position),
	T_CASE(limits), T_CASE(empty_document), T_CASE(libfyaml_regressions),
	T_CASE(booleans_and_numbers));
