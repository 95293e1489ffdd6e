// SPDX-License-Identifier: MIT
/*
 * pvapconfig-format configuration: YAML list -> validated entries (spec/ap.md §4).
 * Pure: no I/O. The rules are pvapconfig's (rust/pvapconfig/src/config.rs); the
 * differences are deliberate and listed in pvboot(8): unknown keys and non-string
 * values are errors with a position, entries count from 1, and accelerator entries that
 * carry EP11-only keys get a warning instead of silence.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apconfig.h"
#include "util.h"

static const char *const entry_keys[] = {"mode",     "mkvp", "serialnr",    "mingen",
					 "secretid", "name", "description", NULL};
#define KEYS_TEXT "mode, mkvp, serialnr, mingen, secretid, name or description"

const char *ap_mode_name(enum ap_mode m)
{
	switch (m) {
	case AP_MODE_ACCEL:
		return "Accel";
	case AP_MODE_CCA:
		return "CCA";
	case AP_MODE_EP11:
		return "EP11";
	case AP_MODE_UNKNOWN:
		break;
	}
	return "?";
}

/* Copy at most max bytes of s for a message: control characters become '?'. */
const char *apconfig_entry_label(const struct apconfig_entry *e, char *buf, size_t size)
{
	char name[100];

	if (!e->name || !e->name[0]) {
		snprintf(buf, size, "#%u", e->num);
		return buf;
	}
	text_escape(name, sizeof(name), e->name, strlen(e->name));
	snprintf(buf, size, "#%u '%s'", e->num, name);
	return buf;
}

struct pctx {
	const char *file;
	char *err;
	size_t errsz;
	struct apconfig *cfg;
	const struct apconfig_entry *e; /* the entry being validated, or NULL */
};

/* "FILE:LINE:COL: entry #N 'NAME': <msg>" for node n (or the entry's start). */
__attribute__((format(printf, 3, 4))) static int bad(struct pctx *c, const struct ynode *n,
						     const char *fmt, ...)
{
	char msg[320], label[120] = "";
	unsigned line = n ? n->line : c->e ? c->e->line : 0;
	unsigned col = n ? n->col : c->e ? c->e->col : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->e) {
		char l[110];

		snprintf(label, sizeof(label),
			 "entry %s: ", apconfig_entry_label(c->e, l, sizeof(l)));
	}
	snprintf(c->err, c->errsz, "%s:%u:%u: %s%s", c->file, line, col, label, msg);
	return -EINVAL;
}

static const char *kind_name(const struct ynode *n)
{
	return n->kind == YNODE_MAP ? "a mapping" : n->kind == YNODE_SEQ ? "a list" : "a string";
}

static int add_warning(struct pctx *c, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int add_warning(struct pctx *c, const struct ynode *n, const char *fmt, ...)
{
	struct apconfig *cfg = c->cfg;
	char msg[320], l[110], *w, **p;
	va_list ap;
	int len;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = snprintf(NULL, 0, "%s:%u:%u: entry %s: %s", c->file, n->line, n->col,
		       apconfig_entry_label(c->e, l, sizeof(l)), msg);
	w = malloc((size_t)len + 1);
	p = realloc(cfg->warnings, (cfg->n_warnings + 1) * sizeof(*p));
	if (!w || !p) {
		free(w);
		if (p)
			cfg->warnings = p;
		snprintf(c->err, c->errsz, "%s: out of memory", c->file);
		return -ENOMEM;
	}
	snprintf(w, (size_t)len + 1, "%s:%u:%u: entry %s: %s", c->file, n->line, n->col,
		 apconfig_entry_label(c->e, l, sizeof(l)), msg);
	cfg->warnings = p;
	cfg->warnings[cfg->n_warnings++] = w;
	return 0;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/*
 * The string value of key in the entry map, trimmed (and lower-cased if lower) into
 * out. A missing key, an empty value and YAML null (~, null) give "". Returns the value
 * node (NULL if absent) through *node; -EINVAL for a value that is not a string, or
 * -ENOMEM.
 */
static int get_value(struct pctx *c, const struct ynode *map, const char *key, bool lower,
		     char **out, const struct ynode **node)
{
	const struct ynode *n = ydoc_get(map, key);
	const char *s, *end;
	size_t len;

	*out = NULL;
	*node = n;
	if (n && n->kind != YNODE_SCALAR)
		return bad(c, n, "%s: expected a string, found %s", key, kind_name(n));
	s = n ? n->str : "";
	if (n && !n->quoted &&
	    (strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	     strcmp(s, "NULL") == 0))
		s = "";
	while (is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_space(end[-1]))
		end--;
	len = (size_t)(end - s);
	*out = malloc(len + 1);
	if (!*out) {
		snprintf(c->err, c->errsz, "%s: out of memory", c->file);
		return -ENOMEM;
	}
	memcpy(*out, s, len);
	(*out)[len] = 0;
	for (size_t i = 0; lower && i < len; i++)
		if ((*out)[i] >= 'A' && (*out)[i] <= 'Z')
			(*out)[i] = (char)((*out)[i] - 'A' + 'a');
	return 0;
}

static bool all_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[len] == 0;
}

/* The original spelling of a value for a message (trimmed of nothing, shortened). */
static const char *orig(const struct ynode *n, char *buf, size_t size)
{
	const char *v = n ? n->str : "";

	return text_escape(buf, size, v, strlen(v));
}

static int check_mingen(struct pctx *c, struct apconfig_entry *e, const struct ynode *mn,
			const char *mingen)
{
	char o[100];

	if (!mingen[0])
		return 0;
	if (strncmp(mingen, "cex", 3) == 0 && mingen[3] >= '4' && mingen[3] <= '8' && !mingen[4])
		e->mingen = (unsigned)(mingen[3] - '0');
	if (e->mode == AP_MODE_EP11 && e->mingen != 8) {
		e->mingen = 0;
		return bad(c, mn, "mingen '%s' is not valid: EP11 entries accept only CEX8",
			   orig(mn, o, sizeof(o)));
	}
	if (!e->mingen)
		return bad(c, mn,
			   "mingen '%s' is not valid: expected CEX4, CEX5, CEX6, CEX7 or CEX8",
			   orig(mn, o, sizeof(o)));
	return 0;
}

static int validate_ep11(struct pctx *c, struct apconfig_entry *e, const struct ynode *map,
			 const char *mkvp, const char *serial, const char *secretid)
{
	const struct ynode *kn = ydoc_get(map, "mkvp"), *sn = ydoc_get(map, "serialnr");
	const struct ynode *in = ydoc_get(map, "secretid");
	const char *hex = mkvp;
	char o[100], h1[65], h2[65], nm[100];
	uint8_t id[32];
	size_t len;

	if (!mkvp[0])
		return bad(c, kn,
			   "mkvp missing: an EP11 entry needs the verification pattern of the "
			   "domain's wrapping key (32 or 64 hex digits)");
	if (strncmp(hex, "0x", 2) == 0)
		hex += 2;
	len = strlen(hex);
	if (!((len == 64 || len == 32) && all_hex(hex, len)))
		return bad(c, kn,
			   "mkvp '%s' is not valid: expected 32 or 64 hex digits, optionally "
			   "with 0x",
			   orig(kn, o, sizeof(o)));
	memcpy(e->mkvp, hex, APCONFIG_MKVP_HEX); /* only the first 16 bytes are compared */
	e->mkvp[APCONFIG_MKVP_HEX] = 0;

	if (serial[0]) {
		bool ok = strlen(serial) == APCONFIG_SERIAL_LEN;

		for (size_t i = 0; ok && serial[i]; i++)
			ok = serial[i] > 0x20 && serial[i] < 0x7f;
		if (!ok)
			return bad(c, sn,
				   "serialnr '%s' is not valid: expected 16 characters without "
				   "blanks",
				   orig(sn, o, sizeof(o)));
		memcpy(e->serialnr, serial, APCONFIG_SERIAL_LEN + 1);
	}

	if (secretid[0]) {
		const char *s = strncmp(secretid, "0x", 2) == 0 ? secretid + 2 : secretid;

		if (!all_hex(s, 64) || hex_decode(s, e->secret_id, 32))
			return bad(c, in,
				   "secretid '%s' is not valid: expected 64 hex digits, optionally "
				   "with 0x",
				   orig(in, o, sizeof(o)));
		e->has_secret_id = true;
	}
	if (!e->name[0] && !e->has_secret_id)
		return bad(c, NULL,
			   "neither secretid nor name given: an EP11 entry needs the id (or the "
			   "name) of its association secret");
	if (e->name[0]) {
		sha256(e->name, strlen(e->name), id);
		if (e->has_secret_id && memcmp(id, e->secret_id, 32) != 0) {
			text_escape(nm, sizeof(nm), e->name, strlen(e->name));
			return bad(c, in,
				   "secretid 0x%s does not match the name: the association "
				   "secret named '%s' has the id SHA-256(name) = 0x%s",
				   hex_encode(e->secret_id, 32, h1), nm, hex_encode(id, 32, h2));
		}
		memcpy(e->secret_id, id, 32);
		e->has_secret_id = true;
	}
	return 0;
}

static int parse_entry(struct pctx *c, const struct ynode *map, struct apconfig_entry *e)
{
	const struct ynode *k, *mn, *gn, *n;
	char *mode = NULL, *mkvp = NULL, *serial = NULL, *mingen = NULL, *secretid = NULL;
	char o[100];
	int ret;

	c->e = e;
	if (map->kind != YNODE_MAP) {
		ret = bad(c, map, "expected a mapping with the keys " KEYS_TEXT ", found %s",
			  kind_name(map));
		goto out;
	}
	k = ydoc_unknown_key(map, entry_keys);
	if (k) {
		char key[100];

		text_escape(key, sizeof(key), k->str, strlen(k->str));
		ret = bad(c, k, "unknown key '%s' (expected " KEYS_TEXT ")", key);
		goto out;
	}
	ret = get_value(c, map, "name", false, &e->name, &n);
	if (!ret)
		ret = get_value(c, map, "description", false, &e->description, &n);
	if (!ret)
		ret = get_value(c, map, "mode", true, &mode, &mn);
	if (!ret)
		ret = get_value(c, map, "mkvp", true, &mkvp, &n);
	if (!ret)
		ret = get_value(c, map, "serialnr", false, &serial, &n);
	if (!ret)
		ret = get_value(c, map, "mingen", true, &mingen, &gn);
	if (!ret)
		ret = get_value(c, map, "secretid", true, &secretid, &n);
	if (ret)
		goto out;
	/* the description is kept as written (pvapconfig ignores it) */
	if ((n = ydoc_get(map, "description")) && n->kind == YNODE_SCALAR) {
		char *d = strdup(n->str);

		if (!d) {
			ret = -ENOMEM;
			snprintf(c->err, c->errsz, "%s: out of memory", c->file);
			goto out;
		}
		free(e->description);
		e->description = d;
	}

	if (strcmp(mode, "ep11") == 0) {
		e->mode = AP_MODE_EP11;
	} else if (strcmp(mode, "accel") == 0) {
		e->mode = AP_MODE_ACCEL;
	} else {
		if (!mode[0])
			ret = bad(c, mn, "mode missing: expected EP11 or Accel");
		else
			ret = bad(c, mn, "mode '%s' is not valid: expected EP11 or Accel",
				  orig(mn, o, sizeof(o)));
		goto out;
	}
	if (e->mode == AP_MODE_EP11) {
		ret = validate_ep11(c, e, map, mkvp, serial, secretid);
		if (!ret)
			ret = check_mingen(c, e, gn, mingen);
		goto out;
	}
	ret = check_mingen(c, e, gn, mingen);
	/* pvapconfig clears these for accelerators; say so instead of dropping them */
	for (const char *const *key = (const char *const[]){"mkvp", "serialnr", "secretid", NULL};
	     !ret && *key; key++) {
		n = ydoc_get(map, *key);
		if (n && n->str[0])
			ret = add_warning(c, n,
					  "%s is ignored: an accelerator entry matches every "
					  "accelerator queue",
					  *key);
	}
out:
	free(mode);
	free(mkvp);
	free(serial);
	free(mingen);
	free(secretid);
	c->e = NULL;
	return ret;
}

void apconfig_free(struct apconfig *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].name);
		free(cfg->entries[i].description);
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->entries);
	free(cfg->file);
	memset(cfg, 0, sizeof(*cfg));
}

int apconfig_from_node(const char *file, const struct ynode *node, struct apconfig *cfg, char *err,
		       size_t errsz)
{
	struct pctx c = {file, err, errsz, cfg, NULL};
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (errsz)
		err[0] = 0;
	cfg->file = strdup(file);
	if (!cfg->file) {
		snprintf(err, errsz, "%s: out of memory", file);
		return -ENOMEM;
	}
	if (!node)
		return 0;
	if (node->kind != YNODE_SEQ) {
		ret = bad(&c, node,
			  "expected a list of AP queue entries (the pvapconfig format: "
			  "'- mode: EP11 ...'), found %s",
			  kind_name(node));
		goto out;
	}
	cfg->entries = calloc(node->n ? node->n : 1, sizeof(*cfg->entries));
	if (!cfg->entries) {
		snprintf(err, errsz, "%s: out of memory", file);
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < node->n; i++) {
		struct apconfig_entry *e = &cfg->entries[i];

		cfg->n = i + 1;
		e->num = (unsigned)(i + 1);
		e->line = node->vals[i]->line;
		e->col = node->vals[i]->col;
		ret = parse_entry(&c, node->vals[i], e);
		if (ret)
			goto out;
	}
out:
	if (ret)
		apconfig_free(cfg);
	return ret;
}

int apconfig_parse(const char *file, const char *buf, size_t len, struct apconfig *cfg, char *err,
		   size_t errsz)
{
	struct yerror yerr;
	struct ydoc *doc;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (len > APCONFIG_MAX_INPUT) {
		snprintf(err, errsz, "%s: %zu bytes, larger than the limit of %d bytes", file, len,
			 APCONFIG_MAX_INPUT);
		return -EINVAL;
	}
	doc = ydoc_parse(buf, len, &yerr);
	if (!doc) {
		snprintf(err, errsz, "%s:%u:%u: not valid YAML: %s", file, yerr.line, yerr.col,
			 yerr.msg);
		return -EINVAL;
	}
	ret = apconfig_from_node(file, ydoc_root(doc), cfg, err, errsz);
	ydoc_free(doc);
	return ret;
}
