// SPDX-License-Identifier: MIT
/*
 * AP queues through sysfs, via the host seam only (spec/ap.md §1, §5): gather the
 * queues, ask src/ap.c for a plan, and carry it out with bounded waits whose polling
 * starts at 10 ms and backs off to 250 ms.
 *
 * Differences from pvapconfig are deliberate and listed in pvboot(8): nothing is bound
 * just to look at it unless an entry needs that queue's wrapping key (and never in a
 * dry run), the lock is an flock, every wait has a timeout, and a queue whose
 * association failed is unbound again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_sysfs.h"
#include "asr.h"
#include "host.h"
#include "log.h"
#include "safeio.h"
#include "util.h"
#include "uv.h"

#define PATH_MAX_AP 96
#define NS_PER_MS   1000000ull
#define NS_PER_S    1000000000ull

static const char *qpath(const struct ap_queue *q, const char *attr, char *buf, size_t size)
{
	snprintf(buf, size, AP_DEVICES_DIR "/card%02x/%02x.%04x/%s", q->card, q->card, q->domain,
		 attr);
	return buf;
}

static const char *cpath(uint8_t card, const char *attr, char *buf, size_t size)
{
	snprintf(buf, size, AP_DEVICES_DIR "/card%02x/%s", card, attr);
	return buf;
}

/* Read a queue attribute; the text without trailing white space, or -errno. */
static int qread(const struct ap_queue *q, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX_AP];
	int n = host_read_text(qpath(q, attr, path, sizeof(path)), buf, size);

	if (n < 0)
		return n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return n;
}

static int qwrite(const struct ap_queue *q, const char *attr, const char *text)
{
	char path[PATH_MAX_AP];

	return host_write_text(qpath(q, attr, path, sizeof(path)), text, strlen(text));
}

/* "se_bind reads 'bound'" or "se_bind is unreadable: <err>": the state found */
static const char *state_text(const struct ap_queue *q, const char *attr, char *out, size_t size)
{
	char buf[96], esc[100];
	int n = qread(q, attr, buf, sizeof(buf));

	if (n < 0)
		snprintf(out, size, "%s is unreadable: %s", attr, err_str(-n));
	else
		snprintf(out, size, "%s reads '%s'", attr,
			 text_escape(esc, sizeof(esc), buf, (size_t)n));
	return out;
}

static uint64_t poll_interval(uint64_t waited)
{
	uint64_t i = waited / 16;

	return i < AP_POLL_MIN_NS ? AP_POLL_MIN_NS : i > AP_POLL_MAX_NS ? AP_POLL_MAX_NS : i;
}

/* Sleep one poll interval of a wait that began at t0; -ETIMEDOUT at the deadline. */
static int poll_wait(uint64_t t0, uint64_t deadline)
{
	uint64_t now = host_now_ns(), d;

	if (now >= deadline)
		return -ETIMEDOUT;
	d = poll_interval(now - t0);
	if (d > deadline - now)
		d = deadline - now;
	host_sleep_ns(d);
	return 0;
}

static unsigned secs(uint64_t ns)
{
	return (unsigned)((ns + NS_PER_S / 2) / NS_PER_S);
}

/* Write text to attr of q; an EBUSY (a reset still in progress) is retried until deadline. */
static int qwrite_retry(struct ap_queue *q, const char *attr, const char *text, uint64_t deadline)
{
	uint64_t t0 = host_now_ns();
	int ret;

	while ((ret = qwrite(q, attr, text)) == -EBUSY)
		if (poll_wait(t0, deadline))
			break;
	return ret;
}

/* ------------------------------------------------------------------ bus */

int ap_check_env(struct ap_bus_state *st, char *why, size_t whysize)
{
	char buf[256];
	int n;

	memset(st, 0, sizeof(*st));
	st->se_guest =
	    host_read_text(UV_SYSFS_DIR "/prot_virt_guest", buf, sizeof(buf)) > 0 && buf[0] == '1';
	st->present = host_path_exists(AP_BUS_DIR) == 1;
	if (st->present) {
		n = host_read_text(AP_BUS_DIR "/features", buf, sizeof(buf));
		st->apsb = n > 0 && strstr(buf, "APSB");
	}
	if (!st->se_guest)
		snprintf(why, whysize,
			 "not a Secure Execution guest (/sys/firmware/uv/prot_virt_guest is not "
			 "1)");
	else if (!st->present)
		snprintf(why, whysize,
			 "no AP bus (%s does not exist: no AP queues are passed "
			 "through, or the ap module is not loaded)",
			 AP_BUS_DIR);
	else if (!st->apsb)
		snprintf(why, whysize,
			 "the AP bus lacks the APSB feature (%s/features): the hypervisor does not "
			 "pass AP queues through to Secure Execution guests",
			 AP_BUS_DIR);
	else
		return 0;
	return -ENODEV;
}

static int read_bindings(struct ap_bus_state *st)
{
	char buf[128];
	int n = host_read_text(AP_BUS_DIR "/bindings", buf, sizeof(buf));

	if (n < 0)
		return n;
	if (ap_parse_bindings(buf, &st->bound, &st->total, &st->complete))
		return -EPROTO;
	return 0;
}

int ap_wait_bus(uint64_t timeout_ns, struct ap_bus_state *st)
{
	uint64_t t0 = host_now_ns(), deadline = t0 + timeout_ns;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = host_path_exists(AP_BUS_DIR);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return 0; /* no AP bus: nothing will ever bind */
	st->present = true;
	for (;;) {
		ret = read_bindings(st);
		if (ret)
			return ret;
		if (st->complete)
			return 0;
		ret = poll_wait(t0, deadline);
		if (ret)
			return ret;
	}
}

/* ------------------------------------------------------------------ gather */

struct names {
	char (*v)[16];
	size_t n, cap;
	int card; /* 1: collect cardXX names, 0: XX.YYYY names */
};

static bool xdigits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static int collect(const char *name, void *ctx)
{
	struct names *nm = ctx;
	size_t len = strlen(name);
	bool want = nm->card
			? len == 6 && strncmp(name, "card", 4) == 0 && xdigits(name + 4, 2)
			: len == 7 && name[2] == '.' && xdigits(name, 2) && xdigits(name + 3, 4);

	if (!want)
		return 0;
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? 2 * nm->cap : 32;
		char(*v)[16] = realloc(nm->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		nm->v = v;
		nm->cap = cap;
	}
	memcpy(nm->v[nm->n++], name, len + 1);
	return 0;
}

static const char *skip_text(const struct ap_queue *q, char *buf, size_t size)
{
	switch (q->skip) {
	case AP_SKIP_TYPE:
		if (q->err)
			snprintf(buf, size, "cannot read the card type: %s", err_str(-q->err));
		else
			snprintf(buf, size, "card type '%s' is not one of CEX3 to CEX8 A, C or P",
				 q->type);
		break;
	case AP_SKIP_CCA:
		snprintf(buf, size,
			 "CCA card (%s): CCA queues cannot be used in a Secure Execution guest",
			 q->type);
		break;
	case AP_SKIP_OFFLINE:
		if (q->err)
			snprintf(buf, size, "offline (online is unreadable: %s)", err_str(-q->err));
		else
			snprintf(buf, size, "offline%s",
				 q->offline_why == AP_OFFLINE_CHKSTOP	 ? " (checkstopped)"
				 : q->offline_why == AP_OFFLINE_DECONFIG ? " (deconfigured)"
									 : "");
		break;
	case AP_SKIP_NO_SE:
		snprintf(buf, size, "no se_bind attribute: no SE pass-through for this queue");
		break;
	case AP_SKIP_BIND_READ:
		snprintf(buf, size,
			 "se_bind is unreadable: %s (a queue whose association failed stays so "
			 "until 'pvboot ap unbind' resets it)",
			 q->err == -EPROTO ? "unknown text" : err_str(-q->err));
		break;
	case AP_SKIP_PROBE:
		snprintf(buf, size, "binding it to read its wrapping key failed: %s",
			 err_str(-q->err));
		break;
	case AP_USABLE:
		snprintf(buf, size, "usable");
		break;
	}
	return buf;
}

/* Why is a queue offline? Its or its card's config/chkstop say (0 if neither). */
static int offline_reason(const struct ap_queue *q)
{
	char path[PATH_MAX_AP], buf[16];

	if (qread(q, "chkstop", buf, sizeof(buf)) > 0 && buf[0] == '1')
		return AP_OFFLINE_CHKSTOP;
	if (qread(q, "config", buf, sizeof(buf)) > 0 && buf[0] == '0')
		return AP_OFFLINE_DECONFIG;
	if (host_read_text(cpath(q->card, "chkstop", path, sizeof(path)), buf, sizeof(buf)) > 0 &&
	    buf[0] == '1')
		return AP_OFFLINE_CHKSTOP;
	if (host_read_text(cpath(q->card, "config", path, sizeof(path)), buf, sizeof(buf)) > 0 &&
	    buf[0] == '0')
		return AP_OFFLINE_DECONFIG;
	return 0;
}

/* serialnr and mkvps of a bound EP11 queue */
static void read_info(struct ap_queue *q)
{
	char path[PATH_MAX_AP], buf[256];
	int n;

	q->info = AP_INFO_FAILED;
	n = host_read_text(cpath(q->card, "serialnr", path, sizeof(path)), buf, sizeof(buf));
	if (n < 0) {
		q->err = n;
		return;
	}
	if (ap_parse_serial(buf, q->serialnr)) {
		q->err = -EPROTO; /* not a serial number: never shown */
		return;
	}
	n = qread(q, "mkvps", buf, sizeof(buf));
	if (n < 0) {
		q->err = n;
		return;
	}
	if (ap_parse_mkvps(buf, q->mkvp)) {
		q->err = -EPROTO;
		return;
	}
	q->info = AP_INFO_KNOWN;
	q->err = 0;
}

static void read_queue(struct ap_queue *q, const char *serial)
{
	char buf[128];
	int n;

	n = qread(q, "online", buf, sizeof(buf));
	if (n < 0 || ap_parse_online(buf, &q->online))
		q->online = false;
	if (q->mode == AP_MODE_CCA) {
		q->skip = AP_SKIP_CCA;
		return;
	}
	if (!q->online) {
		q->skip = AP_SKIP_OFFLINE;
		q->err = n < 0 ? n : 0;
		q->offline_why = offline_reason(q);
		return;
	}
	n = qread(q, "se_bind", buf, sizeof(buf));
	if (n == -ENOENT) {
		q->skip = AP_SKIP_NO_SE;
		return;
	}
	if (n < 0 || ap_parse_bind(buf, &q->bind)) {
		q->bind = AP_BIND_UNKNOWN;
		q->skip = AP_SKIP_BIND_READ;
		q->err = n < 0 ? n : -EPROTO;
		return;
	}
	if (q->bind == AP_BIND_NONE) {
		q->skip = AP_SKIP_NO_SE;
		return;
	}
	if (q->mode != AP_MODE_EP11) {
		q->assoc = AP_ASSOC_NONE;
		return;
	}
	n = qread(q, "se_associate", buf, sizeof(buf));
	if (n < 0 || ap_parse_assoc(buf, &q->assoc, &q->assoc_idx)) {
		q->assoc = AP_ASSOC_UNKNOWN;
		q->err = n < 0 ? n : -EPROTO;
	}
	if (q->bind == AP_BIND_BOUND) {
		read_info(q);
	} else {
		q->info = AP_INFO_UNKNOWN;
		memcpy(q->serialnr, serial, sizeof(q->serialnr)); /* parsed by the caller */
	}
}

static int gather_card(const char *cardname, struct ap_queue **q, size_t *nq, size_t *cap)
{
	struct names qn = {.card = 0};
	char path[PATH_MAX_AP], type[32] = "", serial[APCONFIG_SERIAL_LEN + 1] = "", text[64];
	unsigned card, gen = 0;
	enum ap_mode mode = AP_MODE_UNKNOWN;
	int ret, terr = 0;

	card = (unsigned)strtoul(cardname + 4, NULL, 16);
	snprintf(path, sizeof(path), AP_DEVICES_DIR "/%s", cardname);
	ret = host_list_dir(path, collect, &qn);
	if (ret) {
		log_err("cannot list the queues of AP card %02x (%s): %s", card, path,
			err_str(-ret));
		goto out;
	}
	ret = host_read_text(cpath((uint8_t)card, "type", path, sizeof(path)), type, sizeof(type));
	if (ret < 0)
		terr = ret;
	else if (ap_parse_type(type, &gen, &mode))
		mode = AP_MODE_UNKNOWN;
	if (ret < 0) {
		/* no card driver: the AP bus's hwtype and ap_functions say the same */
		char hw[32], fn[32];

		if (host_read_text(cpath((uint8_t)card, "hwtype", path, sizeof(path)), hw,
				   sizeof(hw)) > 0 &&
		    host_read_text(cpath((uint8_t)card, "ap_functions", path, sizeof(path)), fn,
				   sizeof(fn)) > 0 &&
		    ap_parse_hwtype(hw, fn, &gen, &mode) == 0)
			snprintf(type, sizeof(type), "CEX%u%c", gen,
				 mode == AP_MODE_ACCEL ? 'A'
				 : mode == AP_MODE_CCA ? 'C'
						       : 'P');
	}
	if (mode == AP_MODE_EP11 &&
	    host_read_text(cpath((uint8_t)card, "serialnr", path, sizeof(path)), text,
			   sizeof(text)) > 0)
		ap_parse_serial(text, serial);
	ret = 0;
	for (size_t i = 0; i < qn.n; i++) {
		struct ap_queue *x;

		if (*nq == *cap) {
			size_t c = *cap ? 2 * *cap : 64;
			struct ap_queue *p = realloc(*q, c * sizeof(*p));

			if (!p) {
				ret = -ENOMEM;
				goto out;
			}
			*q = p;
			*cap = c;
		}
		x = &(*q)[(*nq)++];
		memset(x, 0, sizeof(*x));
		x->card = (uint8_t)strtoul(qn.v[i], NULL, 16);
		x->domain = (uint16_t)strtoul(qn.v[i] + 3, NULL, 16);
		/* shown in messages and `ap list`: escaped when it is not a known type */
		text_escape(x->type, sizeof(x->type), type, strcspn(type, "\n"));
		x->gen = gen;
		x->mode = mode;
		if (mode == AP_MODE_UNKNOWN) {
			x->skip = AP_SKIP_TYPE;
			x->err = terr;
		} else {
			read_queue(x, serial);
		}
	}
out:
	free(qn.v);
	return ret;
}

static int apqn_order(const void *pa, const void *pb)
{
	const struct ap_queue *a = pa, *b = pb;

	return a->card != b->card ? a->card - b->card : a->domain - b->domain;
}

int ap_gather(struct ap_queue **q, size_t *nq, bool report)
{
	struct names cards = {.card = 1};
	size_t cap = 0;
	int ret;

	*q = NULL;
	*nq = 0;
	ret = host_list_dir(AP_DEVICES_DIR, collect, &cards);
	if (ret) {
		log_err("cannot list the AP devices in %s: %s", AP_DEVICES_DIR, err_str(-ret));
		goto out;
	}
	for (size_t i = 0; i < cards.n && !ret; i++)
		ret = gather_card(cards.v[i], q, nq, &cap);
	if (ret)
		goto out;
	if (*nq > 1)
		qsort(*q, *nq, sizeof(**q), apqn_order);
	for (size_t i = 0; report && i < *nq; i++) {
		struct ap_queue *x = &(*q)[i];
		char a[AP_APQN_LEN], why[200];

		if (x->skip != AP_USABLE)
			log_warn("APQN %s skipped: %s", ap_apqn_str(x->card, x->domain, a),
				 skip_text(x, why, sizeof(why)));
		else if (x->info == AP_INFO_FAILED)
			log_warn("APQN %s: cannot read its card's serial number or its wrapping "
				 "key (%s): no EP11 entry can use it",
				 a, err_str(-x->err));
		else if (x->info == AP_INFO_KNOWN && !x->mkvp[0])
			log_warn("APQN %s has no valid wrapping key set", a);
	}
out:
	if (ret) {
		free(*q);
		*q = NULL;
		*nq = 0;
	}
	free(cards.v);
	return ret;
}

/* ------------------------------------------------------------------ apply */

struct run {
	const struct apconfig *cfg;
	const struct ap_apply_opts *opts;
	struct ap_report *rep;
	uint64_t deadline, budget;
	struct ap_queue *q;
	size_t nq;
	bool *probed;	  /* per queue */
	char (*msg)[400]; /* per entry: why it failed */
};

__attribute__((format(printf, 2, 3))) static void fail(struct ap_report *rep, const char *fmt, ...)
{
	va_list ap;

	char msg[sizeof(rep->error)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("%s", msg);
	if (!rep->error[0]) /* the first failure is the cause */
		memcpy(rep->error, msg, sizeof(msg));
}

static const char *label(const struct apconfig *cfg, const struct apconfig_entry *e, char *buf,
			 size_t size)
{
	char l[110];

	snprintf(buf, size, "%s:%u:%u: entry %s", cfg->file, e->line, e->col,
		 apconfig_entry_label(e, l, sizeof(l)));
	return buf;
}

static int add_apqn(struct ap_apqn **v, size_t *n, const struct ap_queue *q)
{
	struct ap_apqn *p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	p[*n].card = q->card;
	p[*n].domain = q->domain;
	*v = p;
	(*n)++;
	return 0;
}

/* Wait until every queue in idx[0..n) reads se_bind == want; -ETIMEDOUT names one. */
static int wait_bind(struct ap_queue *q, const size_t *idx, size_t n, enum ap_bind want,
		     uint64_t deadline, size_t *late)
{
	uint64_t t0 = host_now_ns();
	bool *ok = calloc(n ? n : 1, sizeof(*ok));
	size_t left = n;
	int ret = 0;

	if (!ok)
		return -ENOMEM;
	while (left) {
		for (size_t i = 0; i < n; i++) {
			char buf[64];
			enum ap_bind b;

			if (ok[i])
				continue;
			if (qread(&q[idx[i]], "se_bind", buf, sizeof(buf)) >= 0 &&
			    ap_parse_bind(buf, &b) == 0 && b == want) {
				ok[i] = true;
				left--;
			}
		}
		if (!left)
			break;
		ret = poll_wait(t0, deadline);
		if (ret) {
			for (size_t i = 0; i < n; i++)
				if (!ok[i]) {
					*late = idx[i];
					break;
				}
			break;
		}
	}
	free(ok);
	return ret;
}

static int unbind_one_quiet(struct ap_queue *q, uint64_t deadline)
{
	size_t late, j = 0;
	int ret = qwrite(q, "se_bind", "0");

	if (ret)
		return ret;
	return wait_bind(q, &j, 1, AP_BIND_UNBOUND, deadline, &late);
}

/* Bind queue q and wait until it reads bound. Logs nothing; 0 or -errno. */
static int bind_queue(struct ap_queue *q, uint64_t deadline, char *state, size_t ssize)
{
	size_t late, j = 0;
	int ret = qwrite_retry(q, "se_bind", "1", deadline);

	if (ret) {
		state_text(q, "se_bind", state, ssize);
		return ret;
	}
	ret = wait_bind(q, &j, 1, AP_BIND_BOUND, deadline, &late);
	if (ret)
		state_text(q, "se_bind", state, ssize);
	return ret;
}

/* Bind an unbound EP11 queue to read its serial number and wrapping key. */
static int probe(struct run *r, size_t j)
{
	struct ap_queue *q = &r->q[j];
	char a[AP_APQN_LEN], state[160], buf[64];
	int ret;

	ap_apqn_str(q->card, q->domain, a);
	ret = bind_queue(q, r->deadline, state, sizeof(state));
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		q->skip = AP_SKIP_PROBE;
		q->err = ret;
		log_warn("APQN %s skipped: binding it to read its wrapping key failed: %s (%s)", a,
			 err_str(-ret), state);
		if (ret == -ETIMEDOUT)
			(void)unbind_one_quiet(q, r->deadline);
		return 0;
	}
	r->probed[j] = true;
	if (add_apqn(&r->rep->probed, &r->rep->n_probed, q))
		return -ENOMEM;
	q->bind = AP_BIND_BOUND;
	q->assoc = AP_ASSOC_UNKNOWN;
	if (qread(q, "se_associate", buf, sizeof(buf)) >= 0)
		(void)ap_parse_assoc(buf, &q->assoc, &q->assoc_idx);
	read_info(q);
	log_info("bound APQN %s to read its wrapping key: %s", a,
		 q->info != AP_INFO_KNOWN ? "unreadable"
		 : q->mkvp[0]		  ? q->mkvp
					  : "none set");
	if (q->info == AP_INFO_KNOWN && !q->mkvp[0])
		log_warn("APQN %s has no valid wrapping key set", a);
	else if (q->info == AP_INFO_FAILED)
		log_warn("APQN %s: cannot read its card's serial number or its wrapping key "
			 "(%s): no EP11 entry can use it",
			 a, err_str(-q->err));
	/* the card's serial number is now known for its other queues too */
	for (size_t k = 0; q->serialnr[0] && k < r->nq; k++)
		if (r->q[k].card == q->card && r->q[k].info == AP_INFO_UNKNOWN)
			memcpy(r->q[k].serialnr, q->serialnr, sizeof(q->serialnr));
	return 0;
}

int apconfig_load(const char *path, bool system, struct apconfig *cfg, char *err, size_t errsz)
{
	uint8_t *data;
	size_t len;
	int ret;

	ret = safe_load_path(path, !system, APCONFIG_MAX_INPUT, &data, &len, err, errsz);
	if (ret)
		return ret;
	ret = apconfig_parse(path, (const char *)data, len, cfg, err, errsz);
	free(data);
	return ret;
}

static int fetch_secrets(struct secret_list *list, struct ap_report *rep)
{
	struct uv_result res;
	struct uv_dev *dev;
	bool partial;
	char msg[160];
	int ret;

	ret = uv_open(&dev);
	if (ret) {
		fail(rep, "cannot read the ultravisor's secret list: %s", uv_open_error(ret));
		return ret;
	}
	ret = uv_list_store(dev, list, &partial, &res);
	uv_close(dev);
	if (ret == -EBADMSG)
		fail(rep, "the ultravisor returned a malformed secret list");
	else if (ret && ret != -ENOMEM)
		fail(rep, "cannot read the ultravisor's secret list: %s",
		     uv_result_str(UVIO_NR_LIST_SECRETS, &res, msg, sizeof(msg)));
	if (ret)
		return ret;
	if (partial)
		log_warn("the secret store holds %u secrets, the uvdevice shows only the first %zu",
			 list->total, list->n);
	return 0;
}

struct pending {
	size_t entry, q;
	uint16_t idx;
	bool done;
};

/* Entry i failed on queue j: record the outcome and its message (logged in file order). */
__attribute__((format(printf, 5, 6))) static void entry_fail(struct run *r, size_t i, size_t j,
							     int err, const char *fmt, ...)
{
	struct ap_entry_result *er = &r->rep->entries[i];
	va_list ap;

	er->outcome = AP_OUT_FAILED;
	er->has_apqn = true;
	er->apqn.card = r->q[j].card;
	er->apqn.domain = r->q[j].domain;
	er->err = err;
	va_start(ap, fmt);
	vsnprintf(r->msg[i], sizeof(r->msg[i]), fmt, ap);
	va_end(ap);
}

/* Write the association; 0, or -errno (the entry failed; the queue is unbound again). */
static int start_assoc(struct run *r, size_t i, size_t j, uint16_t idx)
{
	const struct apconfig_entry *e = &r->cfg->entries[i];
	struct ap_queue *q = &r->q[j];
	char a[AP_APQN_LEN], l[200], state[160], v[8];
	int ret;

	snprintf(v, sizeof(v), "%u", idx);
	ret = qwrite_retry(q, "se_associate", v, r->deadline);
	if (!ret)
		return 0;
	state_text(q, "se_associate", state, sizeof(state));
	entry_fail(r, i, j, ret, "%s: cannot associate APQN %s with secret index %u: %s%s (%s)%s",
		   label(r->cfg, e, l, sizeof(l)), ap_apqn_str(q->card, q->domain, a), idx,
		   err_str(-ret), ret == -EBUSY ? ", still at the time limit" : "", state,
		   unbind_one_quiet(q, r->deadline) == 0 ? "; unbound the queue again" : "");
	return ret;
}

/* Wait for the associations in p[0..n); each ends associated, failed or timed out. */
static int wait_assoc(struct run *r, struct pending *p, size_t n)
{
	uint64_t t0 = host_now_ns();
	size_t left = n;
	int ret = 0, first = 0;

	while (left) {
		for (size_t k = 0; k < n; k++) {
			const struct apconfig_entry *e = &r->cfg->entries[p[k].entry];
			struct ap_queue *q = &r->q[p[k].q];
			char a[AP_APQN_LEN], l[200], buf[64], esc[80];
			enum ap_assoc as;
			uint16_t idx = 0;
			int rd, err = 0;
			bool unbound;

			if (p[k].done)
				continue;
			ap_apqn_str(q->card, q->domain, a);
			rd = qread(q, "se_associate", buf, sizeof(buf));
			if (rd < 0)
				err = rd;
			else if (ap_parse_assoc(buf, &as, &idx))
				err = -EPROTO;
			else if (as == AP_ASSOC_PENDING)
				continue;
			else if (as != AP_ASSOC_ASSOCIATED || idx != p[k].idx)
				err = -EPROTO;
			p[k].done = true;
			left--;
			if (!err) {
				q->assoc = AP_ASSOC_ASSOCIATED;
				q->assoc_idx = idx;
				r->rep->entries[p[k].entry].outcome = AP_OUT_APPLIED;
				r->rep->satisfied++;
				continue;
			}
			unbound = unbind_one_quiet(q, r->deadline) == 0;
			if (rd < 0)
				entry_fail(r, p[k].entry, p[k].q, rd,
					   "%s: the association of APQN %s with secret index %u "
					   "failed: se_associate is unreadable: %s (the firmware "
					   "reports an association error)%s",
					   label(r->cfg, e, l, sizeof(l)), a, p[k].idx,
					   err_str(-rd),
					   unbound ? "; unbound the queue again" : "");
			else
				entry_fail(r, p[k].entry, p[k].q, -EIO,
					   "%s: the association of APQN %s with secret index %u "
					   "failed: se_associate reads '%s'%s",
					   label(r->cfg, e, l, sizeof(l)), a, p[k].idx,
					   text_escape(esc, sizeof(esc), buf, strlen(buf)),
					   unbound ? "; unbound the queue again" : "");
			if (!first)
				first = rd < 0 ? rd : -EIO;
		}
		if (!left)
			break;
		ret = poll_wait(t0, r->deadline);
		if (ret)
			break;
	}
	for (size_t k = 0; ret && k < n; k++) {
		const struct apconfig_entry *e = &r->cfg->entries[p[k].entry];
		char a[AP_APQN_LEN], l[200], state[160];

		if (p[k].done)
			continue;
		entry_fail(r, p[k].entry, p[k].q, -ETIMEDOUT,
			   "%s: the association of APQN %s with secret index %u did not "
			   "complete within the time limit of %u s (%s); the queue stays bound",
			   label(r->cfg, e, l, sizeof(l)),
			   ap_apqn_str(r->q[p[k].q].card, r->q[p[k].q].domain, a), p[k].idx,
			   secs(r->budget),
			   state_text(&r->q[p[k].q], "se_associate", state, sizeof(state)));
	}
	return first ? first : ret;
}

/* Record what the plan says for entry i (before anything is written). */
static void plan_outcome(struct run *r, const struct ap_plan *plan, size_t i)
{
	const struct apconfig_entry *e = &r->cfg->entries[i];
	const struct ap_plan_entry *pe = &plan->entries[i];
	struct ap_entry_result *er = &r->rep->entries[i];

	if (pe->q != AP_NO_QUEUE) {
		er->has_apqn = true;
		er->apqn.card = r->q[pe->q].card;
		er->apqn.domain = r->q[pe->q].domain;
		if (e->mode == AP_MODE_EP11) {
			er->has_assoc = true;
			er->assoc_idx = pe->assoc_idx;
		}
	}
	switch (pe->step) {
	case AP_STEP_KEEP:
		er->outcome = AP_OUT_KEPT;
		r->rep->satisfied++;
		break;
	case AP_STEP_NO_SECRET:
		er->outcome = AP_OUT_NO_SECRET;
		break;
	case AP_STEP_NO_QUEUE:
		er->outcome = AP_OUT_NO_QUEUE;
		break;
	case AP_STEP_UNDETERMINED:
		er->outcome = AP_OUT_UNDETERMINED;
		r->rep->undetermined++;
		break;
	case AP_STEP_BIND:
	case AP_STEP_BIND_ASSOC:
	case AP_STEP_ASSOC:
	case AP_STEP_NONE:
		break; /* decided when carried out */
	}
}

/* One line for entry i's outcome (failures were logged when they happened). */
static void log_outcome(struct run *r, const struct ap_plan *plan, size_t i)
{
	const struct apconfig_entry *e = &r->cfg->entries[i];
	const struct ap_plan_entry *pe = &plan->entries[i];
	const struct ap_entry_result *er = &r->rep->entries[i];
	char a[AP_APQN_LEN] = "", l[200], h[65];
	bool bound_now = pe->step != AP_STEP_ASSOC || (pe->q != AP_NO_QUEUE && r->probed[pe->q]);

	if (er->has_apqn)
		ap_apqn_str(er->apqn.card, er->apqn.domain, a);
	apconfig_entry_label(e, l, sizeof(l));
	switch (er->outcome) {
	case AP_OUT_KEPT:
		if (e->mode == AP_MODE_EP11)
			log_notice("APQN %s (associated with secret index %u) already satisfies "
				   "entry %s",
				   a, er->assoc_idx, l);
		else
			log_notice("APQN %s already satisfies entry %s", a, l);
		break;
	case AP_OUT_APPLIED:
		if (e->mode == AP_MODE_ACCEL)
			log_notice("bound APQN %s for entry %s", a, l);
		else
			log_notice("%s APQN %s with secret index %u for entry %s",
				   bound_now ? "bound and associated" : "associated", a,
				   er->assoc_idx, l);
		break;
	case AP_OUT_WOULD_APPLY:
		if (pe->step == AP_STEP_BIND)
			log_notice("would bind APQN %s for entry %s", a, l);
		else
			log_notice("would %sassociate APQN %s with secret index %u for entry %s",
				   pe->step == AP_STEP_ASSOC ? "" : "bind and ", a, er->assoc_idx,
				   l);
		break;
	case AP_OUT_NO_SECRET:
		log_warn("%s: the ultravisor's secret store has no association secret with id "
			 "0x%s: entry not applied",
			 label(r->cfg, e, l, sizeof(l)), hex_encode(e->secret_id, 32, h));
		break;
	case AP_OUT_NO_QUEUE: {
		char what[160];
		size_t n = (size_t)snprintf(what, sizeof(what), "%s", ap_mode_name(e->mode));

		if (e->mingen)
			n += (size_t)snprintf(what + n, sizeof(what) - n, ", CEX%u or newer",
					      e->mingen);
		if (e->mode == AP_MODE_EP11)
			n += (size_t)snprintf(what + n, sizeof(what) - n, ", mkvp 0x%s", e->mkvp);
		if (e->serialnr[0])
			snprintf(what + n, sizeof(what) - n, ", serialnr %s", e->serialnr);
		log_warn("%s: no usable APQN matches (%s)", label(r->cfg, e, l, sizeof(l)), what);
		break;
	}
	case AP_OUT_UNDETERMINED:
		log_notice("entry %s: undetermined: %zu unbound EP11 APQN%s could match, but their "
			   "wrapping keys cannot be read without binding them (dry run)",
			   l, pe->n_unknown, pe->n_unknown == 1 ? "" : "s");
		break;
	case AP_OUT_NOT_DONE:
		log_notice("entry %s: not attempted: the run stopped at an error", l);
		break;
	case AP_OUT_FAILED:
		fail(r->rep, "%s", r->msg[i]);
		break;
	}
}

/* Carry out the plan's steps 2 and 3; report each entry in file order at the end. */
static int execute(struct run *r, const struct ap_plan *plan)
{
	const struct apconfig *cfg = r->cfg;
	bool dry = r->opts->dry_run;
	struct pending *pend = NULL;
	size_t *idx = NULL, n = 0, npend = 0, late = 0;
	char a[AP_APQN_LEN], l[200], state[160];
	int ret = 0;

	for (size_t i = 0; i < cfg->n; i++) {
		plan_outcome(r, plan, i);
		if (plan->entries[i].step == AP_STEP_KEEP)
			log_outcome(r, plan, i);
	}

	/* step 2: release */
	idx = calloc(r->nq ? r->nq : 1, sizeof(*idx));
	pend = calloc(cfg->n ? cfg->n : 1, sizeof(*pend));
	if (!idx || !pend) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t j = 0; j < r->nq; j++) {
		struct ap_queue *q = &r->q[j];

		if (!plan->unbind[j])
			continue;
		ap_apqn_str(q->card, q->domain, a);
		if (add_apqn(&r->rep->unbound, &r->rep->n_unbound, q)) {
			ret = -ENOMEM;
			goto out;
		}
		if (dry) {
			log_notice("would unbind APQN %s: it satisfies no entry", a);
			continue;
		}
		ret = qwrite(q, "se_bind", "0");
		if (ret) {
			fail(r->rep, "cannot unbind APQN %s: %s (%s)", a, err_str(-ret),
			     state_text(q, "se_bind", state, sizeof(state)));
			goto out;
		}
		if (r->probed[j])
			log_info("unbound APQN %s again (it was bound only to read its wrapping "
				 "key)",
				 a);
		else
			log_notice("unbound APQN %s: it satisfies no entry", a);
		idx[n++] = j;
	}
	if (n) {
		ret = wait_bind(r->q, idx, n, AP_BIND_UNBOUND, r->deadline, &late);
		if (ret) {
			fail(r->rep,
			     "APQN %s did not become unbound within the time limit of %u s (%s)",
			     ap_apqn_str(r->q[late].card, r->q[late].domain, a), secs(r->budget),
			     state_text(&r->q[late], "se_bind", state, sizeof(state)));
			goto out;
		}
		for (size_t k = 0; k < n; k++) {
			r->q[idx[k]].bind = AP_BIND_UNBOUND;
			r->q[idx[k]].assoc = AP_ASSOC_UNASSOCIATED;
		}
	}

	/* step 3: bind and start the associations, in file order */
	for (size_t i = 0; i < cfg->n; i++) {
		const struct ap_plan_entry *pe = &plan->entries[i];
		const struct apconfig_entry *e = &cfg->entries[i];
		struct ap_entry_result *er = &r->rep->entries[i];
		struct ap_queue *q;

		if (pe->step != AP_STEP_BIND && pe->step != AP_STEP_BIND_ASSOC &&
		    pe->step != AP_STEP_ASSOC)
			continue;
		if (dry) {
			er->outcome = AP_OUT_WOULD_APPLY;
			r->rep->satisfied++;
			continue;
		}
		q = &r->q[pe->q];
		ap_apqn_str(q->card, q->domain, a);
		if (pe->step != AP_STEP_ASSOC) {
			ret = bind_queue(q, r->deadline, state, sizeof(state));
			if (ret) {
				entry_fail(r, i, pe->q, ret, "%s: cannot bind APQN %s: %s%s (%s)",
					   label(cfg, e, l, sizeof(l)), a, err_str(-ret),
					   ret == -EBUSY ? ", still at the time limit" : "", state);
				(void)unbind_one_quiet(q, r->deadline); /* as pvapconfig */
				break;
			}
			q->bind = AP_BIND_BOUND;
		}
		if (pe->step == AP_STEP_BIND) {
			er->outcome = AP_OUT_APPLIED;
			r->rep->satisfied++;
			continue;
		}
		ret = start_assoc(r, i, pe->q, pe->assoc_idx);
		if (ret)
			break;
		pend[npend].entry = i;
		pend[npend].q = pe->q;
		pend[npend].idx = pe->assoc_idx;
		npend++;
	}
	if (npend) {
		int wret = wait_assoc(r, pend, npend);

		if (!ret)
			ret = wret;
	}
	for (size_t i = 0; i < cfg->n; i++)
		if (plan->entries[i].step != AP_STEP_KEEP)
			log_outcome(r, plan, i);
out:
	free(idx);
	free(pend);
	return ret;
}

const char *ap_outcome_name(enum ap_outcome o)
{
	switch (o) {
	case AP_OUT_NOT_DONE:
		return "not-done";
	case AP_OUT_KEPT:
		return "kept";
	case AP_OUT_APPLIED:
		return "applied";
	case AP_OUT_WOULD_APPLY:
		return "would-apply";
	case AP_OUT_UNDETERMINED:
		return "undetermined";
	case AP_OUT_NO_QUEUE:
		return "no-queue";
	case AP_OUT_NO_SECRET:
		return "no-secret";
	case AP_OUT_FAILED:
		return "failed";
	}
	return "?";
}

static void json_apqns(struct sbuf *b, const char *key, const struct ap_apqn *v, size_t n)
{
	char a[AP_APQN_LEN];

	sbuf_printf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++)
		sbuf_printf(b, "%s\"%s\"", i ? "," : "", ap_apqn_str(v[i].card, v[i].domain, a));
	sbuf_puts(b, "]");
}

void ap_report_json(struct sbuf *b, const struct apconfig *cfg, const struct ap_report *rep)
{
	char a[AP_APQN_LEN];

	sbuf_puts(b, "{\"entries\":[");
	for (size_t i = 0; i < rep->n_entries && i < cfg->n; i++) {
		const struct ap_entry_result *er = &rep->entries[i];
		const struct apconfig_entry *e = &cfg->entries[i];
		const char *err = er->err ? err_str(-er->err) : NULL;

		sbuf_printf(b, "%s{\"entry\":%u,\"name\":", i ? "," : "", e->num);
		sbuf_json_str(b, e->name ? e->name : "", e->name ? strlen(e->name) : 0);
		sbuf_printf(b,
			    ",\"mode\":\"%s\",\"outcome\":\"%s\",\"apqn\":", ap_mode_name(e->mode),
			    ap_outcome_name(er->outcome));
		if (er->has_apqn)
			sbuf_printf(b, "\"%s\"", ap_apqn_str(er->apqn.card, er->apqn.domain, a));
		else
			sbuf_puts(b, "null");
		if (er->has_assoc)
			sbuf_printf(b, ",\"association_index\":%u", er->assoc_idx);
		else
			sbuf_puts(b, ",\"association_index\":null");
		sbuf_puts(b, ",\"error\":");
		if (err)
			sbuf_json_str(b, err, strlen(err));
		else
			sbuf_puts(b, "null");
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, "]");
	json_apqns(b, "unbound", rep->unbound, rep->n_unbound);
	json_apqns(b, "probed", rep->probed, rep->n_probed);
	sbuf_printf(b,
		    ",\"queues\":%zu,\"skipped\":%zu,\"satisfied\":%u,\"undetermined\":%u,"
		    "\"error\":",
		    rep->n_queues, rep->n_skipped, rep->satisfied, rep->undetermined);
	if (rep->error[0])
		sbuf_json_str(b, rep->error, strlen(rep->error));
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, "}\n");
}

void ap_report_free(struct ap_report *rep)
{
	if (!rep)
		return;
	free(rep->entries);
	free(rep->unbound);
	free(rep->probed);
	memset(rep, 0, sizeof(*rep));
}

static int report_init(struct ap_report *rep, size_t n)
{
	memset(rep, 0, sizeof(*rep));
	rep->n_entries = n;
	rep->entries = calloc(n ? n : 1, sizeof(*rep->entries));
	return rep->entries ? 0 : -ENOMEM;
}

static int take_lock(struct ap_report *rep, int *lock)
{
	*lock = host_lock_try(AP_LOCK_PATH);
	if (*lock >= 0)
		return 0;
	if (*lock == -EWOULDBLOCK)
		fail(rep, "another pvboot is configuring AP queues (%s is locked)", AP_LOCK_PATH);
	else
		fail(rep, "cannot lock %s: %s", AP_LOCK_PATH, err_str(-*lock));
	return *lock;
}

/* Environment, bus wait and gather, shared by apply and unbind. */
static int prepare(struct ap_report *rep, uint64_t deadline, uint64_t budget, bool report,
		   struct ap_queue **q, size_t *nq)
{
	struct ap_bus_state bus;
	char why[256];
	uint64_t now;
	int ret;

	ret = ap_check_env(&bus, why, sizeof(why));
	if (ret) {
		fail(rep, "AP queues cannot be configured here: %s", why);
		return ret;
	}
	log_info("waiting for the AP bus bindings to complete");
	now = host_now_ns();
	ret = ap_wait_bus(deadline > now ? deadline - now : 0, &bus);
	if (ret == -ETIMEDOUT) {
		fail(rep,
		     "the AP bus bindings did not complete within the time limit of %u s (%u of "
		     "%u queues have a device driver)",
		     secs(budget), bus.bound, bus.total);
		return ret;
	}
	if (ret) {
		fail(rep, "cannot read %s/bindings: %s", AP_BUS_DIR,
		     ret == -EPROTO ? "unexpected text" : err_str(-ret));
		return ret;
	}
	ret = ap_gather(q, nq, report);
	if (ret) {
		fail(rep, "cannot read the AP queues: %s", err_str(-ret));
		return ret;
	}
	ap_sort_queues(*q, *nq);
	for (size_t i = 0; i < *nq; i++) {
		if ((*q)[i].skip == AP_USABLE)
			rep->n_queues++;
		else
			rep->n_skipped++;
	}
	log_info("found %zu usable AP queues (%zu skipped)", rep->n_queues, rep->n_skipped);
	return 0;
}

static uint64_t budget_of(uint64_t timeout_ns)
{
	return timeout_ns ? timeout_ns : AP_DEFAULT_TIMEOUT_NS;
}

int ap_apply(const struct apconfig *cfg, const struct ap_apply_opts *opts, struct ap_report *rep)
{
	struct run r = {.cfg = cfg, .opts = opts, .rep = rep};
	struct secret_list own = {0};
	const struct secret_list *secrets = opts->secrets;
	struct ap_plan plan = {0};
	bool need_secrets = false;
	int lock = -1, ret;

	ret = report_init(rep, cfg->n);
	if (ret)
		return ret;
	if (cfg->n == 0) {
		log_notice("%s: no AP queue entries: nothing to do", cfg->file);
		return 0;
	}
	r.budget = budget_of(opts->timeout_ns);
	r.deadline = host_now_ns() + r.budget;
	ret = take_lock(rep, &lock);
	if (ret)
		goto out;
	for (size_t i = 0; i < cfg->n; i++)
		need_secrets |= cfg->entries[i].mode == AP_MODE_EP11;
	ret = prepare(rep, r.deadline, r.budget, true, &r.q, &r.nq);
	if (ret)
		goto out;
	if (need_secrets && !secrets) {
		ret = fetch_secrets(&own, rep);
		if (ret)
			goto out;
		secrets = &own;
	}
	r.probed = calloc(r.nq ? r.nq : 1, sizeof(*r.probed));
	r.msg = calloc(cfg->n, sizeof(*r.msg));
	if (!r.probed || !r.msg) {
		ret = -ENOMEM;
		goto out;
	}
	/* plan; read the wrapping key of each unbound queue the plan depends on */
	ret = ap_plan_make(cfg, r.q, r.nq, secrets, opts->dry_run, &plan);
	while (!ret && plan.probe != AP_NO_QUEUE) {
		ret = probe(&r, plan.probe);
		if (!ret)
			ret = ap_plan_resume(cfg, r.q, r.nq, secrets, &plan);
	}
	if (ret)
		goto out;
	{
		size_t x, y;
		char a[AP_APQN_LEN], b[AP_APQN_LEN];

		if (ap_mk_check(r.q, r.nq, &x, &y)) {
			fail(rep,
			     "APQN %s and APQN %s have the same wrapping key (0x%s): a card may "
			     "carry a wrapping key in one domain only",
			     ap_apqn_str(r.q[x].card, r.q[x].domain, a),
			     ap_apqn_str(r.q[y].card, r.q[y].domain, b), r.q[x].mkvp);
			for (size_t j = 0; j < r.nq; j++)
				if (r.probed[j] && unbind_one_quiet(&r.q[j], r.deadline) == 0)
					log_info("unbound APQN %s again",
						 ap_apqn_str(r.q[j].card, r.q[j].domain, a));
			ret = -EEXIST;
			goto out;
		}
	}
	ret = execute(&r, &plan);
	if (ret)
		goto out;
	if (opts->dry_run) {
		log_notice("dry run: %u of %zu AP queue entries would be satisfied%s",
			   rep->satisfied, cfg->n,
			   rep->undetermined ? " (more may be: see the undetermined ones)" : "");
		if (rep->satisfied + rep->undetermined == 0 ||
		    (opts->strict && rep->satisfied + rep->undetermined < cfg->n))
			ret = -ENOENT;
	} else if (rep->satisfied == 0) {
		ret = -ENOENT;
	} else if (opts->strict && rep->satisfied < cfg->n) {
		ret = -ENOENT;
	}
	if (ret == -ENOENT) {
		if (rep->satisfied == 0 && !(opts->dry_run && rep->undetermined))
			fail(rep, "none of the %zu AP queue entries %s be satisfied", cfg->n,
			     opts->dry_run ? "would" : "could");
		else
			fail(rep, "strict: only %u of %zu AP queue entries %s satisfied",
			     rep->satisfied, cfg->n, opts->dry_run ? "would be" : "are");
	} else if (!opts->dry_run) {
		log_notice("%u of %zu AP queue entries satisfied", rep->satisfied, cfg->n);
	}
out:
	ap_plan_free(&plan);
	free(r.probed);
	free(r.msg);
	free(r.q);
	secret_list_free(&own);
	host_unlock(lock);
	return ret;
}

int ap_unbind(const struct ap_apqn *apqns, size_t n, uint64_t timeout_ns, struct ap_report *rep)
{
	uint64_t budget = budget_of(timeout_ns), deadline = host_now_ns() + budget;
	struct ap_queue *q = NULL;
	size_t nq = 0, *idx = NULL, m = 0, late = 0;
	char a[AP_APQN_LEN], state[160];
	int lock = -1, ret;

	ret = report_init(rep, 0);
	if (ret)
		return ret;
	ret = take_lock(rep, &lock);
	if (ret)
		goto out;
	ret = prepare(rep, deadline, budget, false, &q, &nq);
	if (ret)
		goto out;
	idx = calloc(nq ? nq : 1, sizeof(*idx));
	if (!idx) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < nq; j++)
			if (q[j].card == apqns[i].card && q[j].domain == apqns[i].domain)
				break;
		ap_apqn_str(apqns[i].card, apqns[i].domain, a);
		if (j == nq) {
			fail(rep, "APQN %s does not exist", a);
			ret = -ENOENT;
			goto out;
		}
		if (q[j].skip != AP_USABLE && q[j].skip != AP_SKIP_BIND_READ) {
			char why[200];

			fail(rep, "APQN %s cannot be unbound: %s", a,
			     skip_text(&q[j], why, sizeof(why)));
			ret = -EINVAL;
			goto out;
		}
		idx[m++] = j;
	}
	if (!n)
		for (size_t j = 0; j < nq; j++)
			if ((q[j].skip == AP_USABLE && q[j].bind == AP_BIND_BOUND) ||
			    q[j].skip == AP_SKIP_BIND_READ)
				idx[m++] = j;
	for (size_t k = 0; k < m; k++) {
		ret = qwrite(&q[idx[k]], "se_bind", "0");
		ap_apqn_str(q[idx[k]].card, q[idx[k]].domain, a);
		if (ret) {
			fail(rep, "cannot unbind APQN %s: %s (%s)", a, err_str(-ret),
			     state_text(&q[idx[k]], "se_bind", state, sizeof(state)));
			goto out;
		}
		if (add_apqn(&rep->unbound, &rep->n_unbound, &q[idx[k]])) {
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = wait_bind(q, idx, m, AP_BIND_UNBOUND, deadline, &late);
	if (ret) {
		fail(rep, "APQN %s did not become unbound within the time limit of %u s (%s)",
		     ap_apqn_str(q[late].card, q[late].domain, a), secs(budget),
		     state_text(&q[late], "se_bind", state, sizeof(state)));
		goto out;
	}
	for (size_t k = 0; k < m; k++)
		log_notice("unbound APQN %s", ap_apqn_str(q[idx[k]].card, q[idx[k]].domain, a));
	if (!m)
		log_notice("no bound AP queue: nothing to unbind");
out:
	free(idx);
	free(q);
	host_unlock(lock);
	return ret;
}
