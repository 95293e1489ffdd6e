// SPDX-License-Identifier: MIT
/*
 * The pvapconfig configuration layer: a table of valid and invalid files with the exact
 * message each gives (pvapconfig's own test vectors, spec/ap.md §4.3, plus pvboot's
 * stricter rules), normalisation, and entries embedded in another document.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "apconfig.h"
#include "t.h"
#include "util.h"

#define ID_APQN1 "bc9d46c052bc3574454c5715757274629a283767ed237922cfb8651c0e77320a"
#define ID_APQN2 "2ca853f959fc5ce5f1888cb48dae39514a27bb66520ac85f6073a7f678d262c0"
#define ID_CONF	 "0767668dd22f23fa675c4641e04bb4e991f443be4df13ce3896b8eeca59fcc10"
#define MKVP32	 "db3c3b3c3f097dd55ec7eb0e7fdbcb93"
#define KEYS	 "(expected mode, mkvp, serialnr, mingen, secretid, name or description)"

static const struct {
	const char *yaml;
	const char *err; /* NULL: valid */
	size_t n;	 /* entries when valid */
} table[] = {
    /* pvapconfig's accepted vectors */
    {"- mode: AcCel\n  mingen: Cex7\n", NULL, 1},
    {"- name: Accelerator\n  description: any accelerator\n  mode: accel\n", NULL, 1},
    {"- name: my EP11 APQN 1\n  mode: EP11\n  mkvp: 0x" MKVP32 "\n"
     "  serialnr: 93AADFK719460083\n  secretid: "
     "0xBC9D46C052BC3574454C5715757274629A283767ED237922CFB8651C0E77320A\n",
     NULL, 1},
    {"- mode: ep11\n  mkvp: " MKVP32 MKVP32 "\n  secretid: " ID_APQN2 "\n", NULL, 1},
    {"- mode: EP11\n  mkvp: " MKVP32 "\n  name: My-EP11-AP-config\n", NULL, 1},
    {"- mode: EP11\n  mkvp: " MKVP32 "\n  name: My-EP11-AP-config\n  secretid: " ID_CONF "\n", NULL,
     1},
    {"- mode: EP11\n  mkvp: " MKVP32 "\n  name: x\n  mingen: CEX8\n", NULL, 1},
    /* empty files and lists */
    {"", NULL, 0},
    {"# only a comment\n", NULL, 0},
    {"[]\n", NULL, 0},
    /* empty and null values are absent values */
    {"- mode: Accel\n  mingen:\n  name: ~\n", NULL, 1},
    /* pvapconfig's rejected vectors, with pvboot's messages */
    {"- name: x\n  mkvp: " MKVP32 "\n",
     "t.yaml:1:3: entry #1 'x': mode missing: expected EP11 or Accel", 0},
    {"- mode: CCA\n", "t.yaml:1:9: entry #1: mode 'CCA' is not valid: expected EP11 or Accel", 0},
    {"- mode: Accel\n  mingen: Cex3\n",
     "t.yaml:2:11: entry #1: mingen 'Cex3' is not valid: expected CEX4, CEX5, CEX6, CEX7 or "
     "CEX8",
     0},
    {"- mode: Accel\n  mingen: CEX9\n",
     "t.yaml:2:11: entry #1: mingen 'CEX9' is not valid: expected CEX4, CEX5, CEX6, CEX7 or "
     "CEX8",
     0},
    {"- name: e\n  mode: EP11\n",
     "t.yaml:1:3: entry #1 'e': mkvp missing: an EP11 entry needs the verification pattern of "
     "the domain's wrapping key (32 or 64 hex digits)",
     0},
    {"- name: e\n  mode: EP11\n  mkvp: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcbXX\n",
     "t.yaml:3:9: entry #1 'e': mkvp '0xdb3c3b3c3f097dd55ec7eb0e7fdbcbXX' is not valid: "
     "expected 32 or 64 hex digits, optionally with 0x",
     0},
    {"- name: e\n  mode: EP11\n  mkvp: " MKVP32 "ab\n",
     "t.yaml:3:9: entry #1 'e': mkvp '" MKVP32 "ab' is not valid: expected 32 or 64 hex "
     "digits, optionally with 0x",
     0},
    {"- name: e\n  mode: EP11\n  mkvp: db3c3b3c3f097dd55ec7eb0e7fdbcb\n",
     "t.yaml:3:9: entry #1 'e': mkvp 'db3c3b3c3f097dd55ec7eb0e7fdbcb' is not valid: expected "
     "32 or 64 hex digits, optionally with 0x",
     0},
    {"- name: e\n  mode: EP11\n  mkvp: " MKVP32 "\n  mingen: CEX7\n",
     "t.yaml:4:11: entry #1 'e': mingen 'CEX7' is not valid: EP11 entries accept only CEX8", 0},
    {"- name: e\n  mode: EP11\n  mkvp: " MKVP32 "\n  serialnr: 93AADFK71946008\n",
     "t.yaml:4:13: entry #1 'e': serialnr '93AADFK71946008' is not valid: expected 16 "
     "characters without blanks",
     0},
    {"- name: e\n  mode: EP11\n  mkvp: " MKVP32 "\n  serialnr: 93AADFK7 9460083\n",
     "t.yaml:4:13: entry #1 'e': serialnr '93AADFK7 9460083' is not valid: expected 16 "
     "characters without blanks",
     0},
    {"- name: my EP11 APQN 1\n  mode: EP11\n  mkvp: " MKVP32 "\n  secretid: " ID_APQN2 "\n",
     "t.yaml:4:13: entry #1 'my EP11 APQN 1': secretid 0x" ID_APQN2 " does not match the "
     "name: the association secret named 'my EP11 APQN 1' has the id SHA-256(name) = "
     "0x" ID_APQN1,
     0},
    {"this is: [not, yaml\n",
     "t.yaml:2:1: not valid YAML: did not find expected ',' or ']' while parsing a flow "
     "sequence",
     0},
    {"- mode: Accel\n  type: CEX8A\n", "t.yaml:2:3: entry #1: unknown key 'type' " KEYS, 0},
    /* pvboot's own rules */
    {"- mode: EP11\n  mkvp: " MKVP32 "\n",
     "t.yaml:1:3: entry #1: neither secretid nor name given: an EP11 entry needs the id (or "
     "the name) of its association secret",
     0},
    {"- mode: EP11\n  mkvp: " MKVP32 "\n  secretid: 0x1234\n",
     "t.yaml:3:13: entry #1: secretid '0x1234' is not valid: expected 64 hex digits, "
     "optionally with 0x",
     0},
    {"- mode: Accel\n- name: second\n  mode: ep12\n",
     "t.yaml:3:9: entry #2 'second': mode 'ep12' is not valid: expected EP11 or Accel", 0},
    {"- mode: Accel\n  mode: EP11\n", "t.yaml:2:3: not valid YAML: duplicate key 'mode'", 0},
    {"- mode: Accel\n  mkvp: [1, 2]\n",
     "t.yaml:2:9: entry #1: mkvp: expected a string, found a list", 0},
    {"- mode: Accel\n  name: {a: b}\n",
     "t.yaml:2:9: entry #1: name: expected a string, found a mapping", 0},
    {"mode: Accel\n",
     "t.yaml:1:1: expected a list of AP queue entries (the pvapconfig format: '- mode: EP11 "
     "...'), found a mapping",
     0},
    {"just text\n",
     "t.yaml:1:1: expected a list of AP queue entries (the pvapconfig format: '- mode: EP11 "
     "...'), found a string",
     0},
    {"- Accel\n",
     "t.yaml:1:3: entry #1: expected a mapping with the keys mode, mkvp, serialnr, mingen, "
     "secretid, name or description, found a string",
     0},
    {"- mode: Accel\n  Mode: EP11\n", "t.yaml:2:3: entry #1: unknown key 'Mode' " KEYS, 0},
    {"- mode: Accel\n  secretname: x\n", "t.yaml:2:3: entry #1: unknown key 'secretname' " KEYS, 0},
    {"- mode: accel\n  mingen: 8\n",
     "t.yaml:2:11: entry #1: mingen '8' is not valid: expected CEX4, CEX5, CEX6, CEX7 or CEX8", 0},
    {"- mode: Accel\n--- \n- mode: Accel\n", "t.yaml:2:1: not valid YAML: more than one document",
     0},
};

TEST(apconfig_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		struct apconfig cfg;
		char err[APCONFIG_ERR_MAX] = "";
		int ret = apconfig_parse("t.yaml", table[i].yaml, strlen(table[i].yaml), &cfg, err,
					 sizeof(err));

		if (!table[i].err) {
			if (ret)
				t_fail(__FILE__, __LINE__, "table[%zu] rejected: %s", i, err);
			else if (cfg.n != table[i].n)
				t_fail(__FILE__, __LINE__, "table[%zu]: %zu entries, expected %zu",
				       i, cfg.n, table[i].n);
		} else if (ret != -EINVAL || strcmp(err, table[i].err) != 0) {
			t_fail(__FILE__, __LINE__,
			       "table[%zu]: ret %d, message\n      %s\n    expected\n      %s", i,
			       ret, err, table[i].err);
		}
		apconfig_free(&cfg);
	}
}

TEST(apconfig_normalised)
{
	static const char yaml[] =
	    "# an accelerator and two EP11 domains\n"
	    "- name: '  my EP11 APQN 1  '\n"
	    "  mode: ' Ep11 '\n"
	    "  mkvp: 0XDB3C3B3C3F097DD55EC7EB0E7FDBCB93FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n"
	    "  serialnr: 93AADFK719460083\n"
	    "- mode: Accel\n"
	    "  mingen: cex6\n"
	    "  description: \"  kept as written  \"\n"
	    "- mode: EP11\n"
	    "  mkvp: " MKVP32 "\n"
	    "  secretid: 0x" ID_APQN2 "\n";
	struct apconfig cfg;
	char err[APCONFIG_ERR_MAX], l[64];
	uint8_t id[32];

	T_REQUIRE(apconfig_parse("c.yaml", yaml, strlen(yaml), &cfg, err, sizeof(err)) == 0);
	T_REQUIRE(cfg.n == 3);
	T_EQ_STR(cfg.file, "c.yaml");
	/* the name is trimmed before hashing (as pvapconfig) */
	T_EQ_STR(cfg.entries[0].name, "my EP11 APQN 1");
	T_EQ_INT(cfg.entries[0].mode, AP_MODE_EP11);
	T_EQ_STR(cfg.entries[0].mkvp, MKVP32);
	T_EQ_STR(cfg.entries[0].serialnr, "93AADFK719460083");
	T_CHECK(cfg.entries[0].has_secret_id);
	T_REQUIRE(hex_decode(ID_APQN1, id, 32) == 0);
	T_EQ_MEM(cfg.entries[0].secret_id, id, 32);
	T_EQ_INT(cfg.entries[0].num, 1);
	T_EQ_INT(cfg.entries[0].line, 2);
	T_EQ_INT(cfg.entries[0].col, 3);
	T_EQ_INT(cfg.entries[0].mingen, 0);
	T_EQ_STR(apconfig_entry_label(&cfg.entries[0], l, sizeof(l)), "#1 'my EP11 APQN 1'");

	T_EQ_INT(cfg.entries[1].mode, AP_MODE_ACCEL);
	T_EQ_INT(cfg.entries[1].mingen, 6);
	T_EQ_STR(cfg.entries[1].mkvp, "");
	T_CHECK(!cfg.entries[1].has_secret_id);
	T_EQ_STR(cfg.entries[1].description, "  kept as written  ");
	T_EQ_STR(apconfig_entry_label(&cfg.entries[1], l, sizeof(l)), "#2");
	T_EQ_INT(cfg.entries[1].line, 6);

	T_REQUIRE(hex_decode(ID_APQN2, id, 32) == 0);
	T_EQ_MEM(cfg.entries[2].secret_id, id, 32);
	T_EQ_STR(cfg.entries[2].name, "");
	T_EQ_INT(cfg.n_warnings, 0);
	apconfig_free(&cfg);
	apconfig_free(&cfg); /* harmless twice */
}

/* pvapconfig clears EP11 keys of an accelerator entry; pvboot says so */
TEST(apconfig_accel_warnings)
{
	static const char yaml[] = "- name: acc\n"
				   "  mode: Accel\n"
				   "  mkvp: 0x" MKVP32 "\n"
				   "  serialnr: 93AADFK719460083\n"
				   "  secretid: ''\n";
	struct apconfig cfg;
	char err[APCONFIG_ERR_MAX];

	T_REQUIRE(apconfig_parse("w.yaml", yaml, strlen(yaml), &cfg, err, sizeof(err)) == 0);
	T_REQUIRE(cfg.n_warnings == 2);
	T_EQ_STR(cfg.warnings[0], "w.yaml:3:9: entry #1 'acc': mkvp is ignored: an accelerator "
				  "entry matches every accelerator queue");
	T_EQ_STR(cfg.warnings[1], "w.yaml:4:13: entry #1 'acc': serialnr is ignored: an "
				  "accelerator entry matches every accelerator queue");
	T_EQ_STR(cfg.entries[0].mkvp, "");
	T_EQ_STR(cfg.entries[0].serialnr, "");
	apconfig_free(&cfg);
}

/* entries inside another document (a pvboot.yaml "ap:" key) */
TEST(apconfig_embedded)
{
	static const char yaml[] = "version: 1\n"
				   "ap:\n"
				   "  - mode: Accel\n"
				   "  - mode: EP11\n"
				   "    mkvp: 0x" MKVP32 "\n"
				   "    name: my EP11 APQN 2\n"
				   "bad:\n"
				   "  - mode: Accel\n"
				   "    mingen: cex2\n";
	struct yerror ye;
	struct ydoc *d = ydoc_parse(yaml, strlen(yaml), &ye);
	struct apconfig cfg;
	char err[APCONFIG_ERR_MAX];

	T_REQUIRE(d);
	T_REQUIRE(apconfig_from_node("pvboot.yaml", ydoc_get(ydoc_root(d), "ap"), &cfg, err,
				     sizeof(err)) == 0);
	T_EQ_INT(cfg.n, 2);
	T_EQ_INT(cfg.entries[1].line, 4);
	T_EQ_INT(cfg.entries[1].col, 5);
	T_EQ_STR(cfg.entries[1].name, "my EP11 APQN 2");
	apconfig_free(&cfg);
	/* the configuration outlives the document */
	T_REQUIRE(apconfig_from_node("pvboot.yaml", ydoc_get(ydoc_root(d), "ap"), &cfg, err,
				     sizeof(err)) == 0);
	ydoc_free(d);
	T_EQ_STR(cfg.entries[1].name, "my EP11 APQN 2");
	T_EQ_STR(cfg.file, "pvboot.yaml");
	apconfig_free(&cfg);

	d = ydoc_parse(yaml, strlen(yaml), &ye);
	T_REQUIRE(d);
	T_EQ_INT(apconfig_from_node("pvboot.yaml", ydoc_get(ydoc_root(d), "bad"), &cfg, err,
				    sizeof(err)),
		 -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:9:13: entry #1: mingen 'cex2' is not valid: expected CEX4, "
		      "CEX5, CEX6, CEX7 or CEX8");
	/* no key: no entries */
	T_EQ_INT(apconfig_from_node("pvboot.yaml", ydoc_get(ydoc_root(d), "none"), &cfg, err,
				    sizeof(err)),
		 0);
	T_EQ_INT(cfg.n, 0);
	apconfig_free(&cfg);
	ydoc_free(d);
}

TEST(apconfig_limits)
{
	size_t len = APCONFIG_MAX_INPUT + 1;
	char *big = malloc(len), err[APCONFIG_ERR_MAX];
	struct apconfig cfg;

	T_REQUIRE(big);
	memset(big, '#', len);
	T_EQ_INT(apconfig_parse("big.yaml", big, len, &cfg, err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "big.yaml: 65537 bytes, larger than the limit of 65536 bytes");
	/* exactly at the cap: a valid (empty) configuration */
	big[len - 2] = '\n';
	T_EQ_INT(apconfig_parse("big.yaml", big, len - 1, &cfg, err, sizeof(err)), 0);
	T_EQ_INT(cfg.n, 0);
	apconfig_free(&cfg);
	free(big);
	/* control characters in names are not echoed */
	{
		static const char y[] = "- name: \"a\\x01b\"\n  mode: x\n";

		T_EQ_INT(apconfig_parse("c.yaml", y, strlen(y), &cfg, err, sizeof(err)), -EINVAL);
		T_EQ_STR(err,
			 "c.yaml:2:9: entry #1 'a\\x01b': mode 'x' is not valid: expected EP11 "
			 "or Accel");
	}
}

T_SUITE(apconfig, T_CASE(apconfig_table), T_CASE(apconfig_normalised),
	T_CASE(apconfig_accel_warnings), T_CASE(apconfig_embedded), T_CASE(apconfig_limits));
