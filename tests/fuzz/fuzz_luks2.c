// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the LUKS2 header reader (src/luks2.c), hostile input at build time
 * (a header file) and at boot (the disk). The first byte picks what the rest is:
 *   0: a JSON area, wrapped into two valid 16 KiB binary headers with correct
 *      checksums, so that the fuzzer spends its time in the JSON reader and the LUKS2
 *      objects, not in front of a checksum;
 *   1: raw header bytes, as they are;
 *   2: raw header bytes with both checksums recomputed (the binary header fields).
 * Every error must be a message; every accepted header must satisfy the invariants
 * checked here, and luks2_check() must never let a null cipher or a short key through.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "luks2.h"
#include "luks2_edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct luks2_hdr *h)
{
	static const char *const allow[] = {"aes-xts-plain64", "cipher_null-ecb"};
	char err[640];

	if (h->hdr_size < LUKS2_HDR_MIN || h->hdr_size > LUKS2_HDR_MAX || h->copy > 1 ||
	    h->n_segments > LUKS2_MAX_SEGMENTS || h->n_keyslots > LUKS2_MAX_KEYSLOTS ||
	    h->n_tokens > LUKS2_MAX_TOKENS || !memchr(h->uuid, 0, sizeof(h->uuid)) ||
	    !memchr(h->cipher, 0, sizeof(h->cipher)))
		__builtin_trap();
	err[0] = 0;
	/* even with cipher_null on the owner's list, a null cipher is refused */
	if (luks2_check(h, allow, 2, err, sizeof(err)) == 0) {
		if (h->n_segments != 1 || h->key_bits < LUKS2_MIN_KEY_BITS ||
		    luks2_cipher_is_null(h->cipher) || strcmp(h->cipher, "aes-xts-plain64") != 0)
			__builtin_trap();
		for (unsigned i = 0; i < h->n_keyslots; i++)
			if (luks2_cipher_is_null(h->keyslots[i].area_encryption) ||
			    h->keyslots[i].area_key_bits < LUKS2_MIN_KEY_BITS)
				__builtin_trap();
	} else if (!err[0]) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct luks2_hdr h;
	uint8_t *buf;
	size_t len;
	char err[640];

	if (size < 1 || size > 2 * LUKS2_HDR_MAX)
		return 0;
	if (data[0] == 0) {
		len = 2 * 16384;
		buf = malloc(len);
		if (!buf)
			return 0;
		luks2_edit_build(buf, 16384, (const char *)data + 1, size - 1);
	} else {
		len = size - 1;
		buf = malloc(len ? len : 1);
		if (!buf)
			return 0;
		memcpy(buf, data + 1, len);
		if (data[0] == 2)
			luks2_edit_csum(buf, len, -1);
	}
	err[0] = 0;
	if (luks2_parse(buf, len, &h, err, sizeof(err)) == 0)
		check_accepted(&h);
	else if (!err[0])
		__builtin_trap();
	free(buf);
	return 0;
}
