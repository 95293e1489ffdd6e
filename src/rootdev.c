// SPDX-License-Identifier: MIT
/*
 * The root volume (rootdev.h): attach from the sealed header, prove the live table.
 * The host may have written every byte of the disk, including a LUKS2 header whose
 * data cipher is cipher_null; the kernel's live table is what will be mounted, so that
 * is what is checked, against a header the image itself carries (or, without one, the
 * on-disk header held to the same policy).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmcrypt.h"
#include "host.h"
#include "rootdev.h"
#include "safeio.h"
#include "util.h"

int root_resolve(const struct boot_root *r, struct root_dev *d, char *why, size_t why_size)
{
	int ret = host_find_block(r->device, d->dev, sizeof(d->dev));

	if (ret == -ENOENT)
		return ret;
	if (ret)
		return fail_why(why, why_size, "%s: %s", r->device,
				ret == -ENOTBLK ? "not a block device" : err_str(-ret)),
		       ret;
	ret = host_block_devno(d->dev, &d->major, &d->minor);
	if (ret)
		return fail_why(why, why_size, "%s (%s): %s", r->device, d->dev, err_str(-ret)),
		       ret;
	return 0;
}

int root_load_header(const struct boot_root *r, const struct root_dev *d, struct luks2_hdr *h,
		     char *why, size_t why_size)
{
	const char *ciphers[BOOT_ROOT_MAX_CIPHERS];
	char err[512];
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (r->header[0]) {
		ret =
		    safe_load_path(r->header, false, LUKS2_FILE_CAP, &buf, &len, err, sizeof(err));
		if (ret)
			return fail_why(why, why_size, "the sealed header %s", err), ret;
	} else {
		buf = malloc(ROOT_DISK_HDR_CAP);
		if (!buf)
			return fail_why(why, why_size, "out of memory"), -ENOMEM;
		ret = host_read_block(d->dev, buf, ROOT_DISK_HDR_CAP);
		if (ret < 0) {
			free(buf);
			return fail_why(why, why_size, "%s: cannot read the LUKS2 header: %s",
					d->dev, err_str(-ret)),
			       ret;
		}
		len = (size_t)ret;
	}
	ret = luks2_parse(buf, len, h, err, sizeof(err));
	free(buf);
	if (!ret) {
		for (size_t i = 0; i < r->n_ciphers; i++)
			ciphers[i] = r->ciphers[i];
		ret = luks2_check(h, ciphers, r->n_ciphers, err, sizeof(err));
	}
	if (ret)
		return fail_why(why, why_size, "%s: %s", r->header[0] ? r->header : d->dev, err),
		       -EINVAL;
	return 0;
}

int root_attach(const struct boot_root *r, const struct root_dev *d, const uint8_t *key,
		size_t keylen, char *why, size_t why_size)
{
	static const char *const paths[] = ROOT_CRYPTSETUP_PATHS;
	char hdr[BOOT_PATH_MAX], dev[sizeof(d->dev)], name[BOOT_ROOT_NAME_MAX], out[512], esc[600];
	char *argv[] = {"cryptsetup", "open", "--type",	      "luks2", "--header", hdr,
			"--key-file", "-",    "--batch-mode", dev,     name,	   NULL};
	int ret = -ENOENT;

	snprintf(hdr, sizeof(hdr), "%s", r->header);
	snprintf(dev, sizeof(dev), "%s", d->dev);
	snprintf(name, sizeof(name), "%s", r->name);
	for (size_t i = 0; paths[i] && ret == -ENOENT; i++)
		ret = host_run(paths[i], argv, key, keylen, out, sizeof(out), ROOT_ATTACH_TIMEOUT);
	if (ret == -ENOENT)
		return fail_why(why, why_size,
				"no cryptsetup in the image (/usr/sbin/cryptsetup, "
				"/sbin/cryptsetup)"),
		       ret;
	if (ret < 0)
		return fail_why(why, why_size, "cryptsetup: %s", err_str(-ret)), ret;
	if (ret > 0) {
		out[strcspn(out, "\n")] = 0; /* its first line says why */
		return fail_why(
			   why, why_size, "cryptsetup open %s as %s failed (exit status %d): %s",
			   d->dev, r->name, ret,
			   out[0] ? text_escape(esc, sizeof(esc), out, strlen(out)) : "no message"),
		       -EIO;
	}
	return 0;
}

int root_check_live(const struct boot_root *r, const struct root_dev *d, const struct luks2_hdr *h,
		    char *why, size_t why_size)
{
	struct dmcrypt_expect e = {
	    .cipher = h->cipher,
	    .key_bits = h->key_bits,
	    .dev_major = d->major,
	    .dev_minor = d->minor,
	    .offset_bytes = h->data_offset,
	    .sector_size = h->sector_size,
	    .iv_tweak = h->iv_tweak,
	};
	size_t size = 16384;
	struct dmcrypt_table t;
	char err[400];
	uint8_t *buf;
	int ret;

	for (;;) {
		buf = malloc(size);
		if (!buf)
			return fail_why(why, why_size, "out of memory"), -ENOMEM;
		ret = host_dm_table(r->name, buf, size);
		if (ret < 0) {
			free(buf);
			return fail_why(why, why_size, "/dev/mapper/%s: %s", r->name,
					ret == -ENXIO ? "no such mapping" : err_str(-ret)),
			       ret;
		}
		ret = dm_table_parse(buf, (size_t)ret, &t, err, sizeof(err));
		/* a hex key was in buf: never left in memory */
		secure_zero(buf, size);
		free(buf);
		if (ret != -E2BIG || size >= DM_TABLE_BUF_MAX)
			break;
		size *= 2;
	}
	if (!ret)
		ret = dmcrypt_check(&t, &e, err, sizeof(err));
	/* any table that does not parse as the one expected crypt target is a mismatch */
	if (ret)
		return fail_why(why, why_size, "/dev/mapper/%s: %s", r->name, err), -EPERM;
	return 0;
}

int root_detach(const struct boot_root *r)
{
	return host_dm_remove(r->name);
}
