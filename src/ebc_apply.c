// SPDX-License-Identifier: MIT
/*
 * Applying a verified early-boot secret set: submit the plan through /dev/uv in order,
 * stop at the first failure, and say exactly what happened to each request. The only
 * part of the ebc code that talks to the ultravisor or logs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ebc.h"
#include "log.h"
#include "secret_list.h"
#include "uv.h"

int ebc_apply(struct uv_dev *dev, const struct ebc_plan *plan, const struct ebc_apply_opts *opts,
	      struct ebc_report *rep)
{
	int ret = ebc_report_init(rep, plan);

	if (ret)
		return ret;
	if (opts && opts->present)
		ebc_mark_present(rep, opts->present);
	for (size_t i = 0; i < rep->n; i++) {
		struct ebc_report_entry *e = &rep->e[i];
		struct uv_result res;

		if (e->outcome != EBC_NOT_ATTEMPTED)
			continue;
		ret = uv_add_secret(dev, e->req->data, e->req->len, &res);
		if (ret) {
			e->outcome = EBC_FAILED;
			e->uv = res;
			rep->failed = i;
			return ret;
		}
		e->outcome = EBC_ADDED;
		rep->added++;
	}
	return 0;
}

static void names(struct sbuf *b, const struct ebc_report *rep, enum ebc_outcome o)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->e[i].outcome == o)
			sbuf_printf(b, "%s%s", b->len ? ", " : "", rep->e[i].req->name);
}

void ebc_report_log(const struct ebc_report *rep)
{
	struct sbuf d, list;
	char msg[160];
	size_t left = 0;

	for (size_t i = 0; i < rep->n; i++) {
		const struct ebc_report_entry *e = &rep->e[i];

		sbuf_init(&d);
		ebc_req_describe(&d, e->req);
		switch (e->outcome) {
		case EBC_ADDED:
			log_notice("added %s (%s)", e->req->name, d.s ? d.s : "");
			break;
		case EBC_PRESENT:
			log_notice("%s (%s): already in the secret store, not submitted again",
				   e->req->name, d.s ? d.s : "");
			break;
		case EBC_SKIPPED:
			log_notice("%s (%s): not submitted, every secret of the set is already in "
				   "the secret store",
				   e->req->name, d.s ? d.s : "");
			break;
		case EBC_FAILED:
			log_err("%s (%s): %s%s", e->req->name, d.s ? d.s : "",
				uv_result_str(UVIO_NR_ADD_SECRET, &e->uv, msg, sizeof(msg)),
				e->uv.err == -ENOTTY
				    ? " (the kernel's uvdevice does not offer this call)"
				    : "");
			break;
		case EBC_NOT_ATTEMPTED:
			left++;
			break;
		}
		sbuf_free(&d);
	}
	if (rep->failed == rep->n) {
		log_notice("set applied: %zu request%s added, %zu already present, %zu skipped",
			   rep->added, rep->added == 1 ? "" : "s", rep->present, rep->skipped);
		return;
	}
	sbuf_init(&list);
	names(&list, rep, EBC_ADDED);
	if (rep->added)
		log_err("added %zu of %zu requests before the failure: %s", rep->added, rep->n,
			list.s ? list.s : "");
	else
		log_err("nothing was added");
	sbuf_free(&list);
	if (left) {
		sbuf_init(&list);
		names(&list, rep, EBC_NOT_ATTEMPTED);
		log_err("not attempted: %s", list.s ? list.s : "");
		sbuf_free(&list);
	}
}

void ebc_log_set(const struct safe_dir *set, const struct ebc_plan *plan)
{
	for (size_t i = 0; i < set->nskipped; i++)
		log_warn("%s: %s; not read", set->skipped[i].name, set->skipped[i].why);
	if (!plan)
		return;
	for (size_t i = 0; i < plan->nignored; i++)
		log_notice("ignored %s: %s", plan->ignored[i].name, plan->ignored[i].why);
}
