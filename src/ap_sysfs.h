/* SPDX-License-Identifier: MIT */
/*
 * AP queues through sysfs (via the host seam): check the environment, wait for the AP
 * bus, gather the queues, and apply a pvapconfig-format configuration (bind, associate,
 * unbind) with bounded waits. The one entry point for `pvboot ap apply` and for the
 * boot flow is ap_apply(); everything it does is logged (log.h) and summarised in a
 * struct ap_report.
 */
#ifndef PVBOOT_AP_SYSFS_H
#define PVBOOT_AP_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ap.h"
#include "apconfig.h"
#include "secret_list.h"

#define AP_LOCK_PATH	      "/run/lock/pvboot-ap.lock"
#define AP_BUS_DIR	      "/sys/bus/ap"
#define AP_DEVICES_DIR	      "/sys/devices/ap"
#define AP_DEFAULT_TIMEOUT_NS (30ull * 1000000000ull)
#define AP_POLL_MIN_NS	      (10ull * 1000000ull)  /* first poll interval */
#define AP_POLL_MAX_NS	      (250ull * 1000000ull) /* the interval never grows beyond */

struct ap_apqn {
	uint8_t card;
	uint16_t domain;
};

/*
 * Read and validate the pvapconfig file path: a system path (mapped with host_path:
 * the simulated machine's own /etc in pvboot-sim) when system is set, else a path used
 * as it is. Loaded with safe_load (regular file, at most 64 KiB, one read). 0, or
 * -errno with one line in err naming the file (and line:col for a parse error).
 */
int apconfig_load(const char *path, bool system, struct apconfig *cfg, char *err, size_t errsz);

/* ---- environment and AP bus ---- */

struct ap_bus_state {
	bool se_guest; /* /sys/firmware/uv/prot_virt_guest is 1 */
	bool present;  /* /sys/bus/ap exists */
	bool apsb;     /* /sys/bus/ap/features lists APSB (SE AP pass-through) */
	bool complete; /* bindings says "(complete)" */
	unsigned bound, total;
};

/*
 * Wait until every AP queue device has its driver (/sys/bus/ap/bindings "complete"),
 * at most timeout_ns. Returns 0 when complete or when there is no AP bus at all
 * (st->present false: nothing to wait for), -ETIMEDOUT, or -errno if bindings cannot
 * be read. Polls at 10 ms, backing off to 250 ms. Logs nothing; st says what was seen.
 */
int ap_wait_bus(uint64_t timeout_ns, struct ap_bus_state *st);

/*
 * Is AP pass-through usable here? Fills st (not bindings) and returns 0, or -ENODEV
 * with a one-line reason in why: not an SE guest, no AP bus, no APSB.
 */
int ap_check_env(struct ap_bus_state *st, char *why, size_t whysize);

/*
 * Read every queue under /sys/devices/ap (read-only: nothing is bound to find out
 * more). *q is malloc'ed, in card and domain order, skipped queues included (skip says
 * why). With report set, each skipped queue is logged as one warning line.
 */
int ap_gather(struct ap_queue **q, size_t *nq, bool report);

/* ---- apply ---- */

struct ap_apply_opts {
	bool strict;	     /* every entry must be satisfied (else at least one) */
	bool dry_run;	     /* no sysfs write at all */
	uint64_t timeout_ns; /* budget for all waits of the run; 0: AP_DEFAULT_TIMEOUT_NS */
	/* The UV secret list; NULL: read from /dev/uv when an EP11 entry needs it. */
	const struct secret_list *secrets;
};

enum ap_outcome {
	AP_OUT_NOT_DONE = 0, /* not attempted: the run stopped before this entry */
	AP_OUT_KEPT,	     /* a queue already satisfied it: nothing written */
	AP_OUT_APPLIED,	     /* bound (and associated) by this run */
	AP_OUT_WOULD_APPLY,  /* dry run: would be bound (and associated) */
	AP_OUT_UNDETERMINED, /* dry run: only unbound EP11 queues, whose wrapping key
				cannot be known without binding them, could match */
	AP_OUT_NO_QUEUE,     /* no usable queue matches */
	AP_OUT_NO_SECRET,    /* EP11: no association secret with its id in the UV list */
	AP_OUT_FAILED,	     /* a write to, or a wait for, its queue failed */
};

struct ap_entry_result {
	enum ap_outcome outcome;
	bool has_apqn; /* KEPT, APPLIED, WOULD_APPLY, FAILED */
	struct ap_apqn apqn;
	bool has_assoc; /* EP11: the association secret's index */
	uint16_t assoc_idx;
	int err; /* FAILED: -errno */
};

struct ap_report {
	size_t n_entries;
	struct ap_entry_result *entries; /* one per config entry, in file order */
	size_t n_queues;		 /* usable queues found */
	size_t n_skipped;		 /* queues found but not usable (logged) */
	size_t n_unbound;
	struct ap_apqn *unbound; /* released (dry run: would be), also after probes */
	size_t n_probed;
	struct ap_apqn *probed; /* bound to read the wrapping key (none in a dry run) */
	unsigned satisfied;	/* entries KEPT or APPLIED (dry run: or WOULD_APPLY) */
	unsigned undetermined;	/* dry run: UNDETERMINED entries */
	char error[320];	/* why the run failed, one line; "" if it did not */
};

/*
 * Apply cfg (pvapconfig's algorithm, spec/ap.md §5, with the differences listed in
 * pvboot(8)): take the lock AP_LOCK_PATH, check the environment, wait for the AP bus
 * bindings, gather the queues, keep the queues that already satisfy an entry, release
 * bound queues that satisfy none, bind (and for EP11 associate) queues for the others.
 * A configuration without entries returns 0 at once, touching nothing.
 *
 * Returns 0 when the run succeeded and the rule holds (strict: every entry satisfied;
 * else at least one); -ENOENT when it ran without error but too few entries are
 * satisfied; -ENODEV when AP pass-through is not available here (no SE guest, no AP
 * bus, no APSB); -EWOULDBLOCK when another run holds the lock; -ETIMEDOUT when a wait
 * ran out of the budget; -EEXIST when two domains of a card have the same wrapping key;
 * another -errno for a failed write, read or UV call. rep is always filled (free it with
 * ap_report_free) and rep->error says why a run failed.
 */
int ap_apply(const struct apconfig *cfg, const struct ap_apply_opts *opts, struct ap_report *rep);
void ap_report_free(struct ap_report *rep);

/*
 * Unbind the queues apqns[0..n) (n == 0: every bound queue, and every queue whose bind
 * state cannot be read, e.g. after a failed association) and wait until each reads
 * unbound, at most timeout_ns (0: default). Takes the lock. 0 or -errno as ap_apply;
 * rep->unbound lists what was unbound.
 */
int ap_unbind(const struct ap_apqn *apqns, size_t n, uint64_t timeout_ns, struct ap_report *rep);

/* "KEPT" -> "kept", ...: the words of status files and JSON output */
const char *ap_outcome_name(enum ap_outcome o);

/*
 * The report as one JSON object (for a status file), with a newline:
 * {"entries":[{"entry":1,"name":"db","mode":"EP11","outcome":"applied","apqn":"03.0005",
 *   "association_index":13,"error":null},...],"unbound":["03.0006"],"probed":[...],
 *  "queues":4,"skipped":1,"satisfied":2,"undetermined":0,"error":null}
 * "error" of an entry is its -errno as text; of the run, rep->error or null.
 */
struct sbuf;
void ap_report_json(struct sbuf *b, const struct apconfig *cfg, const struct ap_report *rep);

#endif
