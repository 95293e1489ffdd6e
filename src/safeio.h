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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SAFEIO_ASR_CAP	  (1024 * 1024)
#define SAFEIO_POLICY_CAP (64 * 1024)

/*
 * Load path (relative to dirfd, AT_FDCWD for the working directory). Returns 0 and a
 * malloc'ed buffer (NUL-terminated one past len), or a negative errno with why set to
 * what was found ("a symbolic link (not followed)", "larger than 1048576 bytes", ...).
 */
int safe_load(int dirfd, const char *path, size_t cap, uint8_t **data, size_t *len, char *why,
	      size_t why_size);

/*
 * safe_load() of a configuration-side file named by path: a system path, mapped with
 * host_path() (so that pvboot-sim finds the simulated guest's /etc), unless literal.
 * On error, err is "<path>: <what was found>".
 */
int safe_load_path(const char *path, bool literal, size_t cap, uint8_t **data, size_t *len,
		   char *err, size_t errsz);

/* Create path exclusively with mode and write data; refuses symlinks and existing files. */
int safe_write_new(const char *path, const void *data, size_t len, mode_t mode);
/* The same, name relative to the directory dirfd. */
int safe_write_new_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode);
/* Create or truncate path (no symlink following) and write data. */
int safe_write(const char *path, const void *data, size_t len, mode_t mode);
/* Write all of data to fd. */
int write_all(int fd, const void *data, size_t len);
/*
 * Overwrite the regular file name (relative to dirfd, never through a symbolic link)
 * with zeros and unlink it: a retrieved secret that must not outlive its use. 0 when
 * removed, 1 when there is no such file; -ELOOP for a symbolic link and -EINVAL for
 * another non-regular file (both left alone), or the first -errno (the file is still
 * unlinked when only the overwrite failed).
 */
int safe_wipe_at(int dirfd, const char *name);

/*
 * Open the directory path (relative to dirfd, or absolute) one component at a time
 * with O_DIRECTORY | O_NOFOLLOW, so that no component is ever a symbolic link; with
 * create, missing components are made with mode (pvboot's own directories: 0700).
 * THE one "mkdir -p" of pvboot, its host layer and the simulator. path must be clean:
 * an empty, "." or ".." component is -EINVAL; "" opens dirfd itself. Returns an
 * O_DIRECTORY descriptor, or -errno: -ELOOP for a symbolic link, -ENOTDIR for
 * another non-directory.
 */
int safe_open_dirs(int dirfd, const char *path, mode_t mode, bool create);
/* The same for the directory that holds path; *name is path's last component. */
int safe_open_parent(int dirfd, const char *path, mode_t mode, bool create, const char **name);

/*
 * A directory of untrusted files (the sics/ directory of a boot partition), read into
 * memory once. Every entry is looked at with fstatat(AT_SYMLINK_NOFOLLOW) and loaded
 * with safe_load() (openat O_NOFOLLOW, fstat, cap, one read), so only regular files
 * are ever opened; symbolic links, FIFOs, devices, sockets, sub-directories, files over
 * their cap and names that are not printable text are skipped, never followed or read,
 * and reported in `skipped` with the reason.
 */
#define SAFE_DIR_MAX_ENTRIES 1024	 /* directory entries of any kind */
#define SAFE_DIR_MAX_BYTES   (16u << 20) /* all loaded files together */

struct safe_dir_limits {
	size_t max_entries; /* more entries (of any kind) than this: -E2BIG */
	size_t max_bytes;   /* loaded files together larger than this: -EFBIG */
	size_t file_cap;    /* per file (SAFEIO_ASR_CAP) */
	size_t policy_cap;  /* per file whose name ends in ".pol" (SAFEIO_POLICY_CAP) */
};

/* SAFE_DIR_MAX_ENTRIES, SAFE_DIR_MAX_BYTES, SAFEIO_ASR_CAP, SAFEIO_POLICY_CAP */
extern const struct safe_dir_limits safe_dir_default_limits;

struct safe_file {
	char *name;    /* printable, no '/' */
	uint8_t *data; /* the only copy that is verified and used; NUL one past len */
	size_t len;
};

struct safe_skip {
	char *name;   /* as in the directory, or escaped (\xNN) if not printable */
	int err;      /* -ELOOP symlink, -EISDIR directory, -EINVAL FIFO/device/socket,
			 -EFBIG over the cap, -EILSEQ name not printable, or an I/O errno */
	char why[96]; /* "a symbolic link (not followed)", ... */
};

struct safe_dir {
	struct safe_file *files; /* sorted by name (strcmp) */
	size_t nfiles;
	struct safe_skip *skipped; /* sorted by name */
	size_t nskipped;
	size_t bytes; /* loaded, together */
};

/*
 * Read the directory open at dirfd (the fd stays open and the caller's; a duplicate
 * is read, which shares, and so moves, its directory offset; openat() does not care).
 * lim NULL means safe_dir_default_limits. Returns 0, or a negative errno with why set
 * (too many entries, too many bytes, the directory cannot be read); then *out is
 * empty. Free with safe_dir_free().
 */
int safe_load_dir(int dirfd, const struct safe_dir_limits *lim, struct safe_dir *out, char *why,
		  size_t why_size);
void safe_dir_free(struct safe_dir *d);
/* The loaded file / skipped entry with exactly this name, or NULL. */
const struct safe_file *safe_dir_file(const struct safe_dir *d, const char *name);
const struct safe_skip *safe_dir_skip(const struct safe_dir *d, const char *name);

#endif
