// SPDX-License-Identifier: MIT
/*
 * pvboot boot: the initramfs job. Decide, wait for /dev/uv, load the set from its
 * source, verify it whole, add it, lock the store, retrieve what the root disk needs,
 * bind and associate AP queues, write the status, and tell the initramfs glue the
 * outcome: exit 0 and "ok", exit 4 and "skipped", or exit 1 and the failure action.
 * pvboot wipe: the glue's last step before switch_root, the retrieved files removed.
 */
#include <getopt.h>
#include <stdbool.h>
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
		"When a step after retrieve fails, the files it retrieved are overwritten and\n"
		"removed (keep: true or not) before the failure action is printed.\n"
		"\n"
		"See pvboot(8) and pvboot.yaml(5).\n",
		BOOT_RUN_DIR, STATUS_TXT, BOOTCFG_PATH);
}

/*
 * The options of the jobs that read the configuration: -c FILE, -h, and --all where all
 * is not NULL. -1 when the job is to run, else the exit code (help shown, usage error).
 */
static int config_job_opts(const char *name, int argc, char **argv, void (*help_fn)(FILE *),
			   const char **config, bool *all)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'}, /* first: left out where all is NULL */
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+:c:h", all ? opts : opts + 1, NULL)) != -1) {
		switch (opt) {
		case 'a':
			*all = true;
			break;
		case 'c':
			*config = optarg;
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
	return -1;
}

int cmd_config_job(const char *name, int argc, char **argv, void (*help_fn)(FILE *),
		   int (*run)(const char *config))
{
	const char *config = NULL;
	int ret = config_job_opts(name, argc, argv, help_fn, &config, NULL);

	return ret >= 0 ? ret : run(config);
}

int cmd_boot(int argc, char **argv)
{
	return cmd_config_job("boot", argc, argv, help, bootflow_run);
}

static void wipe_help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot wipe [-c FILE] [--all]\n"
		"\n"
		"Overwrite with zeros and remove the files the retrieve entries of the\n"
		"configuration name, except those with keep: true. The initramfs glue runs it\n"
		"just before switch_root, so that no retrieved secret reaches the real root.\n"
		"A file that is not there is fine; a symbolic link or another non-regular file\n"
		"at such a path is left alone and counts as a failure.\n"
		"\n"
		"  -c, --config FILE   the configuration (default %s)\n"
		"      --all           also the entries with keep: true\n"
		"  -h, --help          this text\n"
		"\n"
		"Exit status: 0 none of them is left (or nothing is configured), 1 one could\n"
		"not be removed or the configuration cannot be read (the glue then powers the\n"
		"machine off), 2 wrong options.\n"
		"\n"
		"See pvboot(8), INITRAMFS, and pvboot.yaml(5), retrieve.\n",
		BOOTCFG_PATH);
}

int cmd_wipe(int argc, char **argv)
{
	const char *config = NULL;
	bool all = false;
	int ret = config_job_opts("wipe", argc, argv, wipe_help, &config, &all);

	return ret >= 0 ? ret : bootflow_wipe(config, all);
}
