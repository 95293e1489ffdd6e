/* SPDX-License-Identifier: MIT */
/*
 * The root volume (pvboot.yaml(5) root:): attach it from the sealed header, and prove
 * the live device-mapper table (pvboot(8), THE ROOT VOLUME). Everything goes through
 * the host seam; the parsing and the comparison are pure (luks2.c, dmcrypt.c).
 */
#ifndef PVBOOT_ROOTDEV_H
#define PVBOOT_ROOTDEV_H

#include <stddef.h>
#include <stdint.h>

#include "bootcfg.h"
#include "luks2.h"

#define ROOT_WHY_LEN	    768
#define ROOT_DISK_HDR_CAP   (2u * LUKS2_HDR_MAX) /* both copies of the largest header */
#define ROOT_ATTACH_TIMEOUT 120000		 /* ms: the PBKDF under TCG is slow */
#define ROOT_CRYPTSETUP_PATHS                                                                      \
	{                                                                                          \
		"/usr/sbin/cryptsetup", "/sbin/cryptsetup", NULL                                   \
	}

/* The resolved device: its /dev name and number. */
struct root_dev {
	char dev[256];
	unsigned major, minor;
};

/*
 * Resolve r->device (waiting is the caller's business): 0, -ENOENT (not there yet),
 * or -errno with why.
 */
int root_resolve(const struct boot_root *r, struct root_dev *d, char *why, size_t why_size);

/*
 * The header the live table must match: the sealed file r->header (in the image), or
 * the first ROOT_DISK_HDR_CAP bytes of the device (one read) when there is none; parsed
 * with luks2_parse and held to luks2_check with r's ciphers. 0 or -errno with why
 * naming the file or the device.
 */
int root_load_header(const struct boot_root *r, const struct root_dev *d, struct luks2_hdr *h,
		     char *why, size_t why_size);

/*
 * Open the volume with the image's cryptsetup: `cryptsetup open --type luks2 --header
 * HEADER --key-file - --batch-mode DEVICE NAME`, the key on a pipe, no terminal. 0 or
 * -errno with why (cryptsetup's own words, escaped).
 */
int root_attach(const struct boot_root *r, const struct root_dev *d, const uint8_t *key,
		size_t keylen, char *why, size_t why_size);

/*
 * Read the live table of /dev/mapper/<r->name> through the device-mapper ioctls and
 * require exactly one crypt target over d with h's cipher, key size, data offset,
 * sector size and IV tweak. 0; -EPERM (a mapping that is not the expected one),
 * -ENXIO (no such mapping) or another -errno, with why.
 */
int root_check_live(const struct boot_root *r, const struct root_dev *d, const struct luks2_hdr *h,
		    char *why, size_t why_size);

/* Remove the mapping r->name (DM_DEV_REMOVE): 0, or -errno (-ENXIO: there was none). */
int root_detach(const struct boot_root *r);

#endif
