// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>

#include "asr.h"
#include "secret_list.h"

int secret_list_decode(const uint8_t *buf, size_t len, struct secret_list *list)
{
	memset(list, 0, sizeof(*list));
	if (len < SECRET_LIST_HDR_LEN)
		return -EINVAL;
	list->num_stored = get_be16(buf);
	list->total = get_be16(buf + 2);
	list->next_idx = get_be16(buf + 4);
	if ((size_t)list->num_stored > (len - SECRET_LIST_HDR_LEN) / SECRET_ENTRY_LEN)
		return -EINVAL;
	list->n = list->num_stored;
	list->entries = calloc(list->n ? list->n : 1, sizeof(*list->entries));
	if (!list->entries)
		return -ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		const uint8_t *e = buf + SECRET_LIST_HDR_LEN + i * SECRET_ENTRY_LEN;
		struct secret_entry *s = &list->entries[i];

		s->index = get_be16(e);
		s->type = get_be16(e + 2);
		s->len = get_be32(e + 4);
		memcpy(s->id, e + 16, SECRET_ID_LEN);
	}
	return 0;
}

void secret_list_free(struct secret_list *list)
{
	free(list->entries);
	memset(list, 0, sizeof(*list));
}

const char *secret_type_name(uint16_t type, char buf[24])
{
	static const char *const names[] = {
		[SECRET_ASSOCIATION] = "Association",
		[SECRET_PLAINTEXT] = "PLAINTEXT",
		[SECRET_AES_128] = "AES-128-KEY",
		[SECRET_AES_192] = "AES-192-KEY",
		[SECRET_AES_256] = "AES-256-KEY",
		[SECRET_AES_XTS_128] = "AES-XTS-128-KEY",
		[SECRET_AES_XTS_256] = "AES-XTS-256-KEY",
		[SECRET_HMAC_SHA_256] = "HMAC-SHA-256-KEY",
		[SECRET_HMAC_SHA_512] = "HMAC-SHA-512-KEY",
		[SECRET_EC_P256] = "EC-SECP256R1-PRIVATE-KEY",
		[SECRET_EC_P384] = "EC-SECP384R1-PRIVATE-KEY",
		[SECRET_EC_P521] = "EC-SECP521R1-PRIVATE-KEY",
		[SECRET_EC_ED25519] = "EC-ED25519-PRIVATE-KEY",
		[SECRET_EC_ED448] = "EC-ED448-PRIVATE-KEY",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	if (type == SECRET_INVALID || type == SECRET_NULL || type == SECRET_UPDATE_CCK)
		snprintf(buf, 24, "Invalid(0x%04x)", type);
	else
		snprintf(buf, 24, "Unknown(0x%04x)", type);
	return buf;
}

static bool ascii_ok(uint8_t c)
{
	return (c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t' || c == '\n' || c == '\f' ||
	       c == '\r';
}

bool secret_id_ascii(const uint8_t id[SECRET_ID_LEN], size_t *len)
{
	const uint8_t *nul = memchr(id, 0, SECRET_ID_LEN);
	size_t n;

	if (!nul || nul == id)
		return false;
	n = (size_t)(nul - id);
	for (size_t i = 0; i < n; i++)
		if (!ascii_ok(id[i]))
			return false;
	if (!all_zero(nul, SECRET_ID_LEN - n))
		return false;
	*len = n;
	return true;
}

void secret_id_display(struct sbuf *out, const uint8_t id[SECRET_ID_LEN])
{
	char hex[2 * SECRET_ID_LEN + 1];
	size_t n;

	if (secret_id_ascii(id, &n)) {
		sbuf_escape(out, id, n); /* pvsecret prints it raw: CR/LF would forge lines */
		sbuf_puts(out, " | ");
	}
	sbuf_printf(out, "0x%s", hex_encode(id, SECRET_ID_LEN, hex));
}

void secret_id_from_name(const char *name, uint8_t id[SECRET_ID_LEN])
{
	sha256(name, strlen(name), id);
}

void secret_id_from_string(const char *name, uint8_t id[SECRET_ID_LEN])
{
	size_t n = strlen(name);

	memset(id, 0, SECRET_ID_LEN);
	memcpy(id, name, n < SECRET_NAME_ID_MAX ? n : SECRET_NAME_ID_MAX);
}

int secret_list_format_parse(const char *s, enum secret_list_format *f)
{
	static const char *const names[] = {"human", "yaml", "json", "bin"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum secret_list_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

static void print_human(struct sbuf *out, const struct secret_list *l)
{
	char tb[24];

	sbuf_printf(out, "Total number of secrets: %u\n", l->total);
	if (l->n)
		sbuf_puts(out, "\n");
	for (size_t i = 0; i < l->n; i++) {
		sbuf_printf(out, "%u %s:\n ", l->entries[i].index,
			    secret_type_name(l->entries[i].type, tb));
		secret_id_display(out, l->entries[i].id);
		sbuf_puts(out, "\n");
	}
}

static void print_yaml(struct sbuf *out, const struct secret_list *l)
{
	char hex[2 * SECRET_ID_LEN + 1];

	sbuf_printf(out, "total_num_secrets: %u\n", l->total);
	if (!l->n) {
		sbuf_puts(out, "secrets: []\n");
		return;
	}
	sbuf_puts(out, "secrets:\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct secret_entry *e = &l->entries[i];

		sbuf_printf(out, "- index: %u\n  stype: %u\n  len: %u\n  id: 0x%s\n", e->index,
			    e->type, e->len, hex_encode(e->id, SECRET_ID_LEN, hex));
	}
}

static void print_json(struct sbuf *out, const struct secret_list *l)
{
	char hex[2 * SECRET_ID_LEN + 1], tb[24];

	sbuf_printf(out, "{\"total_num_secrets\":%u,\"secrets\":[", l->total);
	for (size_t i = 0; i < l->n; i++) {
		const struct secret_entry *e = &l->entries[i];
		const char *name = secret_type_name(e->type, tb);
		size_t alen;

		sbuf_printf(out, "%s{\"index\":%u,\"stype\":%u,\"type\":", i ? "," : "", e->index,
			    e->type);
		sbuf_json_str(out, name, strlen(name));
		sbuf_printf(out, ",\"len\":%u,\"id\":\"0x%s\"", e->len,
			    hex_encode(e->id, SECRET_ID_LEN, hex));
		if (secret_id_ascii(e->id, &alen)) {
			sbuf_puts(out, ",\"name\":");
			sbuf_json_str(out, (const char *)e->id, alen);
		}
		sbuf_puts(out, "}");
	}
	sbuf_puts(out, "]}\n");
}

static void print_bin(struct sbuf *out, const struct secret_list *l)
{
	uint8_t hdr[SECRET_LIST_HDR_LEN] = {0}, e[SECRET_ENTRY_LEN];

	put_be16(hdr, (uint16_t)l->n);
	put_be16(hdr + 2, l->total);
	put_be16(hdr + 4, l->next_idx);
	sbuf_add(out, hdr, sizeof(hdr));
	for (size_t i = 0; i < l->n; i++) {
		memset(e, 0, sizeof(e));
		put_be16(e, l->entries[i].index);
		put_be16(e + 2, l->entries[i].type);
		put_be32(e + 4, l->entries[i].len);
		memcpy(e + 16, l->entries[i].id, SECRET_ID_LEN);
		sbuf_add(out, e, sizeof(e));
	}
}

void secret_list_print(struct sbuf *out, const struct secret_list *list,
		       enum secret_list_format f)
{
	switch (f) {
	case SL_HUMAN:
		print_human(out, list);
		break;
	case SL_YAML:
		print_yaml(out, list);
		break;
	case SL_JSON:
		print_json(out, list);
		break;
	case SL_BIN:
		print_bin(out, list);
		break;
	}
}

const struct secret_entry *secret_list_find_id(const struct secret_list *list,
					       const uint8_t id[SECRET_ID_LEN], size_t *count)
{
	const struct secret_entry *first = NULL;

	*count = 0;
	for (size_t i = 0; i < list->n; i++) {
		if (memcmp(list->entries[i].id, id, SECRET_ID_LEN) == 0) {
			if (!first)
				first = &list->entries[i];
			(*count)++;
		}
	}
	return first;
}

const struct secret_entry *secret_list_find_index(const struct secret_list *list, uint16_t idx)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->entries[i].index == idx)
			return &list->entries[i];
	return NULL;
}

void secret_plaintext_payload(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	*off = 0;
	*plen = len;
	if (len >= 2) {
		size_t l = get_be16(buf);

		if (l <= 8190 && l + 2 <= len && len - (l + 2) < 16 &&
		    all_zero(buf + 2 + l, len - (l + 2))) {
			*off = 2;
			*plen = l;
		}
	}
}

void secret_pem(struct sbuf *out, uint16_t type, const uint8_t *data, size_t len)
{
	const char *label = type == SECRET_PLAINTEXT ? "PLAINTEXT SECRET" : "IBM PROTECTED KEY";
	size_t b64len = 0;
	unsigned char *b64;
	char tb[24];

	sbuf_printf(out, "-----BEGIN %s-----\n", label);
	if (type != SECRET_PLAINTEXT)
		sbuf_printf(out, "kind: %s\n\n", secret_type_name(type, tb));
	mbedtls_base64_encode(NULL, 0, &b64len, data, len);
	b64 = malloc(b64len + 1);
	if (!b64) {
		out->failed = true;
		return;
	}
	if (mbedtls_base64_encode(b64, b64len + 1, &b64len, data, len) == 0) {
		for (size_t i = 0; i < b64len; i += 64) {
			sbuf_add(out, b64 + i, b64len - i < 64 ? b64len - i : 64);
			sbuf_puts(out, "\n");
		}
	} else {
		out->failed = true;
	}
	secure_zero(b64, b64len);
	free(b64);
	sbuf_printf(out, "-----END %s-----\n", label);
}
