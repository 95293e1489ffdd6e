// SPDX-License-Identifier: MIT
/*
 * The real host: the only file that opens kernel interfaces and calls ioctl on them.
 * tests/sim replaces it at link time (see host.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "safeio.h"
#include "util.h"
#include "uv.h"

int host_uv_open(void)
{
	int fd = open(UV_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int host_uv_ioctl(int handle, unsigned long req, struct uvio_ioctl_cb *cb)
{
	return ioctl(handle, req, cb) < 0 ? -errno : 0;
}

void host_uv_close(int handle)
{
	close(handle);
}

int host_read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return (int)len;
}

int host_path_exists(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

int host_write_text(const char *path, const char *text, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err && errno != EINTR)
		err = -errno;
	return err;
}

int host_list_dir(const char *path, int (*fn)(const char *name, void *ctx), void *ctx)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = opendir(path);
	if (!d)
		return -errno;
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				ret = -errno;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ret = fn(de->d_name, ctx);
		if (ret)
			break;
	}
	closedir(d);
	return ret;
}

int host_path(const char *path, char *out, size_t size)
{
	size_t len = strlen(path);

	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(out, path, len + 1);
	return 0;
}

int host_lock_try(const char *path)
{
	const char *name;
	int dirfd, fd;

	/* /run/lock as a system makes it (0755), never through a symbolic link */
	dirfd = safe_open_parent(AT_FDCWD, path, 0755, true, &name);
	if (dirfd < 0)
		return dirfd;
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	close(dirfd);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;

		close(fd);
		return err;
	}
	return fd;
}

void host_unlock(int handle)
{
	if (handle >= 0)
		close(handle);
}

/* udev's encoding of a name in /dev/disk/by-label (encode_devnode_name): \xHH. */
static int udev_encode(const char *in, bool lower, char *out, size_t size)
{
	static const char ok[] = "#+-.:=@_";
	size_t o = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c >= 0x80 || strchr(ok, c)) {
			if (o + 1 >= size)
				return -ENAMETOOLONG;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= size)
				return -ENAMETOOLONG;
			snprintf(out + o, 5, "\\x%02x", c);
			o += 4;
		}
	}
	out[o] = 0;
	return 0;
}

int host_find_block(const char *spec, char *dev, size_t size)
{
	static const struct {
		const char *prefix, *dir;
		bool lower;
	} kinds[] = {
	    {"LABEL=", "/dev/disk/by-label/", false},
	    {"UUID=", "/dev/disk/by-uuid/", true},
	    {"PARTLABEL=", "/dev/disk/by-partlabel/", false},
	    {"PARTUUID=", "/dev/disk/by-partuuid/", true},
	};
	char enc[1024];
	struct stat st;
	int n = -1, err;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t plen = strlen(kinds[i].prefix);

		if (strncmp(spec, kinds[i].prefix, plen) != 0)
			continue;
		err = udev_encode(spec + plen, kinds[i].lower, enc, sizeof(enc));
		if (err)
			return err;
		n = snprintf(dev, size, "%s%s", kinds[i].dir, enc);
		break;
	}
	if (n < 0)
		n = snprintf(dev, size, "%s", spec);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	if (stat(dev, &st) < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	return S_ISBLK(st.st_mode) ? 0 : -ENOTBLK;
}

int host_mount_ro(const char *dev, const char *target, const char *fstypes, int *rootfd)
{
	const unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	int err = -EMEDIUMTYPE, fd;
	const char *p = fstypes;

	/* the mount point and /run/pvboot are pvboot's own: 0700, no symbolic link */
	fd = safe_open_dirs(AT_FDCWD, target, 0700, true);
	if (fd < 0)
		return fd;
	close(fd);
	/*
	 * Only the configured types, never every type in /proc/filesystems: the host's
	 * image must not reach rarely used file-system drivers. A type that is a module
	 * is loaded by the kernel on demand.
	 */
	while (*p) {
		size_t len = strcspn(p, ",");
		char type[32];

		snprintf(type, sizeof(type), "%.*s", (int)(len < sizeof(type) ? len : 0), p);
		p += len + (p[len] == ',');
		if (!type[0])
			continue;
		/* never replay or parse the host's journal (noload, norecovery) */
		if (mount(dev, target, type, flags, fs_ro_mount_data(type)) == 0) {
			fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (fd < 0) {
				err = -errno;
				umount2(target, MNT_DETACH);
				return err;
			}
			*rootfd = fd;
			return 0;
		}
		/* EINVAL: not this type; ENODEV: a type the kernel does not know */
		if (errno != EINVAL && errno != ENODEV)
			err = -errno;
	}
	return err;
}

int host_umount(const char *target)
{
	if (umount2(target, 0) == 0)
		return 0;
	if (errno == EBUSY && umount2(target, MNT_DETACH) == 0)
		return 0;
	return -errno;
}

int host_open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	return fd < 0 ? -errno : fd;
}

int host_kmsg_write(const char *rec, size_t len)
{
	static int fd = -2;
	ssize_t n;

	if (fd == -2)
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -ENODEV;
	n = write(fd, rec, len);
	return n < 0 ? -errno : 0;
}

uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void host_sleep_ns(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
