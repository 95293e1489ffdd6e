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
	LOG_INFO = 6,   /* -v */
	LOG_DEBUG = 7,  /* -vv */
};

void log_set_level(int level);
int log_get_level(void);
void log_more(void); /* -v */
void log_less(void); /* -q */
void log_use_kmsg(bool on);

__attribute__((format(printf, 2, 3))) void log_msg(int prio, const char *fmt, ...);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
