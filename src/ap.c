// SPDX-License-Identifier: MIT
/*
 * AP queue model, sysfs text parsers and pvapconfig's matching algorithm
 * (spec/ap.md §5.3), as a pure planner: src/ap_sysfs.c gathers the queues, asks for a
 * plan, reads what the plan needs (probes), and carries it out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap.h"
#include "asr.h"
#include "util.h"

const char *ap_apqn_str(uint8_t card, uint16_t domain, char buf[AP_APQN_LEN])
{
	snprintf(buf, AP_APQN_LEN, "%02x.%04x", card, domain);
	return buf;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Up to max hex digits at *s, at least one; advances *s. */
static int hexnum(const char **s, unsigned max, unsigned *out)
{
	unsigned v = 0, n = 0;

	while (n < max && hexdigit(**s) >= 0) {
		v = v * 16 + (unsigned)hexdigit(**s);
		(*s)++;
		n++;
	}
	if (!n || hexdigit(**s) >= 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int ap_parse_apqn(const char *s, uint8_t *card, uint16_t *domain)
{
	unsigned c, d;

	if (hexnum(&s, 2, &c) || *s++ != '.' || hexnum(&s, 4, &d) || *s)
		return -EINVAL;
	*card = (uint8_t)c;
	*domain = (uint16_t)d;
	return 0;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* text without leading and trailing white space, into out (cut at size - 1) */
static void trim(const char *text, char *out, size_t size)
{
	const char *end;
	size_t len;

	while (space(*text))
		text++;
	end = text + strlen(text);
	while (end > text && space(end[-1]))
		end--;
	len = (size_t)(end - text);
	if (len > size - 1)
		len = size - 1;
	memmove(out, text, len); /* out may be text */
	out[len] = 0;
}

int ap_parse_type(const char *text, unsigned *gen, enum ap_mode *mode)
{
	char t[16];

	trim(text, t, sizeof(t));
	if (strlen(t) != 5 || strncmp(t, "CEX", 3) != 0 || t[3] < '3' || t[3] > '8')
		return -EINVAL;
	switch (t[4]) {
	case 'A':
		*mode = AP_MODE_ACCEL;
		break;
	case 'C':
		*mode = AP_MODE_CCA;
		break;
	case 'P':
		*mode = AP_MODE_EP11;
		break;
	default:
		return -EINVAL;
	}
	*gen = (unsigned)(t[3] - '0');
	return 0;
}

int ap_parse_hwtype(const char *hwtype, const char *functions, unsigned *gen, enum ap_mode *mode)
{
	uint64_t t, f;
	char a[24], b[24];

	trim(hwtype, a, sizeof(a));
	trim(functions, b, sizeof(b));
	if (parse_u64(a, 255, &t) || t < 10 || parse_u64(b, 0xffffffffu, &f))
		return -EINVAL;
	*gen = t >= 14 ? 8 : (unsigned)(t - 6);
	if (f & 0x08000000)
		*mode = AP_MODE_ACCEL;
	else if (f & 0x10000000)
		*mode = AP_MODE_CCA;
	else if (f & 0x04000000)
		*mode = AP_MODE_EP11;
	else
		return -EINVAL;
	return 0;
}

int ap_parse_bind(const char *text, enum ap_bind *bind)
{
	char t[32];

	trim(text, t, sizeof(t));
	if (strcmp(t, "bound") == 0)
		*bind = AP_BIND_BOUND;
	else if (strcmp(t, "unbound") == 0)
		*bind = AP_BIND_UNBOUND;
	else if (strcmp(t, "-") == 0)
		*bind = AP_BIND_NONE;
	else
		return -EINVAL;
	return 0;
}

int ap_parse_assoc(const char *text, enum ap_assoc *assoc, uint16_t *idx)
{
	char t[48];

	trim(text, t, sizeof(t));
	if (strncmp(t, "associated ", 11) == 0) {
		const char *p = t + 11;
		unsigned v = 0;

		if (!*p)
			return -EINVAL;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return -EINVAL;
			v = v * 10 + (unsigned)(*p - '0');
			if (v > AP_ASSOC_IDX_MAX)
				return -EINVAL;
		}
		*assoc = AP_ASSOC_ASSOCIATED;
		*idx = (uint16_t)v;
	} else if (strcmp(t, "association pending") == 0) {
		*assoc = AP_ASSOC_PENDING;
	} else if (strcmp(t, "unassociated") == 0) {
		*assoc = AP_ASSOC_UNASSOCIATED;
	} else if (strcmp(t, "-") == 0) {
		*assoc = AP_ASSOC_NONE;
	} else {
		return -EINVAL;
	}
	return 0;
}

int ap_parse_online(const char *text, bool *online)
{
	char t[24];
	const char *p;
	long v = 0;

	trim(text, t, sizeof(t));
	p = t[0] == '-' || t[0] == '+' ? t + 1 : t;
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	*online = t[0] != '-' && v == 1;
	return 0;
}

/* Skip white space; returns the start of the next token and its length in *len. */
static const char *token(const char *p, size_t *len)
{
	while (space(*p))
		p++;
	*len = 0;
	while (p[*len] && !space(p[*len]))
		(*len)++;
	return p;
}

int ap_parse_mkvps(const char *text, char mkvp[APCONFIG_MKVP_HEX + 1])
{
	const char *p = text, *state, *value;
	size_t len, slen, vlen;

	/* pvapconfig: regex WK\s+CUR:\s+(\S+)\s+(\S+), first match */
	for (; (p = strstr(p, "WK")) != NULL; p += 2) {
		const char *q = p + 2;

		if (!space(*q))
			continue;
		while (space(*q))
			q++;
		if (strncmp(q, "CUR:", 4) != 0 || !space(q[4]))
			continue;
		state = token(q + 4, &slen);
		if (!slen)
			continue;
		value = token(state + slen, &vlen);
		if (!vlen)
			continue;
		mkvp[0] = 0;
		if (slen != 5 || strncasecmp(state, "valid", 5) != 0)
			return 0;
		if (vlen >= 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
			value += 2;
			vlen -= 2;
		}
		if (vlen < APCONFIG_MKVP_HEX)
			return -EINVAL;
		for (len = 0; len < APCONFIG_MKVP_HEX; len++) {
			char c = value[len];

			if (hexdigit(c) < 0)
				return -EINVAL;
			mkvp[len] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
		}
		mkvp[APCONFIG_MKVP_HEX] = 0;
		return 0;
	}
	return -EINVAL;
}

int ap_parse_serial(const char *text, char serial[APCONFIG_SERIAL_LEN + 1])
{
	char t[APCONFIG_SERIAL_LEN + 2];

	trim(text, t, sizeof(t));
	if (strlen(t) > APCONFIG_SERIAL_LEN)
		goto bad;
	/* a serial number is printable ASCII; anything else never reaches a terminal */
	for (const char *p = t; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			goto bad;
	memcpy(serial, t, strlen(t) + 1);
	return 0;
bad:
	serial[0] = 0;
	return -EINVAL;
}

int ap_parse_bindings(const char *text, unsigned *bound, unsigned *total, bool *complete)
{
	const char *p = text;
	unsigned v[2];

	for (int i = 0; i < 2; i++) {
		unsigned n = 0, digits = 0;

		while (*p >= '0' && *p <= '9') {
			if (n > 100000000)
				return -EINVAL;
			n = n * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		if (!digits || (i == 0 && *p++ != '/'))
			return -EINVAL;
		v[i] = n;
	}
	*bound = v[0];
	*total = v[1];
	*complete = strstr(p, "complete") != NULL;
	return 0;
}

/* ------------------------------------------------------------------ matching */

static int queue_order(const void *pa, const void *pb)
{
	const struct ap_queue *a = pa, *b = pb;

	if (a->gen != b->gen)
		return a->gen > b->gen ? -1 : 1;
	if (a->card != b->card)
		return a->card < b->card ? -1 : 1;
	return a->domain < b->domain ? -1 : a->domain > b->domain;
}

void ap_sort_queues(struct ap_queue *q, size_t n)
{
	if (n > 1)
		qsort(q, n, sizeof(*q), queue_order);
}

/* mingen is the oldest accepted generation (pvapconfig inverts it, spec/ap.md §7.1) */
static bool gen_ok(const struct apconfig_entry *e, const struct ap_queue *q)
{
	return !e->mingen || q->gen >= e->mingen;
}

bool ap_match(const struct apconfig_entry *e, const struct ap_queue *q)
{
	if (q->skip != AP_USABLE || e->mode != q->mode || !gen_ok(e, q))
		return false;
	if (e->mode == AP_MODE_ACCEL)
		return true;
	if (e->mode != AP_MODE_EP11 || q->info != AP_INFO_KNOWN)
		return false;
	if (e->serialnr[0] && strcmp(e->serialnr, q->serialnr) != 0)
		return false;
	return q->mkvp[0] && strcmp(e->mkvp, q->mkvp) == 0;
}

/*
 * Could e accept q once q's wrapping key is known? For an unbound EP11 queue: mode and
 * generation fit, and the card's serial number (known when another queue of the card
 * is bound) does not rule it out.
 */
static bool may_match(const struct apconfig_entry *e, const struct ap_queue *q)
{
	if (q->skip != AP_USABLE || e->mode != AP_MODE_EP11 || q->mode != AP_MODE_EP11 ||
	    q->info != AP_INFO_UNKNOWN || !gen_ok(e, q))
		return false;
	return !e->serialnr[0] || !q->serialnr[0] || strcmp(e->serialnr, q->serialnr) == 0;
}

const struct secret_entry *ap_find_assoc_secret(const struct secret_list *list,
						const uint8_t id[32])
{
	for (size_t i = 0; list && i < list->n; i++)
		if (list->entries[i].type == SECRET_ASSOCIATION &&
		    memcmp(list->entries[i].id, id, 32) == 0)
			return &list->entries[i];
	return NULL;
}

/* Is index idx an association secret with this id? (step 1 accepts any such index) */
static bool assoc_index_has_id(const struct secret_list *list, uint16_t idx, const uint8_t id[32])
{
	for (size_t i = 0; list && i < list->n; i++)
		if (list->entries[i].index == idx && list->entries[i].type == SECRET_ASSOCIATION &&
		    memcmp(list->entries[i].id, id, 32) == 0)
			return true;
	return false;
}

void ap_plan_free(struct ap_plan *plan)
{
	free(plan->entries);
	free(plan->unbind);
	free(plan->taken);
	memset(plan, 0, sizeof(*plan));
}

static bool satisfied_by(const struct apconfig_entry *e, const struct ap_queue *q,
			 const struct secret_list *secrets)
{
	if (!ap_match(e, q) || q->bind != AP_BIND_BOUND)
		return false;
	if (e->mode == AP_MODE_ACCEL)
		return true;
	return q->assoc == AP_ASSOC_ASSOCIATED &&
	       assoc_index_has_id(secrets, q->assoc_idx, e->secret_id);
}

/* Step 3 from where the plan stopped (entry at_entry, queue at_queue), then step 2. */
static void plan_steps_3_2(const struct apconfig *cfg, const struct ap_queue *q, size_t nq,
			   const struct secret_list *secrets, bool no_probe, struct ap_plan *plan)
{
	bool *taken = plan->taken;

	/* step 3: every other entry takes the first free queue it accepts */
	for (size_t i = plan->at_entry; i < cfg->n; i++) {
		const struct apconfig_entry *e = &cfg->entries[i];
		struct ap_plan_entry *pe = &plan->entries[i];
		const struct secret_entry *sec = NULL;
		size_t j = i == plan->at_entry ? plan->at_queue : 0;

		if (pe->step == AP_STEP_KEEP)
			continue;
		if (e->mode == AP_MODE_EP11) {
			sec = ap_find_assoc_secret(secrets, e->secret_id);
			if (!sec) {
				pe->step = AP_STEP_NO_SECRET;
				continue;
			}
		}
		for (; j < nq && pe->q == AP_NO_QUEUE; j++) {
			if (taken[j])
				continue;
			if (may_match(e, &q[j])) {
				if (!no_probe) {
					/* its key decides: read it, then resume here */
					plan->probe = j;
					plan->at_entry = i;
					plan->at_queue = j;
					return;
				}
				pe->n_unknown++;
				continue;
			}
			if (!ap_match(e, &q[j]))
				continue;
			taken[j] = true;
			pe->q = j;
			if (e->mode == AP_MODE_ACCEL) {
				pe->step = AP_STEP_BIND;
			} else {
				pe->assoc_idx = sec->index;
				pe->step = q[j].bind == AP_BIND_BOUND &&
						   q[j].assoc == AP_ASSOC_UNASSOCIATED
					       ? AP_STEP_ASSOC
					       : AP_STEP_BIND_ASSOC;
			}
			plan->satisfied++;
		}
		if (pe->q == AP_NO_QUEUE) {
			pe->step = pe->n_unknown ? AP_STEP_UNDETERMINED : AP_STEP_NO_QUEUE;
			if (pe->n_unknown)
				plan->undetermined++;
		}
	}
	plan->at_entry = cfg->n;

	/* step 2: release every bound queue that is neither kept nor used as it is */
	for (size_t j = 0; j < nq; j++)
		plan->unbind[j] = q[j].skip == AP_USABLE && q[j].bind == AP_BIND_BOUND;
	for (size_t i = 0; i < cfg->n; i++) {
		const struct ap_plan_entry *pe = &plan->entries[i];

		if (pe->step == AP_STEP_KEEP || pe->step == AP_STEP_ASSOC)
			plan->unbind[pe->q] = false;
	}
	plan->n_unbind = 0;
	for (size_t j = 0; j < nq; j++)
		plan->n_unbind += plan->unbind[j];
}

int ap_plan_make(const struct apconfig *cfg, const struct ap_queue *q, size_t nq,
		 const struct secret_list *secrets, bool no_probe, struct ap_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->probe = AP_NO_QUEUE;
	plan->n_entries = cfg->n;
	plan->nq = nq;
	plan->entries = calloc(cfg->n ? cfg->n : 1, sizeof(*plan->entries));
	plan->unbind = calloc(nq ? nq : 1, sizeof(*plan->unbind));
	plan->taken = calloc(nq ? nq : 1, sizeof(*plan->taken));
	if (!plan->entries || !plan->unbind || !plan->taken) {
		ap_plan_free(plan);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n; i++)
		plan->entries[i].q = AP_NO_QUEUE;

	/* step 1: entries that a bound (and associated) queue already satisfies */
	for (size_t i = 0; i < cfg->n; i++) {
		const struct apconfig_entry *e = &cfg->entries[i];
		struct ap_plan_entry *pe = &plan->entries[i];

		for (size_t j = 0; j < nq; j++) {
			if (plan->taken[j] || !satisfied_by(e, &q[j], secrets))
				continue;
			plan->taken[j] = true;
			pe->step = AP_STEP_KEEP;
			pe->q = j;
			pe->assoc_idx = q[j].assoc_idx;
			plan->satisfied++;
			break;
		}
	}
	plan_steps_3_2(cfg, q, nq, secrets, no_probe, plan);
	return 0;
}

int ap_plan_resume(const struct apconfig *cfg, const struct ap_queue *q, size_t nq,
		   const struct secret_list *secrets, struct ap_plan *plan)
{
	if (plan->probe == AP_NO_QUEUE || nq != plan->nq || cfg->n != plan->n_entries)
		return -EINVAL;
	plan->probe = AP_NO_QUEUE;
	plan_steps_3_2(cfg, q, nq, secrets, false, plan);
	return 0;
}

int ap_mk_check(const struct ap_queue *q, size_t nq, size_t *a, size_t *b)
{
	for (size_t i = 0; i < nq; i++) {
		if (q[i].skip != AP_USABLE || q[i].mode != AP_MODE_EP11 ||
		    q[i].info != AP_INFO_KNOWN || !q[i].mkvp[0])
			continue;
		for (size_t j = 0; j < nq; j++) {
			const struct ap_queue *x = &q[i], *y = &q[j];

			if (y->card != x->card || y->domain <= x->domain || y->skip != AP_USABLE ||
			    y->mode != AP_MODE_EP11 || y->info != AP_INFO_KNOWN ||
			    strcmp(x->mkvp, y->mkvp) != 0)
				continue;
			*a = i;
			*b = j;
			return -EEXIST;
		}
	}
	return 0;
}
