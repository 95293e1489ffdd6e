// SPDX-License-Identifier: MIT
/*
 * Kernel command line parsing with dracut's rules. The tokenizer is the kernel's
 * next_arg() (lib/cmdline.c), which dracut-util also uses, so that pvboot reads
 * `"key 6=""val  6"` the way dracut's getarg does (dracut's TEST-80-GETARG cases are in
 * tests/unit/test_cmdline.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static char *skip_spaces(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* One argument starting at args (not a space, not the end); returns the next one. */
static char *next_arg(char *args, char **param, char **val)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;
	char *next;

	if (*args == '"') {
		args++;
		in_quote = true;
		quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (is_space(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = 0;
		*val = args + equals + 1;
		/* the value's own quotes are not part of it */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = 0;
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = 0;
	if (args[i]) {
		args[i] = 0;
		next = args + i + 1;
	} else {
		next = args + i;
	}
	return skip_spaces(next);
}

int cmdline_parse(struct cmdline *cl, const char *text, size_t len)
{
	size_t cap = 0;
	char *p;

	memset(cl, 0, sizeof(*cl));
	if (len > CMDLINE_MAX)
		return -E2BIG;
	cl->buf = malloc(len + 1);
	if (!cl->buf)
		return -ENOMEM;
	memcpy(cl->buf, text, len);
	cl->buf[len] = 0;
	for (size_t i = 0; i < len; i++)
		if (!cl->buf[i])
			cl->buf[i] = ' ';
	p = skip_spaces(cl->buf);
	while (*p) {
		char *key, *val;

		if (*p == '"' && !p[1])
			break; /* a lone quote at the end: next_arg would step past it */
		p = next_arg(p, &key, &val);
		if (cl->n == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			struct cmdarg *a = realloc(cl->args, ncap * sizeof(*a));

			if (!a) {
				cmdline_free(cl);
				return -ENOMEM;
			}
			cl->args = a;
			cap = ncap;
		}
		cl->args[cl->n].key = key;
		cl->args[cl->n].val = val;
		cl->n++;
	}
	return 0;
}

void cmdline_free(struct cmdline *cl)
{
	free(cl->buf);
	free(cl->args);
	memset(cl, 0, sizeof(*cl));
}

bool cmdline_get(const struct cmdline *cl, const char *key, const char **val)
{
	for (size_t i = cl->n; i-- > 0;) {
		if (strcmp(cl->args[i].key, key) == 0) {
			if (val)
				*val = cl->args[i].val;
			return true;
		}
	}
	return false;
}

bool cmdline_word_false(const char *val)
{
	return val && (strcmp(val, "0") == 0 || strcmp(val, "no") == 0 || strcmp(val, "off") == 0);
}

bool cmdline_bool(const struct cmdline *cl, const char *key, bool dflt)
{
	const char *val;

	if (!cmdline_get(cl, key, &val))
		return dflt;
	return !cmdline_word_false(val);
}
