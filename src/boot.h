/* SPDX-License-Identifier: MIT */
/* What `pvboot boot`, `pvboot check-config` and `pvboot status` share. */
#ifndef PVBOOT_BOOT_H
#define PVBOOT_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg.h"
#include "usersig.h"

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

/*
 * Load a user-signing certificate or public key (usersig_key_parse) from path (mapped
 * with host_path unless literal; at most USERSIG_KEY_CAP bytes, no symlink). 0, or -errno
 * with why holding "<path>: <what is wrong>".
 */
int boot_load_user_key(const char *path, bool literal, struct usersig_key *key, char *why,
		       size_t why_size);

/*
 * The configuration's owner authentication: bootcfg_check_owner(), then the user_cert
 * loaded into key (*have_key set). 0, or -errno with err set ("<file>:<line>:<col>:
 * user_cert: ..." for the certificate).
 */
int boot_owner_setup(const struct bootcfg *cfg, const char *file, bool literal,
		     struct usersig_key *key, bool *have_key, char *err, size_t errsz);

#endif
