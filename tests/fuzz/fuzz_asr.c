// SPDX-License-Identifier: MIT
/* libFuzzer target: the add-secret request parser (untrusted files from the boot disk). */
#include <stddef.h>
#include <stdint.h>

#include "asr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asr_info a;
	char why[200];

	if (asr_parse(data, size, &a, why, sizeof(why)) == ASR_OK) {
		/* everything the parser points at must lie inside the buffer */
		volatile uint8_t sink = a.iv[11] ^ a.tags[0xcf] ^ a.cuid[15] ^ a.userdata[511] ^
					a.custkey[159] ^ a.slots[80 * a.nks - 1] ^ a.gcm_tag[15];

		if (a.secret_id)
			sink ^= a.secret_id[31];
		(void)sink;
		if (a.sechdr_off + a.sechdr_len + a.sea + 16 != size)
			__builtin_trap();
	}
	return 0;
}
