// SPDX-License-Identifier: MIT
/* libFuzzer target: the YAML layer (configuration files, machine descriptions). */
#include <stddef.h>
#include <stdint.h>

#include "ydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct ynode *n, unsigned depth)
{
	uint8_t hex[16];
	uint64_t v;
	bool b;

	if (!n)
		return;
	if (depth > YAML_MAX_DEPTH + 1 || n->line == 0 || n->col == 0)
		__builtin_trap();
	switch (n->kind) {
	case YNODE_SCALAR:
		ydoc_u64(n, &v);
		ydoc_bool(n, &b);
		ydoc_hex(n, hex, sizeof(hex));
		break;
	case YNODE_MAP:
		for (size_t i = 0; i < n->n; i++) {
			ydoc_get(n, n->keys[i]->str);
			walk(n->vals[i], depth + 1);
		}
		break;
	case YNODE_SEQ:
		for (size_t i = 0; i < n->n; i++)
			walk(n->vals[i], depth + 1);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allowed[] = {"mode", "mkvp", "name", NULL};
	struct yerror err;
	struct ydoc *d = ydoc_parse((const char *)data, size, &err);

	if (d) {
		walk(ydoc_root(d), 0);
		ydoc_unknown_key(ydoc_root(d), allowed);
		ydoc_free(d);
	} else if (err.msg[0] == 0) {
		__builtin_trap(); /* every error must say something */
	}
	return 0;
}
