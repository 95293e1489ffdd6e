// SPDX-License-Identifier: MIT
/*
 * The simulated uvdevice driver (drivers/s390/char/uvdevice.c, spec/uv.md §1.3-1.4):
 * host_uv_open/ioctl/close. It validates the control block and the argument exactly
 * like the kernel, then issues the simulated UV calls of sim_uv.c.
 *
 * Byte order: the cb and struct uvio_uvdev_info are native; what the UV produces (the
 * secret list) and the retrieve index are big-endian, i.e. what an s390x kernel sees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "sim.h"
#include "util.h"
#include "uv.h"

#define MAX_HANDLES 16
#define HANDLE_BASE 3

static bool handle_open[MAX_HANDLES];

int host_uv_open(void)
{
	struct sim *s = sim_get();

	if (!s || !s->m.se_guest || s->m.uvdevice == SIM_UVDEV_ABSENT)
		return -ENOENT;
	if (s->m.uvdevice == SIM_UVDEV_EACCES)
		return -EACCES;
	for (int i = 0; i < MAX_HANDLES; i++)
		if (!handle_open[i]) {
			handle_open[i] = true;
			return HANDLE_BASE + i;
		}
	return -EMFILE;
}

void host_uv_close(int handle)
{
	if (handle >= HANDLE_BASE && handle < HANDLE_BASE + MAX_HANDLES)
		handle_open[handle - HANDLE_BASE] = false;
}

static const enum sim_op nr_op[UVIO_NR_COUNT] = {
    [UVIO_NR_INFO] = SIM_OP_INFO,	  [UVIO_NR_ATT] = SIM_OP_COUNT,
    [UVIO_NR_ADD_SECRET] = SIM_OP_ADD,	  [UVIO_NR_LIST_SECRETS] = SIM_OP_LIST,
    [UVIO_NR_LOCK_SECRETS] = SIM_OP_LOCK, [UVIO_NR_RETR_SECRET] = SIM_OP_RETRIEVE,
};

/* _IOC decoding of the generic Linux encoding */
static bool req_known(const struct sim *s, unsigned long req)
{
	unsigned nr = req & 0xff;

	if ((req >> 30) != 3 || ((req >> 16) & 0x3fff) != sizeof(struct uvio_ioctl_cb) ||
	    ((req >> 8) & 0xff) != 'u' || (req >> 32) != 0)
		return false;
	if (s->m.kernel == SIM_KERNEL_OLD)
		return nr >= UVIO_NR_ATT && nr <= UVIO_NR_LOCK_SECRETS;
	return nr < UVIO_NR_COUNT;
}

/* the supp_uv_cmds bits: ioctl nr -> MSB0 facility bit (kernel's ioctl_nr_to_uvc_bit[]) */
static uint64_t supp_uv_cmds(const struct sim *s)
{
	static const int bit[UVIO_NR_COUNT] = {
	    [UVIO_NR_INFO] = -1,
	    [UVIO_NR_ATT] = SIM_FAC_RETR_ATTEST,
	    [UVIO_NR_ADD_SECRET] = SIM_FAC_ADD_SECRET,
	    [UVIO_NR_LIST_SECRETS] = SIM_FAC_LIST_SECRETS,
	    [UVIO_NR_LOCK_SECRETS] = SIM_FAC_LOCK_SECRETS,
	    /* kernel quirk: RETR_SECRET is reported through the RETR_ATTEST bit */
	    [UVIO_NR_RETR_SECRET] = SIM_FAC_RETR_ATTEST,
	};
	uint64_t v = 0;

	for (int i = 0; i < UVIO_NR_COUNT; i++)
		if (bit[i] >= 0 && (s->m.facilities & SIM_FAC_BIT(bit[i])))
			v |= 1ull << i;
	return v;
}

static int do_info(struct sim *s, struct uvio_ioctl_cb *cb)
{
	struct uvio_uvdev_info info;

	if (cb->argument_len < sizeof(info))
		return -EINVAL;
	if (!cb->argument_addr)
		return -EFAULT;
	info.supp_uvio_cmds = (1ull << UVIO_NR_COUNT) - 1;
	info.supp_uv_cmds = supp_uv_cmds(s);
	memcpy((void *)(uintptr_t)cb->argument_addr, &info, sizeof(info));
	cb->uv_rc = UVC_RC_EXECUTED;
	return 0;
}

static int do_add(struct sim *s, struct uvio_ioctl_cb *cb, const struct sim_fault *f)
{
	uint64_t call = s->st.calls[SIM_OP_ADD];
	uint8_t *req;

	if (cb->argument_len == 0 || cb->argument_len > UVIO_ADD_SECRET_MAX_LEN)
		return -EINVAL;
	if (!cb->argument_addr)
		return -EFAULT;
	req = malloc(cb->argument_len);
	if (!req)
		return -ENOMEM;
	memcpy(req, (const void *)(uintptr_t)cb->argument_addr, cb->argument_len);
	if (f) {
		char what[24];

		snprintf(what, sizeof(what), "fault rc=0x%04x", f->rc);
		sim_log_add(s, call, what, req, cb->argument_len, NULL);
		cb->uv_rc = f->rc;
		cb->uv_rrc = f->rrc;
	} else {
		cb->uv_rc = sim_uvc_add(s, req, cb->argument_len, call);
		cb->uv_rrc = 0;
	}
	free(req);
	return 0;
}

/* One UVC of the list loop: a fault replaces the UV's answer and writes nothing. */
static uint16_t list_uvc(struct sim *s, uint16_t start, uint8_t *page, const struct sim_fault *f,
			 uint16_t *rrc)
{
	uint64_t call = s->st.calls[SIM_OP_LIST];

	*rrc = 0;
	if (f) {
		sim_log(s, "list call=%llu start=%u fault rc=0x%04x", (unsigned long long)call,
			start, f->rc);
		*rrc = f->rrc;
		return f->rc;
	}
	return sim_uvc_list(s, start, page, call);
}

static int do_list(struct sim *s, struct uvio_ioctl_cb *cb, const struct sim_fault *f)
{
	uint8_t *user = (uint8_t *)(uintptr_t)cb->argument_addr;
	uint8_t page[UV_LIST_PAGE] = {0}; /* the kernel's zeroed page */
	size_t user_off = 16, copy_len;
	uint16_t count = 0, rrc;

	if (s->m.kernel == SIM_KERNEL_OLD) {
		if (cb->argument_len != UV_LIST_PAGE)
			return -EINVAL;
		if (!user)
			return -EFAULT;
		cb->uv_rc = list_uvc(s, 0, page, f, &rrc);
		cb->uv_rrc = rrc;
		memcpy(user, page, UV_LIST_PAGE);
		return 0;
	}
	/* mainline uvio_list_secrets() / uvio_get_list() */
	if (cb->argument_len == 0 || cb->argument_len % UV_LIST_PAGE != 0)
		return -EINVAL;
	if (!user)
		return -EFAULT;
	do {
		/* the page header is the UV's (BE); an s390x kernel reads it natively */
		cb->uv_rc = list_uvc(s, get_be16(page + 4), page, f, &rrc);
		cb->uv_rrc = rrc;
		if (cb->uv_rc != UVC_RC_EXECUTED && cb->uv_rc != UVC_RC_MORE_DATA)
			break;
		copy_len = 48u * get_be16(page);
		memcpy(user + user_off, page + 16, copy_len);
		user_off += copy_len;
		count = (uint16_t)(count + get_be16(page));
	} while (cb->uv_rc == UVC_RC_MORE_DATA && user_off + UV_LIST_PAGE <= cb->argument_len);
	put_be16(page, count);
	memcpy(user, page, 16);
	return 0;
}

static int do_lock(struct sim *s, struct uvio_ioctl_cb *cb, const struct sim_fault *f)
{
	uint64_t call = s->st.calls[SIM_OP_LOCK];

	if (cb->argument_addr || cb->argument_len)
		return -EINVAL;
	if (f) {
		sim_log(s, "lock call=%llu fault rc=0x%04x", (unsigned long long)call, f->rc);
		cb->uv_rc = f->rc;
		cb->uv_rrc = f->rrc;
		return 0;
	}
	cb->uv_rc = sim_uvc_lock(s, call);
	cb->uv_rrc = 0;
	return 0;
}

static int do_retrieve(struct sim *s, struct uvio_ioctl_cb *cb, const struct sim_fault *f)
{
	uint64_t call = s->st.calls[SIM_OP_RETRIEVE];
	uint8_t *user = (uint8_t *)(uintptr_t)cb->argument_addr;
	uint32_t len = cb->argument_len;
	uint16_t index, rc, rrc = 0;
	uint8_t *buf;

	if (len > UVIO_RETR_SECRET_MAX_LEN || len < 2)
		return -EINVAL;
	buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;
	if (!user) {
		free(buf);
		return -EFAULT;
	}
	/* get_user() of a u16: native, i.e. big-endian on s390x (pvboot writes it BE) */
	index = get_be16(user);
	if (f) {
		sim_log(s, "retrieve call=%llu index=%u size=%u fault rc=0x%04x",
			(unsigned long long)call, index, len, f->rc);
		rc = f->rc;
		rrc = f->rrc;
	} else {
		rc = sim_uvc_retrieve(s, index, buf, len, call);
	}
	memcpy(user, buf, len); /* copied back even when the UV failed */
	secure_zero(buf, len);
	free(buf);
	cb->uv_rc = rc;
	cb->uv_rrc = rrc;
	return 0;
}

int host_uv_ioctl(int handle, unsigned long req, struct uvio_ioctl_cb *ucb)
{
	struct sim *s = sim_get();
	const struct sim_fault *f;
	struct uvio_ioctl_cb cb;
	enum sim_op op;
	unsigned nr;
	int ret;

	if (!s || handle < HANDLE_BASE || handle >= HANDLE_BASE + MAX_HANDLES ||
	    !handle_open[handle - HANDLE_BASE])
		return -EBADF;
	if (!req_known(s, req))
		return -ENOTTY;
	nr = UVIO_IOCTL_NR(req);
	op = nr_op[nr];
	if (op == SIM_OP_COUNT) {
		/* attestation is not modelled: the UVC answers "invalid command" */
		if (!ucb)
			return -EFAULT;
		memcpy(&cb, ucb, sizeof(cb));
		if (cb.flags || !all_zero(cb.reserved14, sizeof(cb.reserved14)))
			return -EINVAL;
		ucb->uv_rc = UVC_RC_INV_CMD;
		ucb->uv_rrc = 0;
		return 0;
	}
	s->st.calls[op]++;
	f = sim_fault_for(s, op);
	if (f && f->err) {
		sim_log(s, "%s call=%llu fault errno=%s", sim_op_name(op),
			(unsigned long long)s->st.calls[op], sim_errno_name(f->err));
		ret = -f->err;
		goto out;
	}
	ret = -EFAULT;
	if (!ucb)
		goto out;
	memcpy(&cb, ucb, sizeof(cb));
	ret = -EINVAL;
	if (cb.flags || !all_zero(cb.reserved14, sizeof(cb.reserved14)))
		goto out;
	switch (op) {
	case SIM_OP_INFO:
		ret = do_info(s, &cb);
		if (!ret && f) {
			cb.uv_rc = f->rc;
			cb.uv_rrc = f->rrc;
		}
		break;
	case SIM_OP_ADD:
		ret = do_add(s, &cb, f);
		break;
	case SIM_OP_LIST:
		ret = do_list(s, &cb, f);
		break;
	case SIM_OP_LOCK:
		ret = do_lock(s, &cb, f);
		break;
	case SIM_OP_RETRIEVE:
		ret = do_retrieve(s, &cb, f);
		break;
	default:
		ret = -ENOTTY;
	}
	if (ret == 0)
		memcpy(ucb, &cb, sizeof(cb)); /* only on success, like the kernel */
out:
	if (ret && !(f && f->err))
		sim_log(s, "%s call=%llu errno=%s", sim_op_name(op),
			(unsigned long long)s->st.calls[op], sim_errno_name(-ret));
	else if (ret == 0 && op == SIM_OP_INFO)
		sim_log(s, "info call=%llu %src=0x%04x", (unsigned long long)s->st.calls[op],
			f ? "fault " : "", cb.uv_rc);
	sim_save(s);
	return ret;
}
