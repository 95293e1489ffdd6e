// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the root's live device-mapper table (DM_TABLE_STATUS answer) and
 * the crypt check. The input is the raw ioctl buffer as the kernel fills it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dm_owner.h"
#include "dmcrypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmcrypt_table t;
	char why[256];
	int ret;

	if (size > DM_TABLE_BUF_MAX)
		return 0;
	why[0] = 0;
	ret = dm_table_parse(data, size, &t, why, sizeof(why));
	if (ret) {
		if (!why[0] || strlen(why) >= sizeof(why))
			__builtin_trap();
		return 0;
	}
	/* accepted: a terminated cipher of allowed size, a sane sector size */
	if (strlen(t.cipher) >= sizeof(t.cipher) || !t.cipher[0] || t.sector_size < 512 ||
	    t.sector_size > 4096 || (t.sector_size & (t.sector_size - 1)) || t.length == 0)
		__builtin_trap();
	why[0] = 0;
	ret = dmcrypt_check(&t, &dm_owner, why, sizeof(why));
	if (ret == 0 && (strcmp(t.cipher, dm_owner.cipher) != 0 || t.key_bytes != 64))
		__builtin_trap();
	if (ret && !why[0])
		__builtin_trap();
	return 0;
}
