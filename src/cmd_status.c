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

static bool verdict_running(const char *txt)
{
	const char *p = strstr(txt, ": ");

	return p && strncmp(p + 2, "running", 7) == 0 && (p[9] == '\n' || !p[9]);
}

/* Load /run/pvboot/<name>: 0, -ENOENT (also: pvboot-sim without a machine), or -errno. */
static int load_status(const char *name, uint8_t **data, size_t *len, char *why, size_t whysz)
{
	char path[256], real[4096];
	int ret;

	*data = NULL;
	snprintf(path, sizeof(path), "%s/%s", BOOT_RUN_DIR, name);
	ret = host_path(path, real, sizeof(real));
	if (ret == -ENODEV)
		return -ENOENT; /* pvboot-sim without a machine: no boot has run */
	if (ret) {
		snprintf(why, whysz, "%s", err_str(-ret));
		return ret;
	}
	return safe_load(AT_FDCWD, real, STATUS_CAP, data, len, why, whysz);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char why[128], jwhy[128];
	uint8_t *txt = NULL, *js = NULL;
	size_t tlen, jlen;
	bool json = false;
	int opt, ret, jret;

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
	ret = load_status(STATUS_TXT, &txt, &tlen, why, sizeof(why));
	jret = load_status(STATUS_JSON, &js, &jlen, jwhy, sizeof(jwhy));
	if (ret == -ENOENT && jret == -ENOENT) {
		log_err("%s/%s: no status: pvboot's boot job has not run in this boot (or could "
			"not write any status: see the kernel log)",
			BOOT_RUN_DIR, STATUS_TXT);
		return PVB_EXIT_UNAVAILABLE;
	}
	/* from here on the job did run: anything missing is a failure, never "not run" */
	if (ret == -ENOENT) {
		if (json && !jret && write_all(1, js, jlen))
			log_err("cannot write to standard output");
		log_err("%s/%s: missing, but %s exists: the boot job ran and its status is "
			"incomplete (it could not be written: see the kernel log)",
			BOOT_RUN_DIR, STATUS_TXT, STATUS_JSON);
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	if (ret) {
		log_err("%s/%s: %s", BOOT_RUN_DIR, STATUS_TXT, why);
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	if (json && jret) {
		log_err("%s/%s: %s%s", BOOT_RUN_DIR, STATUS_JSON,
			jret == -ENOENT ? "missing" : jwhy,
			jret == -ENOENT ? ": the boot job ran but this part of its status could "
					  "not be written (see the kernel log)"
					: "");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	if (write_all(1, json ? js : txt, json ? jlen : tlen)) {
		log_err("cannot write to standard output");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	ret = verdict_exit((const char *)txt);
	if (verdict_running((const char *)txt))
		log_err(
		    "the boot job started but did not write its final status: it was "
		    "interrupted, is still running, or could not write it (see the kernel log)");
	else if (!json && jret)
		log_warn("%s/%s: %s", BOOT_RUN_DIR, STATUS_JSON,
			 jret == -ENOENT ? "missing (it could not be written)" : jwhy);
out:
	free(txt);
	free(js);
	return ret;
}
