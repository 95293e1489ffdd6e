/* SPDX-License-Identifier: MIT */
/*
 * The boot job's record: what each step did, what was added, retrieved, bound and
 * associated, and the verdict. Written atomically as /run/pvboot/status.json (for
 * programs) and /run/pvboot/status.txt (what `pvboot status` prints). Never a secret
 * value: names, ids, types, paths and sizes only.
 */
#ifndef PVBOOT_STATUS_H
#define PVBOOT_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define STATUS_JSON "status.json"
#define STATUS_TXT  "status.txt"

/* RUNNING: written when the job starts, replaced by its final verdict at the end */
enum status_verdict { VERDICT_OK, VERDICT_FAILED, VERDICT_SKIPPED, VERDICT_RUNNING };

struct status_step {
	char *name, *outcome, *detail;
	uint64_t ms;
};

struct status_item {
	char *what;    /* file name, secret name/id or APQN */
	char *kind;    /* secret type, queue mode */
	char *id;      /* secret id (display form) or association index */
	char *outcome; /* added, present, failed, not attempted, bound, associated, ... */
	char *detail;
};

struct status {
	struct status_step *steps;
	size_t n_steps;
	struct status_item *secrets, *retrieved, *queues;
	size_t n_secrets, n_retrieved, n_queues;
	enum status_verdict verdict;
	char *reason; /* one line: why it failed or was skipped */
	char *failed_step;
	const char *on_failure;
	int locked; /* -1 unknown, 0 no, 1 yes */
};

void status_init(struct status *st);
void status_free(struct status *st);

void status_step(struct status *st, const char *name, const char *outcome, uint64_t ns,
		 const char *detail);
void status_secret(struct status *st, const char *what, const char *kind, const char *id,
		   const char *outcome, const char *detail);
void status_retrieved(struct status *st, const char *what, const char *path, const char *outcome,
		      const char *detail);
/* Change an item's outcome (a retrieved file removed after a failure). */
void status_item_outcome(struct status_item *it, const char *outcome);
void status_queue(struct status *st, const char *apqn, const char *kind, const char *assoc,
		  const char *outcome, const char *detail);
void status_set_verdict(struct status *st, enum status_verdict v, const char *failed_step,
			const char *reason);

const char *status_verdict_name(enum status_verdict v);

/* Render as JSON / as the human text. */
void status_json(struct sbuf *out, const struct status *st);
void status_text(struct sbuf *out, const struct status *st);

#endif
