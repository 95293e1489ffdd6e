/* SPDX-License-Identifier: MIT */
/*
 * The UV secret list (spec/uv.md §2): decode the big-endian list the UV writes, name
 * secret types and ids the way pvsecret does, and format the list as human text (as
 * `pvsecret list`), YAML, JSON or the binary form. Pure: no I/O.
 */
#ifndef PVBOOT_SECRET_LIST_H
#define PVBOOT_SECRET_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SECRET_LIST_HDR_LEN 16
#define SECRET_ENTRY_LEN 48
#define SECRET_ID_LEN 32
#define SECRET_NAME_ID_MAX 31 /* pvsecret's --use-name form keeps at most 31 bytes */

struct secret_entry {
	uint16_t index;
	uint16_t type;
	uint32_t len;
	uint8_t id[SECRET_ID_LEN];
};

struct secret_list {
	uint16_t num_stored; /* entries in the buffer */
	uint16_t total;      /* listable secrets in the store */
	uint16_t next_idx;   /* non-zero: more entries than fitted */
	size_t n;
	struct secret_entry *entries; /* malloc'ed, n entries */
};

/*
 * Decode a list buffer of len bytes. The entry count is num_secr_stored, which must fit
 * in the buffer. Returns 0, -EINVAL (count does not fit) or -ENOMEM.
 */
int secret_list_decode(const uint8_t *buf, size_t len, struct secret_list *list);
void secret_list_free(struct secret_list *list);

/* pvsecret's list name of a type: "Association", "AES-256-KEY", "Unknown(0x000b)". */
const char *secret_type_name(uint16_t type, char buf[24]);

/* An id as pvsecret displays it: "<ascii> | 0x<hex>" when ASCII-representable,
 * else "0x<hex>". */
void secret_id_display(struct sbuf *out, const uint8_t id[SECRET_ID_LEN]);
/* The ASCII text of an ASCII-representable id (NULL otherwise). */
bool secret_id_ascii(const uint8_t id[SECRET_ID_LEN], size_t *len);

/* SHA-256(name): the id `pvsecret create` gives a named secret. */
void secret_id_from_name(const char *name, uint8_t id[SECRET_ID_LEN]);
/* `pvsecret create --use-name`: the first 31 bytes of name, NUL padded. */
void secret_id_from_string(const char *name, uint8_t id[SECRET_ID_LEN]);

enum secret_list_format { SL_HUMAN, SL_YAML, SL_JSON, SL_BIN };
int secret_list_format_parse(const char *s, enum secret_list_format *f);
void secret_list_print(struct sbuf *out, const struct secret_list *list,
		       enum secret_list_format f);

/* First entry with that id / index, or NULL; *count gets how many entries match. */
const struct secret_entry *secret_list_find_id(const struct secret_list *list,
					       const uint8_t id[SECRET_ID_LEN], size_t *count);
const struct secret_entry *secret_list_find_index(const struct secret_list *list, uint16_t idx);

#endif

/*
 * A retrieved plaintext secret is "u16 BE length ‖ payload ‖ zero padding"; return the
 * payload bounds when buf has that form (pvsecret's rule), else the whole buffer.
 */
void secret_plaintext_payload(const uint8_t *buf, size_t len, size_t *off, size_t *plen);
/* PEM as pvsecret writes it: PLAINTEXT SECRET, or IBM PROTECTED KEY with "kind:". */
void secret_pem(struct sbuf *out, uint16_t type, const uint8_t *data, size_t len);
