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
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmcrypt.h"
#include "host.h"
#include "safeio.h"
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
		if (mount(dev, target, type, flags, NULL) == 0) {
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

/* ------------------------------------------------------------------ programs */

static int64_t ms_left(uint64_t deadline_ns)
{
	uint64_t now = host_now_ns();

	return now >= deadline_ns ? 0 : (int64_t)((deadline_ns - now + 999999u) / 1000000u);
}

/* The child: stdin from in_fd, stdout and stderr to out_fd, no terminal, then exec. */
static void run_child(const char *path, char *const argv[], int in_fd, int out_fd)
{
	static char *const env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};

	setsid();
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execve(path, argv, env);
	_exit(errno == ENOENT ? 127 : 126);
}

int host_run(const char *path, char *const argv[], const void *in, size_t inlen, char *out,
	     size_t out_size, uint64_t timeout_ms)
{
	uint64_t deadline = host_now_ns() + timeout_ms * 1000000u;
	int inp[2], outp[2], status = 0, ret = 0;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	size_t got = 0, done = 0;
	bool out_open = true;
	pid_t pid, w;

	if (path[0] != '/' || !out_size)
		return -EINVAL;
	if (access(path, X_OK) < 0)
		return -errno;
	if (pipe2(inp, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(outp, O_CLOEXEC) < 0) {
		ret = -errno;
		close(inp[0]);
		close(inp[1]);
		return ret;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(inp[0]);
		close(inp[1]);
		close(outp[0]);
		close(outp[1]);
		return ret;
	}
	if (pid == 0)
		run_child(path, argv, inp[0], outp[1]);
	close(inp[0]);
	close(outp[1]);
	/* the input is small (a key): a pipe buffer holds it; a program that exits
	 * without reading it must not kill us with SIGPIPE */
	sigaction(SIGPIPE, &ign, &old);
	while (done < inlen) {
		ssize_t n = write(inp[1], (const char *)in + done, inlen - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(inp[1]);
	sigaction(SIGPIPE, &old, NULL);
	out[0] = 0;
	while (out_open) {
		struct pollfd pfd = {.fd = outp[0], .events = POLLIN};
		int64_t left = ms_left(deadline);
		char buf[512];
		ssize_t n;
		int p;

		if (left == 0) {
			ret = -ETIMEDOUT;
			break;
		}
		p = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			continue;
		n = read(outp[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			out_open = false;
			break;
		}
		if (got < out_size - 1) {
			size_t take =
			    (size_t)n < out_size - 1 - got ? (size_t)n : out_size - 1 - got;

			memcpy(out + got, buf, take);
			got += take;
			out[got] = 0;
		}
	}
	close(outp[0]);
	/* output closed: the program ends (or closed its output); bounded wait for it */
	if (ret == -ETIMEDOUT)
		kill(pid, SIGKILL);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w < 0 && errno == EINTR)
			continue;
		if (w == pid)
			break;
		if (w < 0)
			return -errno;
		if (ret != -ETIMEDOUT && ms_left(deadline) == 0) {
			kill(pid, SIGKILL);
			ret = -ETIMEDOUT;
		}
		host_sleep_ns(10000000u);
	}
	if (ret)
		return ret;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

/* ------------------------------------------------------------------ block devices */

int host_block_devno(const char *dev, unsigned *maj, unsigned *min)
{
	struct stat st;

	if (stat(dev, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*maj = major(st.st_rdev);
	*min = minor(st.st_rdev);
	return 0;
}

int host_read_block(const char *dev, void *buf, size_t len)
{
	size_t got = 0;
	struct stat st;
	int fd, ret;

	/* dev is udev's name (/dev/disk/by-*), a link the kernel's udev made: followed */
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode)) {
		ret = fstat(fd, &st) < 0 ? -errno : -ENOTBLK;
		close(fd);
		return ret;
	}
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (int)got;
}

/* ------------------------------------------------------------------ device mapper */

static int dm_ioctl_name(unsigned cmd, const char *name, void *buf, size_t size, uint32_t flags)
{
	struct dm_ioctl_v4 *io = buf;
	unsigned long req = _IOWR(DM_IOCTL_MAGIC, cmd, struct dm_ioctl_v4);
	int fd, ret = 0;

	if (size < sizeof(*io) || size > UINT32_MAX)
		return -EINVAL;
	if (strlen(name) >= sizeof(io->name))
		return -ENAMETOOLONG;
	memset(buf, 0, size);
	io->version[0] = DM_VERSION_MAJOR_V4;
	io->data_size = (uint32_t)size;
	io->data_start = sizeof(*io);
	io->flags = flags;
	memcpy(io->name, name, strlen(name));
	fd = open(DM_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, buf) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int host_dm_table(const char *name, void *buf, size_t size)
{
	int ret = dm_ioctl_name(DM_CMD_TABLE_STATUS, name, buf, size, DMF_STATUS_TABLE);

	return ret ? ret : (int)size;
}

int host_dm_remove(const char *name)
{
	struct dm_ioctl_v4 io;

	return dm_ioctl_name(DM_CMD_DEV_REMOVE, name, &io, sizeof(io), 0);
}
