// SPDX-License-Identifier: MIT
/*
 * pvboot — early-boot secret and crypto-queue setup for IBM Secure Execution guests.
 * The command table; global options; exit codes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/build_info.h>

#include "cmd.h"
#include "log.h"
#include "ydoc.h"

/* clang-format off */
static const struct command commands[] = {
	{"boot", cmd_boot, "[-c FILE]", "the initramfs job: add, lock, retrieve, bind and associate"},
	{"status", cmd_status, "[--json]", "show what the boot job did in this boot"},
	{"check-config", cmd_check_config, "[FILE]", "validate pvboot.yaml and what it references"},
	{"secret", cmd_secret, "COMMAND ...", "add, list, lock, retrieve and inspect ultravisor secrets"},
	{"ebc", cmd_ebc, "COMMAND ...", "verify and apply early-boot secret sets (toc.asr, toc.pol)"},
	{"ap", cmd_ap, "COMMAND ...", "bind and associate AP queues (pvapconfig format)"},
	{"root", cmd_root, "check [-c FILE]", "prove the root volume's live device-mapper table"},
	{"info", cmd_info, "", "show whether this is an SE guest and what its ultravisor supports"},
	{NULL, NULL, NULL, NULL},
};
/* clang-format on */

static void help(void)
{
	printf("Usage: pvboot [-v|-q]... COMMAND [ARGS]\n"
	       "\n"
	       "Early-boot secret and crypto-queue setup for IBM Secure Execution guests.\n"
	       "\n"
	       "Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		printf("  %-13s %s\n", c->name, c->summary);
	printf("\n"
	       "Options:\n"
	       "  -v, --verbose   more messages (twice: debug)\n"
	       "  -q, --quiet     errors only (twice: nothing)\n"
	       "      --kmsg      also log to the kernel log (/dev/kmsg), as at boot\n"
	       "  -h, --help      this text\n"
	       "  -V, --version   the version\n"
	       "\n"
	       "Exit status:\n"
	       "  0  success\n"
	       "  1  the operation failed (ultravisor error, invalid input, I/O error)\n"
	       "  2  usage error\n"
	       "  3  not available here: not a Secure Execution guest, no uvdevice, or the\n"
	       "     kernel lacks the call\n"
	       "  4  boot: skipped (not enabled, or not an SE guest and not required)\n"
	       "\n"
	       "See pvboot(8).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"verbose", no_argument, NULL, 'v'}, {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},	 {"version", no_argument, NULL, 'V'},
	    {"kmsg", no_argument, NULL, 'k'},	 {NULL, 0, NULL, 0},
	};
	const struct command *c;
	int opt, ret;

	opterr = 0; /* our own messages, the same on every libc */
	/* '+': stop at the first non-option, the command */
	while ((opt = getopt_long(argc, argv, "+:vqhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			log_more();
			break;
		case 'q':
			log_less();
			break;
		case 'k':
			log_use_kmsg(true);
			break;
		case 'h':
			help();
			return PVB_EXIT_OK;
		case 'V':
			printf("pvboot %s (mbedTLS %s, libyaml %s)\n", PVBOOT_VERSION,
			       MBEDTLS_VERSION_STRING, ydoc_library_version());
			return PVB_EXIT_OK;
		default:
			return usage_bad_option("pvboot", opt, argv);
		}
	}
	if (optind >= argc) {
		help();
		return PVB_EXIT_USAGE;
	}
	c = command_find(commands, argv[optind]);
	if (!c)
		return usage_error("'%s' is not a pvboot command", argv[optind]);
	argv += optind;
	argc -= optind;
	optind = 0; /* reset getopt for the command (0 also re-initialises glibc's state) */
	ret = c->fn(argc, argv);
	log_kmsg_flush(); /* what the kernel log's rate limit held back, as one record */
	return ret;
}
