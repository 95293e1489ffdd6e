/* SPDX-License-Identifier: MIT */
/* Subcommands and what they share: exit codes, usage errors. */
#ifndef PVBOOT_CMD_H
#define PVBOOT_CMD_H

#include <stdio.h>

/* Exit codes (pvboot(8) EXIT STATUS) */
enum {
	PVB_EXIT_OK = 0,
	PVB_EXIT_FAIL = 1,	  /* the operation failed: UV error, invalid input, I/O */
	PVB_EXIT_USAGE = 2,	  /* wrong options or arguments */
	PVB_EXIT_UNAVAILABLE = 3, /* not an SE guest, no uvdevice, or the kernel lacks the call */
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *summary;
};

/* The options every command takes: -h/--help, -v/--verbose, -q/--quiet. */
#define CMD_COMMON_OPTS                                                                            \
	{"help", no_argument, NULL, 'h'}, {"verbose", no_argument, NULL, 'v'},                     \
	{                                                                                          \
		"quiet", no_argument, NULL, 'q'                                                    \
	}
/* Handle one of them after getopt_long: 1 if handled, -1 after printing help, 0 if opt
 * is not one of them. */
int command_common_opt(int opt, void (*help)(FILE *));

/* Find name in a NULL-terminated table; NULL if absent. */
const struct command *command_find(const struct command *table, const char *name);
/* Run a group of subcommands (pvboot secret ...): argv[0] is the group name. */
int command_group(const char *group, const struct command *table, int argc, char **argv);
void command_group_help(const char *group, const struct command *table, int to_stderr);

/* Print "pvboot: error: ..." plus a hint to --help, return PVB_EXIT_USAGE. */
__attribute__((format(printf, 1, 2))) int usage_error(const char *fmt, ...);

/* After getopt_long returned '?' or ':' (optstring starting with "+:"): name the bad
 * option in the same words on every libc. */
int usage_bad_option(const char *cmd, int opt, char *const *argv);

/*
 * A job that takes only [-c FILE] (boot, root check): parse the options and return
 * run(config), or the usage error's exit code.
 */
int cmd_config_job(const char *name, int argc, char **argv, void (*help_fn)(FILE *),
		   int (*run)(const char *config));

int cmd_secret(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_ebc(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_ap(int argc, char **argv);
int cmd_root(int argc, char **argv);

#endif
