// SPDX-License-Identifier: MIT
/*
 * The simulated ultravisor: the Add/List/Lock/Retrieve-Secret UV calls (UVC level).
 * Requests are checked with this file's own code (never asr_parse) so that a bug in
 * pvboot's parser cannot hide itself. Check order and rcs: tests/sim/README.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "sim.h"
#include "util.h"
#include "uv.h"

#define LIST_PER_PAGE 85
#define LIST_HDR      16
#define LIST_ENTRY    48

bool sim_type_listable(uint16_t type)
{
	return type == SECRET_ASSOCIATION || sim_type_retrievable(type);
}

bool sim_type_retrievable(uint16_t type)
{
	return (type >= SECRET_PLAINTEXT && type <= SECRET_HMAC_SHA_512) ||
	       (type >= SECRET_EC_P256 && type <= SECRET_EC_ED448);
}

/* The secret length an ASR of this type must carry; 0 = plaintext rule; -1 unknown. */
static int type_secret_len(uint16_t type)
{
	switch (type) {
	case SECRET_NULL:
		return 0;
	case SECRET_ASSOCIATION:
		return 32;
	case SECRET_PLAINTEXT:
		return 0;
	case SECRET_AES_128:
		return 16;
	case SECRET_AES_192:
		return 24;
	case SECRET_AES_256:
	case SECRET_AES_XTS_128:
		return 32;
	case SECRET_AES_XTS_256:
	case SECRET_HMAC_SHA_256:
		return 64;
	case SECRET_HMAC_SHA_512:
		return 128;
	case SECRET_EC_P256:
		return 32;
	case SECRET_EC_P384:
		return 48;
	case SECRET_EC_P521:
		return 80;
	case SECRET_EC_ED25519:
		return 32;
	case SECRET_EC_ED448:
		return 64;
	case SECRET_UPDATE_CCK:
		return 32;
	default:
		return -1;
	}
}

static bool secret_len_ok(uint16_t type, uint32_t len)
{
	int want = type_secret_len(type);

	if (type == SECRET_PLAINTEXT) /* roundup16(2 + N), 0 <= N <= 8190 */
		return len >= 16 && len <= 8192 && len % 16 == 0;
	if (type == SECRET_NULL)
		return len == 0;
	return want > 0 && len == (uint32_t)want;
}

uint32_t sim_listed_len(uint16_t type, uint32_t value_len)
{
	if (type == SECRET_ASSOCIATION || type == SECRET_PLAINTEXT)
		return value_len;
	return value_len + 32; /* key + wrapping-key verification pattern */
}

/*
 * The "protected key" of a key secret: the key XOR 0xa5 (each byte), then the 32-byte
 * WKVP SHA-256("pvboot-sim wkvp"). Deterministic so tests can compute it.
 */
void sim_protected_key(const struct sim_secret *sec, uint8_t *out)
{
	static const char wkvp_seed[] = "pvboot-sim wkvp";

	for (uint32_t i = 0; i < sec->value_len; i++)
		out[i] = sec->value[i] ^ 0xa5;
	sha256(wkvp_seed, sizeof(wkvp_seed) - 1, out + sec->value_len);
}

static bool installed(const struct sim *s, unsigned bit)
{
	return s->m.facilities & SIM_FAC_BIT(bit);
}

/* Read a BE field of the request; bytes past the buffer read as zero. */
static uint64_t req_be(const uint8_t *req, size_t len, size_t off, size_t size)
{
	uint64_t v = 0;

	for (size_t i = 0; i < size; i++)
		v = v << 8 | (off + i < len ? req[off + i] : 0);
	return v;
}

void sim_log_add(struct sim *s, uint64_t call, const char *what, const uint8_t *req, size_t len,
		 const char *why)
{
	char tag[33] = "-", id[65] = "-", type[8] = "-";
	uint64_t nks = req_be(req, len, ASR_OFF_NKS, 1);
	size_t k = ASR_OFF_SLOTS + 80 * nks;

	if (len >= 16)
		hex_encode(req + len - 16, 16, tag);
	if (k + 16 <= len) {
		uint16_t t = get_be16(req + k + 2);

		snprintf(type, sizeof(type), "0x%04x", t);
		if (t != SECRET_NULL && k + 48 <= len)
			hex_encode(req + k + 16, 32, id);
	}
	sim_log(s, "add call=%llu %s type=%s id=%s tag=%s%s%s", (unsigned long long)call, what,
		type, id, tag, why ? " why=" : "", why ? why : "");
}

struct add_ctx {
	struct sim *s;
	const uint8_t *req;
	size_t rql;
	uint8_t nks;
	uint32_t sea;
	uint64_t flags;
	size_t k; /* secret header offset */
	size_t aad_len;
	uint16_t type;
	uint32_t secret_len;
	uint8_t *plain;	 /* sea bytes: secret ‖ extension secret */
	const char *why; /* a word for uv.log */
};

static uint16_t add_sizes(struct add_ctx *a, size_t len)
{
	const uint8_t *r = a->req;
	uint64_t rql = get_be32(r + ASR_OFF_RQL);
	size_t hdr;

	a->nks = r[ASR_OFF_NKS];
	a->sea = get_be32(r + ASR_OFF_SEA);
	a->k = ASR_OFF_SLOTS + (size_t)ASR_SLOT_LEN * a->nks;
	a->why = "size";
	if (rql > len || rql < a->k + ASR_SECHDR_NULL_LEN + ASR_EXT_SECRET_LEN + 16)
		return UVC_RC_ADD_SIZE;
	a->rql = rql;
	a->type = get_be16(r + a->k + 2);
	a->secret_len = get_be32(r + a->k + 4);
	hdr = a->type == SECRET_NULL ? ASR_SECHDR_NULL_LEN : ASR_SECHDR_LEN;
	if ((uint64_t)a->sea + 16 + a->k + hdr != rql)
		return UVC_RC_ADD_SIZE;
	if ((uint64_t)a->secret_len + ASR_EXT_SECRET_LEN != a->sea)
		return UVC_RC_ADD_SIZE;
	a->aad_len = rql - a->sea - 16;
	a->why = NULL;
	return 0;
}

static uint16_t add_decrypt(struct add_ctx *a)
{
	struct sim *s = a->s;
	const uint8_t *r = a->req;
	static const uint8_t zero_iv[12];
	struct se_key cust;
	uint8_t kek[32], key[32];
	bool have_key = false;

	a->why = "decrypt";
	se_key_init(&cust);
	if (se_key_from_public160(&cust, r + ASR_OFF_CUSTKEY) != 0) {
		se_key_free(&cust);
		return UVC_RC_ADD_DECRYPT;
	}
	for (unsigned i = 0; i < a->nks && !have_key; i++) {
		const uint8_t *slot = r + ASR_OFF_SLOTS + (size_t)ASR_SLOT_LEN * i;

		for (size_t h = 0; h < s->m.n_host_keys && !have_key; h++) {
			if (memcmp(slot, s->m.host_keys[h].phkh, 32) != 0)
				continue;
			if (se_kek(&s->m.host_keys[h], &cust, kek) != 0)
				continue;
			have_key = se_gcm_decrypt(kek, zero_iv, sizeof(zero_iv), NULL, 0, slot + 32,
						  32, key, slot + 64) == 0;
			secure_zero(kek, sizeof(kek));
		}
	}
	se_key_free(&cust);
	if (!have_key) {
		a->why = "no-slot";
		return UVC_RC_ADD_DECRYPT;
	}
	a->plain = malloc(a->sea);
	if (!a->plain)
		return UVC_RC_ADD_DECRYPT;
	if (se_gcm_decrypt(key, r + ASR_OFF_IV, ASR_IV_LEN, r, a->aad_len, r + a->aad_len, a->sea,
			   a->plain, r + a->rql - 16) != 0) {
		secure_zero(key, sizeof(key));
		a->why = "gcm";
		return UVC_RC_ADD_DECRYPT;
	}
	secure_zero(key, sizeof(key));
	a->why = NULL;
	return 0;
}

/* Boot binding, CUID, extension secret: all 0x010c (the rc is undocumented upstream). */
static uint16_t add_binding(struct add_ctx *a)
{
	struct sim *s = a->s;
	const uint8_t *ext = a->plain + a->secret_len;
	uint8_t want[32];

	if (!s->m.have_tags || !ct_equal(a->req + ASR_OFF_PLD, s->m.tags, SE_HDR_TAGS_LEN)) {
		a->why = "boot-tags";
		return UVC_RC_ADD_FAILED;
	}
	if (!all_zero(a->req + ASR_OFF_CUID, ASR_CUID_LEN) &&
	    !ct_equal(a->req + ASR_OFF_CUID, s->m.cuid, ASR_CUID_LEN)) {
		a->why = "cuid";
		return UVC_RC_ADD_FAILED;
	}
	if (s->m.scf_cck_enforce) {
		const uint8_t *hdr_tag = s->m.tags + SE_HDR_TAGS_LEN - 16;

		if (se_ext_secret_from_cck(s->st.cck, hdr_tag, want) || !ct_equal(ext, want, 32)) {
			a->why = "ext-secret-cck";
			return UVC_RC_ADD_FAILED;
		}
	} else if (s->st.ext_pinned && !ct_equal(ext, s->st.ext_secret, 32)) {
		a->why = "ext-secret";
		return UVC_RC_ADD_FAILED;
	}
	return 0;
}

static size_t count_stored(const struct sim *s, bool assoc)
{
	size_t n = 0;

	for (size_t i = 0; i < s->st.n_store; i++)
		if ((s->st.store[i].type == SECRET_ASSOCIATION) == assoc)
			n++;
	return n;
}

static uint16_t add_store(struct add_ctx *a)
{
	struct sim *s = a->s;
	struct sim_state *st = &s->st;
	struct sim_secret *sec;

	if (st->n_store == st->cap_store) {
		size_t cap = st->cap_store ? 2 * st->cap_store : 64;
		struct sim_secret *p = realloc(st->store, cap * sizeof(*p));

		if (!p)
			sim_die("out of memory");
		st->store = p;
		st->cap_store = cap;
	}
	sec = &st->store[st->n_store];
	memset(sec, 0, sizeof(*sec));
	sec->value = malloc(a->secret_len);
	if (!sec->value)
		sim_die("out of memory");
	sec->index = (uint16_t)st->next_index++;
	sec->type = a->type;
	sec->value_len = a->secret_len;
	memcpy(sec->value, a->plain, a->secret_len);
	memcpy(sec->id, a->req + a->k + 16, 32);
	sec->len = sim_listed_len(a->type, a->secret_len);
	st->n_store++;
	return UVC_RC_EXECUTED;
}

static uint16_t add_checks(struct add_ctx *a, size_t len)
{
	struct sim *s = a->s;
	uint64_t ver;
	uint16_t rc;

	if (!installed(s, SIM_FAC_ADD_SECRET))
		return UVC_RC_INV_CMD;
	if (s->st.locked)
		return UVC_RC_LOCKED;
	ver = req_be(a->req, len, ASR_OFF_VERSION, 4);
	/* only the version-1 layout exists; other advertised versions are refused too */
	if (ver != ASR_VERSION_1 || !(s->m.supp_req_ver & SIM_FAC_BIT(0)))
		return UVC_RC_ADD_VERSION;
	if (len < ASR_OFF_SLOTS)
		return UVC_RC_ADD_SIZE;
	rc = add_sizes(a, len);
	if (rc)
		return rc;
	if (a->nks == 0)
		return UVC_RC_ADD_NKS;
	a->flags = get_be64(a->req + ASR_OFF_FLAGS);
	if (a->flags & ~s->m.supp_pcf)
		return UVC_RC_ADD_FLAGS;
	rc = add_decrypt(a);
	if (rc)
		return rc;
	rc = add_binding(a);
	if (rc)
		return rc;
	if (s->m.dump_in_progress)
		return UVC_RC_ADD_DUMP;
	if (a->type > 63 || !(s->m.supp_types & SIM_FAC_BIT(a->type)) ||
	    type_secret_len(a->type) < 0) {
		a->why = "type";
		return UVC_RC_ADD_SECRET_TYPE;
	}
	if (!secret_len_ok(a->type, a->secret_len))
		return UVC_RC_ADD_SECRET_LEN;
	if (a->type == SECRET_UPDATE_CCK && !s->m.scf_cck_update) {
		a->why = "cck-update-not-allowed";
		return UVC_RC_ADD_NOT_ALLOWED;
	}
	if (sim_type_listable(a->type)) {
		bool assoc = a->type == SECRET_ASSOCIATION;

		if (count_stored(s, assoc) >= (assoc ? s->m.max_assoc : s->m.max_retr) ||
		    s->st.n_store >= SIM_MAX_STORE || s->st.next_index > 0xffff)
			return UVC_RC_ADD_STORE_FULL;
	}
	/* accepted */
	if (a->flags & ASR_FLAG_DISABLE_DUMP)
		s->st.dump_disabled = true;
	if (!s->m.scf_cck_enforce && !s->st.ext_pinned) {
		memcpy(s->st.ext_secret, a->plain + a->secret_len, 32);
		s->st.ext_pinned = true;
	}
	if (a->type == SECRET_UPDATE_CCK) {
		memcpy(s->st.cck, a->plain, 32);
		return UVC_RC_EXECUTED;
	}
	if (a->type == SECRET_NULL)
		return UVC_RC_EXECUTED;
	return add_store(a);
}

uint16_t sim_uvc_add(struct sim *s, const uint8_t *req, size_t len, uint64_t call)
{
	struct add_ctx a = {.s = s, .req = req};
	uint16_t rc = add_checks(&a, len);
	char what[16];

	snprintf(what, sizeof(what), "rc=0x%04x", rc);
	sim_log_add(s, call, what, req, len, rc == UVC_RC_EXECUTED ? NULL : a.why);
	if (a.plain) {
		secure_zero(a.plain, a.sea);
		free(a.plain);
	}
	return rc;
}

uint16_t sim_uvc_list(struct sim *s, uint16_t start, uint8_t page[4096], uint64_t call)
{
	size_t total = 0, n = 0, i;
	uint16_t next = 0, rc;

	if (!installed(s, SIM_FAC_LIST_SECRETS)) {
		rc = UVC_RC_INV_CMD;
		goto out;
	}
	memset(page, 0, UV_LIST_PAGE);
	for (i = 0; i < s->st.n_store; i++) {
		const struct sim_secret *sec = &s->st.store[i];
		uint8_t *e;

		if (!sim_type_listable(sec->type))
			continue;
		total++;
		if (sec->index < start)
			continue;
		if (n == LIST_PER_PAGE) {
			if (!next)
				next = sec->index;
			continue;
		}
		e = page + LIST_HDR + LIST_ENTRY * n++;
		put_be16(e, sec->index);
		put_be16(e + 2, sec->type);
		put_be32(e + 4, sec->len);
		memcpy(e + 16, sec->id, 32);
	}
	/* an index-0 continuation cannot happen: entries past a full page have index > 0 */
	rc = next ? UVC_RC_MORE_DATA : UVC_RC_EXECUTED;
	put_be16(page, (uint16_t)n);
	put_be16(page + 2, (uint16_t)total);
	put_be16(page + 4, next);
out:
	sim_log(s, "list call=%llu start=%u rc=0x%04x n=%zu total=%zu", (unsigned long long)call,
		start, rc, n, total);
	return rc;
}

uint16_t sim_uvc_lock(struct sim *s, uint64_t call)
{
	uint16_t rc;

	if (!installed(s, SIM_FAC_LOCK_SECRETS))
		rc = UVC_RC_INV_CMD;
	else if (s->st.locked)
		rc = UVC_RC_LOCKED;
	else {
		s->st.locked = true;
		rc = UVC_RC_EXECUTED;
	}
	sim_log(s, "lock call=%llu rc=0x%04x", (unsigned long long)call, rc);
	return rc;
}

uint16_t sim_uvc_retrieve(struct sim *s, uint16_t index, uint8_t *buf, uint32_t size, uint64_t call)
{
	const struct sim_secret *sec = NULL;
	uint16_t rc;

	for (size_t i = 0; i < s->st.n_store; i++)
		if (s->st.store[i].index == index)
			sec = &s->st.store[i];
	if (!installed(s, SIM_FAC_RETR_SECRET))
		rc = UVC_RC_INV_CMD;
	else if (s->st.n_store == 0)
		rc = UVC_RC_RETR_EMPTY;
	else if (!sec)
		rc = UVC_RC_RETR_NO_INDEX;
	else if (!sim_type_retrievable(sec->type))
		rc = UVC_RC_RETR_NOT_RETRIEVABLE;
	else if (size < sec->len)
		rc = UVC_RC_ADD_SECRET_TYPE; /* the kernel's UVC_RC_RETR_SECR_BUF_SMALL */
	else {
		if (sec->type == SECRET_PLAINTEXT)
			memcpy(buf, sec->value, sec->value_len);
		else
			sim_protected_key(sec, buf);
		rc = UVC_RC_EXECUTED;
	}
	sim_log(s, "retrieve call=%llu index=%u size=%u rc=0x%04x", (unsigned long long)call, index,
		size, rc);
	return rc;
}
