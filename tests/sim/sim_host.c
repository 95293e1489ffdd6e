// SPDX-License-Identifier: MIT
/*
 * The file side of the simulated machine: sysfs (/sys/firmware/uv, spec/uv.md §1.9),
 * /proc/cmdline, /dev/kmsg (appended to <machine>/kmsg) and a virtual clock whose
 * sleeps cost no wall time. With "host: real" the guest's files, disks, command line,
 * kernel log and clock are the real system's, through src/host_linux.c compiled as
 * real_host_* (host_real.h); only the UV and the AP bus stay simulated.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dmcrypt.h"
#include "host.h"
#include "safeio.h"
#include "sim.h"
#include "uv.h"

#define KMSG_MAX	 1024 /* the kernel's PRINTKRB_RECORD_MAX: longer writes are EINVAL */
#define KMSG_MAX_OLD	 992  /* older kernels: LOG_LINE_MAX, 1024 - 32 */
#define KMSG_BURST	 10   /* DEFAULT_RATELIMIT_BURST */
#define KMSG_INTERVAL_NS 5000000000ull /* DEFAULT_RATELIMIT_INTERVAL, 5 s */

static uint64_t offset_no_machine;

/* The loaded machine if it is "host: real", else NULL. */
static struct sim *real_machine(void)
{
	struct sim *s = sim_get();

	return s && s->m.real_host ? s : NULL;
}

enum node { N_NONE, N_DIR, N_FILE };

/* Render a kernel path of the simulated machine; N_NONE if it does not exist. */
static enum node render(const struct sim *s, const char *path, char *out, size_t size)
{
	const struct sim_machine *m = s ? &s->m : NULL;
	const char *q;

	out[0] = 0;
	if (strcmp(path, "/proc/cmdline") == 0) {
		snprintf(out, size, "%s\n", m ? m->cmdline : "");
		return N_FILE;
	}
	if (strcmp(path, "/dev/kmsg") == 0)
		return N_FILE;
	if (!m || !m->se_guest)
		return N_NONE;
	if (strcmp(path, UV_DEVICE_PATH) == 0)
		return m->uvdevice == SIM_UVDEV_ABSENT ? N_NONE : N_FILE;
	if (strncmp(path, UV_SYSFS_DIR, strlen(UV_SYSFS_DIR)) != 0)
		return N_NONE;
	path += strlen(UV_SYSFS_DIR);
	if (strcmp(path, "") == 0 || strcmp(path, "/") == 0 || strcmp(path, "/query") == 0 ||
	    strcmp(path, "/query/") == 0)
		return N_DIR;
	if (strcmp(path, "/prot_virt_guest") == 0) {
		snprintf(out, size, "1\n");
		return N_FILE;
	}
	if (strcmp(path, "/prot_virt_host") == 0) {
		snprintf(out, size, "0\n");
		return N_FILE;
	}
	if (strncmp(path, "/query/", 7) != 0)
		return N_NONE;
	q = path + 7;
	if (strcmp(q, "facilities") == 0)
		snprintf(out, size, "%llx\n0\n0\n0\n", (unsigned long long)m->facilities);
	else if (strcmp(q, "supp_add_secret_req_ver") == 0)
		snprintf(out, size, "%llx\n", (unsigned long long)m->supp_req_ver);
	else if (strcmp(q, "supp_add_secret_pcf") == 0)
		snprintf(out, size, "%llx\n", (unsigned long long)m->supp_pcf);
	else if (strcmp(q, "supp_secret_types") == 0)
		snprintf(out, size, "%llx\n", (unsigned long long)m->supp_types);
	else if (strcmp(q, "max_secrets") == 0)
		snprintf(out, size, "%d\n", (int)(m->max_assoc + m->max_retr));
	else if (strcmp(q, "max_assoc_secrets") == 0 && m->kernel == SIM_KERNEL_MAINLINE)
		snprintf(out, size, "%d\n", (int)m->max_assoc);
	else if (strcmp(q, "max_retr_secrets") == 0 && m->kernel == SIM_KERNEL_MAINLINE)
		snprintf(out, size, "%d\n", (int)m->max_retr);
	else
		return N_NONE;
	return N_FILE;
}

int host_read_text(const char *path, char *buf, size_t size)
{
	char text[SIM_MAX_CMDLINE + 16];
	size_t len;

	if (!size)
		return -EINVAL;
	if (sim_ap_owns(path))
		return sim_ap_read(sim_get(), path, buf, size);
	if (real_machine() && strcmp(path, "/proc/cmdline") == 0)
		return real_host_read_text(path, buf, size);
	switch (render(sim_get(), path, text, sizeof(text))) {
	case N_NONE:
		return -ENOENT;
	case N_DIR:
		return -EISDIR;
	case N_FILE:
		break;
	}
	if (strcmp(path, "/dev/kmsg") == 0)
		return -EINVAL; /* reading records is not modelled */
	len = strlen(text);
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = 0;
	return (int)len;
}

int host_path_exists(const char *path)
{
	char text[SIM_MAX_CMDLINE + 16];

	if (sim_ap_owns(path))
		return sim_ap_exists(sim_get(), path);
	return render(sim_get(), path, text, sizeof(text)) != N_NONE;
}

int host_write_text(const char *path, const char *text, size_t len)
{
	char buf[SIM_MAX_CMDLINE + 16];

	if (sim_ap_owns(path))
		return sim_ap_write(sim_get(), path, text, len);
	switch (render(sim_get(), path, buf, sizeof(buf))) {
	case N_NONE:
		return -ENOENT;
	case N_DIR:
		return -EISDIR;
	case N_FILE:
		break;
	}
	return -EACCES; /* every attribute modelled so far is read-only (0444) */
}

int host_list_dir(const char *path, int (*fn)(const char *name, void *ctx), void *ctx)
{
	char buf[SIM_MAX_CMDLINE + 16];

	if (sim_ap_owns(path))
		return sim_ap_list(sim_get(), path, fn, ctx);
	switch (render(sim_get(), path, buf, sizeof(buf))) {
	case N_NONE:
		return -ENOENT;
	case N_FILE:
		return -ENOTDIR;
	case N_DIR:
		break;
	}
	return 0;
}

int host_path(const char *path, char *out, size_t size)
{
	struct sim *s = sim_get();
	int n;

	if (!s)
		return -ENODEV;
	if (s->m.real_host)
		return real_host_path(path, out, size);
	n = snprintf(out, size, "%s/root%s", s->m.dir, path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * The guest's own directory path (absolute, as the guest sees it) below <machine>/root,
 * opened with the same helper as src/host_linux.c uses (no symbolic link, missing
 * components made with mode); the parent of path with name set, when name is not NULL.
 */
static int guest_dirs(const char *path, mode_t mode, const char **name)
{
	char root[4096];
	int rootfd, fd;

	if (host_path("", root, sizeof(root)))
		return -ENODEV;
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	fd = name ? safe_open_parent(rootfd, path + 1, mode, true, name)
		  : safe_open_dirs(rootfd, path + 1, mode, true);
	close(rootfd);
	return fd;
}

int host_lock_try(const char *path)
{
	const char *name;
	int dirfd, fd, err;

	if (real_machine())
		return real_host_lock_try(path);
	dirfd = guest_dirs(path, 0755, &name);
	if (dirfd < 0)
		return dirfd;
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	close(dirfd);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
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

/* Append one line to <machine>/NAME: the records of mounts (mounts.log) and of the
 * device mapper and programs (dm.log) for state assertions. */
__attribute__((format(printf, 3, 4))) static void machine_log(struct sim *s, const char *name,
							      const char *fmt, ...)
{
	char path[2048];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", s->m.dir, name);
	f = fopen(path, "a");
	if (!f)
		sim_die("%s: cannot append: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f))
		sim_die("%s: write failed", path);
}

static const struct sim_disk *find_disk(struct sim *s, const char *spec)
{
	for (size_t i = 0; i < s->m.n_disks; i++) {
		const struct sim_disk *d = &s->m.disks[i];
		bool match;

		if (strncmp(spec, "LABEL=", 6) == 0)
			match = strcmp(spec + 6, d->label) == 0 && d->label[0];
		else if (strncmp(spec, "UUID=", 5) == 0)
			match = strcasecmp(spec + 5, d->uuid) == 0 && d->uuid[0];
		else if (strncmp(spec, "PARTLABEL=", 10) == 0)
			match = strcmp(spec + 10, d->partlabel) == 0 && d->partlabel[0];
		else if (strncmp(spec, "PARTUUID=", 9) == 0)
			match = strcasecmp(spec + 9, d->partuuid) == 0 && d->partuuid[0];
		else
			match = strcmp(spec, d->dev) == 0;
		if (match && s->st.clock_offset_ns >= d->appears_ms * 1000000u)
			return d;
	}
	return NULL;
}

int host_find_block(const char *spec, char *dev, size_t size)
{
	struct sim *s = sim_get();
	const struct sim_disk *d;

	if (s && s->m.real_host)
		return real_host_find_block(spec, dev, size);
	d = s ? find_disk(s, spec) : NULL;
	if (!d)
		return -ENOENT;
	if (strlen(d->dev) >= size)
		return -ENAMETOOLONG;
	snprintf(dev, size, "%s", d->dev);
	return 0;
}

/* Is type one of the comma-separated list? */
static bool in_list(const char *list, const char *type)
{
	size_t n = strlen(type);

	while (*list) {
		size_t len = strcspn(list, ",");

		if (len == n && strncmp(list, type, n) == 0)
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

int host_mount_ro(const char *dev, const char *target, const char *fstypes, int *rootfd)
{
	struct sim *s = sim_get();
	const struct sim_disk *d;
	int fd;

	if (s && s->m.real_host)
		return real_host_mount_ro(dev, target, fstypes, rootfd);
	d = s ? find_disk(s, dev) : NULL;
	if (!d)
		return -ENOENT;
	/* the mount point, made as src/host_linux.c makes it (0700, no symbolic link) */
	fd = guest_dirs(target, 0700, NULL);
	if (fd < 0)
		return fd;
	close(fd);
	if (d->mount_errno) {
		machine_log(s, "mounts.log", "mount %s on %s failed", dev, target);
		return -d->mount_errno;
	}
	/* the kernel is offered only the types in the list: another one never mounts */
	if (!in_list(fstypes, d->fstype)) {
		machine_log(s, "mounts.log", "mount %s on %s failed: %s is not one of %s", dev,
			    target, d->fstype, fstypes);
		return -EMEDIUMTYPE;
	}
	fd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		sim_die("%s: cannot open the disk's directory: %s", d->dir, strerror(errno));
	machine_log(s, "mounts.log", "mount %s on %s (ro,nosuid,nodev,noexec)", dev, target);
	*rootfd = fd;
	return 0;
}

int host_umount(const char *target)
{
	struct sim *s = sim_get();

	if (!s)
		return -EINVAL;
	if (s->m.real_host)
		return real_host_umount(target);
	machine_log(s, "mounts.log", "umount %s", target);
	return 0;
}

int host_open_dir(const char *path)
{
	char real[4096];
	int fd, err;

	if (real_machine())
		return real_host_open_dir(path);
	err = host_path(path, real, sizeof(real));
	if (err)
		return err;
	fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/* Append one record (a newline added if missing) to <machine>/kmsg. */
static void kmsg_append(struct sim *s, const char *rec, size_t len)
{
	char path[2048];
	size_t off = 0;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/kmsg", s->m.dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		sim_die("%s: cannot append: %s", path, strerror(errno));
	while (off < len && !err) {
		ssize_t n = write(fd, rec + off, len - off);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (!err && (len == 0 || rec[len - 1] != '\n') && write(fd, "\n", 1) != 1)
		err = -errno;
	close(fd);
	if (err)
		sim_die("%s: write failed: %s", path, strerror(-err));
}

/* printk.devkmsg= on the simulated kernel command line: "on", "off" or "ratelimit". */
static const char *devkmsg_mode(const struct sim *s)
{
	const char *p = strstr(s->m.cmdline, "printk.devkmsg=");

	if (!p || (p != s->m.cmdline && p[-1] != ' '))
		return "ratelimit";
	p += strlen("printk.devkmsg=");
	if (strncmp(p, "on", 2) == 0 && (!p[2] || p[2] == ' '))
		return "on";
	if (strncmp(p, "off", 3) == 0 && (!p[3] || p[3] == ' '))
		return "off";
	return "ratelimit";
}

static void kmsg_at_exit(void)
{
	struct sim *s = sim_get();

	if (s)
		sim_kmsg_close(s);
}

void sim_kmsg_close(struct sim *s)
{
	char rec[128];

	if (!s->kmsg.open)
		return;
	/* devkmsg_release -> ratelimit_state_exit (RATELIMIT_MSG_ON_RELEASE) */
	if (s->kmsg.missed) {
		int n = snprintf(rec, sizeof(rec),
				 "<4>pvboot: %u output lines suppressed due to ratelimiting",
				 s->kmsg.missed);

		kmsg_append(s, rec, (size_t)n);
	}
	memset(&s->kmsg, 0, sizeof(s->kmsg));
}

/*
 * devkmsg_write: the length check first (EINVAL), then, unless printk.devkmsg=on, the
 * open file's ratelimit (___ratelimit: the window starts at the first record and
 * restarts with the first record after it ended; a dropped record still "succeeds").
 */
int host_kmsg_write(const char *rec, size_t len)
{
	static bool registered;
	struct sim *s = sim_get();
	const char *mode;
	uint64_t now;

	if (len > (s && s->m.kernel == SIM_KERNEL_OLD ? KMSG_MAX_OLD : KMSG_MAX))
		return -EINVAL;
	if (!s)
		return 0;
	if (s->m.real_host) /* the real kernel applies its own limits */
		return real_host_kmsg_write(rec, len);
	if (!s->kmsg.open) {
		s->kmsg.open = true;
		if (!registered && atexit(kmsg_at_exit) == 0)
			registered = true;
	}
	mode = devkmsg_mode(s);
	if (strcmp(mode, "off") == 0)
		return 0;
	if (strcmp(mode, "ratelimit") == 0) {
		now = host_now_ns();
		if (!s->kmsg.window || now > s->kmsg.begin + KMSG_INTERVAL_NS) {
			s->kmsg.window = true;
			s->kmsg.begin = now;
			s->kmsg.printed = 0;
		}
		if (s->kmsg.printed >= KMSG_BURST) {
			s->kmsg.missed++;
			return 0;
		}
		s->kmsg.printed++;
	}
	kmsg_append(s, rec, len);
	return 0;
}

uint64_t host_now_ns(void)
{
	struct sim *s = sim_get();
	struct timespec ts;

	if (s && s->m.virtual_clock)
		return s->st.clock_offset_ns;
	if (s && s->m.real_host)
		return real_host_now_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec +
	       (s ? s->st.clock_offset_ns : offset_no_machine);
}

void host_sleep_ns(uint64_t ns)
{
	struct sim *s = sim_get();

	if (!s) {
		offset_no_machine += ns;
		return;
	}
	/* The offset also times the simulated AP bus; a real host really waits. */
	if (s->m.real_host)
		real_host_sleep_ns(ns);
	s->st.clock_offset_ns += ns;
	sim_save(s);
}

/* ------------------------------------------------------------------ programs, dm */

/*
 * A simulated machine runs no program: host_run records the call in dm.log (the
 * arguments and how many bytes its stdin got, never the bytes) and answers as
 * machine.yaml "dm" says; `... open ... NAME` with status 0 loads dm.table as the live
 * table of NAME (<machine>/dm/NAME, which a test may also write itself).
 */
int host_run(const char *path, char *const argv[], const void *in, size_t inlen, char *out,
	     size_t out_size, uint64_t timeout_ms)
{
	struct sim *s = sim_get();
	char line[2048], file[2048];
	size_t len = 0, argc = 0;
	bool open = false;
	FILE *f;

	if (s && s->m.real_host)
		return real_host_run(path, argv, in, inlen, out, out_size, timeout_ms);
	if (!s)
		return -ENOENT;
	for (size_t i = 0; argv[i]; i++, argc++) {
		len += (size_t)snprintf(line + len, len < sizeof(line) ? sizeof(line) - len : 0,
					" %s", argv[i]);
		open |= strcmp(argv[i], "open") == 0;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	machine_log(s, "dm.log", "exec %s:%s (stdin: %zu bytes)", path, line, inlen);
	snprintf(out, out_size, "%s", s->m.dm.output);
	if (s->m.dm.status == 0 && open && s->m.dm.table[0] && argc > 1 &&
	    !strchr(argv[argc - 1], '/')) {
		snprintf(file, sizeof(file), "%s/dm", s->m.dir);
		mkdir(file, 0700);
		snprintf(file, sizeof(file), "%s/dm/%s", s->m.dir, argv[argc - 1]);
		f = fopen(file, "w");
		if (!f || fprintf(f, "%s\n", s->m.dm.table) < 0 || fclose(f))
			sim_die("%s: cannot write", file);
	}
	return s->m.dm.status;
}

int host_block_devno(const char *dev, unsigned *major, unsigned *minor)
{
	struct sim *s = sim_get();
	const struct sim_disk *d;

	if (s && s->m.real_host)
		return real_host_block_devno(dev, major, minor);
	d = s ? find_disk(s, dev) : NULL;
	if (!d)
		return -ENOENT;
	*major = d->major;
	*minor = d->minor;
	return 0;
}

int host_read_block(const char *dev, void *buf, size_t len)
{
	struct sim *s = sim_get();
	const struct sim_disk *d;
	size_t got;
	FILE *f;

	if (s && s->m.real_host)
		return real_host_read_block(dev, buf, len);
	d = s ? find_disk(s, dev) : NULL;
	if (!d)
		return -ENOENT;
	if (!d->image[0])
		return 0; /* an empty device */
	f = fopen(d->image, "rb");
	if (!f)
		sim_die("%s: cannot open the disk image: %s", d->image, strerror(errno));
	got = fread(buf, 1, len, f);
	fclose(f);
	return (int)got;
}

/* <machine>/dm/NAME: "START LENGTH TYPE PARAMS", rendered as the kernel answers. */
int host_dm_table(const char *name, void *buf, size_t size)
{
	struct sim *s = sim_get();
	struct dm_ioctl_v4 io;
	struct dm_target_spec_v4 sp = {0};
	char file[2048], line[2048], type[16];
	unsigned long long start, length;
	size_t plen;
	int pos = 0;
	FILE *f;

	if (s && s->m.real_host)
		return real_host_dm_table(name, buf, size);
	if (!s || strchr(name, '/'))
		return -ENXIO;
	if (size < sizeof(io) + sizeof(sp) + 8)
		return -EINVAL;
	snprintf(file, sizeof(file), "%s/dm/%s", s->m.dir, name);
	f = fopen(file, "r");
	if (!f)
		return -ENXIO;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	memset(buf, 0, size);
	memset(&io, 0, sizeof(io));
	io.version[0] = DM_VERSION_MAJOR_V4;
	io.version[1] = 48;
	io.data_start = sizeof(io);
	io.data_size = sizeof(io);
	io.flags = DMF_STATUS_TABLE;
	snprintf(io.name, sizeof(io.name), "%s", name);
	if (line[0]) {
		if (sscanf(line, "%llu %llu %15s %n", &start, &length, type, &pos) != 3)
			sim_die("%s: not START LENGTH TYPE PARAMS", file);
		plen = strlen(line + pos);
		if (sizeof(io) + sizeof(sp) + plen + 1 > size) {
			io.flags |= DMF_BUFFER_FULL;
		} else {
			sp.sector_start = start;
			sp.length = length;
			memcpy(sp.target_type, type, sizeof(type));
			sp.next = (uint32_t)((sizeof(sp) + plen + 1 + 7) & ~7u);
			memcpy((char *)buf + sizeof(io), &sp, sizeof(sp));
			memcpy((char *)buf + sizeof(io) + sizeof(sp), line + pos, plen + 1);
			io.data_size = (uint32_t)(sizeof(io) + sizeof(sp) + plen + 1);
			io.target_count = 1;
		}
		io.flags |= DMF_ACTIVE_PRESENT;
	}
	memcpy(buf, &io, sizeof(io));
	return (int)size;
}

int host_dm_remove(const char *name)
{
	struct sim *s = sim_get();
	char file[2048];

	if (s && s->m.real_host)
		return real_host_dm_remove(name);
	if (!s || strchr(name, '/'))
		return -ENXIO;
	snprintf(file, sizeof(file), "%s/dm/%s", s->m.dir, name);
	if (unlink(file) < 0)
		return -ENXIO;
	machine_log(s, "dm.log", "remove %s", name);
	return 0;
}
