// SPDX-License-Identifier: MIT
/*
 * pvboot boot: the initramfs job. Decide, wait for /dev/uv, load the set from its
 * source, verify it whole, add it, lock the store, retrieve what the root disk needs,
 * bind and associate AP queues, write the status, and tell the initramfs glue the
 * outcome: exit 0 and "ok", exit 4 and "skipped", or exit 1 and the failure action.
 */
#include <getopt.h>
#include <stdio.h>

#include "bootcfg.h"
#include "bootflow.h"
#include "cmd.h"
#include "status.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot boot [-c FILE]\n"
		"\n"
		"The initramfs job: load the set of add-secret requests from its source,\n"
		"verify it, add it, lock the secret store, retrieve the configured secrets,\n"
		"bind and associate AP queues, and write %s/%s.\n"
		"\n"
		"  -c, --config FILE   the configuration (default %s)\n"
		"  -h, --help          this text\n"
		"\n"
		"Prints one word on stdout for the initramfs glue and exits with:\n"
		"  0  ok        everything configured was done\n"
		"  1  <action>  failed; the word is the failure action: poweroff, reboot,\n"
		"               halt, shell or continue\n"
		"  2  usage     wrong options\n"
		"  4  skipped   not enabled, or not a Secure Execution guest and not required\n"
		"\n"
		"See pvboot(8) and pvboot.yaml(5).\n",
		BOOT_RUN_DIR, STATUS_TXT, BOOTCFG_PATH);
}

int cmd_config_job(const char *name, int argc, char **argv, void (*help_fn)(FILE *),
		   int (*run)(const char *config))
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "+:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'h':
			help_fn(stdout);
			return PVB_EXIT_OK;
		default:
			return usage_bad_option(name, opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("%s: unexpected argument '%s'", name, argv[optind]);
	return run(config);
}

int cmd_boot(int argc, char **argv)
{
	return cmd_config_job("boot", argc, argv, help, bootflow_run);
}
