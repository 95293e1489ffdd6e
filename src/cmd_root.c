// SPDX-License-Identifier: MIT
/*
 * pvboot root check: after the stock unlock and before the root is mounted, prove that
 * /dev/mapper/NAME is exactly the crypt mapping pvboot.yaml's root: and its LUKS2 header
 * describe (pvboot(8), THE ROOT VOLUME). The initramfs glue runs it for a root whose
 * header is on the disk; the boot job does the same check itself after attaching a root
 * from its sealed header.
 */
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "bootcfg.h"
#include "bootflow.h"
#include "cmd.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot root check [-c FILE]\n"
		"\n"
		"Read the live device-mapper table of the root (root: in pvboot.yaml) and\n"
		"require exactly one crypt target over the configured device with the cipher,\n"
		"key size, data offset and sector size of its LUKS2 header: the sealed header\n"
		"file, or the header on the disk when there is none. On a mismatch the mapping\n"
		"is removed and the retrieved files are wiped.\n"
		"\n"
		"  -c, --config FILE   the configuration (default %s)\n"
		"  -h, --help          this text\n"
		"\n"
		"Prints one word on stdout for the initramfs glue and exits with:\n"
		"  0  ok        the live mapping is the expected one\n"
		"  1  <action>  it is not (or cannot be read); the word is the failure action\n"
		"  2  usage     wrong options\n"
		"  4  skipped   not enabled, not a Secure Execution guest and not required, or\n"
		"               no root: configured\n"
		"\n"
		"See pvboot(8) and pvboot.yaml(5).\n",
		BOOTCFG_PATH);
}

static int root_check(int argc, char **argv)
{
	return cmd_config_job("root check", argc, argv, help, bootflow_root_check);
}

/*
 * pvboot root header FILE: for the image builders, the sealed header FILE's root: names
 * (one line), or nothing when the root keeps its header on the disk or there is no
 * root: at all. The builders turn the stock unlock off for a sealed root (rd.luks=0).
 */
static int root_header(int argc, char **argv)
{
	struct bootcfg cfg;
	char err[640];

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: pvboot root header FILE\n\n"
		       "Print the sealed LUKS2 header that FILE's root: names, or nothing.\n");
		return PVB_EXIT_OK;
	}
	if (argc != 2)
		return usage_error("root header: expected one FILE");
	bootcfg_init(&cfg);
	if (boot_read_config(argv[1], true, false, &cfg, err, sizeof(err))) {
		fprintf(stderr, "pvboot: error: %s\n", err);
		bootcfg_free(&cfg);
		return PVB_EXIT_FAIL;
	}
	if (cfg.root.set && cfg.root.header[0])
		printf("%s\n", cfg.root.header);
	bootcfg_free(&cfg);
	return PVB_EXIT_OK;
}

static const struct command root_cmds[] = {
    {"check", root_check, "[-c FILE]", "prove the root's live device-mapper table"},
    {"header", root_header, "FILE", "the sealed header a configuration names (image builders)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_root(int argc, char **argv)
{
	return command_group("root", root_cmds, argc, argv);
}
