// SPDX-License-Identifier: MIT
/*
 * pvboot.yaml and the rd.pvboot.* options (pvboot.yaml(5)). Every value is checked
 * here, so that `pvboot check-config` at image build time and `pvboot boot` at boot
 * refuse the same mistakes with the same words.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_sysfs.h"
#include "asr.h"
#include "bootcfg.h"
#include "ebc.h"
#include "luks2.h"
#include "secret_list.h"
#include "status.h"
#include "util.h"

struct pctx {
	const char *file;
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 3, 4))) static int bad(struct pctx *c, const struct ynode *n,
						     const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int off;

	off = snprintf(c->err, c->errsz, "%s:%u:%u: ", c->file, n ? n->line : 0, n ? n->col : 0);
	if (off < 0 || (size_t)off >= c->errsz)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* values from the file are quoted in messages: keep the message one printable line */
	text_escape(c->err + off, c->errsz - (size_t)off, msg, strlen(msg));
	return -EINVAL;
}

__attribute__((format(printf, 3, 4))) static int badopt(char *err, size_t errsz, const char *fmt,
							...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void boot_root_defaults(struct boot_root *r)
{
	static const char *const def[] = LUKS2_DEFAULT_CIPHERS;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "root");
	for (size_t i = 0; i < ARRAY_SIZE(def); i++)
		snprintf(r->ciphers[i], sizeof(r->ciphers[i]), "%s", def[i]);
	r->n_ciphers = ARRAY_SIZE(def);
}

void bootcfg_init(struct bootcfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->enable = BOOT_AUTO;
	snprintf(cfg->source, sizeof(cfg->source), "LABEL=boot");
	snprintf(cfg->directory, sizeof(cfg->directory), "sics");
	snprintf(cfg->fstypes, sizeof(cfg->fstypes), "%s", BOOT_DEFAULT_FSTYPES);
	cfg->mode = BOOT_MODE_TOC;
	cfg->lock = true;
	cfg->timeout_uv_ms = 10000;
	cfg->timeout_source_ms = 30000;
	cfg->timeout_ap_ms = 30000;
	cfg->onfail = ONFAIL_POWEROFF;
	boot_root_defaults(&cfg->root);
}

void bootcfg_free(struct bootcfg *cfg)
{
	free(cfg->expect);
	free(cfg->retrieve);
	ydoc_free(cfg->doc);
	memset(cfg, 0, sizeof(*cfg));
}

static const char *const onfail_names[] = {
    [ONFAIL_POWEROFF] = "poweroff", [ONFAIL_REBOOT] = "reboot",	    [ONFAIL_HALT] = "halt",
    [ONFAIL_SHELL] = "shell",	    [ONFAIL_CONTINUE] = "continue",
};

const char *boot_onfail_name(enum boot_onfail f)
{
	return onfail_names[f];
}

int boot_onfail_parse(const char *s, enum boot_onfail *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(onfail_names); i++) {
		if (strcmp(s, onfail_names[i]) == 0) {
			*f = (enum boot_onfail)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *boot_enable_name(enum boot_enable e)
{
	return e == BOOT_OFF ? "off" : e == BOOT_REQUIRED ? "required" : "auto";
}

enum boot_source_kind boot_source_kind(const char *spec)
{
	if (strncmp(spec, "LABEL=", 6) == 0)
		return SRC_LABEL;
	if (strncmp(spec, "UUID=", 5) == 0)
		return SRC_UUID;
	if (strncmp(spec, "PARTLABEL=", 10) == 0)
		return SRC_PARTLABEL;
	if (strncmp(spec, "PARTUUID=", 9) == 0)
		return SRC_PARTUUID;
	if (strncmp(spec, "/dev/", 5) == 0)
		return SRC_DEVICE;
	return SRC_DIRECTORY;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

/* No empty, "." or ".." component. */
static bool clean_components(const char *p)
{
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!e)
			break;
		p = e + 1;
		if (!*p)
			return false; /* trailing slash */
	}
	return true;
}

/* The problem with a source spec, or NULL. */
static const char *source_problem(const char *spec)
{
	const char *eq = strchr(spec, '=');

	if (!*spec)
		return "is empty";
	if (!printable(spec))
		return "contains control characters";
	switch (boot_source_kind(spec)) {
	case SRC_LABEL:
	case SRC_UUID:
	case SRC_PARTLABEL:
	case SRC_PARTUUID:
		return eq[1] ? NULL : "has an empty value";
	case SRC_DEVICE:
		return clean_components(spec + 1) ? NULL : "is not a clean /dev path";
	case SRC_DIRECTORY:
		if (spec[0] != '/')
			return "is neither LABEL=, UUID=, PARTLABEL=, PARTUUID=, a /dev path nor "
			       "an "
			       "absolute directory";
		return clean_components(spec + 1) ? NULL : "is not a clean absolute path";
	}
	return NULL;
}

static const char *directory_problem(const char *dir)
{
	if (!*dir)
		return "is empty";
	if (dir[0] == '/')
		return "must be relative to the source's root";
	if (!printable(dir))
		return "contains control characters";
	return clean_components(dir) ? NULL : "must not contain empty, '.' or '..' components";
}

static bool is_or_below(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(p, dir, n) == 0 && (!p[n] || p[n] == '/');
}

static const char *retrieve_path_problem(const char *p)
{
	if (strncmp(p, "/run/", 5) != 0 || !p[5])
		return "must be a file below /run (a tmpfs)";
	if (!printable(p))
		return "contains control characters";
	if (!clean_components(p + 1))
		return "must not contain empty, '.' or '..' components";
	/* pvboot's own files: what it can see here; symbolic links are refused at boot */
	if (strcmp(p, BOOT_RUN_DIR) == 0)
		return "is pvboot's own directory";
	if (strcmp(p, BOOT_RUN_DIR "/" STATUS_TXT) == 0 ||
	    strcmp(p, BOOT_RUN_DIR "/" STATUS_JSON) == 0 ||
	    strncmp(p, BOOT_RUN_DIR "/.status", strlen(BOOT_RUN_DIR "/.status")) == 0)
		return "is one of pvboot's status files";
	if (is_or_below(p, BOOT_MOUNT_POINT))
		return "is on pvboot's mount point for the source";
	if (strcmp(p, AP_LOCK_PATH) == 0)
		return "is pvboot's AP lock file";
	return NULL;
}

static int get_str(struct pctx *c, const struct ynode *n, const char *what, char *out, size_t size)
{
	if (n->kind != YNODE_SCALAR)
		return bad(c, n, "%s: expected a string", what);
	if (n->len >= size)
		return bad(c, n, "%s: longer than %zu bytes", what, size - 1);
	memcpy(out, n->str, n->len + 1);
	return 0;
}

/* A clean absolute path (root: header, user_cert), and where it stands in the file. */
static int get_abspath(struct pctx *c, const struct ynode *n, const char *what, char *out,
		       size_t size, unsigned *line, unsigned *col)
{
	if (get_str(c, n, what, out, size))
		return -EINVAL;
	if (out[0] != '/' || !printable(out) || !clean_components(out + 1))
		return bad(c, n, "%s: expected a clean absolute path, got '%s'", what, out);
	*line = n->line;
	*col = n->col;
	return 0;
}

static int get_bool(struct pctx *c, const struct ynode *n, const char *what, bool *out)
{
	if (ydoc_bool(n, out))
		return bad(c, n, "%s: expected true or false", what);
	return 0;
}

static int get_seconds(struct pctx *c, const struct ynode *n, const char *what, uint64_t *ms)
{
	uint64_t v;

	if (ydoc_u64(n, &v) || v > BOOT_MAX_TIMEOUT_SEC)
		return bad(c, n, "%s: expected a number of seconds from 0 to %d", what,
			   BOOT_MAX_TIMEOUT_SEC);
	*ms = v * 1000;
	return 0;
}

static int check_keys(struct pctx *c, const struct ynode *map, const char *where,
		      const char *const *allowed)
{
	const struct ynode *k;

	if (map->kind != YNODE_MAP)
		return bad(c, map, "%s: expected a mapping", where);
	k = ydoc_unknown_key(map, allowed);
	if (k)
		return bad(c, k, "%s: unknown key '%s'", where, k->str);
	return 0;
}

/* {name: N | id: HEX, type: T} -> ref; type_required for plain mode's expectations. */
static int parse_ref(struct pctx *c, const struct ynode *m, const char *where, bool type_required,
		     struct boot_secret_ref *ref)
{
	const struct ynode *name = ydoc_get(m, "name"), *id = ydoc_get(m, "id"),
			   *type = ydoc_get(m, "type");

	memset(ref, 0, sizeof(*ref));
	ref->line = m->line;
	ref->col = m->col;
	if (!!name == !!id)
		return bad(c, m, "%s: give exactly one of 'name' and 'id'", where);
	if (name) {
		if (get_str(c, name, "name", ref->name, sizeof(ref->name)))
			return -EINVAL;
		if (!ref->name[0])
			return bad(c, name, "%s: empty name", where);
		secret_id_from_name(ref->name, ref->id);
	} else if (id->kind != YNODE_SCALAR || ydoc_hex(id, ref->id, sizeof(ref->id))) {
		return bad(c, id, "%s: id: expected 32 bytes as 64 hex digits (optional 0x)",
			   where);
	}
	if (type) {
		if (type->kind != YNODE_SCALAR || ebc_type_parse(type->str, &ref->type))
			return bad(c, type,
				   "%s: type: unknown secret type '%s' (association, plaintext, "
				   "aes-256, ... or a name as pvsecret list prints it)",
				   where, type->kind == YNODE_SCALAR ? type->str : "");
	} else if (type_required) {
		return bad(c, m, "%s: 'type' is required", where);
	}
	return 0;
}

static bool same_id(const struct boot_secret_ref *a, const struct boot_secret_ref *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

static int parse_expect(struct pctx *c, struct bootcfg *cfg, const struct ynode *seq)
{
	static const char *const keys[] = {"name", "id", "type", NULL};
	char where[48];

	if (seq->kind != YNODE_SEQ)
		return bad(c, seq, "expect: expected a list of {name|id, type}");
	if (seq->n > BOOT_MAX_EXPECT)
		return bad(c, seq, "expect: more than %d entries", BOOT_MAX_EXPECT);
	cfg->expect = calloc(seq->n ? seq->n : 1, sizeof(*cfg->expect));
	if (!cfg->expect)
		return bad(c, seq, "out of memory");
	for (size_t i = 0; i < seq->n; i++) {
		snprintf(where, sizeof(where), "expect[%zu]", i);
		if (check_keys(c, seq->vals[i], where, keys) ||
		    parse_ref(c, seq->vals[i], where, true, &cfg->expect[i]))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (same_id(&cfg->expect[j], &cfg->expect[i]))
				return bad(c, seq->vals[i], "%s: the same secret id as expect[%zu]",
					   where, j);
		cfg->n_expect++;
	}
	return 0;
}

static int parse_retrieve(struct pctx *c, struct bootcfg *cfg, const struct ynode *seq)
{
	static const char *const keys[] = {"name", "id", "type", "path", "keep", NULL};
	char where[48];

	if (seq->kind != YNODE_SEQ)
		return bad(c, seq, "retrieve: expected a list of {name|id, path[, keep]}");
	if (seq->n > BOOT_MAX_RETRIEVE)
		return bad(c, seq, "retrieve: more than %d entries", BOOT_MAX_RETRIEVE);
	cfg->retrieve = calloc(seq->n ? seq->n : 1, sizeof(*cfg->retrieve));
	if (!cfg->retrieve)
		return bad(c, seq, "out of memory");
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->vals[i], *p, *k;
		struct boot_retrieve *r = &cfg->retrieve[i];
		const char *why;

		snprintf(where, sizeof(where), "retrieve[%zu]", i);
		if (check_keys(c, m, where, keys) || parse_ref(c, m, where, false, &r->ref))
			return -EINVAL;
		p = ydoc_get(m, "path");
		if (!p)
			return bad(c, m, "%s: 'path' is required", where);
		if (get_str(c, p, "path", r->path, sizeof(r->path)))
			return -EINVAL;
		if ((why = retrieve_path_problem(r->path)))
			return bad(c, p, "%s: path '%s' %s", where, r->path, why);
		if ((k = ydoc_get(m, "keep")) && get_bool(c, k, "keep", &r->keep))
			return -EINVAL;
		if (r->ref.type && !secret_type_retrievable(r->ref.type)) {
			char buf[24];

			return bad(c, m, "%s: a %s secret cannot be retrieved", where,
				   secret_type_name(r->ref.type, buf));
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(cfg->retrieve[j].path, r->path) == 0)
				return bad(c, p, "%s: the same path as retrieve[%zu]", where, j);
		cfg->n_retrieve++;
	}
	return 0;
}

static int parse_ap(struct pctx *c, struct bootcfg *cfg, const struct ynode *m)
{
	static const char *const keys[] = {"file", "entries", "strict", NULL};
	const struct ynode *file, *entries, *strict;

	if (check_keys(c, m, "ap", keys))
		return -EINVAL;
	file = ydoc_get(m, "file");
	entries = ydoc_get(m, "entries");
	if (!!file == !!entries)
		return bad(c, m,
			   "ap: give exactly one of 'file' (a pvapconfig file) and 'entries'");
	if (file) {
		if (get_str(c, file, "ap: file", cfg->ap_file, sizeof(cfg->ap_file)))
			return -EINVAL;
		if (cfg->ap_file[0] != '/' || !printable(cfg->ap_file) ||
		    !clean_components(cfg->ap_file + 1))
			return bad(c, file, "ap: file: expected a clean absolute path, got '%s'",
				   cfg->ap_file);
	} else {
		if (entries->kind != YNODE_SEQ)
			return bad(c, entries,
				   "ap: entries: expected a list of pvapconfig entries");
		cfg->ap_entries = entries;
	}
	if ((strict = ydoc_get(m, "strict")) && get_bool(c, strict, "ap: strict", &cfg->ap_strict))
		return -EINVAL;
	cfg->ap = true;
	return 0;
}

/*
 * Append a file-system type name to the list "a,b": 1-15 of [a-z0-9], at most
 * BOOT_MAX_FSTYPES, no repeats. NULL, or what is wrong.
 */
static const char *fstype_add(char list[BOOT_FSTYPES_LEN], const char *t, size_t len)
{
	size_t n = 0, have = strlen(list);

	if (len == 0 || len > 15)
		return "is not a file-system type name (1 to 15 of a-z, 0-9)";
	for (size_t i = 0; i < len; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9')))
			return "is not a file-system type name (1 to 15 of a-z, 0-9)";
	for (const char *p = list; *p; n++) {
		size_t l = strcspn(p, ",");

		if (l == len && strncmp(p, t, len) == 0)
			return "is given twice";
		p += l + (p[l] == ',');
	}
	if (n == BOOT_MAX_FSTYPES)
		return "is one type too many (at most 8)";
	snprintf(list + have, BOOT_FSTYPES_LEN - have, "%s%.*s", have ? "," : "", (int)len, t);
	return NULL;
}

static int parse_fstypes(struct pctx *c, struct bootcfg *cfg, const struct ynode *n)
{
	char list[BOOT_FSTYPES_LEN] = "";
	const char *why;

	if (n->kind != YNODE_SEQ || !n->n)
		return bad(c, n, "source_fstypes: expected a list of file-system types");
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *t = n->vals[i];

		if (t->kind != YNODE_SCALAR)
			return bad(c, t, "source_fstypes: expected a file-system type name");
		if ((why = fstype_add(list, t->str, t->len)))
			return bad(c, t, "source_fstypes: '%s' %s", t->str, why);
	}
	memcpy(cfg->fstypes, list, sizeof(list));
	return 0;
}

static int parse_timeouts(struct pctx *c, struct bootcfg *cfg, const struct ynode *m)
{
	static const char *const keys[] = {"uv", "source", "ap", NULL};
	const struct ynode *n;

	if (check_keys(c, m, "timeouts", keys))
		return -EINVAL;
	if ((n = ydoc_get(m, "uv")) && get_seconds(c, n, "timeouts: uv", &cfg->timeout_uv_ms))
		return -EINVAL;
	if ((n = ydoc_get(m, "source")) &&
	    get_seconds(c, n, "timeouts: source", &cfg->timeout_source_ms))
		return -EINVAL;
	if ((n = ydoc_get(m, "ap")) && get_seconds(c, n, "timeouts: ap", &cfg->timeout_ap_ms))
		return -EINVAL;
	return 0;
}

/* A device-mapper name pvboot creates: 1-127 of [A-Za-z0-9_.+-], not "." or "..". */
static const char *dm_name_problem(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= BOOT_ROOT_NAME_MAX)
		return "is not 1 to 127 characters";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "is '.' or '..'";
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.+-", s[i])))
			return "may only contain A-Z, a-z, 0-9, '_', '.', '+' and '-'";
	return NULL;
}

/* A cipher as dm-crypt and cryptsetup spell it: 1-63 of [A-Za-z0-9_:()-], not null. */
static const char *cipher_problem(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= BOOT_CIPHER_MAX)
		return "is not 1 to 63 characters";
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_:()-", s[i])))
			return "is not a cipher name (A-Z, a-z, 0-9, '_', ':', '(', ')', '-')";
	if (luks2_cipher_is_null(s))
		return "is a null cipher (no encryption)";
	return NULL;
}

static int parse_rootvol(struct pctx *c, struct bootcfg *cfg, const struct ynode *m)
{
	static const char *const keys[] = {"device", "name", "key", "header", "cipher", NULL};
	static const char *const key_keys[] = {"name", "id", "type", NULL};
	struct boot_root *r = &cfg->root;
	const struct ynode *n;
	const char *why;

	if (check_keys(c, m, "root", keys))
		return -EINVAL;
	r->line = m->line;
	r->col = m->col;
	if (!(n = ydoc_get(m, "device")))
		return bad(c, m,
			   "root: 'device' is required (UUID=, PARTUUID=, LABEL= or a /dev "
			   "path)");
	if (get_str(c, n, "root: device", r->device, sizeof(r->device)))
		return -EINVAL;
	switch (boot_source_kind(r->device)) {
	case SRC_LABEL:
	case SRC_UUID:
	case SRC_PARTUUID:
	case SRC_DEVICE:
		if ((why = source_problem(r->device)))
			return bad(c, n, "root: device '%s' %s", r->device, why);
		break;
	default:
		return bad(c, n,
			   "root: device '%s' is neither UUID=, PARTUUID=, LABEL= nor a /dev "
			   "path",
			   r->device);
	}
	if ((n = ydoc_get(m, "name"))) {
		if (get_str(c, n, "root: name", r->name, sizeof(r->name)))
			return -EINVAL;
		if ((why = dm_name_problem(r->name)))
			return bad(c, n, "root: name '%s' %s", r->name, why);
	}
	if (!(n = ydoc_get(m, "key")))
		return bad(c, m,
			   "root: 'key' is required (the secret that unlocks it: {name: N} "
			   "or {id: HEX})");
	if (check_keys(c, n, "root: key", key_keys) || parse_ref(c, n, "root: key", false, &r->key))
		return -EINVAL;
	if (r->key.type && !secret_type_retrievable(r->key.type)) {
		char buf[24];

		return bad(c, n, "root: key: a %s secret cannot be retrieved",
			   secret_type_name(r->key.type, buf));
	}
	if ((n = ydoc_get(m, "header")) &&
	    get_abspath(c, n, "root: header", r->header, sizeof(r->header), &r->header_line,
			&r->header_col))
		return -EINVAL;
	if ((n = ydoc_get(m, "cipher"))) {
		const struct ynode *const *vals = &n;
		size_t cnt = 1;

		if (n->kind == YNODE_SEQ) {
			vals = (const struct ynode *const *)n->vals;
			cnt = n->n;
			if (!cnt || cnt > BOOT_ROOT_MAX_CIPHERS)
				return bad(c, n, "root: cipher: expected 1 to %d ciphers",
					   BOOT_ROOT_MAX_CIPHERS);
		}
		r->n_ciphers = 0;
		memset(r->ciphers, 0, sizeof(r->ciphers));
		for (size_t i = 0; i < cnt; i++) {
			char *dst = r->ciphers[i];

			if (get_str(c, vals[i], "root: cipher", dst, BOOT_CIPHER_MAX))
				return -EINVAL;
			if ((why = cipher_problem(dst)))
				return bad(c, vals[i], "root: cipher '%s' %s", dst, why);
			for (size_t j = 0; j < i; j++)
				if (strcmp(r->ciphers[j], dst) == 0)
					return bad(c, vals[i], "root: cipher '%s' is given twice",
						   dst);
			r->n_ciphers++;
		}
		r->cipher_set = true;
	}
	r->set = true;
	return 0;
}

static int parse_root(struct pctx *c, struct bootcfg *cfg, const struct ynode *root)
{
	static const char *const keys[] = {"required",	"source",
					   "directory", "mode",
					   "expect",	"lock",
					   "retrieve",	"ap",
					   "timeouts",	"on_failure",
					   "debug",	"source_fstypes",
					   "user_cert", "cck_enforcement",
					   "root",	NULL};
	const struct ynode *n;
	const char *why;
	bool b;

	if (!root)
		return 0; /* an empty file: all defaults */
	if (check_keys(c, root, "pvboot.yaml", keys))
		return -EINVAL;
	if ((n = ydoc_get(root, "required"))) {
		if (get_bool(c, n, "required", &b))
			return -EINVAL;
		cfg->enable = b ? BOOT_REQUIRED : BOOT_AUTO;
		cfg->enable_origin = b ? "'required: true' in the configuration" : NULL;
	}
	if ((n = ydoc_get(root, "source"))) {
		if (get_str(c, n, "source", cfg->source, sizeof(cfg->source)))
			return -EINVAL;
		if ((why = source_problem(cfg->source)))
			return bad(c, n, "source: '%s' %s", cfg->source, why);
	}
	if ((n = ydoc_get(root, "directory"))) {
		if (get_str(c, n, "directory", cfg->directory, sizeof(cfg->directory)))
			return -EINVAL;
		if ((why = directory_problem(cfg->directory)))
			return bad(c, n, "directory: '%s' %s", cfg->directory, why);
	}
	if ((n = ydoc_get(root, "source_fstypes")) && parse_fstypes(c, cfg, n))
		return -EINVAL;
	if ((n = ydoc_get(root, "mode"))) {
		if (n->kind == YNODE_SCALAR && strcmp(n->str, "toc") == 0)
			cfg->mode = BOOT_MODE_TOC;
		else if (n->kind == YNODE_SCALAR && strcmp(n->str, "plain") == 0)
			cfg->mode = BOOT_MODE_PLAIN;
		else
			return bad(c, n, "mode: expected toc or plain");
	}
	if ((n = ydoc_get(root, "expect")) && parse_expect(c, cfg, n))
		return -EINVAL;
	if ((n = ydoc_get(root, "lock")) && get_bool(c, n, "lock", &cfg->lock))
		return -EINVAL;
	if ((n = ydoc_get(root, "retrieve")) && parse_retrieve(c, cfg, n))
		return -EINVAL;
	if ((n = ydoc_get(root, "ap")) && parse_ap(c, cfg, n))
		return -EINVAL;
	if ((n = ydoc_get(root, "timeouts")) && parse_timeouts(c, cfg, n))
		return -EINVAL;
	if ((n = ydoc_get(root, "on_failure")) &&
	    (n->kind != YNODE_SCALAR || boot_onfail_parse(n->str, &cfg->onfail)))
		return bad(c, n, "on_failure: expected poweroff, reboot, halt, shell or continue");
	if ((n = ydoc_get(root, "debug")) && get_bool(c, n, "debug", &cfg->debug))
		return -EINVAL;
	if ((n = ydoc_get(root, "user_cert")) &&
	    get_abspath(c, n, "user_cert", cfg->user_cert, sizeof(cfg->user_cert),
			&cfg->user_cert_line, &cfg->user_cert_col))
		return -EINVAL;
	if ((n = ydoc_get(root, "cck_enforcement")) &&
	    get_bool(c, n, "cck_enforcement", &cfg->cck_enforcement))
		return -EINVAL;
	if ((n = ydoc_get(root, "root")) && parse_rootvol(c, cfg, n))
		return -EINVAL;
	if (cfg->n_expect && cfg->mode != BOOT_MODE_PLAIN)
		return bad(c, ydoc_get(root, "expect"), "expect: only used with mode: plain");
	if (cfg->mode == BOOT_MODE_PLAIN && !cfg->n_expect)
		return bad(c, ydoc_get(root, "mode"),
			   "mode plain needs 'expect': the secrets that must be present");
	return 0;
}

int bootcfg_check_owner(const struct bootcfg *cfg, const char *file, char *err, size_t errsz)
{
	if (cfg->user_cert[0] || cfg->cck_enforcement)
		return 0;
	snprintf(err, errsz, "%s: %s", file, BOOTCFG_OWNER_MSG);
	return -EINVAL;
}

int bootcfg_parse(struct bootcfg *cfg, const char *file, const char *buf, size_t len, char *err,
		  size_t errsz)
{
	struct pctx c = {file, err, errsz};
	struct yerror yerr;

	cfg->doc = ydoc_parse(buf, len, &yerr);
	if (!cfg->doc) {
		snprintf(err, errsz, "%s:%u:%u: %s", file, yerr.line, yerr.col, yerr.msg);
		return -EINVAL;
	}
	cfg->have_file = true;
	return parse_root(&c, cfg, ydoc_root(cfg->doc));
}

int bootcfg_apply_cmdline(struct bootcfg *cfg, const struct cmdline *cl, char *err, size_t errsz)
{
	const char *v, *why;
	uint64_t sec;

	if (cmdline_get(cl, "rd.pvboot", &v)) {
		cfg->enable = cmdline_word_false(v) ? BOOT_OFF : BOOT_REQUIRED;
		cfg->enable_origin = cmdline_word_false(v) ? "rd.pvboot=0" : "rd.pvboot";
	}
	if (cmdline_get(cl, "rd.pvboot.src", &v)) {
		if (!v || strlen(v) >= sizeof(cfg->source))
			return badopt(err, errsz,
				      "rd.pvboot.src: expected a source of at most %zu bytes",
				      sizeof(cfg->source) - 1);
		if ((why = source_problem(v)))
			return badopt(err, errsz, "rd.pvboot.src=%s: the source %s", v, why);
		snprintf(cfg->source, sizeof(cfg->source), "%s", v);
	}
	if (cmdline_get(cl, "rd.pvboot.lock", &v))
		cfg->lock = !cmdline_word_false(v);
	if (cmdline_get(cl, "rd.pvboot.ap", &v)) {
		if (cmdline_word_false(v)) {
			cfg->ap = false;
		} else if (!v || v[0] != '/' || strlen(v) >= sizeof(cfg->ap_file) ||
			   !printable(v) || !clean_components(v + 1)) {
			return badopt(err, errsz,
				      "rd.pvboot.ap%s%s: expected 0 (no AP step) or the absolute "
				      "path of a pvapconfig file",
				      v ? "=" : "", v ? v : "");
		} else {
			snprintf(cfg->ap_file, sizeof(cfg->ap_file), "%s", v);
			cfg->ap_entries = NULL;
			cfg->ap = true;
		}
	}
	if (cmdline_get(cl, "rd.pvboot.strict", &v))
		cfg->ap_strict = !cmdline_word_false(v);
	if (cmdline_get(cl, "rd.pvboot.timeout", &v)) {
		if (!v || parse_u64(v, BOOT_MAX_TIMEOUT_SEC, &sec))
			return badopt(err, errsz,
				      "rd.pvboot.timeout%s%s: expected a number of seconds from 0 "
				      "to %d",
				      v ? "=" : "", v ? v : "", BOOT_MAX_TIMEOUT_SEC);
		cfg->timeout_uv_ms = cfg->timeout_source_ms = cfg->timeout_ap_ms = sec * 1000;
	}
	if (cmdline_get(cl, "rd.pvboot.onfail", &v) && (!v || boot_onfail_parse(v, &cfg->onfail)))
		return badopt(err, errsz,
			      "rd.pvboot.onfail%s%s: expected poweroff, reboot, halt, shell or "
			      "continue",
			      v ? "=" : "", v ? v : "");
	if (cmdline_get(cl, "rd.pvboot.fstypes", &v)) {
		char list[BOOT_FSTYPES_LEN] = "";
		const char *p = v ? v : "";

		do {
			size_t len = strcspn(p, ",");

			if ((why = fstype_add(list, p, len)))
				return badopt(err, errsz, "rd.pvboot.fstypes=%s: '%.*s' %s",
					      v ? v : "", (int)len, p, why);
			p += len + (p[len] == ',');
		} while (*p);
		memcpy(cfg->fstypes, list, sizeof(list));
	}
	if (cmdline_get(cl, "rd.pvboot.debug", &v))
		cfg->debug = !cmdline_word_false(v);
	return 0;
}
