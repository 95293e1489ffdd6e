// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeio.h"
#include "util.h"

static const char *kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link (not followed)";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO, not a regular file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device, not a regular file";
	if (S_ISSOCK(m))
		return "a socket, not a regular file";
	return "not a regular file";
}

int safe_load(int dirfd, const char *path, size_t cap, uint8_t **data, size_t *len, char *why,
	      size_t why_size)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, err;

	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. */
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		if (err == -ELOOP) {
			snprintf(why, why_size, "a symbolic link (not followed)");
		} else if (err == -ENXIO) {
			snprintf(why, why_size, "a socket or device, not a regular file");
		} else {
			snprintf(why, why_size, "%s", err_str(-err));
		}
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		snprintf(why, why_size, "%s", err_str(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_size, "%s", kind(st.st_mode));
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > cap) {
		snprintf(why, why_size, "%lld bytes, larger than the limit of %zu",
			 (long long)st.st_size, cap);
		err = -EFBIG;
		goto out;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		err = -ENOMEM;
		snprintf(why, why_size, "out of memory");
		goto out;
	}
	/* Read up to cap + 1 bytes: a file that grew past the cap is caught here too. */
	while (got <= cap) {
		ssize_t n = read(fd, buf + got, cap + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			snprintf(why, why_size, "%s", err_str(-err));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > cap) {
		snprintf(why, why_size, "larger than the limit of %zu bytes", cap);
		err = -EFBIG;
		goto out;
	}
	buf[got] = 0;
	*data = buf;
	*len = got;
	buf = NULL;
	err = 0;
out:
	free(buf);
	close(fd);
	return err;
}

int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_file(const char *path, int flags, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, flags | O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode);
	int err;

	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

int safe_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(path, O_EXCL, data, len, mode);
}

int safe_write(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(path, O_TRUNC, data, len, mode);
}
