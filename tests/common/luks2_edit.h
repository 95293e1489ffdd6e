/* SPDX-License-Identifier: MIT */
/*
 * Making hostile LUKS2 headers for the tests, the way a hostile host does: rewrite the
 * binary header or the JSON area of a real header and recompute the checksums
 * (SHA-256 over hdr_size bytes with the csum field zeroed). Used by tests/unit,
 * `mkasr luks2-edit` (tests/cases) and the fuzz target.
 */
#ifndef PVBOOT_LUKS2_EDIT_H
#define PVBOOT_LUKS2_EDIT_H

#include <stddef.h>
#include <stdint.h>

/* hdr_size of the primary copy (big-endian at 8), or 0 when buf is too short. */
uint64_t luks2_edit_hdr_size(const uint8_t *buf, size_t len);

/*
 * Replace the first occurrence of old by new in the JSON area of copy 0 or 1 (-1: both);
 * the JSON area stays NUL-padded. 0, or -1 (not found, does not fit, buf too short).
 */
int luks2_edit_json(uint8_t *buf, size_t len, int copy, const char *old, const char *new);

/* Set the big-endian u64 at off of copy 0 or 1 (-1: both) (seqid: 16, hdr_size: 8). */
int luks2_edit_u64(uint8_t *buf, size_t len, int copy, size_t off, uint64_t v);

/* Recompute the checksum of copy 0 or 1 (-1: both). */
int luks2_edit_csum(uint8_t *buf, size_t len, int copy);

/*
 * Build a complete two-copy header of hdr_size (16 KiB .. 4 MiB) around the JSON text
 * json (cut to fit), seqid 1, uuid and label fixed, correct checksums, into out
 * (2 * hdr_size bytes).
 */
void luks2_edit_build(uint8_t *out, uint64_t hdr_size, const char *json, size_t json_len);

#endif
