// SPDX-License-Identifier: MIT
/*
 * The simulated AP bus (spec/ap.md §1, §8): cards and queues under /sys/devices/ap and
 * the bus attributes under /sys/bus/ap, with the kernel's texts and errno on every read
 * and write of se_bind, se_associate, online, mkvps, serialnr, type, bindings, ...
 *
 * Asynchronous work (queue resets after an unbind, associations, the first bus scan,
 * device driver binding, queues that appear late) runs on the simulator's virtual clock:
 * the time pvboot spent in host_sleep_ns on this machine (clock_offset_ns), so that the
 * outcome of a scenario does not depend on how fast the host (or qemu) is. The dynamic
 * state persists in <machine>/ap.state; every write is recorded in <machine>/sysfs.log.
 * tests/sim/README.md documents the machine.yaml keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr.h"
#include "sim.h"
#include "util.h"
#include "ydoc.h"

#define NEVER		 UINT64_MAX
#define INHERIT		 (UINT64_MAX - 1)
#define ASSOC_INVALID	 0x10000u
#define MS		 1000000ull
#define MAX_QUEUES	 16384
#define MAX_STATE_FILE	 (4u * 1024 * 1024)
#define BUS_DIR		 "/sys/bus/ap"
#define DEV_DIR		 "/sys/devices/ap"
#define FEATURES	 "APSC APXA QACT RC8A"
#define RC_BIND_LIMIT	 0x33 /* AP_RESPONSE_BIND_LIMIT_EXCEEDED */
#define RC_INVALID_ASSOC 0x34 /* AP_RESPONSE_INVALID_ASSOC_SECRET */
#define RC_NOT_UNIQUE	 0x35 /* AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE */
#define RC_ASSOC_FAILED	 0x36 /* AP_RESPONSE_ASSOC_FAILED */

enum wk { WK_NONE, WK_INVALID, WK_VALID, WK_AUTO };
enum sm { SM_IDLE, SM_RESET, SM_ASSOC };

struct sim_ap_queue {
	uint16_t domain;
	/* description */
	bool config, chkstop, online0, driver, busy;
	uint64_t appear;
	int bs0;
	uint32_t assoc0;
	enum wk wk;
	uint8_t wkvp[32];
	uint64_t assoc_delay; /* INHERIT: the bus default */
	uint16_t assoc_result, bapq_rc, aapq_rc, tapq_rc;
	/* state (ap.state) */
	bool zq_online;
	int bs, prev_bs; /* prev_bs >= 0: visible until a reset completes */
	uint32_t assoc_idx;
	enum sm sm;
	uint64_t until;
	uint16_t async_err;
};

struct sim_ap_card {
	uint8_t id;
	unsigned gen;
	char mode; /* A, C or P */
	char serial[17];
	bool config, chkstop, online0, driver;
	uint64_t appear;
	bool zc_online; /* state */
	size_t nq;
	struct sim_ap_queue *q;
};

struct sim_ap {
	bool apsb, assoc_unique;
	uint64_t scan, driver_delay, reset_delay, assoc_delay;
	unsigned bind_limit;
	size_t ncards;
	struct sim_ap_card *cards;
	struct sim_ap_card *by_id[256];
	bool loaded;	 /* ap.state applied */
	uint64_t ticked; /* the virtual time of the last tick + 1 (0: never) */
};

/* ------------------------------------------------------------ machine.yaml "ap:" */

struct pctx {
	const char *file;
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 3, 4))) static int bad(struct pctx *c, const struct ynode *n,
						     const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%u:%u: %s", c->file, n ? n->line : 0, n ? n->col : 0, msg);
	return -1;
}

static int keys_ok(struct pctx *c, const struct ynode *map, const char *const *allowed,
		   const char *what)
{
	const struct ynode *k;

	if (!map || map->kind != YNODE_MAP)
		return bad(c, map, "expected a mapping (%s)", what);
	k = ydoc_unknown_key(map, allowed);
	if (k)
		return bad(c, k, "unknown key '%s' in %s", k->str, what);
	return 0;
}

static int get_bool(struct pctx *c, const struct ynode *n, bool *out)
{
	if (ydoc_bool(n, out))
		return bad(c, n, "expected a boolean (true or false)");
	return 0;
}

static int get_num(struct pctx *c, const struct ynode *n, uint64_t max, uint64_t *out)
{
	if (ydoc_u64(n, out) || *out > max)
		return bad(c, n, "expected a number from 0 to %llu", (unsigned long long)max);
	return 0;
}

/* milliseconds, or "never" */
static int get_ms(struct pctx *c, const struct ynode *n, uint64_t *ns)
{
	uint64_t v;

	if (n->kind == YNODE_SCALAR && strcmp(n->str, "never") == 0) {
		*ns = NEVER;
		return 0;
	}
	if (ydoc_u64(n, &v) || v > 86400000)
		return bad(c, n, "expected milliseconds (0 to 86400000) or never");
	*ns = v * MS;
	return 0;
}

static int get_rc(struct pctx *c, const struct ynode *n, uint16_t *rc)
{
	uint64_t v;

	if (get_num(c, n, 0xff, &v))
		return -1;
	*rc = (uint16_t)v;
	return 0;
}

static int get_wk(struct pctx *c, const struct ynode *n, enum wk *wk, uint8_t wkvp[32])
{
	if (n->kind == YNODE_SCALAR && strcmp(n->str, "none") == 0)
		*wk = WK_NONE;
	else if (n->kind == YNODE_SCALAR && strcmp(n->str, "invalid") == 0)
		*wk = WK_INVALID;
	else if (n->kind == YNODE_SCALAR && strcmp(n->str, "auto") == 0)
		*wk = WK_AUTO;
	else if (ydoc_hex(n, wkvp, 32) == 0)
		*wk = WK_VALID;
	else
		return bad(c, n,
			   "wk is a 32-byte verification pattern (64 hex digits), auto, invalid "
			   "or none");
	return 0;
}

static struct sim_ap_queue *add_queue(struct pctx *c, struct sim_ap *ap, struct sim_ap_card *card,
				      const struct ynode *at, uint64_t domain, enum wk wk)
{
	struct sim_ap_queue *q, *p;
	size_t total = 0;

	for (size_t i = 0; i < ap->ncards; i++)
		total += ap->cards[i].nq;
	if (total >= MAX_QUEUES) {
		bad(c, at, "more than %d queues", MAX_QUEUES);
		return NULL;
	}
	for (size_t i = 0; i < card->nq; i++)
		if (card->q[i].domain == domain) {
			bad(c, at, "domain %llu of card %u is given twice",
			    (unsigned long long)domain, card->id);
			return NULL;
		}
	p = realloc(card->q, (card->nq + 1) * sizeof(*p));
	if (!p) {
		bad(c, at, "out of memory");
		return NULL;
	}
	card->q = p;
	q = &p[card->nq++];
	memset(q, 0, sizeof(*q));
	q->domain = (uint16_t)domain;
	q->config = true;
	q->online0 = true;
	q->driver = true;
	q->bs0 = 2;
	q->assoc0 = ASSOC_INVALID;
	q->wk = wk;
	q->assoc_delay = INHERIT;
	return q;
}

static int parse_queue(struct pctx *c, struct sim_ap *ap, struct sim_ap_card *card,
		       const struct ynode *m, enum wk wk)
{
	static const char *const keys[] = {"domain",	"online",   "config",	    "chkstop",
					   "appear_ms", "driver",   "state",	    "assoc_index",
					   "wk",	"assoc_ms", "assoc_result", "bapq_rc",
					   "aapq_rc",	"tapq_rc",  "busy",	    NULL};
	const struct ynode *n;
	struct sim_ap_queue *q;
	uint64_t v;

	if (keys_ok(c, m, keys, "a queue"))
		return -1;
	n = ydoc_get(m, "domain");
	if (!n)
		return bad(c, m, "a queue needs 'domain'");
	if (get_num(c, n, 255, &v) || !(q = add_queue(c, ap, card, n, v, wk)))
		return -1;
	if ((n = ydoc_get(m, "online")) && get_bool(c, n, &q->online0))
		return -1;
	if ((n = ydoc_get(m, "config")) && get_bool(c, n, &q->config))
		return -1;
	if ((n = ydoc_get(m, "chkstop")) && get_bool(c, n, &q->chkstop))
		return -1;
	if ((n = ydoc_get(m, "driver")) && get_bool(c, n, &q->driver))
		return -1;
	if ((n = ydoc_get(m, "busy")) && get_bool(c, n, &q->busy))
		return -1;
	if ((n = ydoc_get(m, "appear_ms")) && get_ms(c, n, &q->appear))
		return -1;
	if ((n = ydoc_get(m, "assoc_ms")) && get_ms(c, n, &q->assoc_delay))
		return -1;
	if ((n = ydoc_get(m, "wk")) && get_wk(c, n, &q->wk, q->wkvp))
		return -1;
	if ((n = ydoc_get(m, "bapq_rc")) && get_rc(c, n, &q->bapq_rc))
		return -1;
	if ((n = ydoc_get(m, "aapq_rc")) && get_rc(c, n, &q->aapq_rc))
		return -1;
	if ((n = ydoc_get(m, "tapq_rc")) && get_rc(c, n, &q->tapq_rc))
		return -1;
	if ((n = ydoc_get(m, "assoc_result"))) {
		if (n->kind == YNODE_SCALAR && strcmp(n->str, "ok") == 0)
			q->assoc_result = 0;
		else if (ydoc_u64(n, &v) == 0 && (v == RC_NOT_UNIQUE || v == RC_ASSOC_FAILED))
			q->assoc_result = (uint16_t)v;
		else
			return bad(c, n, "assoc_result is ok, 0x35 or 0x36");
	}
	if ((n = ydoc_get(m, "state"))) {
		const char *s = n->kind == YNODE_SCALAR ? n->str : "";

		if (strcmp(s, "unbound") == 0)
			q->bs0 = 2;
		else if (strcmp(s, "bound") == 0)
			q->bs0 = card->mode == 'P' ? 1 : 0;
		else if (strcmp(s, "associated") == 0)
			q->bs0 = 0;
		else if (strcmp(s, "unusable") == 0)
			q->bs0 = 3;
		else
			return bad(c, n, "state is unbound, bound, associated or unusable");
		if (card->mode == 'C' && q->bs0 != 2)
			return bad(c, n, "a CCA queue cannot be bound in a Secure Execution guest");
		if (strcmp(s, "associated") == 0 && card->mode != 'P')
			return bad(c, n, "only EP11 queues can be associated");
	}
	n = ydoc_get(m, "assoc_index");
	if (n) {
		if (q->bs0 != 0 || card->mode != 'P')
			return bad(c, n, "assoc_index needs state: associated");
		if (get_num(c, n, 0xffff, &v))
			return -1;
		q->assoc0 = (uint32_t)v;
	} else if (card->mode == 'P' && q->bs0 == 0) {
		return bad(c, m, "state: associated needs assoc_index");
	}
	return 0;
}

/* "domains: 0-63" or "domains: [1, 2, 5]": queues with the card's defaults */
static int parse_domains(struct pctx *c, struct sim_ap *ap, struct sim_ap_card *card,
			 const struct ynode *n, enum wk wk)
{
	uint64_t lo, hi;

	if (n->kind == YNODE_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			if (get_num(c, n->vals[i], 255, &lo) ||
			    !add_queue(c, ap, card, n->vals[i], lo, wk))
				return -1;
		return 0;
	}
	if (n->kind == YNODE_SCALAR) {
		char a[16], b[16];
		const char *dash = strchr(n->str, '-');

		if (dash && dash - n->str < 15 && strlen(dash + 1) < 15) {
			snprintf(a, sizeof(a), "%.*s", (int)(dash - n->str), n->str);
			snprintf(b, sizeof(b), "%s", dash + 1);
			if (parse_u64(a, 255, &lo) == 0 && parse_u64(b, 255, &hi) == 0 &&
			    lo <= hi) {
				for (uint64_t d = lo; d <= hi; d++)
					if (!add_queue(c, ap, card, n, d, wk))
						return -1;
				return 0;
			}
		}
	}
	return bad(c, n, "domains is a range (0-63) or a list of domain numbers");
}

static int parse_card(struct pctx *c, struct sim_ap *ap, const struct ynode *m)
{
	static const char *const keys[] = {"card",   "type",	"serialnr",  "online",
					   "config", "chkstop", "appear_ms", "driver",
					   "wk",     "domains", "queues",    NULL};
	struct sim_ap_card *card;
	const struct ynode *n;
	enum wk wk = WK_INVALID;
	uint8_t dummy[32];
	uint64_t v;

	if (keys_ok(c, m, keys, "a card"))
		return -1;
	n = ydoc_get(m, "card");
	if (!n)
		return bad(c, m, "a card needs 'card' (its number)");
	if (get_num(c, n, 255, &v))
		return -1;
	if (ap->by_id[v])
		return bad(c, n, "card %llu is given twice", (unsigned long long)v);
	card = &ap->cards[ap->ncards++];
	memset(card, 0, sizeof(*card));
	card->id = (uint8_t)v;
	card->config = true;
	card->online0 = true;
	card->driver = true;
	ap->by_id[v] = card;
	n = ydoc_get(m, "type");
	if (!n || n->kind != YNODE_SCALAR || strlen(n->str) != 5 || strncmp(n->str, "CEX", 3) ||
	    n->str[3] < '4' || n->str[3] > '8' || !strchr("ACP", n->str[4]) || !n->str[4])
		return bad(c, n ? n : m, "a card needs 'type': CEX4A ... CEX8P (A, C or P)");
	card->gen = (unsigned)(n->str[3] - '0');
	card->mode = n->str[4];
	snprintf(card->serial, sizeof(card->serial), "SIMULATEDCARD%03u", card->id);
	if ((n = ydoc_get(m, "serialnr"))) {
		if (n->kind != YNODE_SCALAR || strlen(n->str) != 16)
			return bad(c, n, "serialnr is 16 characters");
		memcpy(card->serial, n->str, 17);
	}
	if ((n = ydoc_get(m, "online")) && get_bool(c, n, &card->online0))
		return -1;
	if ((n = ydoc_get(m, "config")) && get_bool(c, n, &card->config))
		return -1;
	if ((n = ydoc_get(m, "chkstop")) && get_bool(c, n, &card->chkstop))
		return -1;
	if ((n = ydoc_get(m, "driver")) && get_bool(c, n, &card->driver))
		return -1;
	if ((n = ydoc_get(m, "appear_ms")) && get_ms(c, n, &card->appear))
		return -1;
	if ((n = ydoc_get(m, "wk")) && get_wk(c, n, &wk, dummy))
		return -1;
	if (wk == WK_VALID)
		return bad(c, n,
			   "a card's wk (the default of its queues) is auto, invalid or none");
	if ((n = ydoc_get(m, "domains")) && parse_domains(c, ap, card, n, wk))
		return -1;
	if ((n = ydoc_get(m, "queues"))) {
		if (n->kind != YNODE_SEQ)
			return bad(c, n, "queues is a list");
		for (size_t i = 0; i < n->n; i++)
			if (parse_queue(c, ap, card, n->vals[i], wk))
				return -1;
	}
	return 0;
}

void sim_ap_free(struct sim_ap *ap)
{
	if (!ap)
		return;
	for (size_t i = 0; i < ap->ncards; i++)
		free(ap->cards[i].q);
	free(ap->cards);
	free(ap);
}

int sim_ap_parse(const char *file, const struct ynode *n, struct sim_ap **out, char *err,
		 size_t errsz)
{
	static const char *const keys[] = {"apsb",	   "scan_ms",  "driver_ms",
					   "reset_ms",	   "assoc_ms", "bind_limit",
					   "assoc_unique", "cards",    NULL};
	struct pctx c = {file, err, errsz};
	const struct ynode *v, *cards;
	struct sim_ap *ap;
	uint64_t x;

	*out = NULL;
	if (n->kind == YNODE_SCALAR && n->str[0] == 0)
		n = NULL; /* "ap:" alone: an AP bus without cards */
	if (n && keys_ok(&c, n, keys, "ap"))
		return -1;
	ap = calloc(1, sizeof(*ap));
	if (!ap)
		return bad(&c, n, "out of memory");
	ap->apsb = true;
	ap->reset_delay = 40 * MS;
	ap->assoc_delay = 200 * MS;
	*out = ap;
	if (!n)
		return 0;
	if ((v = ydoc_get(n, "apsb")) && get_bool(&c, v, &ap->apsb))
		return -1;
	if ((v = ydoc_get(n, "assoc_unique")) && get_bool(&c, v, &ap->assoc_unique))
		return -1;
	if ((v = ydoc_get(n, "scan_ms")) && get_ms(&c, v, &ap->scan))
		return -1;
	if ((v = ydoc_get(n, "driver_ms")) && get_ms(&c, v, &ap->driver_delay))
		return -1;
	if ((v = ydoc_get(n, "reset_ms")) && get_ms(&c, v, &ap->reset_delay))
		return -1;
	if (ap->reset_delay == NEVER)
		return bad(&c, v, "reset_ms cannot be never");
	if ((v = ydoc_get(n, "assoc_ms")) && get_ms(&c, v, &ap->assoc_delay))
		return -1;
	if ((v = ydoc_get(n, "bind_limit"))) {
		if (get_num(&c, v, MAX_QUEUES, &x))
			return -1;
		ap->bind_limit = (unsigned)x;
	}
	cards = ydoc_get(n, "cards");
	if (!cards)
		return 0;
	if (cards->kind != YNODE_SEQ || cards->n > 256)
		return bad(&c, cards, "cards is a list of at most 256 cards");
	ap->cards = calloc(cards->n ? cards->n : 1, sizeof(*ap->cards));
	if (!ap->cards)
		return bad(&c, cards, "out of memory");
	for (size_t i = 0; i < cards->n; i++)
		if (parse_card(&c, ap, cards->vals[i]))
			return -1;
	return 0;
}

/* ------------------------------------------------------------ state */

static void initial_state(struct sim_ap *ap)
{
	for (size_t i = 0; i < ap->ncards; i++) {
		struct sim_ap_card *c = &ap->cards[i];

		c->zc_online = c->online0;
		for (size_t j = 0; j < c->nq; j++) {
			struct sim_ap_queue *q = &c->q[j];

			q->zq_online = q->online0;
			q->bs = q->bs0;
			q->prev_bs = -1;
			q->assoc_idx = q->assoc0;
			q->sm = SM_IDLE;
		}
	}
}

static struct sim_ap_queue *find_queue(struct sim_ap *ap, unsigned card, unsigned domain,
				       struct sim_ap_card **cp)
{
	struct sim_ap_card *c = card < 256 ? ap->by_id[card] : NULL;

	*cp = c;
	for (size_t j = 0; c && j < c->nq; j++)
		if (c->q[j].domain == domain)
			return &c->q[j];
	return NULL;
}

static const char *kv(const char *t, const char *key)
{
	size_t n = strlen(key);

	return strncmp(t, key, n) == 0 && t[n] == '=' ? t + n + 1 : NULL;
}

/* One "queue cc.dddd k=v ..." or "card cc k=v" line; -1 on a bad line. */
static int state_line(struct sim_ap *ap, char *line)
{
	char *tok[12], *p = line, *end;
	size_t n = 0;
	unsigned card, dom = 0;
	struct sim_ap_card *c;
	struct sim_ap_queue *q = NULL;

	while (*p && n < 12) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	if (n == 0 || tok[0][0] == '#')
		return 0;
	if (strcmp(tok[0], "version") == 0)
		return n == 2 && strcmp(tok[1], "1") == 0 ? 0 : -1;
	if (n < 2)
		return -1;
	card = (unsigned)strtoul(tok[1], &end, 16);
	if (strcmp(tok[0], "card") == 0) {
		if (*end || !(c = card < 256 ? ap->by_id[card] : NULL))
			return -1;
	} else if (strcmp(tok[0], "queue") == 0) {
		if (*end != '.')
			return -1;
		dom = (unsigned)strtoul(end + 1, &end, 16);
		if (*end || !(q = find_queue(ap, card, dom, &c)))
			return -1;
	} else {
		return -1;
	}
	for (size_t i = 2; i < n; i++) {
		const char *v;
		unsigned long long x;

		errno = 0;
		if ((v = kv(tok[i], "online")))
			x = strtoull(v, &end, 10);
		else if (q && ((v = kv(tok[i], "bs")) || (v = kv(tok[i], "prev_bs")) ||
			       (v = kv(tok[i], "assoc")) || (v = kv(tok[i], "until")) ||
			       (v = kv(tok[i], "err"))))
			x = strtoull(v, &end, 0);
		else if (q && (v = kv(tok[i], "sm")))
			x = strcmp(v, "idle") == 0    ? SM_IDLE
			    : strcmp(v, "reset") == 0 ? SM_RESET
			    : strcmp(v, "assoc") == 0 ? SM_ASSOC
						      : 99;
		else
			return -1;
		if (kv(tok[i], "sm")) {
			if (x == 99)
				return -1;
			q->sm = (enum sm)x;
			continue;
		}
		if (errno || *end || v == end)
			return -1;
		if (kv(tok[i], "online")) {
			if (x > 1)
				return -1;
			if (q)
				q->zq_online = x;
			else
				c->zc_online = x;
		} else if (kv(tok[i], "bs")) {
			if (x > 3)
				return -1;
			q->bs = (int)x;
		} else if (kv(tok[i], "prev_bs")) {
			if (x > 3)
				return -1;
			q->prev_bs = (int)x;
		} else if (kv(tok[i], "assoc")) {
			if (x > ASSOC_INVALID)
				return -1;
			q->assoc_idx = (uint32_t)x;
		} else if (kv(tok[i], "until")) {
			q->until = x;
		} else if (kv(tok[i], "err")) {
			if (x > 0xff)
				return -1;
			q->async_err = (uint16_t)x;
		}
	}
	return 0;
}

static void load_state(struct sim *s, struct sim_ap *ap)
{
	char path[2048];
	uint8_t *buf;
	char *p, *nl;
	unsigned line = 0;
	size_t len;
	int rc;

	ap->loaded = true;
	initial_state(ap);
	snprintf(path, sizeof(path), "%s/ap.state", s->m.dir);
	rc = sim_read_file(path, MAX_STATE_FILE, &buf, &len);
	if (rc == -ENOENT)
		return;
	if (rc)
		sim_die("%s:0:0: cannot read: %s", path, strerror(-rc));
	for (p = (char *)buf; *p; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		if (!nl)
			sim_die("%s:%u:1: last line has no newline", path, line);
		*nl = 0;
		if (state_line(ap, p))
			sim_die("%s:%u:1: not a valid AP state line (or no such card/queue in "
				"machine.yaml)",
				path, line);
	}
	free(buf);
}

/* A small text builder: ap.state has a line per queue and is rewritten often. */
struct out {
	char *p;
	size_t len, cap;
};

static void out_str(struct out *o, const char *t)
{
	size_t n = strlen(t);

	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap ? 2 * o->cap : 65536) + n;
		char *p = realloc(o->p, cap);

		if (!p)
			sim_die("out of memory");
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, t, n + 1);
	o->len += n;
}

static void out_num(struct out *o, unsigned long long v, unsigned base, unsigned width)
{
	char buf[24], *e = buf + sizeof(buf) - 1;

	*e = 0;
	do {
		*--e = "0123456789abcdef"[v % base];
		v /= base;
	} while (v || (size_t)(buf + sizeof(buf) - 1 - e) < width);
	out_str(o, e);
}

static void save_state(struct sim *s, struct sim_ap *ap)
{
	char path[2048], tmp[2100];
	struct out o = {0};
	int fd;

	out_str(&o, "# pvboot-sim AP bus state, rewritten after every change "
		    "(tests/sim/README.md)\nversion 1\n");
	for (size_t i = 0; i < ap->ncards; i++) {
		const struct sim_ap_card *c = &ap->cards[i];

		out_str(&o, "card ");
		out_num(&o, c->id, 16, 2);
		out_str(&o, c->zc_online ? " online=1\n" : " online=0\n");
		for (size_t j = 0; j < c->nq; j++) {
			const struct sim_ap_queue *q = &c->q[j];

			out_str(&o, "queue ");
			out_num(&o, c->id, 16, 2);
			out_str(&o, ".");
			out_num(&o, q->domain, 16, 4);
			out_str(&o, q->zq_online ? " online=1 bs=" : " online=0 bs=");
			out_num(&o, (unsigned)q->bs, 10, 1);
			if (q->assoc_idx != ASSOC_INVALID) {
				out_str(&o, " assoc=");
				out_num(&o, q->assoc_idx, 10, 1);
			}
			if (q->async_err) {
				out_str(&o, " err=0x");
				out_num(&o, q->async_err, 16, 2);
			}
			if (q->sm != SM_IDLE) {
				out_str(&o, q->sm == SM_RESET ? " sm=reset until="
							      : " sm=assoc until=");
				out_num(&o, q->until, 10, 1);
			}
			if (q->prev_bs >= 0) {
				out_str(&o, " prev_bs=");
				out_num(&o, (unsigned)q->prev_bs, 10, 1);
			}
			out_str(&o, "\n");
		}
	}
	snprintf(path, sizeof(path), "%s/ap.state", s->m.dir);
	snprintf(tmp, sizeof(tmp), "%s/.ap.state.%ld.tmp", s->m.dir, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		sim_die("%s: cannot write: %s", tmp, strerror(errno));
	for (size_t off = 0; off < o.len;) {
		ssize_t n = write(fd, o.p + off, o.len - off);

		if (n <= 0 && errno != EINTR) {
			close(fd);
			unlink(tmp);
			sim_die("%s: write failed: %s", tmp, strerror(errno));
		}
		if (n > 0)
			off += (size_t)n;
	}
	free(o.p);
	if (close(fd) || rename(tmp, path)) {
		unlink(tmp);
		sim_die("%s: cannot replace: %s", path, strerror(errno));
	}
}

/* ------------------------------------------------------------ time */

static uint64_t now_of(const struct sim *s)
{
	return s->st.clock_offset_ns;
}

static uint64_t after(uint64_t t, uint64_t d)
{
	return t == NEVER || d == NEVER || t > NEVER - d ? NEVER : t + d;
}

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a > b ? a : b;

	return m > c ? m : c;
}

static bool card_visible(const struct sim_ap *ap, const struct sim_ap_card *c, uint64_t now)
{
	return ap->scan != NEVER && c->appear != NEVER && now >= ap->scan && now >= c->appear;
}

static bool queue_visible(const struct sim_ap *ap, const struct sim_ap_card *c,
			  const struct sim_ap_queue *q, uint64_t now)
{
	return card_visible(ap, c, now) && q->appear != NEVER && now >= q->appear;
}

static bool card_driver(const struct sim_ap *ap, const struct sim_ap_card *c, uint64_t now)
{
	return c->driver && now >= after(max3(ap->scan, c->appear, 0), ap->driver_delay);
}

static bool queue_driver(const struct sim_ap *ap, const struct sim_ap_card *c,
			 const struct sim_ap_queue *q, uint64_t now)
{
	return q->driver && now >= after(max3(ap->scan, c->appear, q->appear), ap->driver_delay);
}

static bool assoc_index_is_association(const struct sim *s, uint32_t idx)
{
	for (size_t i = 0; i < s->st.n_store; i++)
		if (s->st.store[i].index == idx)
			return s->st.store[i].type == SECRET_ASSOCIATION;
	return false;
}

/* Finish the asynchronous work that is due; true if anything changed. */
static bool tick(struct sim *s, struct sim_ap *ap)
{
	uint64_t now = now_of(s);
	bool changed = false;

	if (ap->ticked == now + 1)
		return false;
	ap->ticked = now + 1;
	for (size_t i = 0; i < ap->ncards; i++) {
		struct sim_ap_card *c = &ap->cards[i];

		for (size_t j = 0; j < c->nq; j++) {
			struct sim_ap_queue *q = &c->q[j];

			if (q->sm == SM_IDLE || now < q->until)
				continue;
			changed = true;
			if (q->sm == SM_RESET) {
				q->bs = 2;
				q->prev_bs = -1;
				q->async_err = 0;
				q->assoc_idx = ASSOC_INVALID;
				q->sm = SM_IDLE;
				continue;
			}
			q->sm = SM_IDLE;
			if (q->assoc_result) {
				q->async_err = q->assoc_result;
				continue;
			}
			if (ap->assoc_unique) {
				bool dup = false;

				for (size_t k = 0; k < ap->ncards; k++)
					for (size_t l = 0; l < ap->cards[k].nq; l++) {
						struct sim_ap_queue *o = &ap->cards[k].q[l];

						dup |= o != q && o->bs == 0 &&
						       o->assoc_idx == q->assoc_idx;
					}
				if (dup) {
					q->async_err = RC_NOT_UNIQUE;
					continue;
				}
			}
			q->bs = 0;
		}
	}
	return changed;
}

/* ------------------------------------------------------------ paths */

enum kind { K_NONE, K_DIR, K_FILE };

struct node {
	enum kind kind;
	bool bus;		/* under /sys/bus/ap */
	struct sim_ap_card *c;	/* card directory or attribute */
	struct sim_ap_queue *q; /* queue directory or attribute */
	char attr[32];		/* attribute name, or "" for a directory */
};

static bool se_attrs(const struct sim *s, const struct sim_ap *ap, const struct sim_ap_card *c)
{
	return s->m.se_guest && ap->apsb && (c->mode == 'A' || c->mode == 'P');
}

static const char *const card_attrs[] = {"hwtype", "raw_hwtype", "depth",  "ap_functions",
					 "config", "chkstop",	 "uevent", "type",
					 "online", "serialnr",	 NULL};
static const char *const queue_attrs[] = {"ap_functions", "config", "chkstop", "uevent", "se_bind",
					  "se_associate", "online", "mkvps",   NULL};

static bool card_has(const struct sim *s, const struct sim_ap *ap, const struct sim_ap_card *c,
		     const char *a, uint64_t now)
{
	bool drv = card_driver(ap, c, now);

	(void)s;
	if (strcmp(a, "type") == 0 || strcmp(a, "online") == 0)
		return drv;
	if (strcmp(a, "serialnr") == 0)
		return drv && c->mode != 'A';
	for (size_t i = 0; card_attrs[i]; i++)
		if (strcmp(card_attrs[i], a) == 0)
			return true;
	return false;
}

static bool queue_has(const struct sim *s, const struct sim_ap *ap, const struct sim_ap_card *c,
		      const struct sim_ap_queue *q, const char *a, uint64_t now)
{
	bool drv = queue_driver(ap, c, q, now);

	if (strcmp(a, "se_bind") == 0 || strcmp(a, "se_associate") == 0)
		return se_attrs(s, ap, c);
	if (strcmp(a, "online") == 0)
		return drv;
	if (strcmp(a, "mkvps") == 0)
		return drv && c->mode != 'A';
	for (size_t i = 0; queue_attrs[i]; i++)
		if (strcmp(queue_attrs[i], a) == 0)
			return true;
	return false;
}

static bool hexn(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void resolve(struct sim *s, struct sim_ap *ap, const char *path, struct node *nd)
{
	char p[256];
	const char *r;
	size_t len = strlen(path);
	uint64_t now = now_of(s);
	unsigned card, dom;

	memset(nd, 0, sizeof(*nd));
	if (len >= sizeof(p))
		return;
	memcpy(p, path, len + 1);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = 0;
	if (strncmp(p, BUS_DIR, strlen(BUS_DIR)) == 0) {
		r = p + strlen(BUS_DIR);
		nd->bus = true;
		if (!*r)
			nd->kind = K_DIR;
		else if (strcmp(r, "/features") == 0 || strcmp(r, "/bindings") == 0 ||
			 strcmp(r, "/scans") == 0 || strcmp(r, "/ap_interrupts") == 0) {
			nd->kind = K_FILE;
			snprintf(nd->attr, sizeof(nd->attr), "%.31s", r + 1);
		}
		return;
	}
	if (strncmp(p, DEV_DIR, strlen(DEV_DIR)) != 0)
		return;
	r = p + strlen(DEV_DIR);
	if (!*r) {
		nd->kind = K_DIR;
		return;
	}
	if (strcmp(r, "/uevent") == 0) {
		nd->kind = K_FILE;
		snprintf(nd->attr, sizeof(nd->attr), "%.31s", "uevent");
		return;
	}
	if (strncmp(r, "/card", 5) != 0 || !hexn(r + 5, 2) || (r[7] && r[7] != '/'))
		return;
	card = (unsigned)strtoul(r + 5, NULL, 16);
	nd->c = ap->by_id[card];
	if (!nd->c || !card_visible(ap, nd->c, now))
		return;
	r += 7;
	if (!*r) {
		nd->kind = K_DIR;
		return;
	}
	r++;
	if (strlen(r) >= 7 && hexn(r, 2) && r[2] == '.' && hexn(r + 3, 4) &&
	    (r[7] == 0 || r[7] == '/')) {
		if ((unsigned)strtoul(r, NULL, 16) != card)
			return;
		dom = (unsigned)strtoul(r + 3, NULL, 16);
		nd->q = find_queue(ap, card, dom, &nd->c);
		if (!nd->q || !queue_visible(ap, nd->c, nd->q, now))
			return;
		r += 7;
		if (!*r) {
			nd->kind = K_DIR;
			return;
		}
		r++;
		if (queue_has(s, ap, nd->c, nd->q, r, now)) {
			nd->kind = K_FILE;
			snprintf(nd->attr, sizeof(nd->attr), "%.31s", r);
		}
		return;
	}
	if (card_has(s, ap, nd->c, r, now)) {
		nd->kind = K_FILE;
		snprintf(nd->attr, sizeof(nd->attr), "%.31s", r);
	}
}

/* ------------------------------------------------------------ reads */

static unsigned tapq_rc(const struct sim_ap_card *c, const struct sim_ap_queue *q)
{
	if (q->async_err)
		return q->async_err;
	if (q->tapq_rc)
		return q->tapq_rc;
	if (!c->config || !q->config)
		return 0x03; /* AP_RESPONSE_DECONFIGURED */
	if (c->chkstop || q->chkstop)
		return 0x04; /* AP_RESPONSE_CHECKSTOPPED */
	return 0;
}

/* the bind state firmware reports: the old one until a reset completes */
static int vis_bs(const struct sim_ap_queue *q)
{
	return q->sm == SM_RESET && q->prev_bs >= 0 ? q->prev_bs : q->bs;
}

static bool card_online(const struct sim_ap_card *c)
{
	return c->config && !c->chkstop && c->zc_online;
}

static bool queue_online(const struct sim_ap_card *c, const struct sim_ap_queue *q)
{
	return q->config && !q->chkstop && q->zq_online && card_online(c);
}

static uint32_t functions(const struct sim_ap_card *c)
{
	uint32_t f = 0x80000000u | 0x02000000u; /* APSC, APXA */

	return f | (c->mode == 'A' ? 0x08000000u : c->mode == 'C' ? 0x10000000u : 0x04000000u);
}

/* The current wrapping key of an EP11 queue, as 64 hex digits; false if none. */
static bool wkvp_hex(const struct sim_ap_card *c, const struct sim_ap_queue *q, char out[65])
{
	uint8_t h[32];
	char name[16];

	if (q->wk == WK_VALID) {
		hex_encode(q->wkvp, 32, out);
		return true;
	}
	if (q->wk == WK_AUTO) {
		snprintf(name, sizeof(name), "%02x.%04x", c->id, q->domain);
		sha256(name, strlen(name), h);
		hex_encode(h, 32, out);
		return true;
	}
	return false;
}

/* Render a file; 0 with the text in out, or -errno (EIO from a TAPQ failure). */
static int render(struct sim *s, struct sim_ap *ap, const struct node *nd, char *out, size_t size)
{
	uint64_t now = now_of(s);
	const struct sim_ap_card *c = nd->c;
	const struct sim_ap_queue *q = nd->q;
	const char *a = nd->attr;

	out[0] = 0;
	if (strcmp(a, "uevent") == 0)
		return 0;
	if (nd->bus) {
		unsigned total = 0, bound = 0;
		bool scanned = ap->scan != NEVER && now >= ap->scan;

		if (strcmp(a, "features") == 0) {
			snprintf(out, size, "%s%s\n", FEATURES, ap->apsb ? " APSB" : "");
		} else if (strcmp(a, "scans") == 0) {
			snprintf(out, size, "%d\n", scanned);
		} else if (strcmp(a, "ap_interrupts") == 0) {
			snprintf(out, size, "1\n");
		} else {
			for (size_t i = 0; i < ap->ncards; i++)
				for (size_t j = 0; j < ap->cards[i].nq; j++) {
					if (!queue_visible(ap, &ap->cards[i], &ap->cards[i].q[j],
							   now))
						continue;
					total++;
					bound += queue_driver(ap, &ap->cards[i], &ap->cards[i].q[j],
							      now);
				}
			snprintf(out, size, "%u/%u%s\n", bound, total,
				 scanned && bound == total ? " (complete)" : "");
		}
		return 0;
	}
	if (!q) {
		if (strcmp(a, "type") == 0)
			snprintf(out, size, "CEX%u%c\n", c->gen, c->mode);
		else if (strcmp(a, "hwtype") == 0 || strcmp(a, "raw_hwtype") == 0)
			snprintf(out, size, "%u\n", c->gen + 6);
		else if (strcmp(a, "depth") == 0)
			snprintf(out, size, "8\n");
		else if (strcmp(a, "ap_functions") == 0)
			snprintf(out, size, "0x%08X\n", functions(c));
		else if (strcmp(a, "config") == 0)
			snprintf(out, size, "%d\n", c->config);
		else if (strcmp(a, "chkstop") == 0)
			snprintf(out, size, "%d\n", c->chkstop);
		else if (strcmp(a, "online") == 0)
			snprintf(out, size, "%d\n", card_online(c));
		else if (strcmp(a, "serialnr") == 0) {
			/* the EP11 card-info query needs a usable (online, bound) queue */
			bool usable = false;

			for (size_t j = 0; c->mode == 'P' && j < c->nq; j++) {
				const struct sim_ap_queue *x = &c->q[j];

				usable |= queue_visible(ap, c, x, now) && queue_online(c, x) &&
					  tapq_rc(c, x) == 0 && vis_bs(x) <= 1;
			}
			snprintf(out, size, "%s\n", usable ? c->serial : "");
		}
		return 0;
	}
	if (strcmp(a, "ap_functions") == 0) {
		snprintf(out, size, "0x%08X\n", functions(c) | (uint32_t)vis_bs(q) << 14);
	} else if (strcmp(a, "config") == 0) {
		snprintf(out, size, "%d\n", q->config);
	} else if (strcmp(a, "chkstop") == 0) {
		snprintf(out, size, "%d\n", q->chkstop);
	} else if (strcmp(a, "online") == 0) {
		snprintf(out, size, "%d\n", queue_online(c, q));
	} else if (strcmp(a, "se_bind") == 0) {
		if (tapq_rc(c, q) > 0x05)
			return -EIO;
		snprintf(out, size, "%s\n", vis_bs(q) <= 1 ? "bound" : "unbound");
	} else if (strcmp(a, "se_associate") == 0) {
		int bs = vis_bs(q);

		if (c->mode != 'P')
			snprintf(out, size, "-\n");
		else if (tapq_rc(c, q) > 0x05)
			return -EIO;
		else if (bs == 0 && q->assoc_idx == ASSOC_INVALID)
			return -EIO; /* "AP_BS_Q_USABLE but invalid assoc_idx" */
		else if (bs == 0)
			snprintf(out, size, "associated %u\n", q->assoc_idx);
		else if (bs == 1 && q->assoc_idx != ASSOC_INVALID)
			snprintf(out, size, "association pending\n");
		else
			snprintf(out, size, "unassociated\n");
	} else if (strcmp(a, "mkvps") == 0) {
		bool usable = queue_online(c, q) && tapq_rc(c, q) == 0 && vis_bs(q) <= 1;
		char hex[65];

		if (c->mode == 'C')
			snprintf(out, size,
				 "AES NEW: - -\nAES CUR: - -\nAES OLD: - -\nAPKA NEW: - -\n"
				 "APKA CUR: - -\nAPKA OLD: - -\nASYM NEW: - -\nASYM CUR: - -\n"
				 "ASYM OLD: - -\n");
		else if (!usable || q->wk == WK_NONE)
			snprintf(out, size, "WK CUR: - -\nWK NEW: - -\n");
		else if (wkvp_hex(c, q, hex))
			snprintf(out, size, "WK CUR: valid 0x%s\nWK NEW: empty -\n", hex);
		else
			snprintf(out, size, "WK CUR: invalid -\nWK NEW: empty -\n");
	}
	return 0;
}

/* ------------------------------------------------------------ writes */

/* the kernel's kstrtobool (lib/kstrtox.c) */
static int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case 't':
	case 'T':
	case 'e':
	case 'E':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case 'f':
	case 'F':
	case 'd':
	case 'D':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* the kernel's kstrtouint(s, 0, ...): +, 0x hex, 0 octal, one trailing newline */
static int kstrtouint(const char *s, unsigned *res)
{
	unsigned long long v = 0;
	unsigned base = 10, digits = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0') {
		if ((s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') || (s[2] >= 'a' && s[2] <= 'f') ||
		     (s[2] >= 'A' && s[2] <= 'F'))) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (;; s++, digits++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned)v;
	return 0;
}

static unsigned bound_count(const struct sim_ap *ap)
{
	unsigned n = 0;

	for (size_t i = 0; i < ap->ncards; i++)
		for (size_t j = 0; j < ap->cards[i].nq; j++)
			n += vis_bs(&ap->cards[i].q[j]) <= 1;
	return n;
}

static int write_se_bind(struct sim *s, struct sim_ap *ap, const struct node *nd, const char *val,
			 char *why, size_t whysz)
{
	struct sim_ap_card *c = nd->c;
	struct sim_ap_queue *q = nd->q;
	unsigned rc;
	bool on;

	if (kstrtobool(val, &on))
		return -EINVAL;
	if (c->mode != 'A' && c->mode != 'P')
		return -EINVAL;
	if (!on) {
		/* always accepted: flush, assoc_idx invalid, reset with the F bit */
		q->prev_bs = vis_bs(q);
		q->assoc_idx = ASSOC_INVALID;
		q->sm = SM_RESET;
		q->until = after(now_of(s), ap->reset_delay);
		ap->ticked = 0;
		tick(s, ap);
		return 0;
	}
	rc = tapq_rc(c, q);
	if (rc) {
		snprintf(why, whysz, "TAPQ rc 0x%02x", rc);
		return -EIO;
	}
	if (vis_bs(q) != 2) {
		snprintf(why, whysz, "bs %d", vis_bs(q));
		return -EINVAL;
	}
	if (q->sm != SM_IDLE || q->busy) {
		snprintf(why, whysz, "queue state machine busy");
		return -EBUSY;
	}
	if (q->bapq_rc) {
		snprintf(why, whysz, "BAPQ rc 0x%02x", q->bapq_rc);
		return -EIO;
	}
	if (ap->bind_limit && bound_count(ap) >= ap->bind_limit) {
		snprintf(why, whysz, "BAPQ rc 0x%02x: bind limit %u", RC_BIND_LIMIT,
			 ap->bind_limit);
		return -EIO;
	}
	q->bs = c->mode == 'P' ? 1 : 0;
	q->prev_bs = -1;
	q->assoc_idx = ASSOC_INVALID;
	return 0;
}

static int write_se_assoc(struct sim *s, struct sim_ap *ap, const struct node *nd, const char *val,
			  char *why, size_t whysz)
{
	struct sim_ap_card *c = nd->c;
	struct sim_ap_queue *q = nd->q;
	unsigned idx, rc;
	int ret;

	if (c->mode != 'P')
		return -EINVAL;
	ret = kstrtouint(val, &idx);
	if (ret)
		return ret;
	if (idx >= ASSOC_INVALID)
		return -EINVAL;
	rc = tapq_rc(c, q);
	if (rc) {
		snprintf(why, whysz, "TAPQ rc 0x%02x", rc);
		return -EIO;
	}
	if (vis_bs(q) != 1) {
		snprintf(why, whysz, "bs %d", vis_bs(q));
		return -EINVAL;
	}
	if (q->sm != SM_IDLE || q->busy) {
		snprintf(why, whysz, "queue state machine busy");
		return -EBUSY;
	}
	if (q->aapq_rc) {
		snprintf(why, whysz, "AAPQ rc 0x%02x", q->aapq_rc);
		return -EIO;
	}
	if (!assoc_index_is_association(s, idx)) {
		snprintf(why, whysz, "AAPQ rc 0x%02x: index %u is no association secret",
			 RC_INVALID_ASSOC, idx);
		return -EIO;
	}
	q->assoc_idx = idx;
	q->sm = SM_ASSOC;
	q->until = after(now_of(s), q->assoc_delay == INHERIT ? ap->assoc_delay : q->assoc_delay);
	ap->ticked = 0;
	tick(s, ap);
	return 0;
}

static int write_online(struct sim_ap_card *c, struct sim_ap_queue *q, const char *val)
{
	char *end;
	long v = strtol(val, &end, 10);

	if (end == val || (*end && strcmp(end, "\n") != 0) || (v != 0 && v != 1))
		return -EINVAL;
	if (v && (!c->config || c->chkstop || (q && (!q->config || q->chkstop))))
		return -ENODEV;
	if (q) {
		if (v && !card_online(c))
			return -EINVAL;
		q->zq_online = v;
		return 0;
	}
	c->zc_online = v;
	for (size_t j = 0; j < c->nq; j++)
		c->q[j].zq_online = v;
	return 0;
}

static void log_write(struct sim *s, const char *path, const char *text, size_t len, int ret,
		      const char *why)
{
	char p[2048], esc[256];
	size_t o = 0;
	FILE *f;

	for (size_t i = 0; i < len && o + 5 < sizeof(esc); i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\n')
			o += (size_t)snprintf(esc + o, sizeof(esc) - o, "\\n");
		else if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
			o += (size_t)snprintf(esc + o, sizeof(esc) - o, "\\x%02x", ch);
		else
			esc[o++] = (char)ch;
	}
	esc[o] = 0;
	snprintf(p, sizeof(p), "%s/sysfs.log", s->m.dir);
	f = fopen(p, "ae");
	if (!f)
		sim_die("%s: cannot append: %s", p, strerror(errno));
	fprintf(f, "%s = \"%s\": %s%s%s%s\n", path, esc, ret ? sim_errno_name(-ret) : "ok",
		why[0] ? " (" : "", why, why[0] ? ")" : "");
	if (fclose(f))
		sim_die("%s: write failed", p);
}

/* ------------------------------------------------------------ host.h entry points */

bool sim_ap_owns(const char *path)
{
	return (strncmp(path, BUS_DIR, strlen(BUS_DIR)) == 0 &&
		(path[strlen(BUS_DIR)] == 0 || path[strlen(BUS_DIR)] == '/')) ||
	       (strncmp(path, DEV_DIR, strlen(DEV_DIR)) == 0 &&
		(path[strlen(DEV_DIR)] == 0 || path[strlen(DEV_DIR)] == '/'));
}

/* The machine's AP bus with due work done, or NULL (no machine or no "ap:"). */
static struct sim_ap *bus(struct sim *s)
{
	struct sim_ap *ap = s ? s->m.ap : NULL;

	if (!ap)
		return NULL;
	if (!ap->loaded)
		load_state(s, ap);
	if (tick(s, ap))
		save_state(s, ap);
	return ap;
}

int sim_ap_read(struct sim *s, const char *path, char *buf, size_t size)
{
	struct sim_ap *ap = bus(s);
	char text[1024];
	struct node nd;
	size_t len;
	int ret;

	if (!size)
		return -EINVAL;
	if (!ap)
		return -ENOENT;
	resolve(s, ap, path, &nd);
	if (nd.kind == K_NONE)
		return -ENOENT;
	if (nd.kind == K_DIR)
		return -EISDIR;
	ret = render(s, ap, &nd, text, sizeof(text));
	if (ret)
		return ret;
	len = strlen(text);
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = 0;
	return (int)len;
}

int sim_ap_exists(struct sim *s, const char *path)
{
	struct sim_ap *ap = bus(s);
	struct node nd;

	if (!ap)
		return 0;
	resolve(s, ap, path, &nd);
	return nd.kind != K_NONE;
}

int sim_ap_write(struct sim *s, const char *path, const char *text, size_t len)
{
	struct sim_ap *ap = bus(s);
	char val[256], why[128] = "";
	struct node nd;
	int ret;

	if (!ap)
		return -ENOENT;
	resolve(s, ap, path, &nd);
	if (nd.kind == K_NONE)
		ret = -ENOENT;
	else if (nd.kind == K_DIR)
		ret = -EISDIR;
	else if (len == 0 || len >= sizeof(val) || memchr(text, 0, len))
		ret = -EINVAL;
	else {
		memcpy(val, text, len);
		val[len] = 0;
		if (nd.q && strcmp(nd.attr, "se_bind") == 0)
			ret = write_se_bind(s, ap, &nd, val, why, sizeof(why));
		else if (nd.q && strcmp(nd.attr, "se_associate") == 0)
			ret = write_se_assoc(s, ap, &nd, val, why, sizeof(why));
		else if (strcmp(nd.attr, "online") == 0 && !nd.bus)
			ret = write_online(nd.c, nd.q, val);
		else
			ret = -EACCES; /* read-only, or not modelled */
	}
	log_write(s, path, text, len, ret, why);
	if (!ret)
		save_state(s, ap);
	return ret;
}

int sim_ap_list(struct sim *s, const char *path, int (*fn)(const char *name, void *ctx), void *ctx)
{
	struct sim_ap *ap = bus(s);
	uint64_t now;
	struct node nd;
	char name[32];
	int ret = 0;

	if (!ap)
		return -ENOENT;
	now = now_of(s);
	resolve(s, ap, path, &nd);
	if (nd.kind == K_NONE)
		return -ENOENT;
	if (nd.kind == K_FILE)
		return -ENOTDIR;
	/* entries come in reverse machine.yaml order: readdir order is no promise */
	if (nd.bus) {
		static const char *const names[] = {"ap_interrupts", "scans", "bindings",
						    "features", NULL};

		for (size_t i = 0; names[i] && !ret; i++)
			ret = fn(names[i], ctx);
		return ret;
	}
	if (!nd.c) {
		ret = fn("uevent", ctx);
		for (size_t i = ap->ncards; i-- > 0 && !ret;) {
			if (!card_visible(ap, &ap->cards[i], now))
				continue;
			snprintf(name, sizeof(name), "card%02x", ap->cards[i].id);
			ret = fn(name, ctx);
		}
		return ret;
	}
	if (!nd.q) {
		for (size_t i = 0; card_attrs[i] && !ret; i++)
			if (card_has(s, ap, nd.c, card_attrs[i], now))
				ret = fn(card_attrs[i], ctx);
		for (size_t j = nd.c->nq; j-- > 0 && !ret;) {
			if (!queue_visible(ap, nd.c, &nd.c->q[j], now))
				continue;
			snprintf(name, sizeof(name), "%02x.%04x", nd.c->id, nd.c->q[j].domain);
			ret = fn(name, ctx);
		}
		return ret;
	}
	for (size_t i = 0; queue_attrs[i] && !ret; i++)
		if (queue_has(s, ap, nd.c, nd.q, queue_attrs[i], now))
			ret = fn(queue_attrs[i], ctx);
	return ret;
}
