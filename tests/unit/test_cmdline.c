// SPDX-License-Identifier: MIT
/*
 * The kernel command line parser against dracut's own getarg test (TEST-80-GETARG in
 * dracut-ng, TEST-98-GETARG in dracut 059): the same command line, the same expected
 * values, the same keys that must not be found.
 */
#include <errno.h>
#include <stdlib.h>

#include "cmdline.h"
#include "t.h"

static const char dracut_cmdline[] =
    "key1=0 key2=val key2=val2 key3=\"  val  3  \" \"  key 4  =\"val4 \"key  5=val  5\" "
    "\"key 6=\"\"val  6\" key7=\"foo\"bar\" baz=\"end \"  key8  =  val 8  \"\n"
    "\"key 9\"=\"val 9\"";

TEST(dracut_getarg_values)
{
	static const struct {
		const char *key, *val;
	} want[] = {
	    {"key1", "0"},
	    {"key2", "val2"},
	    {"key3", "  val  3  "},
	    {"  key 4  ", "val4"},
	    {"key  5", "val  5"},
	    {"key 6", "\"val  6"},
	    {"key7", "foo\"bar\" baz=\"end"},
	    {"  key8  ", "  val 8  "},
	    {"key 9\"", "val 9"},
	};
	struct cmdline cl;
	const char *val;

	T_REQUIRE(cmdline_parse(&cl, dracut_cmdline, sizeof(dracut_cmdline) - 1) == 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		val = NULL;
		if (!cmdline_get(&cl, want[i].key, &val)) {
			t_fail(__FILE__, __LINE__, "'%s' not found", want[i].key);
			continue;
		}
		T_EQ_STR(val, want[i].val);
	}
	cmdline_free(&cl);
}

TEST(dracut_getarg_absent)
{
	static const char *const absent[] = {"key", "4", "5", "6", "key8", "9", "\"", "baz"};
	struct cmdline cl;

	T_REQUIRE(cmdline_parse(&cl, dracut_cmdline, sizeof(dracut_cmdline) - 1) == 0);
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (cmdline_get(&cl, absent[i], NULL))
			t_fail(__FILE__, __LINE__, "'%s' must not be found", absent[i]);
	T_EQ_INT(cl.n, 10);
	cmdline_free(&cl);
}

TEST(last_one_wins_and_repeats)
{
	static const char text[] = "rd.pvboot.src=LABEL=boot  rd.pvboot.src=UUID=1234 x";
	struct cmdline cl;
	const char *val;
	size_t n = 0;

	T_REQUIRE(cmdline_parse(&cl, text, sizeof(text) - 1) == 0);
	T_CHECK(cmdline_get(&cl, "rd.pvboot.src", &val));
	T_EQ_STR(val, "UUID=1234"); /* only the first '=' splits */
	for (size_t i = 0; i < cl.n; i++)
		n += strcmp(cl.args[i].key, "rd.pvboot.src") == 0;
	T_EQ_INT(n, 2);
	T_CHECK(cmdline_get(&cl, "x", &val));
	T_CHECK(val == NULL);
	cmdline_free(&cl);
}

TEST(booleans_as_getargbool)
{
	static const struct {
		const char *text;
		bool dflt, want;
	} t[] = {
	    {"", false, false},
	    {"", true, true},
	    {"rd.pvboot", false, true},
	    {"rd.pvboot=1", false, true},
	    {"rd.pvboot=yes", false, true},
	    {"rd.pvboot=", false, true}, /* getargbool: an empty value is true */
	    {"rd.pvboot=anything", false, true},
	    {"rd.pvboot=0", true, false},
	    {"rd.pvboot=no", true, false},
	    {"rd.pvboot=off", true, false},
	    {"rd.pvboot=OFF", false, true}, /* dracut compares case-sensitively */
	    {"rd.pvboot=0 rd.pvboot", false, true},
	    {"rd.pvboot rd.pvboot=0", true, false},
	    {"rd.pvbootx", false, false},
	    {"xrd.pvboot", false, false},
	    {"\"rd.pvboot=0\"", true, false},
	    {"rd.pvboot=\"0\"", true, false},
	};
	struct cmdline cl;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		T_REQUIRE(cmdline_parse(&cl, t[i].text, strlen(t[i].text)) == 0);
		if (cmdline_bool(&cl, "rd.pvboot", t[i].dflt) != t[i].want)
			t_fail(__FILE__, __LINE__, "'%s' (default %d): expected %d", t[i].text,
			       t[i].dflt, t[i].want);
		cmdline_free(&cl);
	}
}

TEST(garbage)
{
	/* NUL bytes, control characters, a lone quote at the end, unbalanced quotes */
	static const char text[] = "a=1\0b=2 \x01 \"c=3 d=4\" \"e=\"5 \"";
	static const char unbalanced[] = "rd.pvboot.src=\"LABEL=my boot rd.pvboot=0";
	struct cmdline cl;
	const char *val;
	char *big;

	T_REQUIRE(cmdline_parse(&cl, text, sizeof(text) - 1) == 0);
	T_CHECK(cmdline_get(&cl, "a", &val) && strcmp(val, "1") == 0);
	T_CHECK(cmdline_get(&cl, "b", &val) && strcmp(val, "2") == 0);
	T_CHECK(cmdline_get(&cl, "c", &val) && strcmp(val, "3 d=4") == 0);
	T_CHECK(cmdline_get(&cl, "e", &val) && strcmp(val, "5") == 0);
	T_CHECK(cmdline_get(&cl, "\x01", &val) && val == NULL);
	cmdline_free(&cl);

	/* an open quote swallows the rest of the line, as in the kernel */
	T_REQUIRE(cmdline_parse(&cl, unbalanced, sizeof(unbalanced) - 1) == 0);
	T_EQ_INT(cl.n, 1);
	T_CHECK(cmdline_get(&cl, "rd.pvboot.src", &val) &&
		strcmp(val, "LABEL=my boot rd.pvboot=0") == 0);
	T_CHECK(!cmdline_get(&cl, "rd.pvboot", &val));
	cmdline_free(&cl);

	T_REQUIRE(cmdline_parse(&cl, "   \n\t ", 6) == 0);
	T_EQ_INT(cl.n, 0);
	cmdline_free(&cl);

	big = malloc(CMDLINE_MAX + 1);
	T_REQUIRE(big);
	memset(big, 'a', CMDLINE_MAX + 1);
	T_EQ_INT(cmdline_parse(&cl, big, CMDLINE_MAX + 1), -E2BIG);
	T_EQ_INT(cmdline_parse(&cl, big, CMDLINE_MAX), 0);
	T_EQ_INT(cl.n, 1);
	cmdline_free(&cl);
	free(big);
}

T_SUITE(cmdline, T_CASE(dracut_getarg_values), T_CASE(dracut_getarg_absent),
	T_CASE(last_one_wins_and_repeats), T_CASE(booleans_as_getargbool), T_CASE(garbage));
