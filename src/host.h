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

/* Append one record to the kernel log (/dev/kmsg); -errno if that is not possible. */
int host_kmsg_write(const char *rec, size_t len);

/* Monotonic clock in nanoseconds, and a sleep on the same clock. */
uint64_t host_now_ns(void);
void host_sleep_ns(uint64_t ns);

#endif
