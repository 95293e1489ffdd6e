// SPDX-License-Identifier: MIT
/* libFuzzer target: decoding and printing the UV secret list, and retrieved-secret output. */
#include <stddef.h>
#include <stdint.h>

#include "secret_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secret_list l;
	struct sbuf b;
	size_t off, len;

	if (secret_list_decode(data, size, &l) == 0) {
		for (int f = SL_HUMAN; f <= SL_BIN; f++) {
			sbuf_init(&b);
			secret_list_print(&b, &l, (enum secret_list_format)f);
			sbuf_free(&b);
		}
		secret_list_free(&l);
	}
	secret_plaintext_payload(data, size, &off, &len);
	if (off + len > size)
		__builtin_trap();
	if (size >= 2) {
		sbuf_init(&b);
		secret_pem(&b, (uint16_t)(data[0] << 8 | data[1]), data, size);
		sbuf_free(&b);
	}
	return 0;
}
