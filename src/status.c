// SPDX-License-Identifier: MIT
/*
 * The boot job's record and its two renderings. Pure: the boot command writes the
 * files. Allocation failures degrade to "(out of memory)" strings rather than losing
 * the record, because the status is what an operator reads after a failed boot.
 */
#include <stdlib.h>
#include <string.h>

#include "status.h"

static char *dup(const char *s)
{
	char *d = strdup(s ? s : "");

	return d ? d : (char *)"(out of memory)";
}

static void release(char *s)
{
	if (s && strcmp(s, "(out of memory)") != 0)
		free(s);
}

void status_init(struct status *st)
{
	memset(st, 0, sizeof(*st));
	st->locked = -1;
	st->on_failure = "poweroff";
}

static void free_items(struct status_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		release(it[i].what);
		release(it[i].kind);
		release(it[i].id);
		release(it[i].outcome);
		release(it[i].detail);
	}
	free(it);
}

void status_free(struct status *st)
{
	for (size_t i = 0; i < st->n_steps; i++) {
		release(st->steps[i].name);
		release(st->steps[i].outcome);
		release(st->steps[i].detail);
	}
	free(st->steps);
	free_items(st->secrets, st->n_secrets);
	free_items(st->retrieved, st->n_retrieved);
	free_items(st->queues, st->n_queues);
	release(st->reason);
	release(st->failed_step);
	memset(st, 0, sizeof(*st));
}

static void *grow(void *arr, size_t n, size_t size)
{
	/* capacity doubles at powers of two */
	if (n && (n & (n - 1)))
		return arr;
	return realloc(arr, (n ? 2 * n : 1) * size);
}

void status_step(struct status *st, const char *name, const char *outcome, uint64_t ns,
		 const char *detail)
{
	struct status_step *s = grow(st->steps, st->n_steps, sizeof(*s));

	if (!s)
		return;
	st->steps = s;
	s += st->n_steps++;
	s->name = dup(name);
	s->outcome = dup(outcome);
	s->detail = dup(detail);
	s->ms = ns / 1000000u;
}

static void add_item(struct status_item **arr, size_t *n, const char *what, const char *kind,
		     const char *id, const char *outcome, const char *detail)
{
	struct status_item *it = grow(*arr, *n, sizeof(*it));

	if (!it)
		return;
	*arr = it;
	it += (*n)++;
	it->what = dup(what);
	it->kind = dup(kind);
	it->id = dup(id);
	it->outcome = dup(outcome);
	it->detail = dup(detail);
}

void status_secret(struct status *st, const char *what, const char *kind, const char *id,
		   const char *outcome, const char *detail)
{
	add_item(&st->secrets, &st->n_secrets, what, kind, id, outcome, detail);
}

void status_retrieved(struct status *st, const char *what, const char *path, const char *outcome,
		      const char *detail)
{
	add_item(&st->retrieved, &st->n_retrieved, what, "", path, outcome, detail);
}

void status_item_outcome(struct status_item *it, const char *outcome)
{
	release(it->outcome);
	it->outcome = dup(outcome);
}

void status_queue(struct status *st, const char *apqn, const char *kind, const char *assoc,
		  const char *outcome, const char *detail)
{
	add_item(&st->queues, &st->n_queues, apqn, kind, assoc, outcome, detail);
}

void status_set_verdict(struct status *st, enum status_verdict v, const char *failed_step,
			const char *reason)
{
	st->verdict = v;
	release(st->failed_step);
	release(st->reason);
	st->failed_step = failed_step ? dup(failed_step) : NULL;
	st->reason = reason ? dup(reason) : NULL;
}

const char *status_verdict_name(enum status_verdict v)
{
	static const char *const names[] = {"ok", "failed", "skipped", "running"};

	return names[v];
}

static void jstr(struct sbuf *b, const char *s)
{
	sbuf_json_str(b, s, strlen(s));
}

static void jkey(struct sbuf *b, const char *indent, const char *key, const char *val, bool comma)
{
	sbuf_printf(b, "%s\"%s\": ", indent, key);
	if (val)
		jstr(b, val);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, comma ? ",\n" : "\n");
}

static void json_items(struct sbuf *b, const char *name, const struct status_item *it, size_t n,
		       const char *const keys[5], bool comma)
{
	sbuf_printf(b, "  \"%s\": [", name);
	for (size_t i = 0; i < n; i++) {
		const char *v[5] = {it[i].what, it[i].kind, it[i].id, it[i].outcome, it[i].detail};

		sbuf_puts(b, i ? ",\n    {" : "\n    {");
		for (size_t k = 0, first = 1; k < 5; k++) {
			if (!keys[k])
				continue;
			sbuf_printf(b, "%s\"%s\": ", first ? "" : ", ", keys[k]);
			jstr(b, v[k]);
			first = 0;
		}
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, n ? "\n  ]" : "]");
	sbuf_puts(b, comma ? ",\n" : "\n");
}

void status_json(struct sbuf *b, const struct status *st)
{
	static const char *const skeys[5] = {"file", "type", "id", "outcome", "detail"};
	static const char *const rkeys[5] = {"secret", NULL, "path", "outcome", "detail"};
	static const char *const qkeys[5] = {"apqn", "mode", "association", "outcome", "detail"};

	sbuf_puts(b, "{\n  \"format\": 1,\n");
	jkey(b, "  ", "pvboot", PVBOOT_VERSION, true);
	jkey(b, "  ", "verdict", status_verdict_name(st->verdict), true);
	jkey(b, "  ", "failed_step", st->failed_step, true);
	jkey(b, "  ", "reason", st->reason, true);
	jkey(b, "  ", "on_failure", st->on_failure, true);
	sbuf_printf(b, "  \"locked\": %s,\n",
		    st->locked < 0 ? "null"
		    : st->locked   ? "true"
				   : "false");
	sbuf_puts(b, "  \"steps\": [");
	for (size_t i = 0; i < st->n_steps; i++) {
		const struct status_step *s = &st->steps[i];

		sbuf_puts(b, i ? ",\n    {\"step\": " : "\n    {\"step\": ");
		jstr(b, s->name);
		sbuf_puts(b, ", \"outcome\": ");
		jstr(b, s->outcome);
		sbuf_printf(b, ", \"ms\": %llu, \"detail\": ", (unsigned long long)s->ms);
		jstr(b, s->detail);
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, st->n_steps ? "\n  ],\n" : "],\n");
	json_items(b, "secrets", st->secrets, st->n_secrets, skeys, true);
	json_items(b, "retrieved", st->retrieved, st->n_retrieved, rkeys, true);
	json_items(b, "queues", st->queues, st->n_queues, qkeys, false);
	sbuf_puts(b, "}\n");
}

static void text_items(struct sbuf *b, const char *title, const struct status_item *it, size_t n,
		       bool with_kind)
{
	if (!n)
		return;
	sbuf_printf(b, "%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		sbuf_printf(b, "  %-15s %s", it[i].outcome, it[i].what);
		if (with_kind && it[i].kind[0])
			sbuf_printf(b, "  %s", it[i].kind);
		if (it[i].id[0])
			sbuf_printf(b, "  %s", it[i].id);
		if (it[i].detail[0])
			sbuf_printf(b, "  (%s)", it[i].detail);
		sbuf_puts(b, "\n");
	}
}

void status_text(struct sbuf *b, const struct status *st)
{
	sbuf_printf(b, "pvboot %s: %s", PVBOOT_VERSION, status_verdict_name(st->verdict));
	if (st->verdict == VERDICT_FAILED)
		sbuf_printf(b, " in step %s (on failure: %s)",
			    st->failed_step ? st->failed_step : "?", st->on_failure);
	sbuf_puts(b, "\n");
	if (st->reason)
		sbuf_printf(b, "reason: %s\n", st->reason);
	if (st->locked >= 0)
		sbuf_printf(b, "secret store: %s\n", st->locked ? "locked" : "not locked");
	if (st->n_steps)
		sbuf_puts(b, "steps:\n");
	for (size_t i = 0; i < st->n_steps; i++) {
		const struct status_step *s = &st->steps[i];

		sbuf_printf(b, "  %-9s %-8s %6llu ms", s->name, s->outcome,
			    (unsigned long long)s->ms);
		if (s->detail[0])
			sbuf_printf(b, "  %s", s->detail);
		sbuf_puts(b, "\n");
	}
	text_items(b, "secrets", st->secrets, st->n_secrets, true);
	text_items(b, "retrieved", st->retrieved, st->n_retrieved, false);
	text_items(b, "queues", st->queues, st->n_queues, true);
}
