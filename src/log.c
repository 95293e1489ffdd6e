// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "log.h"

static int level = LOG_NOTICE;
static bool kmsg;

void log_set_level(int l)
{
	level = l < 0 ? -1 : l > LOG_DEBUG ? LOG_DEBUG : l;
}

int log_get_level(void)
{
	return level;
}

void log_more(void)
{
	log_set_level(level + 1);
}

void log_less(void)
{
	/* -q keeps errors; -qq silences everything */
	log_set_level(level > LOG_ERR ? LOG_ERR : -1);
}

void log_use_kmsg(bool on)
{
	kmsg = on;
}

static const char *prefix(int prio)
{
	switch (prio) {
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	}
	return "";
}

void log_msg(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (prio > level && !(kmsg && prio <= LOG_INFO))
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (prio <= level)
		fprintf(stderr, "pvboot: %s%s\n", prefix(prio), line);
	if (kmsg) {
		char rec[1100];
		int len = snprintf(rec, sizeof(rec), "<%d>pvboot: %s%s\n", prio, prefix(prio), line);

		if (len > 0)
			host_kmsg_write(rec, (size_t)len < sizeof(rec) ? (size_t)len : sizeof(rec) - 1);
	}
}
