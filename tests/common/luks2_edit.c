// SPDX-License-Identifier: MIT
/* Making hostile LUKS2 headers for the tests (luks2_edit.h). */
#include <string.h>

#include <mbedtls/sha256.h>

#include "luks2_edit.h"

#define BIN	 4096
#define OFF_CSUM 448

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

uint64_t luks2_edit_hdr_size(const uint8_t *buf, size_t len)
{
	uint64_t size;

	if (len < BIN)
		return 0;
	size = get64(buf + 8);
	return size >= BIN && size <= len / 2 ? size : 0;
}

static int copies(const uint8_t *buf, size_t len, int copy, uint64_t *size, int *lo, int *hi)
{
	*size = luks2_edit_hdr_size(buf, len);
	if (!*size || copy < -1 || copy > 1)
		return -1;
	*lo = copy < 0 ? 0 : copy;
	*hi = copy < 0 ? 1 : copy;
	return 0;
}

int luks2_edit_json(uint8_t *buf, size_t len, int copy, const char *old, const char *new)
{
	size_t olen = strlen(old), nlen = strlen(new);
	uint64_t size;
	int lo, hi;

	if (copies(buf, len, copy, &size, &lo, &hi))
		return -1;
	for (int c = lo; c <= hi; c++) {
		char *json = (char *)buf + (size_t)c * size + BIN;
		size_t area = size - BIN, jlen = strnlen(json, area);
		char *at = memmem(json, jlen, old, olen);

		if (!at || jlen - olen + nlen >= area)
			return -1;
		memmove(at + nlen, at + olen, jlen - (size_t)(at - json) - olen);
		memcpy(at, new, nlen);
		memset(json + jlen - olen + nlen, 0, area - (jlen - olen + nlen));
	}
	return 0;
}

int luks2_edit_u64(uint8_t *buf, size_t len, int copy, size_t off, uint64_t v)
{
	uint64_t size;
	int lo, hi;

	if (copies(buf, len, copy, &size, &lo, &hi) || off + 8 > BIN)
		return -1;
	for (int c = lo; c <= hi; c++)
		put64(buf + (size_t)c * size + off, v);
	return 0;
}

int luks2_edit_csum(uint8_t *buf, size_t len, int copy)
{
	uint64_t size;
	int lo, hi;

	if (copies(buf, len, copy, &size, &lo, &hi))
		return -1;
	for (int c = lo; c <= hi; c++) {
		uint8_t *h = buf + (size_t)c * size;

		memset(h + OFF_CSUM, 0, 64);
		mbedtls_sha256(h, size, h + OFF_CSUM, 0);
	}
	return 0;
}

void luks2_edit_build(uint8_t *out, uint64_t hdr_size, const char *json, size_t json_len)
{
	static const uint8_t magic[2][6] = {{'L', 'U', 'K', 'S', 0xba, 0xbe},
					    {'S', 'K', 'U', 'L', 0xba, 0xbe}};

	if (json_len > hdr_size - BIN - 1)
		json_len = hdr_size - BIN - 1;
	memset(out, 0, 2 * hdr_size);
	for (int c = 0; c < 2; c++) {
		uint8_t *h = out + (size_t)c * hdr_size;

		memcpy(h, magic[c], 6);
		h[7] = 2;
		put64(h + 8, hdr_size);
		put64(h + 16, 1);
		memcpy(h + 24, "fuzz", 4);
		memcpy(h + 72, "sha256", 6);
		memcpy(h + 168, "0f0e0d0c-0b0a-4908-8706-050403020100", 36);
		put64(h + 256, (uint64_t)c * hdr_size);
		memcpy(h + BIN, json, json_len);
	}
	luks2_edit_csum(out, 2 * hdr_size, -1);
}
