/* SPDX-License-Identifier: MIT */
/*
 * The live device-mapper table of the root, as the kernel reports it (DM_TABLE_STATUS
 * with DM_STATUS_TABLE_FLAG), and the check that it is exactly the crypt mapping the
 * image expects. Pure: buffers in, results out. The kernel fills the buffer, but the
 * table's text was chosen by whoever loaded it (cryptsetup, driven by a LUKS2 header
 * the host may have written): every length and offset is bounds-checked, every field
 * capped, and the key field is never copied, compared or printed, only measured.
 */
#ifndef PVBOOT_DMCRYPT_H
#define PVBOOT_DMCRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The device-mapper ioctl ABI (linux/dm-ioctl.h, version 4), copied so that the pure
 * parser and its fuzz target need no kernel headers. */
#define DM_IOCTL_MAGIC	    0xfd
#define DM_VERSION_MAJOR_V4 4
#define DM_NAME_LEN_V4	    128
#define DM_UUID_LEN_V4	    129
#define DM_CMD_DEV_REMOVE   4
#define DM_CMD_TABLE_STATUS 12
#define DMF_ACTIVE_PRESENT  (1u << 5)
#define DMF_STATUS_TABLE    (1u << 4)
#define DMF_BUFFER_FULL	    (1u << 8)
#define DM_CONTROL_PATH	    "/dev/mapper/control"
#define DM_TABLE_BUF_MAX    (64u * 1024) /* the table of one crypt target is < 1 KiB */
#define DMCRYPT_PARAMS_MAX  4096
#define DMCRYPT_CIPHER_MAX  64

struct dm_ioctl_v4 {
	uint32_t version[3];
	uint32_t data_size;
	uint32_t data_start;
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t padding;
	uint64_t dev;
	char name[DM_NAME_LEN_V4];
	char uuid[DM_UUID_LEN_V4];
	char data[7];
};

struct dm_target_spec_v4 {
	uint64_t sector_start;
	uint64_t length;
	int32_t status;
	uint32_t next;
	char target_type[16];
};

_Static_assert(sizeof(struct dm_ioctl_v4) == 312, "struct dm_ioctl ABI");
_Static_assert(sizeof(struct dm_target_spec_v4) == 40, "struct dm_target_spec ABI");

/* One live crypt target, as parsed. */
struct dmcrypt_table {
	uint64_t length;		 /* sectors of the mapping */
	char cipher[DMCRYPT_CIPHER_MAX]; /* as loaded: aes-xts-plain64, capi:xts(aes)-plain64 */
	uint32_t key_bytes;		 /* the volume key's size (not its value) */
	bool key_in_keyring;		 /* :<size>:<type>:<description> */
	uint64_t iv_offset;
	unsigned dev_major, dev_minor; /* the underlying device */
	uint64_t offset;	       /* its first data sector (512-byte units) */
	uint32_t sector_size;	       /* 512 unless sector_size:N */
	bool iv_large_sectors;
	unsigned nopts;
};

/* What the image expects: from the configuration and the sealed (or on-disk) header. */
struct dmcrypt_expect {
	const char *cipher; /* exactly this cipher string: an allow-list of one */
	uint32_t key_bits;  /* the volume key's size */
	unsigned dev_major, dev_minor;
	uint64_t offset_bytes; /* the data segment's offset */
	uint32_t sector_size;  /* the data segment's sector size */
	uint64_t iv_tweak;     /* the data segment's IV tweak */
};

/*
 * Parse the result of DM_TABLE_STATUS with DM_STATUS_TABLE_FLAG (buf, len bytes: the
 * struct dm_ioctl and its data area). Requires a live table with exactly one target,
 * of type crypt, from sector 0. 0, or -EBADMSG / -ENODATA (no live table) / -E2BIG
 * (too many targets, fields too long) with why saying what was found.
 */
int dm_table_parse(const void *buf, size_t len, struct dmcrypt_table *t, char *why,
		   size_t why_size);

/* Parse a crypt target's parameters (the table line after "crypt"). 0 or -EBADMSG. */
int dmcrypt_parse_params(const char *params, size_t len, struct dmcrypt_table *t, char *why,
			 size_t why_size);

/* Compare a parsed table with the expectation: 0, or -EPERM with why naming the field. */
int dmcrypt_check(const struct dmcrypt_table *t, const struct dmcrypt_expect *e, char *why,
		  size_t why_size);

#endif
