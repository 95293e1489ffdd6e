// SPDX-License-Identifier: MIT
/* Subcommand tables and usage errors, shared by every command group. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

const struct command *command_find(const struct command *table, const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

int usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("%s (see 'pvboot --help')", msg);
	return PVB_EXIT_USAGE;
}

void command_group_help(const char *group, const struct command *table, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	int w = 9;

	for (const struct command *c = table; c->name; c++)
		if ((int)strlen(c->name) > w)
			w = (int)strlen(c->name);
	fprintf(f, "Usage: pvboot %s COMMAND [OPTIONS]\n\nCommands:\n", group);
	for (; table->name; table++)
		fprintf(f, "  %-*s %-30s %s\n", w, table->name, table->args, table->summary);
	fprintf(f, "\nRun 'pvboot %s COMMAND --help' for a command's options.\n", group);
}

int command_group(const char *group, const struct command *table, int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		command_group_help(group, table, 1);
		return PVB_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		command_group_help(group, table, 0);
		return PVB_EXIT_OK;
	}
	c = command_find(table, argv[1]);
	if (!c)
		return usage_error("'%s %s' is not a command", group, argv[1]);
	return c->fn(argc - 1, argv + 1);
}

int usage_bad_option(const char *cmd, int opt, char *const *argv)
{
	char shortopt[3] = {'-', (char)optopt, 0};
	const char *what = optopt ? shortopt : argv[optind - 1];

	if (opt == ':')
		return usage_error("%s: option '%s' needs an argument", cmd, what);
	return usage_error("%s: unknown option '%s'", cmd, what);
}

int command_common_opt(int opt, void (*help)(FILE *))
{
	switch (opt) {
	case 'v':
		log_more();
		return 1;
	case 'q':
		log_less();
		return 1;
	case 'h':
		help(stdout);
		return -1;
	}
	return 0;
}
