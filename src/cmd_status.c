// SPDX-License-Identifier: MIT
/* pvboot status: what the boot job did, from /run/pvboot/status.{txt,json}. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "bootflow.h"
#include "cmd.h"
#include "host.h"
#include "log.h"
#include "safeio.h"
#include "status.h"
#include "util.h"

#define STATUS_CAP (4 * 1024 * 1024)

static void help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot status [--json]\n"
		"\n"
		"Show what the boot job did: each step, what was added, retrieved, bound and\n"
		"associated, and the verdict (%s/%s, or %s with --json).\n"
		"\n"
		"Exit status: 0 ok, 1 the boot job failed, 4 it skipped, 3 it has not run\n"
		"(no status file).\n",
		BOOT_RUN_DIR, STATUS_TXT, STATUS_JSON);
}

/* The verdict from the text form's first line "pvboot VERSION: VERDICT ...". */
static int verdict_exit(const char *txt)
{
	const char *p = strstr(txt, ": ");

	if (!p)
		return PVB_EXIT_FAIL;
	p += 2;
	if (strncmp(p, "ok", 2) == 0 && (p[2] == '\n' || p[2] == ' '))
		return PVB_EXIT_OK;
	if (strncmp(p, "skipped", 7) == 0)
		return PVB_EXIT_SKIPPED;
	return PVB_EXIT_FAIL;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char path[256], real[4096], why[128];
	uint8_t *txt = NULL, *out = NULL;
	size_t tlen, olen;
	bool json = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			help(stdout);
			return PVB_EXIT_OK;
		default:
			return usage_bad_option("status", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("status: unexpected argument '%s'", argv[optind]);
	snprintf(path, sizeof(path), "%s/%s", BOOT_RUN_DIR, STATUS_TXT);
	if ((ret = host_path(path, real, sizeof(real))) == 0)
		ret = safe_load(AT_FDCWD, real, STATUS_CAP, &txt, &tlen, why, sizeof(why));
	else if (ret != -ENODEV)
		snprintf(why, sizeof(why), "%s", err_str(-ret));
	else
		ret = -ENOENT; /* pvboot-sim without a machine: no boot has run */
	if (ret == -ENOENT) {
		log_err("%s: no status: pvboot's boot job has not run in this boot", path);
		return PVB_EXIT_UNAVAILABLE;
	}
	if (ret) {
		log_err("%s: %s", path, why);
		return PVB_EXIT_FAIL;
	}
	if (json) {
		snprintf(path, sizeof(path), "%s/%s", BOOT_RUN_DIR, STATUS_JSON);
		if ((ret = host_path(path, real, sizeof(real))) == 0)
			ret = safe_load(AT_FDCWD, real, STATUS_CAP, &out, &olen, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", err_str(-ret));
		if (ret) {
			log_err("%s: %s", path, why);
			free(txt);
			return PVB_EXIT_FAIL;
		}
	}
	if (write_all(1, json ? out : txt, json ? olen : tlen)) {
		log_err("cannot write to standard output");
		ret = PVB_EXIT_FAIL;
	} else {
		ret = verdict_exit((const char *)txt);
	}
	free(txt);
	free(out);
	return ret;
}
