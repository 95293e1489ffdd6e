// SPDX-License-Identifier: MIT
/* libFuzzer target: the toc.pol parser (an untrusted file, once its hash matched). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebc.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ebc_toc_entry *e;
	char why[EBC_WHY_LEN], hex[33];
	size_t n;

	why[0] = 0;
	if (ebc_tocpol_parse(data, size, "toc.pol", &e, &n, why, sizeof(why))) {
		if (!why[0])
			__builtin_trap();
		return 0;
	}
	/* accepted: exactly n lines of 32 hex digits, '\n' after all but maybe the last */
	if (size != 33 * n && size + 1 != 33 * n && !(n == 0 && size == 0))
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		if (e[i].line != i + 1)
			__builtin_trap();
		hex_encode(e[i].tag, 16, hex);
		for (size_t k = 0; k < 32; k++)
			if ((data[33 * i + k] | 0x20) != hex[k])
				__builtin_trap();
		if (33 * i + 32 < size && data[33 * i + 32] != '\n')
			__builtin_trap();
		for (size_t j = 0; j < i; j++)
			if (memcmp(e[i].tag, e[j].tag, 16) == 0)
				__builtin_trap();
	}
	free(e);
	return 0;
}
