/* SPDX-License-Identifier: MIT */
/*
 * AP queues of a Secure Execution guest: the queue model, the parsers of the kernel's
 * sysfs texts, and pvapconfig's matching algorithm (spec/ap.md §2, §5). Pure: no I/O;
 * src/ap_sysfs.c gathers the queues and carries out a plan.
 */
#ifndef PVBOOT_AP_H
#define PVBOOT_AP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apconfig.h"
#include "secret_list.h"

#define AP_ASSOC_IDX_MAX 0xffffu
#define AP_NO_QUEUE	 ((size_t)-1)
#define AP_APQN_LEN	 8 /* "cc.dddd" + NUL */

/* se_bind as read: unreadable, no attribute or "-", "unbound", "bound" */
enum ap_bind { AP_BIND_UNKNOWN = 0, AP_BIND_NONE, AP_BIND_UNBOUND, AP_BIND_BOUND };

/* se_associate as read */
enum ap_assoc {
	AP_ASSOC_UNKNOWN = 0,  /* unreadable */
	AP_ASSOC_NONE,	       /* no attribute or "-" (not EP11) */
	AP_ASSOC_UNASSOCIATED, /* "unassociated" */
	AP_ASSOC_PENDING,      /* "association pending" */
	AP_ASSOC_ASSOCIATED,   /* "associated <idx>" */
};

/* What is known of an EP11 queue's card serial number and wrapping key */
enum ap_info {
	AP_INFO_NONE = 0, /* not an EP11 queue */
	AP_INFO_UNKNOWN,  /* the queue is unbound: the kernel can only ask a bound queue */
	AP_INFO_KNOWN,
	AP_INFO_FAILED, /* bound, but serialnr or mkvps could not be read or parsed */
};

/* Why a queue cannot be used (it is reported once and left alone) */
enum ap_skip {
	AP_USABLE = 0,
	AP_SKIP_TYPE,	   /* the card type is unreadable or not CEX4..CEX8 A/C/P */
	AP_SKIP_CCA,	   /* CCA cards are not supported in an SE guest */
	AP_SKIP_OFFLINE,   /* online is not 1 (or unreadable) */
	AP_SKIP_NO_SE,	   /* no se_bind attribute: no SE AP pass-through for this queue */
	AP_SKIP_BIND_READ, /* se_bind unreadable (e.g. EIO after a failed association) */
	AP_SKIP_PROBE,	   /* binding it to read its wrapping key failed */
};

struct ap_queue {
	uint8_t card;
	uint16_t domain;
	char type[16]; /* the card's type text, "CEX8P" ("" if unreadable) */
	unsigned gen;  /* 4..8 */
	enum ap_mode mode;
	bool online;
	enum ap_bind bind;
	enum ap_assoc assoc;
	uint16_t assoc_idx; /* with AP_ASSOC_ASSOCIATED */
	enum ap_info info;
	char serialnr[APCONFIG_SERIAL_LEN + 1]; /* "" if unknown or empty */
	char mkvp[APCONFIG_MKVP_HEX + 1];	/* "" if no valid current wrapping key */
	enum ap_skip skip;
	int err;	 /* the -errno behind a skip or an unknown state, 0 otherwise */
	int offline_why; /* AP_SKIP_OFFLINE: AP_OFFLINE_CHKSTOP, _DECONFIG or 0 */
};

#define AP_OFFLINE_CHKSTOP  1
#define AP_OFFLINE_DECONFIG 2

/* "03.0005": the sysfs and lszcrypt form, used in every message */
const char *ap_apqn_str(uint8_t card, uint16_t domain, char buf[AP_APQN_LEN]);
/* Parse "cc.dddd" (1-2 and 1-4 hex digits); 0 or -EINVAL */
int ap_parse_apqn(const char *s, uint8_t *card, uint16_t *domain);

/* ---- the kernel's sysfs texts (spec/ap.md §1-§2); each 0 or -EINVAL ---- */

/* card "type": "CEX<3-8><A|C|P>\n" (pvapconfig's regex) */
int ap_parse_type(const char *text, unsigned *gen, enum ap_mode *mode);
/*
 * Without the card driver there is no "type": the AP bus's "hwtype" (10..14 for CEX4..
 * CEX8; newer cards show as 14) and "ap_functions" (0x%08X; the driver's priority:
 * accelerator 0x08000000, CCA 0x10000000, EP11 0x04000000) say the same.
 */
int ap_parse_hwtype(const char *hwtype, const char *functions, unsigned *gen, enum ap_mode *mode);
int ap_parse_bind(const char *text, enum ap_bind *bind);
int ap_parse_assoc(const char *text, enum ap_assoc *assoc, uint16_t *idx);
/* "online": a decimal integer; *online = (value == 1) */
int ap_parse_online(const char *text, bool *online);
/* EP11 "mkvps": the first "WK CUR: <state> <value>"; mkvp = "" unless state is valid */
int ap_parse_mkvps(const char *text, char mkvp[APCONFIG_MKVP_HEX + 1]);
/* "serialnr": trimmed, at most 16 printable ASCII characters ("" and -EINVAL else) */
int ap_parse_serial(const char *text, char serial[APCONFIG_SERIAL_LEN + 1]);
/* "/sys/bus/ap/bindings": "<bound>/<total>[ (complete)]\n" */
int ap_parse_bindings(const char *text, unsigned *bound, unsigned *total, bool *complete);

/* ---- matching (spec/ap.md §5.3) ---- */

/*
 * Sort queues for the algorithm: newest generation first, then card and domain
 * ascending (pvapconfig sorts by generation only, with an unstable sort; this makes
 * the order deterministic).
 */
void ap_sort_queues(struct ap_queue *q, size_t n);

/* Does entry e accept queue q (mode, mingen as the oldest generation, serial, mkvp)?
 * An EP11 queue must have AP_INFO_KNOWN. */
bool ap_match(const struct apconfig_entry *e, const struct ap_queue *q);

/* The first association secret (type 2) with this id in the UV list, or NULL. */
const struct secret_entry *ap_find_assoc_secret(const struct secret_list *list,
						const uint8_t id[32]);

enum ap_step {
	AP_STEP_NONE = 0,     /* not planned (planning stopped at a probe) */
	AP_STEP_KEEP,	      /* a queue already satisfies the entry: nothing to write */
	AP_STEP_BIND,	      /* accelerator: bind the queue */
	AP_STEP_BIND_ASSOC,   /* EP11: bind the queue, then associate it */
	AP_STEP_ASSOC,	      /* EP11: the queue is bound and unassociated: associate it */
	AP_STEP_NO_QUEUE,     /* no usable queue matches */
	AP_STEP_NO_SECRET,    /* EP11: no association secret with the entry's id */
	AP_STEP_UNDETERMINED, /* no probes allowed (dry run): only queues whose wrapping
				 key is unknown could match */
};

struct ap_plan_entry {
	enum ap_step step;
	size_t q;	    /* the queue (KEEP, BIND, BIND_ASSOC, ASSOC), else AP_NO_QUEUE */
	uint16_t assoc_idx; /* EP11 KEEP, BIND_ASSOC, ASSOC: the association secret's index */
	size_t n_unknown;   /* queues passed over because their wrapping key is unknown */
};

struct ap_plan {
	size_t n_entries;
	struct ap_plan_entry *entries; /* one per config entry, in file order */
	size_t nq;
	bool *unbind;	 /* per queue: bound, and neither kept nor used as it is */
	size_t n_unbind; /* how many */
	/*
	 * When probes are allowed and an EP11 entry reaches an unbound EP11 queue whose
	 * wrapping key is unknown before any match, planning stops: probe is that queue,
	 * which must be bound and read (then ap_plan_resume). AP_NO_QUEUE when complete.
	 */
	size_t probe;
	unsigned satisfied;    /* KEEP + BIND + BIND_ASSOC + ASSOC */
	unsigned undetermined; /* UNDETERMINED */
	/* private: where planning resumes, and the queues already given to an entry */
	size_t at_entry, at_queue;
	bool *taken;
};

/*
 * Plan pvapconfig's steps 1-3 over queues q[0..nq) (in ap_sort_queues order) with the UV
 * secret list (may be NULL: no secrets): entries already satisfied are kept, every
 * other bound queue is released, then each remaining entry takes the first free
 * queue it accepts (greedy, in file order). A bound, unassociated EP11 queue that an
 * entry takes is associated without the unbind/bind pvapconfig does. With no_probe,
 * queues of unknown wrapping key never match (counted in n_unknown). 0 or -ENOMEM.
 */
int ap_plan_make(const struct apconfig *cfg, const struct ap_queue *q, size_t nq,
		 const struct secret_list *secrets, bool no_probe, struct ap_plan *plan);
void ap_plan_free(struct ap_plan *plan);

/*
 * Continue a plan that stopped at plan->probe, once q[plan->probe] has been read (its
 * wrapping key known, or skip set because it could not be read). The result is the
 * plan ap_plan_make would make now, without walking the entries already planned
 * again. 0, or -EINVAL if the plan did not stop at a probe.
 */
int ap_plan_resume(const struct apconfig *cfg, const struct ap_queue *q, size_t nq,
		   const struct secret_list *secrets, struct ap_plan *plan);

/*
 * pvapconfig's "one wrapping key per card" rule: two usable EP11 queues of the same card
 * must not have the same (known, valid) wrapping key. 0, or -EEXIST with the first
 * offending pair in *a < *b (indices into q).
 */
int ap_mk_check(const struct ap_queue *q, size_t nq, size_t *a, size_t *b);

#endif
