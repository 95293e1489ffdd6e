// SPDX-License-Identifier: MIT
/*
 * The YAML layer over libyaml's event parser. We build our own small tree so that the
 * rest of pvboot never sees libyaml, and so that every limit is ours: input size,
 * nesting depth, node count. Aliases are refused (no expansion attacks, and none of our
 * files needs them); so are multiple documents and embedded NUL bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "ydoc.h"

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct ydoc {
	struct chunk *chunks;
	struct ynode *root;
	size_t nodes;
};

static void *arena_alloc(struct ydoc *d, size_t len)
{
	struct chunk *c = d->chunks;

	len = (len + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!c || c->size - c->used < len) {
		size_t size = len > 16384 ? len : 16384;

		c = calloc(1, sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->next = d->chunks;
		d->chunks = c;
	}
	c->used += len;
	return (char *)c->data + c->used - len;
}

static char *arena_strdup(struct ydoc *d, const char *s, size_t len)
{
	char *p = arena_alloc(d, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	while (doc->chunks) {
		struct chunk *c = doc->chunks;

		doc->chunks = c->next;
		free(c);
	}
	free(doc);
}

const struct ynode *ydoc_root(const struct ydoc *doc)
{
	return doc ? doc->root : NULL;
}

/* A collection under construction: children are gathered in a growable array. */
struct building {
	struct ynode *node;
	struct ynode **items; /* seq: values; map: key, value, key, value... */
	size_t n, cap;
};

struct parser {
	struct ydoc *doc;
	struct building stack[YAML_MAX_DEPTH + 1];
	int depth;
	struct yerror *err;
};

__attribute__((format(printf, 4, 5))) static void set_err(struct yerror *err, size_t line,
								 size_t col, const char *fmt, ...)
{
	va_list ap;

	err->line = (unsigned)(line + 1);
	err->col = (unsigned)(col + 1);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static struct ynode *new_node(struct parser *p, enum ynode_kind kind, const yaml_event_t *ev,
			      const yaml_char_t *tag)
{
	struct ynode *n;

	if (++p->doc->nodes > YAML_MAX_NODES) {
		set_err(p->err, ev->start_mark.line, ev->start_mark.column,
			"too many nodes (more than %d)", YAML_MAX_NODES);
		return NULL;
	}
	n = arena_alloc(p->doc, sizeof(*n));
	if (!n) {
		set_err(p->err, 0, 0, "out of memory");
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	if (tag) {
		n->tag = arena_strdup(p->doc, (const char *)tag, strlen((const char *)tag));
		if (!n->tag) {
			set_err(p->err, 0, 0, "out of memory");
			return NULL;
		}
	}
	return n;
}

static int attach(struct parser *p, struct ynode *n)
{
	struct building *b;

	if (p->depth == 0) {
		p->doc->root = n;
		return 0;
	}
	b = &p->stack[p->depth - 1];
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		struct ynode **items = realloc(b->items, cap * sizeof(*items));

		if (!items) {
			set_err(p->err, 0, 0, "out of memory");
			return -ENOMEM;
		}
		b->items = items;
		b->cap = cap;
	}
	b->items[b->n++] = n;
	return 0;
}

static int push(struct parser *p, struct ynode *n, const yaml_event_t *ev)
{
	if (p->depth >= YAML_MAX_DEPTH) {
		set_err(p->err, ev->start_mark.line, ev->start_mark.column,
			"nesting deeper than %d levels", YAML_MAX_DEPTH);
		return -EINVAL;
	}
	memset(&p->stack[p->depth], 0, sizeof(p->stack[0]));
	p->stack[p->depth++].node = n;
	return 0;
}

static int pop(struct parser *p)
{
	struct building *b = &p->stack[--p->depth];
	struct ynode *n = b->node;
	int ret = 0;

	if (n->kind == YNODE_SEQ) {
		n->n = b->n;
		n->vals = arena_alloc(p->doc, (b->n ? b->n : 1) * sizeof(*n->vals));
		if (n->vals && b->n)
			memcpy(n->vals, b->items, b->n * sizeof(*n->vals));
	} else {
		n->n = b->n / 2;
		n->keys = arena_alloc(p->doc, (n->n ? n->n : 1) * sizeof(*n->keys));
		n->vals = arena_alloc(p->doc, (n->n ? n->n : 1) * sizeof(*n->vals));
		for (size_t i = 0; n->keys && n->vals && i < n->n; i++) {
			struct ynode *k = b->items[2 * i];

			if (k->kind != YNODE_SCALAR) {
				set_err(p->err, k->line - 1, k->col - 1,
					"mapping keys must be plain scalars");
				ret = -EINVAL;
				break;
			}
			for (size_t j = 0; j < i; j++) {
				if (strcmp(n->keys[j]->str, k->str) == 0) {
					char key[104];

					/* the key may hold any byte: one line, escaped */
					text_escape(key, sizeof(key), k->str, k->len);
					set_err(p->err, k->line - 1, k->col - 1,
						"duplicate key '%s'", key);
					ret = -EINVAL;
					break;
				}
			}
			if (ret)
				break;
			n->keys[i] = k;
			n->vals[i] = b->items[2 * i + 1];
		}
	}
	free(b->items);
	b->items = NULL;
	if (!ret && (!n->vals || (n->kind == YNODE_MAP && !n->keys))) {
		set_err(p->err, 0, 0, "out of memory");
		ret = -ENOMEM;
	}
	if (ret)
		return ret;
	return attach(p, n);
}

static int handle_event(struct parser *p, const yaml_event_t *ev, int *docs, int *done)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_NO_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			set_err(p->err, ev->start_mark.line, ev->start_mark.column,
				"more than one document");
			return -EINVAL;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		set_err(p->err, ev->start_mark.line, ev->start_mark.column,
			"aliases are not supported");
		return -EINVAL;
	case YAML_SCALAR_EVENT:
		if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
			set_err(p->err, ev->start_mark.line, ev->start_mark.column,
				"NUL byte in a scalar");
			return -EINVAL;
		}
		n = new_node(p, YNODE_SCALAR, ev, ev->data.scalar.tag);
		if (!n)
			return -EINVAL;
		n->str = arena_strdup(p->doc, (const char *)ev->data.scalar.value,
				      ev->data.scalar.length);
		if (!n->str) {
			set_err(p->err, 0, 0, "out of memory");
			return -ENOMEM;
		}
		n->len = ev->data.scalar.length;
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		return attach(p, n);
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(p, YNODE_SEQ, ev, ev->data.sequence_start.tag);
		return n ? push(p, n, ev) : -EINVAL;
	case YAML_MAPPING_START_EVENT:
		n = new_node(p, YNODE_MAP, ev, ev->data.mapping_start.tag);
		return n ? push(p, n, ev) : -EINVAL;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop(p);
	}
	return 0;
}

struct ydoc *ydoc_parse(const char *buf, size_t len, struct yerror *err)
{
	struct parser p = {.err = err};
	yaml_parser_t yp;
	int docs = 0, done = 0, ret = 0;

	memset(err, 0, sizeof(*err));
	if (len > YAML_MAX_INPUT) {
		snprintf(err->msg, sizeof(err->msg), "larger than %d bytes", YAML_MAX_INPUT);
		return NULL;
	}
	if (memchr(buf, 0, len)) {
		snprintf(err->msg, sizeof(err->msg), "contains a NUL byte");
		return NULL;
	}
	p.doc = calloc(1, sizeof(*p.doc));
	if (!p.doc || !yaml_parser_initialize(&yp)) {
		free(p.doc);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	while (!done && !ret) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&yp, &ev)) {
			set_err(err, yp.problem_mark.line, yp.problem_mark.column, "%s",
				yp.problem ? yp.problem : "syntax error");
			if (yp.context) {
				size_t l = strlen(err->msg);

				snprintf(err->msg + l, sizeof(err->msg) - l, " %s", yp.context);
			}
			ret = -EINVAL;
			break;
		}
		ret = handle_event(&p, &ev, &docs, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	while (p.depth > 0)
		free(p.stack[--p.depth].items);
	if (ret) {
		ydoc_free(p.doc);
		return NULL;
	}
	return p.doc;
}

const struct ynode *ydoc_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->vals[i];
	return NULL;
}

int ydoc_u64(const struct ynode *n, uint64_t *out)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return -EINVAL;
	return parse_u64(n->str, UINT64_MAX, out) ? -EINVAL : 0;
}

int ydoc_bool(const struct ynode *n, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "True", "TRUE", "Yes", "YES"};
	static const char *const no[] = {"false", "no", "off", "False", "FALSE", "No", "NO"};

	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(n->str, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(n->str, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int ydoc_hex(const struct ynode *n, uint8_t *out, size_t len)
{
	if (!n || n->kind != YNODE_SCALAR)
		return -EINVAL;
	return hex_decode(n->str, out, len);
}

const struct ynode *ydoc_unknown_key(const struct ynode *map, const char *const *allowed)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const char *const *a;

		for (a = allowed; *a; a++)
			if (strcmp(map->keys[i]->str, *a) == 0)
				break;
		if (!*a)
			return map->keys[i];
	}
	return NULL;
}

const char *ydoc_library_version(void)
{
	return yaml_get_version_string();
}
