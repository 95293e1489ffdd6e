/* SPDX-License-Identifier: MIT */
/*
 * Logging: one line per message on stderr ("pvboot: error: ..."), and in boot mode also
 * a /dev/kmsg record "<prio>pvboot: ..." so the message lands in the kernel log.
 */
#ifndef PVBOOT_LOG_H
#define PVBOOT_LOG_H

#include <stdbool.h>

enum log_prio {
	LOG_ERR = 3,
	LOG_WARNING = 4,
	LOG_NOTICE = 5, /* default threshold: results the user asked for */
	LOG_INFO = 6,	/* -v */
	LOG_DEBUG = 7,	/* -vv */
};

void log_set_level(int level);
int log_get_level(void);
void log_more(void); /* -v */
void log_less(void); /* -q */
void log_use_kmsg(bool on);
/*
 * Write what the kmsg budget held back (one coalesced record); waits for the kernel's
 * rate-limit window if it must. Called once when the command ends.
 */
void log_kmsg_flush(void);

/*
 * The kernel log (pvboot(8), KERNEL LOG). /dev/kmsg refuses records over 1024 bytes
 * (992 on older kernels: EINVAL, the record would vanish) and by default lets each
 * open file write 10 records per 5 s, dropping the rest silently. pvboot opens it once
 * per process (host.h), so its budget mirrors that window: warnings and notices use at
 * most KMSG_BURST - KMSG_RESERVED records of a window and are coalesced into one record
 * beyond that; errors and the failure banner may use every record and, should the
 * window be full, wait for the next one. Nothing is ever dropped by the kernel.
 */
#define KMSG_RECORD_MAX	 992 /* bytes, with "<N>" and the newline */
#define KMSG_BURST	 10
#define KMSG_RESERVED	 3
#define KMSG_INTERVAL_NS 5000000000ull

/*
 * One kmsg record "<prio>pvboot: <prefix><text>\n" in rec (KMSG_RECORD_MAX + 1 bytes),
 * shortened at a character boundary with " ... (shortened)" when it would be longer
 * than KMSG_RECORD_MAX. Returns its length (without the NUL).
 */
size_t log_kmsg_record(char *rec, int prio, const char *prefix, const char *text);

__attribute__((format(printf, 2, 3))) void log_msg(int prio, const char *fmt, ...);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
