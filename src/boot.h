/* SPDX-License-Identifier: MIT */
/* What `pvboot boot`, `pvboot check-config` and `pvboot status` share. */
#ifndef PVBOOT_BOOT_H
#define PVBOOT_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg.h"

/*
 * Read the configuration file (a system path mapped with host_path, or with literal set,
 * a path used as it is) into cfg. A missing file is fine when missing_ok is set (the
 * defaults stay). 0, or -errno with err holding one line naming the file.
 */
int boot_read_config(const char *path, bool literal, bool missing_ok, struct bootcfg *cfg,
		     char *err, size_t errsz);

/*
 * The command line as dracut sees it: /etc/cmdline.d/ *.conf (in name order),
 * /etc/cmdline, then /proc/cmdline, joined with newlines. 0 or -errno (err set).
 */
int boot_read_cmdline(struct cmdline *cl, char *err, size_t errsz);

#endif
