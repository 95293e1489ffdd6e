// SPDX-License-Identifier: MIT
/*
 * pvboot.yaml and rd.pvboot.* options: a table of valid and invalid files with the
 * exact message, and the command line's effect over the file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "asr.h"
#include "bootcfg.h"
#include "secret_list.h"
#include "t.h"

static int parse(struct bootcfg *cfg, const char *yaml, char *err, size_t errsz)
{
	bootcfg_init(cfg);
	err[0] = 0;
	return bootcfg_parse(cfg, "pvboot.yaml", yaml, strlen(yaml), err, errsz);
}

TEST(defaults)
{
	struct bootcfg cfg;
	char err[256];

	T_REQUIRE(parse(&cfg, "", err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_AUTO);
	T_EQ_STR(cfg.source, "LABEL=boot");
	T_EQ_STR(cfg.directory, "sics");
	T_EQ_INT(cfg.mode, BOOT_MODE_TOC);
	T_CHECK(cfg.lock);
	T_CHECK(!cfg.ap);
	T_EQ_INT(cfg.n_retrieve, 0);
	T_EQ_INT(cfg.timeout_uv_ms, 10000);
	T_EQ_INT(cfg.timeout_source_ms, 30000);
	T_EQ_INT(cfg.timeout_ap_ms, 30000);
	T_EQ_INT(cfg.onfail, ONFAIL_POWEROFF);
	bootcfg_free(&cfg);
}

TEST(full_file)
{
	static const char yaml[] =
	    "required: true\n"
	    "source: PARTLABEL=se-boot\n"
	    "directory: pv/sics\n"
	    "mode: plain\n"
	    "expect:\n"
	    "  - {name: luks, type: plaintext}\n"
	    "  - id: 0x"
	    "0102030405060708091011121314151617181920212223242526272829303132\n"
	    "    type: Association\n"
	    "lock: false\n"
	    "retrieve:\n"
	    "  - {name: luks, path: /run/pvboot/luks.key}\n"
	    "ap:\n"
	    "  entries:\n"
	    "    - {mode: EP11, mkvp: 0x00112233445566778899aabbccddeeff, secretid: a}\n"
	    "  strict: yes\n"
	    "timeouts: {uv: 1, source: 2, ap: 3}\n"
	    "on_failure: shell\n"
	    "debug: on\n";
	struct bootcfg cfg;
	char err[256];
	uint8_t id[32];

	T_REQUIRE(parse(&cfg, yaml, err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_REQUIRED);
	T_EQ_STR(cfg.source, "PARTLABEL=se-boot");
	T_EQ_INT(boot_source_kind(cfg.source), SRC_PARTLABEL);
	T_EQ_STR(cfg.directory, "pv/sics");
	T_EQ_INT(cfg.mode, BOOT_MODE_PLAIN);
	T_REQUIRE(cfg.n_expect == 2);
	secret_id_from_name("luks", id);
	T_EQ_MEM(cfg.expect[0].id, id, 32);
	T_EQ_INT(cfg.expect[0].type, SECRET_PLAINTEXT);
	T_EQ_INT(cfg.expect[1].id[31], 0x32);
	T_EQ_INT(cfg.expect[1].type, SECRET_ASSOCIATION);
	T_EQ_INT(cfg.expect[1].line, 7);
	T_CHECK(!cfg.lock);
	T_REQUIRE(cfg.n_retrieve == 1);
	T_EQ_STR(cfg.retrieve[0].path, "/run/pvboot/luks.key");
	T_EQ_MEM(cfg.retrieve[0].ref.id, id, 32);
	T_CHECK(cfg.ap && cfg.ap_strict && cfg.ap_entries && cfg.ap_entries->n == 1);
	T_EQ_INT(cfg.timeout_uv_ms, 1000);
	T_EQ_INT(cfg.timeout_source_ms, 2000);
	T_EQ_INT(cfg.timeout_ap_ms, 3000);
	T_EQ_INT(cfg.onfail, ONFAIL_SHELL);
	T_CHECK(cfg.debug);
	bootcfg_free(&cfg);
}

TEST(invalid_files)
{
	static const struct {
		const char *yaml, *msg;
	} t[] = {
	    {"sorce: LABEL=boot\n", "pvboot.yaml:1:1: pvboot.yaml: unknown key 'sorce'"},
	    {"- a\n", "pvboot.yaml:1:1: pvboot.yaml: expected a mapping"},
	    {"source: [a]\n", "pvboot.yaml:1:9: source: expected a string"},
	    {"source: boot\n",
	     "pvboot.yaml:1:9: source: 'boot' is neither LABEL=, UUID=, PARTLABEL=, "
	     "PARTUUID=, a /dev path nor an absolute directory"},
	    {"source: LABEL=\n", "pvboot.yaml:1:9: source: 'LABEL=' has an empty value"},
	    {"source: ''\n", "pvboot.yaml:1:9: source: '' is empty"},
	    {"source: /dev/../etc\n",
	     "pvboot.yaml:1:9: source: '/dev/../etc' is not a clean /dev path"},
	    {"source: /run//x\n",
	     "pvboot.yaml:1:9: source: '/run//x' is not a clean absolute path"},
	    {"directory: /sics\n",
	     "pvboot.yaml:1:12: directory: '/sics' must be relative to the source's root"},
	    {"directory: a/../b\n",
	     "pvboot.yaml:1:12: directory: 'a/../b' must not contain empty, '.' or '..' "
	     "components"},
	    {"mode: pvebc\n", "pvboot.yaml:1:7: mode: expected toc or plain"},
	    {"mode: plain\n",
	     "pvboot.yaml:1:7: mode plain needs 'expect': the secrets that must be present"},
	    {"expect: [{name: a, type: plaintext}]\n",
	     "pvboot.yaml:1:9: expect: only used with mode: plain"},
	    {"mode: plain\nexpect: [{name: a}]\n",
	     "pvboot.yaml:2:10: expect[0]: 'type' is required"},
	    {"mode: plain\nexpect: [{name: a, id: 00, type: plaintext}]\n",
	     "pvboot.yaml:2:10: expect[0]: give exactly one of 'name' and 'id'"},
	    {"mode: plain\nexpect: [{id: 0x12, type: plaintext}]\n",
	     "pvboot.yaml:2:15: expect[0]: id: expected 32 bytes as 64 hex digits (optional 0x)"},
	    {"mode: plain\nexpect: [{name: a, type: aes}]\n",
	     "pvboot.yaml:2:26: expect[0]: type: unknown secret type 'aes' (association, "
	     "plaintext, aes-256, ... or a name as pvsecret list prints it)"},
	    {"mode: plain\nexpect: [{name: a, type: plaintext}, {name: a, type: aes-256}]\n",
	     "pvboot.yaml:2:38: expect[1]: the same secret id as expect[0]"},
	    {"mode: plain\nexpect: [{name: a, type: plaintext, path: /run/x}]\n",
	     "pvboot.yaml:2:37: expect[0]: unknown key 'path'"},
	    {"retrieve: [{name: a}]\n", "pvboot.yaml:1:12: retrieve[0]: 'path' is required"},
	    {"retrieve: [{name: a, path: /etc/luks.key}]\n",
	     "pvboot.yaml:1:28: retrieve[0]: path '/etc/luks.key' must be a file below /run (a "
	     "tmpfs)"},
	    {"retrieve: [{name: a, path: /run/../etc/x}]\n",
	     "pvboot.yaml:1:28: retrieve[0]: path '/run/../etc/x' must not contain empty, '.' "
	     "or '..' components"},
	    {"retrieve: [{name: a, path: /run/a}, {name: b, path: /run/a}]\n",
	     "pvboot.yaml:1:53: retrieve[1]: the same path as retrieve[0]"},
	    {"retrieve: [{name: a, type: association, path: /run/a}]\n",
	     "pvboot.yaml:1:12: retrieve[0]: a Association secret cannot be retrieved"},
	    {"retrieve: {name: a}\n",
	     "pvboot.yaml:1:11: retrieve: expected a list of {name|id, path}"},
	    {"ap: {}\n",
	     "pvboot.yaml:1:5: ap: give exactly one of 'file' (a pvapconfig file) and 'entries'"},
	    {"ap: {file: etc/pvapconfig.yaml}\n",
	     "pvboot.yaml:1:12: ap: file: expected a clean absolute path, got "
	     "'etc/pvapconfig.yaml'"},
	    {"ap: {entries: {mode: EP11}}\n",
	     "pvboot.yaml:1:15: ap: entries: expected a list of pvapconfig entries"},
	    {"ap: {file: /etc/a.yaml, strict: maybe}\n",
	     "pvboot.yaml:1:33: ap: strict: expected true or false"},
	    {"ap: {file: /etc/a.yaml, strct: true}\n", "pvboot.yaml:1:25: ap: unknown key 'strct'"},
	    {"timeouts: {uv: -1}\n",
	     "pvboot.yaml:1:16: timeouts: uv: expected a number of seconds from 0 to 3600"},
	    {"timeouts: {source: 3601}\n",
	     "pvboot.yaml:1:20: timeouts: source: expected a number of seconds from 0 to 3600"},
	    {"timeouts: {bus: 1}\n", "pvboot.yaml:1:12: timeouts: unknown key 'bus'"},
	    {"on_failure: panic\n",
	     "pvboot.yaml:1:13: on_failure: expected poweroff, reboot, halt, shell or continue"},
	    {"lock: 2\n", "pvboot.yaml:1:7: lock: expected true or false"},
	    {"required: \"yes\"\n", "pvboot.yaml:1:11: required: expected true or false"},
	    {"source: \"/run/a\\nb\\tc\"\n",
	     "pvboot.yaml:1:9: source: '/run/a\\x0ab\\x09c' contains control characters"},
	    {"a: [\n",
	     "pvboot.yaml:2:1: did not find expected node content while parsing a flow node"},
	};
	struct bootcfg cfg;
	char err[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (parse(&cfg, t[i].yaml, err, sizeof(err)) != -EINVAL)
			t_fail(__FILE__, __LINE__, "accepted: %s", t[i].yaml);
		else if (strcmp(err, t[i].msg) != 0)
			t_fail(__FILE__, __LINE__, "%s\n    got:      %s\n    expected: %s",
			       t[i].yaml, err, t[i].msg);
		bootcfg_free(&cfg);
	}
}

static int with_cmdline(struct bootcfg *cfg, const char *yaml, const char *cmd, char *err,
			size_t errsz)
{
	struct cmdline cl;
	int ret;

	if (parse(cfg, yaml, err, errsz))
		return -100;
	if (cmdline_parse(&cl, cmd, strlen(cmd)))
		return -101;
	ret = bootcfg_apply_cmdline(cfg, &cl, err, errsz);
	cmdline_free(&cl);
	return ret;
}

TEST(cmdline_over_file)
{
	static const char file[] = "required: true\nlock: true\nap: {file: /etc/pvapconfig.yaml}\n"
				   "on_failure: reboot\n";
	struct bootcfg cfg;
	char err[256];

	T_REQUIRE(with_cmdline(&cfg, file, "quiet", err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_REQUIRED);
	T_EQ_INT(cfg.onfail, ONFAIL_REBOOT);
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, file, "rd.pvboot=0", err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_OFF);
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, "", "rd.pvboot", err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_REQUIRED);
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, "", "rd.pvboot=1 rd.pvboot=off", err, sizeof(err)) == 0);
	T_EQ_INT(cfg.enable, BOOT_OFF);
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, file,
			       "rd.pvboot.src=UUID=abcd rd.pvboot.lock=0 rd.pvboot.ap=0 "
			       "rd.pvboot.strict rd.pvboot.timeout=7 rd.pvboot.onfail=continue "
			       "rd.pvboot.debug",
			       err, sizeof(err)) == 0);
	T_EQ_STR(cfg.source, "UUID=abcd");
	T_CHECK(!cfg.lock);
	T_CHECK(!cfg.ap);
	T_CHECK(cfg.ap_strict);
	T_EQ_INT(cfg.timeout_uv_ms, 7000);
	T_EQ_INT(cfg.timeout_source_ms, 7000);
	T_EQ_INT(cfg.timeout_ap_ms, 7000);
	T_EQ_INT(cfg.onfail, ONFAIL_CONTINUE);
	T_CHECK(cfg.debug);
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, "ap: {entries: []}\n", "rd.pvboot.ap=/etc/other.yaml", err,
			       sizeof(err)) == 0);
	T_CHECK(cfg.ap && !cfg.ap_entries);
	T_EQ_STR(cfg.ap_file, "/etc/other.yaml");
	bootcfg_free(&cfg);

	T_REQUIRE(with_cmdline(&cfg, "", "rd.pvboot.src=\"/run/my sics\"", err, sizeof(err)) == 0);
	T_EQ_STR(cfg.source, "/run/my sics");
	T_EQ_INT(boot_source_kind(cfg.source), SRC_DIRECTORY);
	bootcfg_free(&cfg);
}

TEST(cmdline_errors)
{
	static const struct {
		const char *cmd, *msg;
	} t[] = {
	    {"rd.pvboot.onfail=panic",
	     "rd.pvboot.onfail=panic: expected poweroff, reboot, halt, shell or continue"},
	    {"rd.pvboot.onfail",
	     "rd.pvboot.onfail: expected poweroff, reboot, halt, shell or continue"},
	    {"rd.pvboot.timeout=5s", "rd.pvboot.timeout=5s: expected a number of seconds from 0 "
				     "to 3600"},
	    {"rd.pvboot.timeout=3601", "rd.pvboot.timeout=3601: expected a number of seconds from "
				       "0 to 3600"},
	    {"rd.pvboot.src=boot",
	     "rd.pvboot.src=boot: the source is neither LABEL=, UUID=, PARTLABEL=, PARTUUID=, a "
	     "/dev path nor an absolute directory"},
	    {"rd.pvboot.src", "rd.pvboot.src: expected a source of at most 255 bytes"},
	    {"rd.pvboot.ap=yes",
	     "rd.pvboot.ap=yes: expected 0 (no AP step) or the absolute path of a pvapconfig "
	     "file"},
	};
	struct bootcfg cfg;
	char err[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (with_cmdline(&cfg, "", t[i].cmd, err, sizeof(err)) != -EINVAL)
			t_fail(__FILE__, __LINE__, "accepted: %s", t[i].cmd);
		else if (strcmp(err, t[i].msg) != 0)
			t_fail(__FILE__, __LINE__, "%s\n    got:      %s\n    expected: %s",
			       t[i].cmd, err, t[i].msg);
		bootcfg_free(&cfg);
	}
}

TEST(owner_authentication)
{
	struct bootcfg cfg;
	char err[1024];

	/* neither: parsed, but refused by the owner check with the message naming both */
	T_REQUIRE(parse(&cfg, "lock: true\n", err, sizeof(err)) == 0);
	T_EQ_INT(bootcfg_check_owner(&cfg, "pvboot.yaml", err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "pvboot.yaml: " BOOTCFG_OWNER_MSG);
	T_CHECK(strstr(err, "'user_cert: PATH'") && strstr(err, "'cck_enforcement: true'"));
	bootcfg_free(&cfg);
	T_REQUIRE(parse(&cfg, "cck_enforcement: false\n", err, sizeof(err)) == 0);
	T_EQ_INT(bootcfg_check_owner(&cfg, "pvboot.yaml", err, sizeof(err)), -EINVAL);
	bootcfg_free(&cfg);
	/* either one, or both */
	T_REQUIRE(parse(&cfg, "cck_enforcement: true\n", err, sizeof(err)) == 0);
	T_CHECK(cfg.cck_enforcement && !cfg.user_cert[0]);
	T_EQ_INT(bootcfg_check_owner(&cfg, "pvboot.yaml", err, sizeof(err)), 0);
	bootcfg_free(&cfg);
	T_REQUIRE(parse(&cfg, "lock: true\nuser_cert: /etc/pvboot/owner.crt\n", err, sizeof(err)) ==
		  0);
	T_EQ_STR(cfg.user_cert, "/etc/pvboot/owner.crt");
	T_EQ_INT(cfg.user_cert_line, 2);
	T_EQ_INT(cfg.user_cert_col, 12);
	T_EQ_INT(bootcfg_check_owner(&cfg, "pvboot.yaml", err, sizeof(err)), 0);
	bootcfg_free(&cfg);
	T_REQUIRE(parse(&cfg, "user_cert: /o.crt\ncck_enforcement: true\n", err, sizeof(err)) == 0);
	T_EQ_INT(bootcfg_check_owner(&cfg, "pvboot.yaml", err, sizeof(err)), 0);
	bootcfg_free(&cfg);
	/* the defaults (no file) have neither */
	bootcfg_init(&cfg);
	T_EQ_INT(bootcfg_check_owner(&cfg, "no configuration file", err, sizeof(err)), -EINVAL);
	bootcfg_free(&cfg);
	/* bad values */
	T_EQ_INT(parse(&cfg, "user_cert: owner.crt\n", err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:1:12: user_cert: expected a clean absolute path, got "
		      "'owner.crt'");
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "user_cert: /etc/../owner.crt\n", err, sizeof(err)), -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "user_cert: [a]\n", err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:1:12: user_cert: expected a string");
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "cck_enforcement: 1x\n", err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:1:18: cck_enforcement: expected true or false");
	bootcfg_free(&cfg);
}

TEST(root_volume)
{
	struct bootcfg cfg;
	char err[320];
	uint8_t id[32];

	T_REQUIRE(parse(&cfg, "", err, sizeof(err)) == 0);
	T_CHECK(!cfg.root.set);
	T_EQ_STR(cfg.root.name, "root");
	T_EQ_INT(cfg.root.n_ciphers, 2);
	T_EQ_STR(cfg.root.ciphers[0], "aes-xts-plain64");
	T_EQ_STR(cfg.root.ciphers[1], "paes-xts-plain64");
	bootcfg_free(&cfg);

	T_REQUIRE(parse(&cfg,
			"root:\n  device: PARTUUID=abc\n  name: cr_root\n  key: {name: rk}\n"
			"  header: /etc/pvboot/root.hdr\n  cipher: [serpent-xts-plain64, "
			"aes-xts-plain64]\n",
			err, sizeof(err)) == 0);
	T_CHECK(cfg.root.set);
	T_EQ_STR(cfg.root.device, "PARTUUID=abc");
	T_EQ_STR(cfg.root.name, "cr_root");
	T_EQ_STR(cfg.root.key.name, "rk");
	secret_id_from_name("rk", id);
	T_EQ_MEM(cfg.root.key.id, id, 32);
	T_EQ_STR(cfg.root.header, "/etc/pvboot/root.hdr");
	T_EQ_INT(cfg.root.header_line, 5);
	T_EQ_INT(cfg.root.n_ciphers, 2);
	T_EQ_STR(cfg.root.ciphers[0], "serpent-xts-plain64");
	T_CHECK(cfg.root.cipher_set);
	bootcfg_free(&cfg);

	/* by id, no header, one cipher as a string */
	T_REQUIRE(parse(&cfg,
			"root: {device: /dev/vda2, key: {id: 0x0101010101010101010101010101010101"
			"010101010101010101010101010101}, cipher: paes-xts-plain64}\n",
			err, sizeof(err)) == 0);
	T_EQ_STR(cfg.root.key.name, "");
	T_EQ_INT(cfg.root.key.id[31], 1);
	T_EQ_STR(cfg.root.header, "");
	T_EQ_INT(cfg.root.n_ciphers, 1);
	T_EQ_STR(cfg.root.ciphers[1], "");
	bootcfg_free(&cfg);

	T_EQ_INT(parse(&cfg, "root: {key: {name: k}}\n", err, sizeof(err)), -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:1:7: root: 'device' is required (UUID=, PARTUUID=, LABEL= or a "
		      "/dev path)");
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: /run/x, key: {name: k}}\n", err, sizeof(err)),
		 -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: /dev/../x, key: {name: k}}\n", err, sizeof(err)),
		 -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: LABEL=r, key: {name: k}, name: \"a/b\"}\n", err,
		       sizeof(err)),
		 -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: LABEL=r, key: {name: k}, header: \"/a\\nb\"}\n", err,
		       sizeof(err)),
		 -EINVAL);
	T_EQ_STR(err,
		 "pvboot.yaml:1:49: root: header: expected a clean absolute path, got '/a\\x0ab'");
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: LABEL=r, key: {name: k}, cipher: [a, b, c, d, e]}\n",
		       err, sizeof(err)),
		 -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: LABEL=r, key: {name: k}, cipher: \"a b\"}\n", err,
		       sizeof(err)),
		 -EINVAL);
	bootcfg_free(&cfg);
	T_EQ_INT(parse(&cfg, "root: {device: LABEL=r, key: {name: k, type: association}}\n", err,
		       sizeof(err)),
		 -EINVAL);
	T_EQ_STR(err, "pvboot.yaml:1:30: root: key: a Association secret cannot be retrieved");
	bootcfg_free(&cfg);
}

T_SUITE(bootcfg, T_CASE(root_volume), T_CASE(owner_authentication), T_CASE(defaults),
	T_CASE(full_file), T_CASE(invalid_files), T_CASE(cmdline_over_file),
	T_CASE(cmdline_errors));
