/* SPDX-License-Identifier: MIT */
/*
 * Loading untrusted files and writing sensitive ones.
 *
 * safe_load(): a regular file only (O_NOFOLLOW, fstat), never a symlink, FIFO, device
 * or directory; at most cap bytes; read once into memory, so that only that copy is
 * checked and used.
 */
#ifndef PVBOOT_SAFEIO_H
#define PVBOOT_SAFEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SAFEIO_ASR_CAP (1024 * 1024)
#define SAFEIO_POLICY_CAP (64 * 1024)

/*
 * Load path (relative to dirfd, AT_FDCWD for the working directory). Returns 0 and a
 * malloc'ed buffer (NUL-terminated one past len), or a negative errno with why set to
 * what was found ("a symbolic link (not followed)", "larger than 1048576 bytes", ...).
 */
int safe_load(int dirfd, const char *path, size_t cap, uint8_t **data, size_t *len, char *why,
	      size_t why_size);

/* Create path exclusively with mode and write data; refuses symlinks and existing files. */
int safe_write_new(const char *path, const void *data, size_t len, mode_t mode);
/* Create or truncate path (no symlink following) and write data. */
int safe_write(const char *path, const void *data, size_t len, mode_t mode);
/* Write all of data to fd. */
int write_all(int fd, const void *data, size_t len);

#endif
