/* SPDX-License-Identifier: MIT */
/*
 * pvboot's YAML layer: a small read-only tree with line:column marks, built from an
 * in-memory buffer. Input size and nesting depth are capped; errors carry a position
 * and a message and never print anything. The YAML library behind it (libyaml) is not
 * visible to the rest of the code.
 */
#ifndef PVBOOT_YDOC_H
#define PVBOOT_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YAML_MAX_INPUT (64 * 1024)
#define YAML_MAX_DEPTH 32
#define YAML_MAX_NODES 8192

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col;  /* 1-based position of the node's start */
	const char *tag;     /* explicit tag ("!Association"), or NULL */
	/* scalar */
	const char *str;     /* NUL-terminated (embedded NULs rejected) */
	size_t len;
	bool quoted;         /* written in quotes: never a number or a boolean */
	/* map: keys[i] -> vals[i]; seq: vals[i] */
	size_t n;
	struct ynode **keys;
	struct ynode **vals;
};

struct ydoc;

struct yerror {
	unsigned line, col;  /* 1-based; 0 if unknown */
	char msg[160];
};

/* Parse buf (len bytes) as exactly one document. NULL on error, with *err filled. */
struct ydoc *ydoc_parse(const char *buf, size_t len, struct yerror *err);
void ydoc_free(struct ydoc *doc);
/* The root node; an empty document yields NULL. */
const struct ynode *ydoc_root(const struct ydoc *doc);

/* Look up a key in a map (NULL if absent or not a map). */
const struct ynode *ydoc_get(const struct ynode *map, const char *key);

/*
 * Scalar conversions; each returns 0, or -EINVAL when the node is not a scalar of that
 * form. Integers accept decimal and 0x-hex; booleans accept true/false/yes/no/on/off.
 */
int ydoc_u64(const struct ynode *n, uint64_t *out);
int ydoc_bool(const struct ynode *n, bool *out);
/* Hex string of exactly len bytes (optional 0x prefix) into out. */
int ydoc_hex(const struct ynode *n, uint8_t *out, size_t len);

/*
 * Reject unknown keys: every key of map must be one of allowed (NULL-terminated).
 * Returns the first offending key node, or NULL.
 */
const struct ynode *ydoc_unknown_key(const struct ynode *map, const char *const *allowed);

/* The version of the YAML library pvboot was built with ("0.2.5"). */
const char *ydoc_library_version(void);

#endif
