// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
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
	size_t got = 0, alloc;
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
	/* Start with the size fstat gave (not the cap: a set has many small files). */
	alloc = (size_t)st.st_size + 1;
	buf = malloc(alloc + 1);
	if (!buf) {
		err = -ENOMEM;
		snprintf(why, why_size, "out of memory");
		goto out;
	}
	/* Read up to cap + 1 bytes: a file that grew past the cap is caught here too. */
	while (got <= cap) {
		ssize_t n;

		if (got == alloc) {
			uint8_t *more;

			alloc = alloc > (cap + 1) / 2 ? cap + 1 : 2 * alloc;
			more = realloc(buf, alloc + 1);
			if (!more) {
				err = -ENOMEM;
				snprintf(why, why_size, "out of memory");
				goto out;
			}
			buf = more;
		}
		n = read(fd, buf + got, alloc - got);

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

static int write_file(int dirfd, const char *path, int flags, const void *data, size_t len,
		      mode_t mode)
{
	int fd = openat(dirfd, path, flags | O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode);
	int err;

	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err)
		unlinkat(dirfd, path, 0);
	return err;
}

int safe_load_path(const char *path, bool literal, size_t cap, uint8_t **data, size_t *len,
		   char *err, size_t errsz)
{
	char real[4096], why[160];
	int ret;

	if (literal)
		snprintf(real, sizeof(real), "%s", path);
	else if ((ret = host_path(path, real, sizeof(real)))) {
		snprintf(err, errsz, "%s: %s", path, err_str(-ret));
		return ret;
	}
	ret = safe_load(AT_FDCWD, real, cap, data, len, why, sizeof(why));
	if (ret)
		snprintf(err, errsz, "%s: %s", path, why);
	return ret;
}

int safe_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(AT_FDCWD, path, O_EXCL, data, len, mode);
}

int safe_write_new_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
	return write_file(dirfd, name, O_EXCL, data, len, mode);
}

int safe_write(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(AT_FDCWD, path, O_TRUNC, data, len, mode);
}

int safe_wipe_at(int dirfd, const char *name)
{
	static const uint8_t zeros[4096];
	struct stat st, st2;
	off_t left;
	int fd, ret = 0;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = -EINVAL;
	/* the secret is 0400: writable again for its owner (root needs no such step) */
	else if (fchmod(fd, 0600) < 0)
		ret = -errno;
	close(fd);
	if (ret)
		return ret;
	fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	else if (fstat(fd, &st2) < 0)
		ret = -errno;
	else if (st2.st_dev != st.st_dev || st2.st_ino != st.st_ino)
		ret = -ESTALE; /* replaced in between: not the file looked at */
	for (left = ret ? 0 : st2.st_size; left > 0 && !ret;) {
		size_t n = left < (off_t)sizeof(zeros) ? (size_t)left : sizeof(zeros);

		ret = write_all(fd, zeros, n);
		left -= (off_t)n;
	}
	if (fd >= 0) {
		if (!ret && fsync(fd) < 0)
			ret = -errno;
		close(fd);
	}
	if (ret == -ESTALE)
		return ret;
	if (unlinkat(dirfd, name, 0) < 0 && !ret)
		ret = -errno;
	return ret;
}

int safe_open_dirs(int dirfd, const char *path, mode_t mode, bool create)
{
	char comp[NAME_MAX + 1];
	int fd;

	if (*path == '/') {
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		path++;
	} else {
		fd = dirfd == AT_FDCWD ? open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
				       : fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	}
	if (fd < 0)
		return -errno;
	while (*path) {
		size_t n = strcspn(path, "/");
		int next;

		if (n == 0 || n > NAME_MAX || (n == 1 && path[0] == '.') ||
		    (n == 2 && path[0] == '.' && path[1] == '.')) {
			close(fd);
			return -EINVAL;
		}
		memcpy(comp, path, n);
		comp[n] = 0;
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, mode) < 0 && errno != EEXIST) {
				next = -errno;
				close(fd);
				return next;
			}
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			struct stat st;

			next = -errno;
			/* a symbolic link is ELOOP or, with O_DIRECTORY, ENOTDIR: say which */
			if (next == -ENOTDIR && fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				next = -ELOOP;
			close(fd);
			return next;
		}
		close(fd);
		fd = next;
		path += n;
		if (*path == '/')
			path++;
	}
	return fd;
}

int safe_open_parent(int dirfd, const char *path, mode_t mode, bool create, const char **name)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	size_t n;

	*name = slash ? slash + 1 : path;
	if (!**name || strcmp(*name, ".") == 0 || strcmp(*name, "..") == 0)
		return -EINVAL;
	if (!slash)
		return safe_open_dirs(dirfd, "", mode, create);
	n = slash == path ? 1 : (size_t)(slash - path); /* "/x": the root */
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = 0;
	return safe_open_dirs(dirfd, dir, mode, create);
}

/* ------------------------------------------------------------------ directories */

const struct safe_dir_limits safe_dir_default_limits = {
    .max_entries = SAFE_DIR_MAX_ENTRIES,
    .max_bytes = SAFE_DIR_MAX_BYTES,
    .file_cap = SAFEIO_ASR_CAP,
    .policy_cap = SAFEIO_POLICY_CAP,
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int add_skip(struct safe_dir *d, size_t *cap, const char *name, int err, const char *why)
{
	char esc[3 * 64 + 8];
	struct safe_skip *s;

	if (d->nskipped == *cap) {
		size_t ncap = *cap ? 2 * *cap : 8;

		s = realloc(d->skipped, ncap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		d->skipped = s;
		*cap = ncap;
	}
	s = &d->skipped[d->nskipped];
	memset(s, 0, sizeof(*s));
	if (err == -EILSEQ)
		name = text_escape(esc, sizeof(esc), name, strlen(name));
	s->name = strdup(name);
	if (!s->name)
		return -ENOMEM;
	s->err = err;
	snprintf(s->why, sizeof(s->why), "%s", why);
	d->nskipped++;
	return 0;
}

static int add_file(struct safe_dir *d, size_t *cap, const char *name, uint8_t *data, size_t len)
{
	struct safe_file *f;

	if (d->nfiles == *cap) {
		size_t ncap = *cap ? 2 * *cap : 8;

		f = realloc(d->files, ncap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		d->files = f;
		*cap = ncap;
	}
	f = &d->files[d->nfiles];
	f->name = strdup(name);
	if (!f->name)
		return -ENOMEM;
	f->data = data;
	f->len = len;
	d->nfiles++;
	d->bytes += len;
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct safe_file *)a)->name, ((const struct safe_file *)b)->name);
}

static int cmp_skip(const void *a, const void *b)
{
	return strcmp(((const struct safe_skip *)a)->name, ((const struct safe_skip *)b)->name);
}

/* One directory entry: loaded, skipped (return 0 either way), or a fatal -errno. */
static int load_entry(int dirfd, const char *name, const struct safe_dir_limits *lim,
		      struct safe_dir *d, size_t *fcap, size_t *scap)
{
	size_t cap = ends_with(name, ".pol") ? lim->policy_cap : lim->file_cap;
	char why[96];
	struct stat st;
	uint8_t *data;
	size_t len;
	int err;

	if (!text_printable(name, strlen(name)))
		return add_skip(d, scap, name, -EILSEQ, "a name with non-printable bytes");
	/* Look before opening: a device is never opened, a symlink never followed. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		err = -errno;
		return add_skip(d, scap, name, err, err_str(-err));
	}
	if (!S_ISREG(st.st_mode))
		return add_skip(d, scap, name,
				S_ISLNK(st.st_mode)   ? -ELOOP
				: S_ISDIR(st.st_mode) ? -EISDIR
						      : -EINVAL,
				kind(st.st_mode));
	if ((uint64_t)st.st_size > cap) {
		snprintf(why, sizeof(why), "%lld bytes, larger than the limit of %zu",
			 (long long)st.st_size, cap);
		return add_skip(d, scap, name, -EFBIG, why);
	}
	/* safe_load checks again on the opened file: it may have been replaced meanwhile */
	err = safe_load(dirfd, name, cap, &data, &len, why, sizeof(why));
	if (err)
		return err == -ENOMEM ? err : add_skip(d, scap, name, err, why);
	if (len > lim->max_bytes - d->bytes) {
		free(data);
		return -EFBIG;
	}
	err = add_file(d, fcap, name, data, len);
	if (err)
		free(data);
	return err;
}

int safe_load_dir(int dirfd, const struct safe_dir_limits *lim, struct safe_dir *out, char *why,
		  size_t why_size)
{
	size_t fcap = 0, scap = 0, entries = 0;
	struct dirent *de;
	DIR *dir = NULL;
	int fd, err = 0;

	memset(out, 0, sizeof(*out));
	if (!lim)
		lim = &safe_dir_default_limits;
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_size, "%s", err_str(-err));
		return err;
	}
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		snprintf(why, why_size, "%s", err_str(-err));
		return err;
	}
	rewinddir(dir);
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno) {
				err = -errno;
				snprintf(why, why_size, "cannot read the directory: %s",
					 err_str(-err));
			}
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++entries > lim->max_entries) {
			err = -E2BIG;
			snprintf(why, why_size, "more than %zu entries", lim->max_entries);
			break;
		}
		err = load_entry(dirfd, de->d_name, lim, out, &fcap, &scap);
		if (err) {
			if (err == -EFBIG)
				snprintf(why, why_size, "more than %zu bytes in its files",
					 lim->max_bytes);
			else
				snprintf(why, why_size, "%s", err_str(-err));
			break;
		}
	}
	closedir(dir);
	if (err) {
		safe_dir_free(out);
		return err;
	}
	if (out->nfiles)
		qsort(out->files, out->nfiles, sizeof(*out->files), cmp_file);
	if (out->nskipped)
		qsort(out->skipped, out->nskipped, sizeof(*out->skipped), cmp_skip);
	return 0;
}

void safe_dir_free(struct safe_dir *d)
{
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].name);
		free(d->files[i].data);
	}
	for (size_t i = 0; i < d->nskipped; i++)
		free(d->skipped[i].name);
	free(d->files);
	free(d->skipped);
	memset(d, 0, sizeof(*d));
}

const struct safe_file *safe_dir_file(const struct safe_dir *d, const char *name)
{
	for (size_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i].name, name) == 0)
			return &d->files[i];
	return NULL;
}

const struct safe_skip *safe_dir_skip(const struct safe_dir *d, const char *name)
{
	for (size_t i = 0; i < d->nskipped; i++)
		if (strcmp(d->skipped[i].name, name) == 0)
			return &d->skipped[i];
	return NULL;
}
