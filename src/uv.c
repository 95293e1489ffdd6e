// SPDX-License-Identifier: MIT
/* The /dev/uv calls, through the host seam, and the texts of the UV return codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "host.h"
#include "secret_list.h"
#include "uv.h"
#include "util.h"

struct uv_dev {
	int handle;
};

static const char *rc_text_common(uint16_t rc)
{
	switch (rc) {
	case 0x0000:
		return "invalid rc";
	case UVC_RC_EXECUTED:
	case UVC_RC_MORE_DATA:
		return "success";
	case UVC_RC_INV_CMD:
		return "invalid UV command";
	case UVC_RC_INV_LEN:
		return "request has an invalid size";
	case 0x0030:
	case 0x0031:
	case 0x0032:
		return "address-space or translation error; STOP using this guest";
	}
	return NULL;
}

static const char *rc_text_add(uint16_t rc)
{
	switch (rc) {
	case 0x0101:
		return "not allowed to modify the secret store";
	case 0x0102:
		return "secret store locked";
	case 0x0103:
		return "access exception when accessing request control block";
	case 0x0104:
		return "unsupported add secret version";
	case 0x0105:
		return "invalid request size";
	case 0x0106:
		return "invalid number of host-keys";
	case 0x0107:
		return "unsupported flags specified";
	case 0x0108:
		return "unable to decrypt the request";
	case 0x0109:
		return "unsupported secret provided";
	case 0x010a:
		return "invalid length for the specified secret";
	case 0x010b:
		return "secret store full";
	case 0x010c:
		return "unable to add secret";
	case 0x010d:
		return "dump in progress, try again later";
	}
	return NULL;
}

static const char *rc_text_lock(uint16_t rc)
{
	switch (rc) {
	case 0x0101:
		return "not allowed to modify the secret store";
	case 0x0102:
		return "secret store already locked";
	}
	return NULL;
}

static const char *rc_text_retr(uint16_t rc)
{
	switch (rc) {
	case 0x0009: /* pv_core's value */
	case 0x0109: /* the kernel's UVC_RC_RETR_SECR_BUF_SMALL */
		return "the allocated buffer is to small to store the secret";
	case 0x0102:
		return "access exception recognized when accessing retrieved secret storage area";
	case 0x010f:
		return "the Secret Store is empty";
	case 0x0110:
		return "the Secret Store does not contain a secret with the specified index";
	case 0x0111:
		return "the secret is not retrievable";
	}
	return NULL;
}

const char *uv_rc_text(enum uvio_nr nr, uint16_t rc)
{
	const char *t = rc_text_common(rc);

	if (t)
		return t;
	switch (nr) {
	case UVIO_NR_ADD_SECRET:
		t = rc_text_add(rc);
		break;
	case UVIO_NR_LOCK_SECRETS:
		t = rc_text_lock(rc);
		break;
	case UVIO_NR_RETR_SECRET:
		t = rc_text_retr(rc);
		break;
	default:
		break;
	}
	return t ? t : "unexpected error-code";
}

const char *uv_result_str(enum uvio_nr nr, const struct uv_result *res, char *buf, size_t size)
{
	if (res->err)
		snprintf(buf, size, "%s", err_str(-res->err));
	else
		snprintf(buf, size, "Ultravisor: '%s' (0x%04x,0x%04x)", uv_rc_text(nr, res->rc),
			 res->rc, res->rrc);
	return buf;
}

int uv_open(struct uv_dev **dev)
{
	int h = host_uv_open();

	*dev = NULL;
	if (h < 0)
		return h;
	*dev = malloc(sizeof(**dev));
	if (!*dev) {
		host_uv_close(h);
		return -ENOMEM;
	}
	(*dev)->handle = h;
	return 0;
}

void uv_close(struct uv_dev *dev)
{
	if (!dev)
		return;
	host_uv_close(dev->handle);
	free(dev);
}

const char *uv_open_error(int err)
{
	static char msg[200];
	char guest[8];

	if (err == -ENOENT || err == -ENODEV || err == -ENXIO) {
		if (host_read_text(UV_SYSFS_DIR "/prot_virt_guest", guest, sizeof(guest)) > 0 &&
		    guest[0] == '1')
			return "/dev/uv is missing: this is a Secure Execution guest, but the "
			       "uvdevice module is not loaded (modprobe uvdevice)";
		return "not a Secure Execution guest (no /dev/uv, and "
		       "/sys/firmware/uv/prot_virt_guest is not 1)";
	}
	if (err == -EACCES || err == -EPERM)
		return "cannot open /dev/uv: permission denied (only root may use it)";
	snprintf(msg, sizeof(msg), "cannot open /dev/uv: %s", err_str(-err));
	return msg;
}

static int uv_call(struct uv_dev *dev, enum uvio_nr nr, void *arg, size_t len,
		   struct uv_result *res)
{
	struct uvio_ioctl_cb cb;
	int ret;

	memset(&cb, 0, sizeof(cb));
	memset(res, 0, sizeof(*res));
	cb.argument_addr = (uint64_t)(uintptr_t)arg;
	cb.argument_len = (uint32_t)len;
	ret = host_uv_ioctl(dev->handle, UVIO_IOCTL(nr), &cb);
	if (ret < 0) {
		res->err = ret;
		return ret;
	}
	res->rc = cb.uv_rc;
	res->rrc = cb.uv_rrc;
	return uv_rc_ok(cb.uv_rc) ? 0 : -EPROTO;
}

int uv_info(struct uv_dev *dev, struct uvio_uvdev_info *info, struct uv_result *res)
{
	memset(info, 0, sizeof(*info));
	return uv_call(dev, UVIO_NR_INFO, info, sizeof(*info), res);
}

int uv_add_secret(struct uv_dev *dev, const void *asr, size_t len, struct uv_result *res)
{
	return uv_call(dev, UVIO_NR_ADD_SECRET, (void *)asr, len, res);
}

int uv_list_secrets(struct uv_dev *dev, void *buf, size_t len, int fallback, size_t *used_len,
		    struct uv_result *res)
{
	int ret = uv_call(dev, UVIO_NR_LIST_SECRETS, buf, len, res);

	*used_len = len;
	if (ret == -EINVAL && fallback && len > UV_LIST_PAGE) {
		/* kernels before the multi-page list accept exactly one page */
		*used_len = UV_LIST_PAGE;
		ret = uv_call(dev, UVIO_NR_LIST_SECRETS, buf, UV_LIST_PAGE, res);
	}
	return ret;
}

int uv_lock_secrets(struct uv_dev *dev, struct uv_result *res)
{
	return uv_call(dev, UVIO_NR_LOCK_SECRETS, NULL, 0, res);
}

int uv_retrieve_secret(struct uv_dev *dev, uint16_t index, void *buf, size_t len,
		       struct uv_result *res)
{
	if (len < 2)
		return -EINVAL;
	/* The kernel reads a native u16; pvsecret writes it big-endian (native on s390x). */
	put_be16(buf, index);
	return uv_call(dev, UVIO_NR_RETR_SECRET, buf, len, res);
}

/*
 * Pages for a list of total entries on the mainline kernel: it fetches another UV page
 * (85 entries) only while a whole page still fits behind what it copied, so one page
 * more than the entries need.
 */
static size_t list_pages(unsigned total)
{
	size_t per_page = (UV_LIST_PAGE - SECRET_LIST_HDR_LEN) / SECRET_ENTRY_LEN;

	return (total + per_page - 1) / per_page + 1;
}

int uv_list_store(struct uv_dev *dev, struct secret_list *list, bool *partial,
		  struct uv_result *res)
{
	size_t pages = UV_LIST_PAGES;
	int ret;

	memset(list, 0, sizeof(*list));
	memset(res, 0, sizeof(*res));
	*partial = false;
	/*
	 * pvsecret's 4 pages first; a bigger store (the UV says there is more) is listed
	 * again with room for all of it, twice at most should it grow in between.
	 */
	for (int round = 0; round < 3; round++) {
		size_t len = pages * UV_LIST_PAGE, used;
		uint8_t *buf = calloc(1, len);

		if (!buf)
			return -ENOMEM;
		ret = uv_list_secrets(dev, buf, len, 1, &used, res);
		if (!ret) {
			secret_list_free(list);
			ret = secret_list_decode(buf, used, list);
			if (ret == -EINVAL)
				ret = -EBADMSG;
		}
		free(buf);
		if (ret)
			break;
		*partial = res->rc == UVC_RC_MORE_DATA;
		/* an old kernel lists one page only: that is all there is to see */
		if (!*partial || used < len || list_pages(list->total) <= pages)
			break;
		pages = list_pages(list->total);
	}
	if (ret)
		secret_list_free(list);
	return ret;
}

int uv_retrieve_entry(struct uv_dev *dev, const struct secret_entry *e, uint8_t **buf, size_t *blen,
		      size_t *off, size_t *plen, struct uv_result *res)
{
	uint8_t *b;
	size_t len;
	int ret;

	*buf = NULL;
	memset(res, 0, sizeof(*res));
	if (e->len > UVIO_RETR_SECRET_MAX_LEN)
		return -E2BIG;
	len = e->len < 2 ? 2 : e->len;
	b = calloc(1, len);
	if (!b)
		return -ENOMEM;
	ret = uv_retrieve_secret(dev, e->index, b, len, res);
	if (ret) {
		free(b);
		return ret;
	}
	*buf = b;
	*blen = len;
	*off = 0;
	*plen = len;
	if (e->type == SECRET_PLAINTEXT)
		secret_plaintext_payload(b, len, off, plen);
	return 0;
}

const char *uv_result_hint(const struct uv_result *res)
{
	return res->err == -ENOTTY ? " (the kernel's uvdevice does not offer this call)" : "";
}
