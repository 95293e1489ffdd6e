/* SPDX-License-Identifier: MIT */
/*
 * The image's expectation of the root's live dm-crypt table that tests/unit and the
 * fuzz target check tables against: an aes-xts-plain64 root with a 512-bit key on
 * device 254:16, data at byte 0, 512-byte sectors; paes-xts-plain64 also allowed.
 */
#ifndef PVBOOT_DM_OWNER_H
#define PVBOOT_DM_OWNER_H

#include "dmcrypt.h"

static const char *const dm_owner_allowed[] = {"aes-xts-plain64", "paes-xts-plain64"};
static const struct dmcrypt_expect dm_owner = {
    .allowed = dm_owner_allowed,
    .n_allowed = 2,
    .cipher = "aes-xts-plain64",
    .key_bits = 512,
    .dev_major = 254,
    .dev_minor = 16,
    .offset_bytes = 0,
    .sector_size = 512,
    .iv_tweak = 0,
};

#endif
