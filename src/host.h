/* SPDX-License-Identifier: MIT */
/*
 * THE SEAM between pvboot and the kernel. Everything that touches a kernel interface
 * (/dev/uv, sysfs, /proc, /dev/kmsg, the clock) goes through these functions.
 * src/host_linux.c implements them for real; tests/sim/ implements them with a
 * simulated machine and is linked instead to make pvboot-sim. Paths are absolute
 * kernel paths ("/sys/firmware/uv/prot_virt_guest"); the implementation decides where
 * they really are.
 *
 * Every function returns 0 (or a byte count) on success and a negative errno on error.
 */
#ifndef PVBOOT_HOST_H
#define PVBOOT_HOST_H

#include <stddef.h>
#include <stdint.h>

struct uvio_ioctl_cb;

/* Open the UV device; returns a handle >= 0 or -errno (-ENOENT: no such device). */
int host_uv_open(void);
/* Issue ioctl request req with cb on handle; 0 or -errno as the kernel returns it. */
int host_uv_ioctl(int handle, unsigned long req, struct uvio_ioctl_cb *cb);
void host_uv_close(int handle);

/*
 * Read a small kernel text file (sysfs attribute, /proc/cmdline) into buf, at most
 * size - 1 bytes, NUL-terminated. Returns the length or -errno.
 */
int host_read_text(const char *path, char *buf, size_t size);
/* Does the kernel path exist? 1, 0, or -errno for an error other than ENOENT. */
int host_path_exists(const char *path);

/*
 * Write text to a kernel attribute (sysfs) with a single write(2). Returns 0, or the
 * -errno the kernel returned (sysfs stores answer EINVAL, EBUSY, EIO, ...).
 */
int host_write_text(const char *path, const char *text, size_t len);

/*
 * Call fn for each entry of a kernel directory (sysfs), without "." and "..", in no
 * particular order. Stops at the first nonzero return of fn and returns it; otherwise
 * 0, or -errno if the directory cannot be read.
 */
int host_list_dir(const char *path, int (*fn)(const char *name, void *ctx), void *ctx);

/*
 * Where a file of the running system that the host layer does not synthesise (/etc,
 * /run) really is: the path itself on a real system, a directory of the simulated
 * machine in pvboot-sim. 0, -ENAMETOOLONG if it does not fit in size bytes, or
 * -ENODEV if there is no such place (pvboot-sim without a machine).
 */
int host_path(const char *path, char *out, size_t size);

/*
 * Try once to take an exclusive advisory lock (flock) on the system path path (mapped
 * with host_path), creating the file (0600) and its directory if needed. Returns a
 * handle >= 0, -EWOULDBLOCK if another process holds it, or -errno. The kernel
 * releases the lock when the process ends, however it ends.
 */
int host_lock_try(const char *path);
void host_unlock(int handle);

/*
 * Resolve a block device named LABEL=, UUID=, PARTLABEL=, PARTUUID= (as udev publishes
 * them under /dev/disk/by-*; UUIDs compared in lower case as dracut does) or /dev/...
 * into dev. 0, -ENOENT if it is not (yet) there, -ENOTBLK if the name is not a block
 * device, or another -errno.
 */
int host_find_block(const char *spec, char *dev, size_t size);

/*
 * Mount block device dev read-only, nosuid, nodev, noexec at the system path target
 * (created 0700 if missing), trying only the file-system types in fstypes ("ext4,xfs",
 * in that order; never another type the kernel knows), and open its root directory:
 * *rootfd is an O_DIRECTORY descriptor. 0, -EMEDIUMTYPE if it is none of those types
 * (or the kernel knows none of them), or another -errno.
 */
int host_mount_ro(const char *dev, const char *target, const char *fstypes, int *rootfd);
/* Unmount target (detaching it if it is busy). 0 or -errno. */
int host_umount(const char *target);
/* Open the system directory path (mapped with host_path), never through a symlink. */
int host_open_dir(const char *path);

/*
 * Append one record to the kernel log (/dev/kmsg); -errno if that is not possible. The
 * file is opened once per process: the kernel's rate limit (10 records per 5 s per
 * open file, dropped silently) applies to the whole run, and log.c's budget relies on
 * that.
 */
int host_kmsg_write(const char *rec, size_t len);

/* Monotonic clock in nanoseconds, and a sleep on the same clock. */
uint64_t host_now_ns(void);
void host_sleep_ns(uint64_t ns);

/*
 * Run the program at the absolute path path (never searched for) with argv and a fixed
 * environment (PATH, LC_ALL=C), in a new session without a controlling terminal: its
 * stdin is a pipe that carries the inlen bytes at in and is then closed (a secret
 * passed this way never lands in a file), stdout and stderr are one pipe whose first
 * out_size - 1 bytes land NUL-terminated in out (the rest is read and dropped). After
 * timeout_ms the program is killed. Returns its exit status (0-255), 128 + the signal
 * that ended it, -ETIMEDOUT, or -errno (-ENOENT: no such program).
 */
int host_run(const char *path, char *const argv[], const void *in, size_t inlen, char *out,
	     size_t out_size, uint64_t timeout_ms);

/* The device number of the block device dev (a /dev path). 0, -ENOTBLK or -errno. */
int host_block_devno(const char *dev, unsigned *major, unsigned *minor);

/*
 * Read the first len bytes of the block device dev (a /dev path) into buf with one
 * positioned read loop. Returns the bytes read (less than len only at the device's
 * end) or -errno.
 */
int host_read_block(const char *dev, void *buf, size_t len);

/*
 * Device mapper (/dev/mapper/control): the live table of the mapping name as
 * DM_TABLE_STATUS with DM_STATUS_TABLE_FLAG returns it, the struct dm_ioctl and its
 * data area, into buf (size bytes, at least 16 KiB; the kernel sets DM_BUFFER_FULL_FLAG
 * if it did not fit). Returns the bytes of buf the answer may use, -ENXIO if there is
 * no such mapping, or -errno. dmcrypt.h parses it.
 */
int host_dm_table(const char *name, void *buf, size_t size);
/* Remove the mapping name (DM_DEV_REMOVE). 0, -ENXIO (none), -EBUSY (open), -errno. */
int host_dm_remove(const char *name);

#endif
