/* SPDX-License-Identifier: MIT */
/*
 * A tiny unit-test framework. Each test file defines tests with TEST(name) { ... }
 * and lists them in a table registered with T_SUITE(); tests/unit/main.c runs every
 * suite and ends with the line "unit: N passed, N failed".
 *
 * Checks do not abort the test: they record a failure with file:line and go on, except
 * T_REQUIRE which returns from the test.
 */
#ifndef PVBOOT_T_H
#define PVBOOT_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct t_case {
	const char *name;
	void (*fn)(void);
};

struct t_suite {
	const char *name;
	const struct t_case *cases;
	size_t n;
};

extern int t_failed_checks;
void t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void t_fail_mem(const char *file, int line, const char *what, const void *got, const void *exp,
		size_t len);
/* Read a whole test data file (relative to tests/); aborts the run if missing. */
uint8_t *t_read_file(const char *path, size_t *len);

#define TEST(name) static void name(void)

#define T_CHECK(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			t_fail(__FILE__, __LINE__, "check failed: %s", #cond);                     \
	} while (0)

#define T_REQUIRE(cond)                                                                            \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			t_fail(__FILE__, __LINE__, "requirement failed: %s", #cond);               \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define T_EQ_INT(got, exp)                                                                         \
	do {                                                                                       \
		long long t_g_ = (long long)(got), t_e_ = (long long)(exp);                        \
		if (t_g_ != t_e_)                                                                  \
			t_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #got, t_g_, t_e_); \
	} while (0)

#define T_EQ_STR(got, exp)                                                                         \
	do {                                                                                       \
		const char *t_g_ = (got), *t_e_ = (exp);                                           \
		if (!t_g_ || strcmp(t_g_, t_e_) != 0)                                              \
			t_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #got,          \
			       t_g_ ? t_g_ : "(null)", t_e_);                                      \
	} while (0)

#define T_EQ_MEM(got, exp, len) t_fail_mem(__FILE__, __LINE__, #got, (got), (exp), (len))

#define T_SUITE(sname, ...)                                                                        \
	static const struct t_case sname##_cases[] = {__VA_ARGS__};                                \
	const struct t_suite sname##_suite = {#sname, sname##_cases,                              \
					      sizeof(sname##_cases) / sizeof(sname##_cases[0])}
#define T_CASE(fn)                                                                                 \
	{                                                                                          \
#fn, fn                                                                            \
	}

#endif
