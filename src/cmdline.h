/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line with dracut's rules (dracut-util's getarg, which uses the
 * kernel's own next_arg() tokenizer): whitespace separates arguments, double quotes
 * group, a leading quote of the argument or of the value is dropped with its closing
 * quote, the first '=' splits key and value, and the last occurrence of a key wins.
 * Pure: the caller joins the sources (/etc/cmdline.d/ *.conf, /etc/cmdline,
 * /proc/cmdline, in that order) and hands the text in.
 */
#ifndef PVBOOT_CMDLINE_H
#define PVBOOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX (64 * 1024) /* joined text; COMMAND_LINE_SIZE is 4 KiB on s390x */

struct cmdarg {
	const char *key;
	const char *val; /* NULL: the argument had no '=' */
};

struct cmdline {
	char *buf;
	struct cmdarg *args;
	size_t n;
};

/* Split text (len bytes; NUL bytes count as spaces). 0, -E2BIG or -ENOMEM. */
int cmdline_parse(struct cmdline *cl, const char *text, size_t len);
void cmdline_free(struct cmdline *cl);

/*
 * The last occurrence of key: returns true and sets *val (NULL when it had no '='),
 * or false when the key is absent.
 */
bool cmdline_get(const struct cmdline *cl, const char *key, const char **val);

/*
 * dracut's getargbool: absent -> dflt; "0", "no" and "off" are false; anything else,
 * including no value and an empty value, is true.
 */
bool cmdline_bool(const struct cmdline *cl, const char *key, bool dflt);

/* The same words for a value on its own: 1 true, 0 false. */
bool cmdline_word_false(const char *val);

#endif
