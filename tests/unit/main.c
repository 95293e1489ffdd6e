/* SPDX-License-Identifier: MIT */
/* Runs every unit-test suite; optional arguments select suites by name. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "suites.h"

int t_failed_checks;

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_failed_checks++;
	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void t_fail_mem(const char *file, int line, const char *what, const void *got, const void *exp,
		size_t len)
{
	const unsigned char *g = got, *e = exp;
	size_t i;

	if (memcmp(got, exp, len) == 0)
		return;
	for (i = 0; i < len && g[i] == e[i]; i++)
		;
	t_fail(file, line, "%s differs at byte %zu of %zu: 0x%02x, expected 0x%02x", what, i, len,
	       g[i], e[i]);
}

uint8_t *t_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "unit: cannot read test data %s: %s\n", path, strerror(errno));
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "unit: cannot read test data %s\n", path);
		exit(2);
	}
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	for (size_t s = 0; s < sizeof(all_suites) / sizeof(all_suites[0]); s++) {
		const struct t_suite *suite = all_suites[s];

		if (!selected(suite->name, argc, argv))
			continue;
		for (size_t i = 0; i < suite->n; i++) {
			int before = t_failed_checks;

			suite->cases[i].fn();
			if (t_failed_checks == before) {
				passed++;
			} else {
				failed++;
				fprintf(stderr, "FAIL %s.%s\n", suite->name, suite->cases[i].name);
			}
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
