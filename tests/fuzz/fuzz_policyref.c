// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: policy references (the user data of toc.asr and of listed requests,
 * from the untrusted boot disk). The first 512 bytes are the user data (zero padded);
 * the rest is a policy file to reference by the parsed name.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ebc.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ud[ASR_USERDATA_LEN] = {0}, again[ASR_USERDATA_LEN], h[32];
	struct ebc_policy_ref ref, ref2;
	size_t n = size < sizeof(ud) ? size : sizeof(ud);
	char why[EBC_WHY_LEN];
	int ret;

	memcpy(ud, data, n);
	/* the signed data areas (RSA-3072, EC/RSA-2048): a reference there reads the same */
	for (size_t area = 128; area <= 256; area *= 2) {
		ret = ebc_policy_ref_parse_area(ud, area, &ref, why, sizeof(why));
		if (ret == -EINVAL && !why[0])
			__builtin_trap();
		if (!ret && (strlen(ref.name) > area - 32 ||
			     ebc_policy_ref_build_area(data + n, size - n, ref.name, area, again,
						       why, sizeof(why)) ||
			     memcmp(again + 32, ud + 32, area - 32) != 0 ||
			     !all_zero(again + area, ASR_USERDATA_LEN - area)))
			__builtin_trap();
	}
	ret = ebc_policy_ref_parse(ud, &ref, why, sizeof(why));
	if (ret == -EINVAL && !why[0])
		__builtin_trap(); /* every refusal says why */
	if (ret)
		return 0;
	/* what was accepted follows the rules */
	if (!ref.name[0] || !ref.file[0] || strstr(ref.name, "..") || ref.name[0] == '/' ||
	    strchr(ref.file, '/') || !text_printable(ref.name, strlen(ref.name)) ||
	    strlen(ref.name) > EBC_POLICY_NAME_LEN)
		__builtin_trap();
	/* and builds back to the same name, with the hash of any policy */
	if (ebc_policy_ref_build(data + n, size - n, ref.name, again, why, sizeof(why)))
		__builtin_trap();
	if (memcmp(again + 32, ud + 32, EBC_POLICY_NAME_LEN) != 0)
		__builtin_trap();
	sha256(data + n, size - n, h);
	if (ebc_policy_ref_parse(again, &ref2, why, sizeof(why)) || memcmp(ref2.hash, h, 32) != 0 ||
	    strcmp(ref2.file, ref.file) != 0)
		__builtin_trap();
	return 0;
}
