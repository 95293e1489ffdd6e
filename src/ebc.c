// SPDX-License-Identifier: MIT
/*
 * Early-boot secret sets: policy references, toc.pol, chain verification, plain mode,
 * the skip-present rule. Pure: no I/O (see ebc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asr.h"
#include "ebc.h"
#include "secret_list.h"
#include "util.h"

#define TAG_HEX (2 * ASR_GCM_TAG_LEN + 1)

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool ebc_request_name(const char *name)
{
	return strlen(name) > 4 && ends_with(name, ".asr");
}

/* ------------------------------------------------------------------ policy reference */

/* The name without its leading "./" parts. */
static const char *strip_dot_slash(const char *name, size_t *len)
{
	while (*len >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		*len -= 2;
	}
	return name;
}

int ebc_policy_name_check(const char *name, size_t len, char *why, size_t why_size)
{
	char esc[3 * 48 + 8];
	const char *file;
	size_t flen = len;

	if (len == 0)
		return fail_why(why, why_size, "empty policy name");
	text_escape(esc, sizeof(esc), name, len);
	if (memchr(name, 0, len))
		return fail_why(why, why_size, "policy name '%s' has a NUL byte inside", esc);
	if (name[0] == '/')
		return fail_why(why, why_size, "policy name '%s' is an absolute path", esc);
	if (memmem(name, len, "..", 2))
		return fail_why(why, why_size, "policy name '%s' contains '..'", esc);
	if (!text_printable(name, len))
		return fail_why(why, why_size, "policy name '%s' has non-printable bytes", esc);
	file = strip_dot_slash(name, &flen);
	if (flen == 0)
		return fail_why(why, why_size, "policy name '%s' names no file", esc);
	if (memchr(file, '/', flen))
		return fail_why(why, why_size,
				"policy name '%s' names a file in another directory ('/' inside)",
				esc);
	return 0;
}

int ebc_policy_ref_parse_area(const uint8_t *ud, size_t ud_len, struct ebc_policy_ref *ref,
			      char *why, size_t why_size)
{
	const char *area = (const char *)ud + 32;
	size_t cap = ud_len - 32, len = strnlen(area, cap), flen;
	const char *file;
	char esc[3 * 48 + 8];
	int ret;

	memset(ref, 0, sizeof(*ref));
	if (all_zero(ud, 32))
		return -ENOENT;
	if (!all_zero(area + len, cap - len)) {
		/* pvebc reads the name up to the last non-NUL byte: a NUL inside it */
		size_t end = cap;

		while (end > len && area[end - 1] == 0)
			end--;
		return fail_why(why, why_size, "policy name '%s' has a NUL byte inside",
				text_escape(esc, sizeof(esc), area, end));
	}
	ret = ebc_policy_name_check(area, len, why, why_size);
	if (ret)
		return ret;
	memcpy(ref->hash, ud, 32);
	memcpy(ref->name, area, len);
	ref->name[len] = 0;
	flen = len;
	file = strip_dot_slash(ref->name, &flen);
	memcpy(ref->file, file, flen);
	ref->file[flen] = 0;
	return 0;
}

int ebc_policy_ref_parse(const uint8_t ud[ASR_USERDATA_LEN], struct ebc_policy_ref *ref, char *why,
			 size_t why_size)
{
	return ebc_policy_ref_parse_area(ud, ASR_USERDATA_LEN, ref, why, why_size);
}

int ebc_policy_ref_build_area(const uint8_t *policy, size_t len, const char *name, size_t area_len,
			      uint8_t out[ASR_USERDATA_LEN], char *why, size_t why_size)
{
	size_t n = strlen(name);
	int ret;

	memset(out, 0, ASR_USERDATA_LEN);
	if (n > area_len - 32)
		return fail_why(why, why_size, "policy name of %zu bytes, at most %zu fit", n,
				area_len - 32);
	ret = ebc_policy_name_check(name, n, why, why_size);
	if (ret)
		return ret;
	sha256(policy, len, out);
	memcpy(out + 32, name, n);
	return 0;
}

int ebc_policy_ref_build(const uint8_t *policy, size_t len, const char *name,
			 uint8_t out[ASR_USERDATA_LEN], char *why, size_t why_size)
{
	return ebc_policy_ref_build_area(policy, len, name, ASR_USERDATA_LEN, out, why, why_size);
}

/* The policy reference in a request's user data: unsigned, or the signed data area. */
static int req_policy_ref(const struct asr_info *info, struct ebc_policy_ref *ref, char *why,
			  size_t why_size)
{
	struct asr_sig sig;

	memset(ref, 0, sizeof(*ref));
	if (info->udtype == ASR_UD_NONE)
		return -ENOENT;
	if (asr_sig_layout(info->udtype, info->userdata, &sig, why, why_size) != ASR_OK)
		return -EINVAL; /* asr_parse() already refused it */
	return ebc_policy_ref_parse_area(info->userdata, sig.data_len, ref, why, why_size);
}

/* ------------------------------------------------------------------ toc.pol */

static bool all_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

int ebc_tocpol_parse(const uint8_t *buf, size_t len, const char *fname,
		     struct ebc_toc_entry **entries, size_t *n, char *why, size_t why_size)
{
	struct ebc_toc_entry *e = NULL;
	size_t pos = 0, count = 0;
	unsigned line = 1;
	char hex[2 * ASR_GCM_TAG_LEN + 1], esc[3 * 40 + 8];
	int ret = 0;

	*entries = NULL;
	*n = 0;
	if (len > EBC_POLICY_MAX) {
		fail_why(why, why_size, "%s: %zu bytes, more than a policy may have (%u)", fname,
			 len, EBC_POLICY_MAX);
		return -EFBIG;
	}
	if (!len)
		return 0;
	/* every line but the last needs 33 bytes */
	e = calloc(len / (2 * ASR_GCM_TAG_LEN + 1) + 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	while (pos < len) {
		const uint8_t *p = buf + pos, *nl = memchr(p, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - p) : len - pos;

		if (l == 0) {
			ret = fail_why(why, why_size, "%s:%u: empty line", fname, line);
			goto out;
		}
		if (memchr(p, '\r', l)) {
			ret = fail_why(
			    why, why_size,
			    "%s:%u: carriage return (a CRLF line end?); lines end with '\\n' "
			    "only",
			    fname, line);
			goto out;
		}
		if (l != 2 * ASR_GCM_TAG_LEN || !all_hex(p, l)) {
			ret = fail_why(why, why_size, "%s:%u: expected 32 hex digits, found '%s'",
				       fname, line,
				       text_escape(esc, sizeof(esc), p, l < 64 ? l : 64));
			goto out;
		}
		memcpy(hex, p, l);
		hex[l] = 0;
		hex_decode(hex, e[count].tag, ASR_GCM_TAG_LEN);
		e[count].line = line;
		for (size_t j = 0; j < count; j++) {
			if (memcmp(e[j].tag, e[count].tag, ASR_GCM_TAG_LEN) == 0) {
				ret = fail_why(
				    why, why_size,
				    "%s:%u: tag %s is listed twice (also on line %u)", fname, line,
				    hex_encode(e[count].tag, ASR_GCM_TAG_LEN, hex), e[j].line);
				goto out;
			}
		}
		count++;
		line++;
		pos += l + (nl ? 1 : 0);
	}
out:
	if (ret) {
		free(e);
		return ret;
	}
	*entries = e;
	*n = count;
	return 0;
}

/* ------------------------------------------------------------------ candidates */

enum role { R_NONE, R_TOC, R_POLICY, R_LISTED, R_NESTED, R_COPY };

struct cand {
	const struct safe_file *f;
	bool asr_name; /* *.asr */
	bool parsed;   /* asr_parse accepted it */
	enum asr_err err;
	char perr[160]; /* asr_parse's words */
	struct asr_info info;
	enum role role;
	const struct safe_file *copy_of;
};

static struct cand *cands_make(const struct safe_dir *set)
{
	struct cand *c = calloc(set->nfiles ? set->nfiles : 1, sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < set->nfiles; i++) {
		c[i].f = &set->files[i];
		c[i].asr_name = ebc_request_name(set->files[i].name);
		if (!set->files[i].len) {
			c[i].err = ASR_E_MAGIC;
			snprintf(c[i].perr, sizeof(c[i].perr), "empty file");
			continue;
		}
		c[i].err = asr_parse(set->files[i].data, set->files[i].len, &c[i].info, c[i].perr,
				     sizeof(c[i].perr));
		c[i].parsed = c[i].err == ASR_OK;
	}
	return c;
}

static struct cand *cand_of(struct cand *c, const struct safe_dir *set, const struct safe_file *f)
{
	return &c[f - set->files];
}

static bool same_bytes(const struct safe_file *a, const struct safe_file *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* " (not read: a.asr: a symbolic link (not followed); ...)" for a tag not found */
static void skipped_hint(const struct safe_dir *set, char *out, size_t size)
{
	size_t shown = 0, more = 0, o;

	out[0] = 0;
	for (size_t i = 0; i < set->nskipped; i++) {
		if (!ebc_request_name(set->skipped[i].name))
			continue;
		if (shown == 3) {
			more++;
			continue;
		}
		o = strlen(out);
		snprintf(out + o, size - o, "%s%s: %s",
			 shown ? "; " : " (not read: ", set->skipped[i].name, set->skipped[i].why);
		shown++;
	}
	if (!shown)
		return;
	o = strlen(out);
	if (more)
		snprintf(out + o, size - o, "; and %zu more)", more);
	else
		snprintf(out + o, size - o, ")");
}

/* Find ref's file in set and check its hash. who: "toc.asr", "a.asr" for messages. */
static int policy_verify(const struct safe_dir *set, const char *who,
			 const struct ebc_policy_ref *ref, size_t cap, const struct safe_file **out,
			 char *why, size_t why_size)
{
	const struct safe_file *f = safe_dir_file(set, ref->file);
	char h1[65], h2[65];
	uint8_t hash[32];

	*out = NULL;
	if (!f) {
		const struct safe_skip *s = safe_dir_skip(set, ref->file);

		if (s)
			return fail_why(why, why_size, "%s: policy %s: %s; not read", who,
					ref->name, s->why);
		return fail_why(why, why_size, "%s: policy %s: no such file in the directory", who,
				ref->name);
	}
	if (f->len > cap)
		return fail_why(why, why_size,
				"%s: policy %s: %zu bytes, larger than the limit of %zu", who,
				ref->name, f->len, cap);
	sha256(f->data, f->len, hash);
	if (memcmp(hash, ref->hash, sizeof(hash)) != 0)
		return fail_why(
		    why, why_size, "%s: policy %s: its SHA-256 %s does not match the reference %s",
		    who, ref->name, hex_encode(hash, 32, h1), hex_encode(ref->hash, 32, h2));
	*out = f;
	return 0;
}

static void req_from(struct ebc_req *r, const struct cand *c)
{
	memset(r, 0, sizeof(*r));
	r->name = c->f->name;
	r->data = c->f->data;
	r->len = c->f->len;
	r->info = c->info;
	r->tag = c->f->data + c->f->len - ASR_GCM_TAG_LEN;
}

static int make_ignored(struct ebc_plan *plan, struct cand *c, size_t n, const char *unused)
{
	plan->ignored = calloc(n ? n : 1, sizeof(*plan->ignored));
	if (!plan->ignored)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct ebc_ignored *g = &plan->ignored[plan->nignored];

		if (c[i].role != R_NONE && c[i].role != R_COPY)
			continue;
		g->name = c[i].f->name;
		if (c[i].role == R_COPY)
			snprintf(g->why, sizeof(g->why), "an identical copy of %s",
				 c[i].copy_of->name);
		else if (!c[i].asr_name)
			snprintf(g->why, sizeof(g->why), "%s",
				 strcmp(g->name, ".asr") == 0
				     ? "not a request file (*.asr; \".asr\" alone has no name, as "
				       "for pvebc)"
				     : "not a request file (*.asr)");
		else if (!c[i].parsed)
			snprintf(g->why, sizeof(g->why), "not a valid add-secret request (%s)",
				 asr_strerror(c[i].err));
		else
			snprintf(g->why, sizeof(g->why), "%s", unused);
		plan->nignored++;
	}
	return 0;
}

void ebc_plan_free(struct ebc_plan *plan)
{
	free(plan->reqs);
	free(plan->ignored);
	memset(plan, 0, sizeof(*plan));
}

/* ------------------------------------------------------------------ TOC mode */

static int verify_toc_asr(const struct safe_dir *set, struct cand *c, const char *toc_name,
			  const struct usersig_key *key, struct ebc_req *r, char *why,
			  size_t why_size)
{
	const struct safe_file *f = safe_dir_file(set, toc_name);
	struct cand *tc;
	char tb[24], rwhy[400];
	int ret;

	if (!f) {
		const struct safe_skip *s = safe_dir_skip(set, toc_name);

		if (s)
			return fail_why(why, why_size, "%s: %s; the table of contents is not read",
					toc_name, s->why);
		return fail_why(why, why_size,
				"%s: no such file in the directory (the table of contents)",
				toc_name);
	}
	tc = cand_of(c, set, f);
	if (!tc->parsed)
		return fail_why(why, why_size, "%s: %s: %s", toc_name, asr_strerror(tc->err),
				tc->perr);
	if (tc->info.secret_type != SECRET_NULL)
		return fail_why(why, why_size,
				"%s: a %s request; the table of contents must be a meta request",
				toc_name,
				tc->info.secret_type == SECRET_UPDATE_CCK
				    ? "update-CCK"
				    : secret_type_name(tc->info.secret_type, tb));
	if (key) {
		if (usersig_verify(f->data, &tc->info, key, NULL, rwhy, sizeof(rwhy)) != USERSIG_OK)
			return fail_why(why, why_size,
					"%s: %s; a set is taken only from the image owner",
					toc_name, rwhy);
	} else if (tc->info.udtype == ASR_UD_NONE) {
		return fail_why(
		    why, why_size,
		    "%s: user data %s; the table of contents needs a policy reference as "
		    "its user data",
		    toc_name, asr_udtype_name(tc->info.udtype));
	}
	tc->role = R_TOC;
	req_from(r, tc);
	r->owner_signed = key != NULL;
	ret = req_policy_ref(&tc->info, &r->ref, rwhy, sizeof(rwhy));
	if (ret == -ENOENT)
		return fail_why(why, why_size,
				"%s: no policy reference in its user data (the hash field is zero)",
				toc_name);
	if (ret)
		return fail_why(why, why_size, "%s: invalid policy reference: %s", toc_name, rwhy);
	r->has_ref = true;
	return 0;
}

/* The request with this tag: exactly one file, or identical copies of one. */
static int match_tag(const struct safe_dir *set, struct cand *c, const char *pol,
		     const struct ebc_toc_entry *t, struct cand **out, char *why, size_t why_size)
{
	struct cand *m = NULL;
	char hex[TAG_HEX], hint[400];

	*out = NULL;
	hex_encode(t->tag, ASR_GCM_TAG_LEN, hex);
	for (size_t i = 0; i < set->nfiles; i++) {
		const struct safe_file *f = c[i].f;

		if (!c[i].asr_name || f->len < ASR_GCM_TAG_LEN || c[i].role == R_TOC ||
		    memcmp(f->data + f->len - ASR_GCM_TAG_LEN, t->tag, ASR_GCM_TAG_LEN) != 0)
			continue;
		if (!m) {
			m = &c[i];
			continue;
		}
		if (!same_bytes(m->f, f))
			return fail_why(why, why_size,
					"%s:%u: tag %s matches two different files, %s and %s", pol,
					t->line, hex, m->f->name, f->name);
		c[i].role = R_COPY;
		c[i].copy_of = m->f;
	}
	if (!m) {
		skipped_hint(set, hint, sizeof(hint));
		return fail_why(why, why_size, "%s:%u: no request with tag %s in the directory%s",
				pol, t->line, hex, hint);
	}
	if (!m->parsed)
		return fail_why(why, why_size, "%s:%u: %s has tag %s but is invalid: %s: %s", pol,
				t->line, m->f->name, hex, asr_strerror(m->err), m->perr);
	*out = m;
	return 0;
}

/* A listed request's own policy reference, checked as pvebc does (hash only). */
static int verify_nested(const struct safe_dir *set, struct cand *c, const char *pol,
			 struct ebc_req *r, char *why, size_t why_size)
{
	const struct safe_file *nf;
	char rwhy[400];
	int ret = req_policy_ref(&r->info, &r->ref, rwhy, sizeof(rwhy));

	if (ret == -ENOENT)
		return 0;
	if (ret)
		return fail_why(
		    why, why_size,
		    "%s (%s:%u): user data with a non-zero hash field is not a valid policy "
		    "reference: %s",
		    r->name, pol, r->toc_line, rwhy);
	if (strcmp(r->ref.file, r->name) == 0)
		return fail_why(
		    why, why_size,
		    "%s (%s:%u): its policy reference names the request itself (a reference "
		    "loop)",
		    r->name, pol, r->toc_line);
	ret = policy_verify(set, r->name, &r->ref, SAFEIO_ASR_CAP, &nf, why, why_size);
	if (ret)
		return ret;
	if (cand_of(c, set, nf)->role == R_NONE || cand_of(c, set, nf)->role == R_COPY)
		cand_of(c, set, nf)->role = R_NESTED;
	r->has_ref = true;
	return 0;
}

int ebc_plan_toc(const struct safe_dir *set, const char *toc_name, const struct usersig_key *key,
		 struct ebc_plan *plan, char *why, size_t why_size)
{
	struct ebc_toc_entry *lines = NULL;
	const struct safe_file *pf;
	struct cand *c = NULL;
	struct ebc_req toc;
	size_t nlines = 0;
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->mode = EBC_MODE_TOC;
	c = cands_make(set);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	/* toc.asr → its policy reference → the policy file and its hash */
	ret = verify_toc_asr(set, c, toc_name, key, &toc, why, why_size);
	if (ret)
		goto out;
	ret = policy_verify(set, toc_name, &toc.ref, EBC_POLICY_MAX, &pf, why, why_size);
	if (ret)
		goto out;
	cand_of(c, set, pf)->role = R_POLICY;
	/* the policy's lines → exactly one request each */
	ret = ebc_tocpol_parse(pf->data, pf->len, pf->name, &lines, &nlines, why, why_size);
	if (ret)
		goto out;
	plan->reqs = calloc(nlines + 1, sizeof(*plan->reqs));
	if (!plan->reqs) {
		ret = -ENOMEM;
		goto out;
	}
	plan->policy = pf->name;
	plan->policy_lines = nlines;
	plan->reqs[0] = toc;
	plan->n = 1;
	for (size_t i = 0; i < nlines; i++) {
		struct cand *m;
		char hex[TAG_HEX];

		if (memcmp(lines[i].tag, plan->reqs[0].tag, ASR_GCM_TAG_LEN) == 0) {
			ret = fail_why(why, why_size, "%s:%u: tag %s is the tag of %s itself",
				       pf->name, lines[i].line,
				       hex_encode(lines[i].tag, ASR_GCM_TAG_LEN, hex), toc_name);
			goto out;
		}
		ret = match_tag(set, c, pf->name, &lines[i], &m, why, why_size);
		if (ret)
			goto out;
		/* a tag is no commitment (its maker chooses the key): with the owner's key,
		 * every listed request must carry the owner's signature too */
		if (key) {
			char swhy[400];

			if (usersig_verify(m->f->data, &m->info, key, NULL, swhy, sizeof(swhy)) !=
			    USERSIG_OK) {
				ret = fail_why(why, why_size,
					       "%s (%s:%u): %s; with the owner's key every listed "
					       "request must be signed by the image owner (a tag "
					       "alone can be forced by whoever makes a request)",
					       m->f->name, pf->name, lines[i].line, swhy);
				goto out;
			}
		}
		m->role = R_LISTED;
		req_from(&plan->reqs[plan->n], m);
		plan->reqs[plan->n].toc_line = lines[i].line;
		plan->reqs[plan->n].owner_signed = key != NULL;
		plan->n++;
	}
	/* each listed request's own reference (bounded: one hash per request, no recursion) */
	for (size_t i = 1; i < plan->n; i++) {
		ret = verify_nested(set, c, pf->name, &plan->reqs[i], why, why_size);
		if (ret)
			goto out;
	}
	ret = make_ignored(plan, c, set->nfiles, "not listed in the policy");
out:
	if (ret)
		ebc_plan_free(plan);
	free(lines);
	free(c);
	return ret;
}

/* ------------------------------------------------------------------ plain mode */

int ebc_plan_plain(const struct safe_dir *set, const struct ebc_expect *exp, size_t nexp,
		   const struct usersig_key *key, struct ebc_plan *plan, char *why, size_t why_size)
{
	struct cand *c = NULL;
	char tb[24], tb2[24];
	int ret = 0;

	memset(plan, 0, sizeof(*plan));
	plan->mode = EBC_MODE_PLAIN;
	c = cands_make(set);
	plan->reqs = calloc(nexp ? nexp : 1, sizeof(*plan->reqs));
	if (!c || !plan->reqs) {
		ret = -ENOMEM;
		goto out;
	}
	/* the caller's list first: listable types, each (type, id) once */
	for (size_t i = 0; i < nexp; i++) {
		const struct ebc_expect *x = &exp[i];
		const char *tname = secret_type_name(x->type, tb);
		struct sbuf label;

		sbuf_init(&label);
		if (x->label)
			sbuf_puts(&label, x->label);
		else
			secret_id_display(&label, x->id);
		if (!secret_type_listable(x->type)) {
			ret = fail_why(why, why_size,
				       "expected secret %s: type %s is not a listable "
				       "secret type",
				       label.s ? label.s : "", tname);
			sbuf_free(&label);
			goto out;
		}
		for (size_t j = 0; j < i; j++) {
			if (exp[j].type == x->type &&
			    memcmp(exp[j].id, x->id, ASR_SECRET_ID_LEN) == 0) {
				ret = fail_why(why, why_size,
					       "expected secret %s (%s) is expected twice",
					       label.s ? label.s : "", tname);
				sbuf_free(&label);
				goto out;
			}
		}
		sbuf_free(&label);
	}
	for (size_t i = 0; i < nexp; i++) {
		const struct ebc_expect *x = &exp[i];
		const char *tname = secret_type_name(x->type, tb);
		struct sbuf label;
		struct cand *m = NULL, *other = NULL;

		sbuf_init(&label);
		if (x->label)
			sbuf_puts(&label, x->label);
		else
			secret_id_display(&label, x->id);
		for (size_t k = 0; k < set->nfiles && !ret; k++) {
			if (!c[k].asr_name || !c[k].parsed ||
			    !secret_type_listable(c[k].info.secret_type) ||
			    memcmp(c[k].info.secret_id, x->id, ASR_SECRET_ID_LEN) != 0)
				continue;
			if (c[k].info.secret_type != x->type) {
				other = other ? other : &c[k];
				continue;
			}
			if (!m) {
				m = &c[k];
			} else if (same_bytes(m->f, c[k].f)) {
				c[k].role = R_COPY;
				c[k].copy_of = m->f;
			} else {
				ret = fail_why(
				    why, why_size,
				    "expected secret %s (%s) is in two different requests, %s "
				    "and %s",
				    label.s ? label.s : "", tname, m->f->name, c[k].f->name);
			}
		}
		if (!ret && !m) {
			if (other)
				ret = fail_why(
				    why, why_size,
				    "expected secret %s (%s): no such request (%s has that id "
				    "but is a %s)",
				    label.s ? label.s : "", tname, other->f->name,
				    secret_type_name(other->info.secret_type, tb2));
			else
				ret =
				    fail_why(why, why_size,
					     "expected secret %s (%s): no request in the directory",
					     label.s ? label.s : "", tname);
		}
		if (!ret && key) {
			char swhy[400];

			if (usersig_verify(m->f->data, &m->info, key, NULL, swhy, sizeof(swhy)) !=
			    USERSIG_OK)
				ret = fail_why(
				    why, why_size,
				    "expected secret %s (%s): %s: %s; a secret is taken only "
				    "from the image owner",
				    label.s ? label.s : "", tname, m->f->name, swhy);
		}
		sbuf_free(&label);
		if (ret)
			goto out;
		m->role = R_LISTED;
		req_from(&plan->reqs[plan->n], m);
		plan->reqs[plan->n].owner_signed = key != NULL;
		plan->reqs[plan->n].expect = x->label;
		plan->n++;
	}
	ret = make_ignored(plan, c, set->nfiles, "not an expected secret");
out:
	if (ret)
		ebc_plan_free(plan);
	free(c);
	return ret;
}

/* ------------------------------------------------------------------ describing */

void ebc_req_describe(struct sbuf *out, const struct ebc_req *req)
{
	char tb[24];

	if (req->info.secret_type == SECRET_NULL) {
		sbuf_puts(out, "meta request");
		if (req->info.flags & ASR_FLAG_DISABLE_DUMP)
			sbuf_puts(out, ", disable dump");
		return;
	}
	if (req->info.secret_type == SECRET_UPDATE_CCK) {
		sbuf_puts(out, "update-CCK request");
		return;
	}
	sbuf_printf(out, "%s ", secret_type_name(req->info.secret_type, tb));
	secret_id_display(out, req->info.secret_id);
}

static void describe_line(struct sbuf *out, const char *indent, const struct ebc_req *r)
{
	char hex[TAG_HEX], h[65];

	sbuf_printf(out, "%s: ", r->name);
	ebc_req_describe(out, r);
	sbuf_printf(out, ", tag %s\n", hex_encode(r->tag, ASR_GCM_TAG_LEN, hex));
	if (r->owner_signed)
		sbuf_printf(out,
			    "%s  -> user data signed with the user-signing key (%s, verified)\n",
			    indent, usersig_type_name(r->info.udtype));
	if (r->has_ref)
		sbuf_printf(out, "%s  -> policy %s, SHA-256 %s (matches)\n", indent, r->ref.name,
			    hex_encode(r->ref.hash, 32, h));
}

void ebc_plan_describe(struct sbuf *out, const struct ebc_plan *plan)
{
	if (plan->mode == EBC_MODE_TOC) {
		describe_line(out, "", &plan->reqs[0]);
		sbuf_printf(out, "%s: %zu request%s listed\n", plan->policy, plan->policy_lines,
			    plan->policy_lines == 1 ? "" : "s");
		for (size_t i = 1; i < plan->n; i++) {
			sbuf_printf(out, "  %u ", plan->reqs[i].toc_line);
			describe_line(out, "    ", &plan->reqs[i]);
		}
	} else {
		char tb[24];

		sbuf_printf(out, "plain mode: %zu expected secret%s\n", plan->n,
			    plan->n == 1 ? "" : "s");
		for (size_t i = 0; i < plan->n; i++) {
			sbuf_printf(out, "  %s (%s) -> ",
				    plan->reqs[i].expect ? plan->reqs[i].expect : "?",
				    secret_type_name(plan->reqs[i].info.secret_type, tb));
			describe_line(out, "    ", &plan->reqs[i]);
		}
	}
	sbuf_printf(out, "order of submission:");
	for (size_t i = 0; i < plan->n; i++)
		sbuf_printf(out, "%s %s", i ? "," : "", plan->reqs[i].name);
	sbuf_puts(out, plan->n ? "\n" : " nothing\n");
}

/* ------------------------------------------------------------------ types */

int ebc_type_parse(const char *s, uint16_t *type)
{
	static const struct {
		const char *name;
		uint16_t type;
	} kinds[] = {
	    {"association", SECRET_ASSOCIATION},
	    {"plain", SECRET_PLAINTEXT},
	    {"plaintext", SECRET_PLAINTEXT},
	    {"aes-128", SECRET_AES_128},
	    {"aes-192", SECRET_AES_192},
	    {"aes-256", SECRET_AES_256},
	    {"aes-xts-128", SECRET_AES_XTS_128},
	    {"aes-xts-256", SECRET_AES_XTS_256},
	    {"hmac-sha-256", SECRET_HMAC_SHA_256},
	    {"hmac-sha-512", SECRET_HMAC_SHA_512},
	    {"ec-p256", SECRET_EC_P256},
	    {"ec-p384", SECRET_EC_P384},
	    {"ec-p521", SECRET_EC_P521},
	    {"ed25519", SECRET_EC_ED25519},
	    {"ed448", SECRET_EC_ED448},
	};
	char tb[24];
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strcasecmp(s, kinds[i].name) == 0) {
			*type = kinds[i].type;
			return 0;
		}
	}
	for (uint16_t t = SECRET_ASSOCIATION; t <= SECRET_EC_ED448; t++) {
		if (secret_type_listable(t) && strcasecmp(s, secret_type_name(t, tb)) == 0) {
			*type = t;
			return 0;
		}
	}
	if (parse_u64(s, UINT16_MAX, &v) == 0 && secret_type_listable((uint16_t)v)) {
		*type = (uint16_t)v;
		return 0;
	}
	return -EINVAL;
}

/* ------------------------------------------------------------------ reports */

int ebc_report_init(struct ebc_report *rep, const struct ebc_plan *plan)
{
	memset(rep, 0, sizeof(*rep));
	rep->e = calloc(plan->n ? plan->n : 1, sizeof(*rep->e));
	if (!rep->e)
		return -ENOMEM;
	rep->n = plan->n;
	rep->failed = plan->n;
	for (size_t i = 0; i < plan->n; i++)
		rep->e[i].req = &plan->reqs[i];
	return 0;
}

void ebc_report_free(struct ebc_report *rep)
{
	free(rep->e);
	memset(rep, 0, sizeof(*rep));
}

static bool listed(const struct secret_list *l, uint16_t type, const uint8_t *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->entries[i].type == type &&
		    memcmp(l->entries[i].id, id, ASR_SECRET_ID_LEN) == 0)
			return true;
	return false;
}

void ebc_mark_present(struct ebc_report *rep, const struct secret_list *present)
{
	size_t listable = 0, found = 0;

	for (size_t i = 0; i < rep->n; i++) {
		const struct ebc_req *r = rep->e[i].req;

		if (!secret_type_listable(r->info.secret_type))
			continue;
		listable++;
		if (listed(present, r->info.secret_type, r->info.secret_id)) {
			rep->e[i].outcome = EBC_PRESENT;
			found++;
		}
	}
	rep->present = found;
	if (!listable || found != listable)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		if (!secret_type_listable(rep->e[i].req->info.secret_type)) {
			rep->e[i].outcome = EBC_SKIPPED;
			rep->skipped++;
		}
	}
}

const char *ebc_outcome_name(enum ebc_outcome o)
{
	switch (o) {
	case EBC_NOT_ATTEMPTED:
		return "not attempted";
	case EBC_ADDED:
		return "added";
	case EBC_PRESENT:
		return "already present";
	case EBC_SKIPPED:
		return "skipped";
	case EBC_FAILED:
		return "failed";
	}
	return "?";
}
