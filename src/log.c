// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "log.h"
#include "util.h"

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

#define SHORTENED " ... (shortened)\n"

size_t log_kmsg_record(char *rec, int prio, const char *pfx, const char *text)
{
	const size_t max = KMSG_RECORD_MAX;
	int n = snprintf(rec, max + 1, "<%d>pvboot: %s", prio, pfx);
	size_t head = n > 0 ? (size_t)n : 0, tlen = strlen(text), cut;

	if (head + tlen + 1 <= max) {
		memcpy(rec + head, text, tlen);
		memcpy(rec + head + tlen, "\n", 2);
		return head + tlen + 1;
	}
	/* shortened, never dropped: the kernel refuses a longer write as a whole */
	cut = max - head - strlen(SHORTENED);
	while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
		cut--; /* not inside a UTF-8 character */
	memcpy(rec + head, text, cut);
	memcpy(rec + head + cut, SHORTENED, strlen(SHORTENED) + 1);
	return head + cut + strlen(SHORTENED);
}

/*
 * The budget of the open /dev/kmsg (log.h). Our clock is read before the kernel's, and
 * the kernel counts in jiffies: a window is taken as over only KMSG_SLACK_NS later.
 */
#define KMSG_SLACK_NS 100000000ull

static struct {
	bool started;
	uint64_t begin;
	unsigned used;
	char held[KMSG_RECORD_MAX - 160]; /* texts held back, " | "-joined; + header fits */
	size_t held_len;
	uint16_t item_len[KMSG_RECORD_MAX / 4]; /* the texts in held, oldest first */
	unsigned n_items;
	unsigned n_held, n_cut; /* held back; of those, no longer in held (no room) */
	int held_prio;
} kb;

static void kmsg_window(void)
{
	uint64_t now = host_now_ns();

	if (!kb.started || now > kb.begin + KMSG_INTERVAL_NS + KMSG_SLACK_NS) {
		kb.started = true;
		kb.begin = now;
		kb.used = 0;
	}
}

/* A record that must not be lost: wait for the next window if this one is full. */
static void kmsg_room(void)
{
	kmsg_window();
	if (kb.used < KMSG_BURST)
		return;
	host_sleep_ns(kb.begin + KMSG_INTERVAL_NS + KMSG_SLACK_NS + 1 - host_now_ns());
	kmsg_window();
}

static void kmsg_emit(int prio, const char *pfx, const char *text)
{
	char rec[KMSG_RECORD_MAX + 1];
	size_t len = log_kmsg_record(rec, prio, pfx, text);

	if (host_kmsg_write(rec, len) == 0)
		kb.used++;
}

/*
 * Hold a record back for the coalesced one. The newest texts are kept (the step lines
 * and the outcome come last); the oldest make room and are only counted.
 */
static void kmsg_hold(int prio, const char *pfx, const char *text)
{
	char item[sizeof(kb.held)];
	int n = snprintf(item, sizeof(item), "%s%s", pfx, text);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(item) ? (size_t)n : sizeof(item) - 1;
	const size_t sep = 3; /* " | " */

	if (!kb.n_held || prio < kb.held_prio)
		kb.held_prio = prio;
	kb.n_held++;
	if (len + sep >= sizeof(kb.held))
		len = sizeof(kb.held) - sep - 1; /* the record shortens it anyway */
	while (kb.n_items && (kb.held_len + sep + len >= sizeof(kb.held) ||
			      kb.n_items == ARRAY_SIZE(kb.item_len))) {
		/* drop the oldest text held (texts may contain " | " themselves) */
		size_t drop = kb.item_len[0] + (kb.n_items > 1 ? sep : 0);

		memmove(kb.held, kb.held + drop, kb.held_len - drop + 1);
		kb.held_len -= drop;
		memmove(kb.item_len, kb.item_len + 1, --kb.n_items * sizeof(kb.item_len[0]));
		kb.n_cut++;
	}
	if (kb.held_len) {
		memcpy(kb.held + kb.held_len, " | ", sep);
		kb.held_len += sep;
	}
	memcpy(kb.held + kb.held_len, item, len);
	kb.held_len += len;
	kb.held[kb.held_len] = 0;
	kb.item_len[kb.n_items++] = (uint16_t)len;
}

static void kmsg_release_held(void)
{
	char text[sizeof(kb.held) + 128];

	if (kb.n_held == 1 && !kb.n_cut)
		snprintf(text, sizeof(text), "%s", kb.held); /* one: as it was */
	else if (kb.n_cut)
		snprintf(text, sizeof(text),
			 "%u messages in one record (the kernel log takes %d records per %llu s; "
			 "all are on the console), the last %u: %s",
			 kb.n_held, KMSG_BURST, KMSG_INTERVAL_NS / 1000000000u,
			 kb.n_held - kb.n_cut, kb.held);
	else
		snprintf(text, sizeof(text),
			 "%u messages in one record (the kernel log takes %d records per %llu s; "
			 "all are on the console): %s",
			 kb.n_held, KMSG_BURST, KMSG_INTERVAL_NS / 1000000000u, kb.held);
	kmsg_emit(kb.held_prio, "", text);
	kb.n_held = kb.n_cut = kb.n_items = 0;
	kb.held_len = 0;
	kb.held[0] = 0;
}

static void kmsg_log(int prio, const char *pfx, const char *text)
{
	kmsg_window();
	if (prio <= LOG_ERR) {
		/* the context first, if that still leaves this record its place */
		if (kb.n_held && kb.used + 2 <= KMSG_BURST)
			kmsg_release_held();
		kmsg_room();
		kmsg_emit(prio, pfx, text);
		return;
	}
	if (kb.n_held && kb.used < KMSG_BURST - KMSG_RESERVED)
		kmsg_release_held();
	if (!kb.n_held && kb.used < KMSG_BURST - KMSG_RESERVED)
		kmsg_emit(prio, pfx, text);
	else
		kmsg_hold(prio, pfx, text);
}

void log_kmsg_flush(void)
{
	if (!kmsg || !kb.n_held)
		return;
	kmsg_room();
	kmsg_release_held();
}

void log_msg(int prio, const char *fmt, ...)
{
	char line[4096];
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
	if (kmsg)
		kmsg_log(prio, prefix(prio), line);
}
