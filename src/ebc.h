/* SPDX-License-Identifier: MIT */
/*
 * Early-boot secret sets (spec/uv.md §5, the pvebc format): verify a set of add-secret
 * requests read from an untrusted directory and turn it into an ordered plan, before
 * anything is submitted.
 *
 *   toc.asr   a meta request whose unsigned user data is a policy reference:
 *             SHA-256 of the policy file ‖ its relative name, NUL padded to 480 bytes
 *             (pvsecret's help and pvebc(1) say SHA-512; both programs use SHA-256,
 *             and so does pvboot)
 *   toc.pol   one 32-hex-digit GCM tag (the last 16 bytes of a request) per line
 *
 * Everything in this file's first part is pure (src/ebc.c): buffers and structs in,
 * a plan or one precise message out; no I/O. Applying a plan talks to the ultravisor
 * and lives in src/ebc_apply.c.
 *
 * The boot flow:
 *
 *   struct safe_dir set;                   // safeio.h: the directory, read once
 *   safe_load_dir(dirfd, NULL, &set, why, sizeof(why));
 *   ebc_plan_toc(&set, "toc.asr", &plan, why, sizeof(why));   // or ebc_plan_plain()
 *   uv_list_store(dev, &list, &partial, &res);              // for skip present
 *   ebc_apply(dev, &plan, &(struct ebc_apply_opts){.present = &list}, &rep);
 *   ebc_report_log(&rep);
 *   ebc_report_free(&rep); ebc_plan_free(&plan); safe_dir_free(&set);
 *
 * A plan points into the safe_dir it was made from: free the plan first.
 */
#ifndef PVBOOT_EBC_H
#define PVBOOT_EBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asr.h"
#include "safeio.h"
#include "usersig.h"
#include "uv.h"
#include "util.h"

struct secret_list;

#define EBC_POLICY_NAME_LEN 480		      /* name part of a policy reference */
#define EBC_POLICY_MAX	    SAFEIO_POLICY_CAP /* a toc.pol is at most 64 KiB */
#define EBC_TOC_NAME	    "toc.asr"
#define EBC_WHY_LEN	    768 /* enough for every message of this module */

/*
 * A request file's name: NAME.asr with a non-empty NAME. pvebc looks for files whose
 * extension is "asr", and a file named just ".asr" has none, so pvboot skips it too.
 */
bool ebc_request_name(const char *name);

/* ------------------------------------------------------------------ policy reference */

struct ebc_policy_ref {
	uint8_t hash[32];		    /* SHA-256 of the policy file */
	char name[EBC_POLICY_NAME_LEN + 1]; /* as stored, NUL-terminated */
	char file[EBC_POLICY_NAME_LEN + 1]; /* name without leading "./": the file in the
					       directory */
};

/*
 * Check a policy name (len bytes, no NUL terminator needed): non-empty, no NUL, not
 * absolute, no "..", printable (ASCII or UTF-8 without control characters), and after
 * any leading "./" a plain file name (no '/'). 0 or -EINVAL with why.
 */
int ebc_policy_name_check(const char *name, size_t len, char *why, size_t why_size);

/*
 * Read the 512 bytes of user data as a policy reference. 0: a valid reference;
 * -ENOENT: no reference (the hash field is all zero, as pvebc decides); -EINVAL: the
 * hash is set but the name breaks the rules of ebc_policy_name_check() or has bytes
 * after its terminating NUL (why says which).
 */
int ebc_policy_ref_parse(const uint8_t ud[ASR_USERDATA_LEN], struct ebc_policy_ref *ref, char *why,
			 size_t why_size);
/*
 * The same for a data area of len bytes (33..512): signed user data holds the reference
 * in its data area (256 bytes, 128 for RSA-3072), so the name has len - 32 bytes.
 */
int ebc_policy_ref_parse_area(const uint8_t *area, size_t len, struct ebc_policy_ref *ref,
			      char *why, size_t why_size);

/*
 * The 512 bytes of unsigned user data that reference policy (len bytes) by name, as
 * `pvsecret create --policy` writes them. 0, or -EINVAL if name breaks the rules or is
 * longer than 480 bytes.
 */
int ebc_policy_ref_build(const uint8_t *policy, size_t len, const char *name,
			 uint8_t out[ASR_USERDATA_LEN], char *why, size_t why_size);
/* The same for a data area of area_len bytes (128, 256 or 512; the rest of out is 0). */
int ebc_policy_ref_build_area(const uint8_t *policy, size_t len, const char *name, size_t area_len,
			      uint8_t out[ASR_USERDATA_LEN], char *why, size_t why_size);

/* ------------------------------------------------------------------ toc.pol */

struct ebc_toc_entry {
	unsigned line; /* 1-based */
	uint8_t tag[ASR_GCM_TAG_LEN];
};

/*
 * Parse a toc.pol of len bytes (at most EBC_POLICY_MAX): lines of exactly 32 hex
 * digits (either case), each ended by '\n' (the last one may lack it). An empty
 * file lists nothing. Refused, with "<fname>:<line>: ...": an empty line, a CR, a NUL,
 * anything but 32 hex digits, a tag listed twice. Returns 0 and a malloc'ed array
 * (NULL if empty), or -EINVAL / -EFBIG / -ENOMEM with why.
 */
int ebc_tocpol_parse(const uint8_t *buf, size_t len, const char *fname,
		     struct ebc_toc_entry **entries, size_t *n, char *why, size_t why_size);

/* ------------------------------------------------------------------ the plan */

struct ebc_req {
	const char *name;    /* file name in the set */
	const uint8_t *data; /* the in-memory copy that is submitted */
	size_t len;
	struct asr_info info; /* parsed (asr_parse) */
	const uint8_t *tag;   /* the last 16 bytes */
	unsigned toc_line;    /* the toc.pol line that lists it; 0: toc.asr, plain mode */
	bool has_ref;	      /* carries a policy reference, verified */
	struct ebc_policy_ref ref;
	const char *expect; /* plain mode: the caller's label of the expected secret */
	bool owner_signed;  /* its user-data signature verified with the user-signing key */
};

struct ebc_ignored {
	const char *name;
	char why[96]; /* "not listed in toc.pol", "identical copy of a.asr", ... */
};

enum ebc_mode { EBC_MODE_TOC, EBC_MODE_PLAIN };

struct ebc_plan {
	enum ebc_mode mode;
	struct ebc_req *reqs; /* in submission order; TOC mode: reqs[0] is toc.asr */
	size_t n;
	const char *policy; /* TOC mode: the policy file (toc.pol) */
	size_t policy_lines;
	struct ebc_ignored *ignored; /* loaded files the plan does not use, by name */
	size_t nignored;
};

/*
 * TOC mode: verify the whole chain of set (toc_name → policy reference → policy hash
 * → each listed tag → exactly one request, each listed request's own policy reference)
 * and make the plan: toc_name first, then the listed requests in toc.pol order.
 * Only request file names (ebc_request_name: NAME.asr) are candidates for tags (as pvebc).
 *
 * With key (the image owner's user-signing key), toc_name must carry user data signed
 * with it (types 2, 3, 4), checked first; its policy reference is then in the signed
 * data area (256 or 128 bytes), and so must every listed request (a GCM tag is no
 * commitment: whoever makes a request chooses its key and can force its tag). Without
 * key, the reference is the unsigned user data or the data area of signed user data
 * (whose signature is then not checked), and listed requests may be unsigned (what
 * CCK enforcement allows: the ultravisor refuses requests made without the CCK).
 *
 * Returns 0, or -EINVAL (the set is broken: why names the file, the toc.pol line and
 * what was found) or -ENOMEM; then the plan is empty.
 */
int ebc_plan_toc(const struct safe_dir *set, const char *toc_name, const struct usersig_key *key,
		 struct ebc_plan *plan, char *why, size_t why_size);

/* One expected secret of plain mode. */
struct ebc_expect {
	uint16_t type; /* a listable type (association or retrievable) */
	uint8_t id[ASR_SECRET_ID_LEN];
	const char *label; /* for messages: the name or id the caller gave */
};

/*
 * Plain mode (no TOC; see pvboot(8) for why it needs the owner's signature or CCK
 * enforcement): every expected (type, id) must be carried by exactly one request among
 * the set's *.asr files (byte-identical copies count once); with key, that request's
 * user data must be signed with it. Everything else is ignored. The plan follows the
 * order of exp. 0, -EINVAL with why, -ENOMEM.
 */
int ebc_plan_plain(const struct safe_dir *set, const struct ebc_expect *exp, size_t nexp,
		   const struct usersig_key *key, struct ebc_plan *plan, char *why,
		   size_t why_size);

void ebc_plan_free(struct ebc_plan *plan);

/* The verified chain as text (what `pvboot ebc verify` prints). */
void ebc_plan_describe(struct sbuf *out, const struct ebc_plan *plan);
/* "meta request", "update-CCK request", "AES-256-KEY 0x…" (the id display). */
void ebc_req_describe(struct sbuf *out, const struct ebc_req *req);

/*
 * A secret type by name: the pvsecret list name ("AES-256-KEY", case-insensitive),
 * mkasr's kind name ("aes-256", "plain", "association"), or a number. Only listable
 * types. 0 or -EINVAL.
 */
int ebc_type_parse(const char *s, uint16_t *type);

/* ------------------------------------------------------------------ applying */

enum ebc_outcome {
	EBC_NOT_ATTEMPTED = 0, /* not submitted: an earlier request failed */
	EBC_ADDED,	       /* submitted, the UV accepted it */
	EBC_PRESENT,	       /* skip present: (type, id) already in the store */
	EBC_SKIPPED,	       /* skip present: a non-listable request (meta, CCK update)
				  of a plan whose listable requests are all present */
	EBC_FAILED,	       /* submitted, the UV (or the kernel) refused it */
};

struct ebc_report_entry {
	const struct ebc_req *req;
	enum ebc_outcome outcome;
	struct uv_result uv; /* EBC_FAILED: what the UV or the kernel said */
};

struct ebc_report {
	struct ebc_report_entry *e; /* one per request of the plan, in plan order */
	size_t n;
	size_t added, present, skipped;
	size_t failed; /* index of the failed request, or n */
};

struct ebc_apply_opts {
	/*
	 * Skip present: the store's current list (NULL: submit every request). A listable
	 * request whose (type, id) is listed is not submitted and reported as present. If
	 * every listable request of the plan is listed (and there is at least one), the
	 * non-listable requests (the meta toc.asr, CCK updates) are not submitted either:
	 * the set was applied earlier in this boot, and re-running is harmless even on a
	 * locked store. A plan without listable requests is always submitted.
	 */
	const struct secret_list *present;
};

/* One entry per request of plan, all EBC_NOT_ATTEMPTED; 0 or -ENOMEM. */
int ebc_report_init(struct ebc_report *rep, const struct ebc_plan *plan);
void ebc_report_free(struct ebc_report *rep);
/* The skip-present rule above, applied to rep (pure; ebc_apply calls it). */
void ebc_mark_present(struct ebc_report *rep, const struct secret_list *present);
const char *ebc_outcome_name(enum ebc_outcome o);

/*
 * src/ebc_apply.c. Submit the plan in order through uv_add_secret(), stopping at the
 * first failure. rep is initialised here (ebc_report_init) and says per request what
 * happened; free it with ebc_report_free() whatever the result. Returns
 * 0 when every request was added (or skipped as present), else the negative errno of
 * the failed call (-EPROTO: the UV refused it, rep->e[rep->failed].uv says how).
 */
int ebc_apply(struct uv_dev *dev, const struct ebc_plan *plan, const struct ebc_apply_opts *opts,
	      struct ebc_report *rep);
/* Log the report: one line per request, then which were added before a failure. */
void ebc_report_log(const struct ebc_report *rep);
/*
 * Log the directory's skipped entries (warnings, one line each: symlinks, FIFOs,
 * oversized files, ...) and the loaded files the plan does not use (notices, by name).
 * plan may be NULL (the set did not verify).
 */
void ebc_log_set(const struct safe_dir *set, const struct ebc_plan *plan);

#endif
