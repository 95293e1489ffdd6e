/* SPDX-License-Identifier: MIT */
/*
 * The /dev/uv ioctl ABI, our own definitions (Debian's kernel headers lack most of
 * them; spec/uv.md §1). The control block is in native byte order; the data the UV
 * produces (secret lists) is big-endian.
 */
#ifndef PVBOOT_UV_H
#define PVBOOT_UV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UV_DEVICE_PATH "/dev/uv"
#define UV_SYSFS_DIR   "/sys/firmware/uv"

struct uvio_ioctl_cb {
	uint32_t flags;
	uint16_t uv_rc;
	uint16_t uv_rrc;
	uint64_t argument_addr;
	uint32_t argument_len;
	uint8_t reserved14[44];
};
_Static_assert(sizeof(struct uvio_ioctl_cb) == 0x40, "uvio_ioctl_cb is 0x40 bytes");

struct uvio_uvdev_info {
	uint64_t supp_uvio_cmds; /* LSB0 bit n: ioctl nr n known to the driver */
	uint64_t supp_uv_cmds;	 /* LSB0 bit n: the UVC behind ioctl nr n is installed */
};

enum uvio_nr {
	UVIO_NR_INFO = 0,
	UVIO_NR_ATT = 1,
	UVIO_NR_ADD_SECRET = 2,
	UVIO_NR_LIST_SECRETS = 3,
	UVIO_NR_LOCK_SECRETS = 4,
	UVIO_NR_RETR_SECRET = 5,
	UVIO_NR_COUNT = 6,
};

/* _IOWR('u', nr, struct uvio_ioctl_cb) with the generic Linux encoding (s390 uses it). */
#define UVIO_IOCTL(nr)	   ((unsigned long)((3u << 30) | (0x40u << 16) | ('u' << 8) | (nr)))
#define UVIO_IOCTL_NR(req) ((unsigned)((req)&0xff))

#define UVIO_ADD_SECRET_MAX_LEN	 0x100000u
#define UVIO_RETR_SECRET_MAX_LEN 0x2000u
#define UV_LIST_PAGE		 0x1000u
#define UV_LIST_PAGES		 4u /* pvsecret's buffer: 4 pages = 340 entries, first */

/* UV return codes (spec/uv.md §1.7) */
#define UVC_RC_EXECUTED		     0x0001
#define UVC_RC_INV_CMD		     0x0002
#define UVC_RC_INV_STATE	     0x0003
#define UVC_RC_INV_LEN		     0x0005
#define UVC_RC_RETR_BUF_SMALL_PVCORE 0x0009
#define UVC_RC_MORE_DATA	     0x0100
#define UVC_RC_ADD_NOT_ALLOWED	     0x0101
#define UVC_RC_LOCKED		     0x0102
#define UVC_RC_ADD_ACCESS	     0x0103
#define UVC_RC_ADD_VERSION	     0x0104
#define UVC_RC_ADD_SIZE		     0x0105
#define UVC_RC_ADD_NKS		     0x0106
#define UVC_RC_ADD_FLAGS	     0x0107
#define UVC_RC_ADD_DECRYPT	     0x0108
#define UVC_RC_ADD_SECRET_TYPE	     0x0109 /* for RETRIEVE, the kernel's "buffer too small" */
#define UVC_RC_ADD_SECRET_LEN	     0x010a
#define UVC_RC_ADD_STORE_FULL	     0x010b
#define UVC_RC_ADD_FAILED	     0x010c
#define UVC_RC_ADD_DUMP		     0x010d
#define UVC_RC_RETR_EMPTY	     0x010f
#define UVC_RC_RETR_NO_INDEX	     0x0110
#define UVC_RC_RETR_NOT_RETRIEVABLE  0x0111

/* The text pvsecret prints for a UV rc of the given ioctl (never NULL). */
const char *uv_rc_text(enum uvio_nr nr, uint16_t rc);

static inline int uv_rc_ok(uint16_t rc)
{
	return rc == UVC_RC_EXECUTED || rc == UVC_RC_MORE_DATA;
}

/* Result of one UV call as seen by the callers above the seam. */
struct uv_result {
	int err;     /* 0, or a negative errno from the ioctl itself */
	uint16_t rc; /* UV return code when err == 0 */
	uint16_t rrc;
};

struct uv_dev;

/*
 * Open /dev/uv through the host seam. Returns 0 or a negative errno; -ENOENT means no
 * uvdevice (not an SE guest, or the module is not loaded), which uv_open_error() words.
 */
int uv_open(struct uv_dev **dev);
void uv_close(struct uv_dev *dev);
/* One line that explains why /dev/uv could not be opened (no trailing newline). */
const char *uv_open_error(int err);

int uv_info(struct uv_dev *dev, struct uvio_uvdev_info *info, struct uv_result *res);
int uv_add_secret(struct uv_dev *dev, const void *asr, size_t len, struct uv_result *res);
/*
 * List secrets into buf (size a multiple of 4096). With fallback set, an EINVAL for a
 * multi-page buffer is retried with one page (old kernels accept exactly 4096 bytes);
 * *used_len says which length succeeded.
 */
int uv_list_secrets(struct uv_dev *dev, void *buf, size_t len, int fallback, size_t *used_len,
		    struct uv_result *res);
int uv_lock_secrets(struct uv_dev *dev, struct uv_result *res);
/* buf[0..2] is overwritten with the index (big-endian, as the kernel reads it). */
int uv_retrieve_secret(struct uv_dev *dev, uint16_t index, void *buf, size_t len,
		       struct uv_result *res);

struct secret_list;
/*
 * LIST the whole store and decode it into list: UV_LIST_PAGES pages first, then, if
 * the store holds more, again with room for all of it (one page on old kernels). 0,
 * with *partial set when the store holds more secrets than the list shows (old
 * kernels); the error of uv_list_secrets() (res says what the UV or the kernel said);
 * -EBADMSG for a malformed list; or -ENOMEM. list is empty on error.
 */
int uv_list_store(struct uv_dev *dev, struct secret_list *list, bool *partial,
		  struct uv_result *res);

struct secret_entry;
/*
 * RETRIEVE the secret of list entry e: *buf is malloc'ed (clear it with secure_zero()
 * before freeing it) and *blen bytes long; [*off, *off + *plen) is the value a user of
 * the secret gets: a plaintext secret's payload (as pvsecret writes it), otherwise the
 * whole buffer. 0, -E2BIG (longer than the uvdevice retrieves), -ENOMEM with res->err
 * 0 (no memory here), or the error of uv_retrieve_secret() with res filled.
 */
int uv_retrieve_entry(struct uv_dev *dev, const struct secret_entry *e, uint8_t **buf, size_t *blen,
		      size_t *off, size_t *plen, struct uv_result *res);

/* " (the kernel's uvdevice does not offer this call)" after ENOTTY, else "". */
const char *uv_result_hint(const struct uv_result *res);

/* "Ultravisor: '<text>' (0x%04x,0x%04x)" or the errno text, into buf. */
const char *uv_result_str(enum uvio_nr nr, const struct uv_result *res, char *buf, size_t size);

#endif
