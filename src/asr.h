/* SPDX-License-Identifier: MIT */
/*
 * Add-secret request (ASRCB) parsing and validation — pure functions over a byte
 * buffer (spec/uv.md §3). All multi-byte fields are big-endian.
 */
#ifndef PVBOOT_ASR_H
#define PVBOOT_ASR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASR_MAGIC "asrcbM"
#define ASR_MAGIC_LEN 6
#define ASR_VERSION_1 0x00000100u
#define ASR_MAX_SIZE 0x100000u /* UVIO_ADD_SECRET_MAX_LEN */

/* Offsets of the version-1 layout. */
#define ASR_OFF_MAGIC 0x000
#define ASR_OFF_UDTYPE 0x006
#define ASR_OFF_VERSION 0x008
#define ASR_OFF_RQL 0x00c
#define ASR_OFF_IV 0x010
#define ASR_OFF_NKS 0x027
#define ASR_OFF_SEA 0x02c
#define ASR_OFF_FLAGS 0x030
#define ASR_OFF_PLD 0x038
#define ASR_OFF_ALD 0x078
#define ASR_OFF_TLD 0x0b8
#define ASR_OFF_HDRTAG 0x0f8
#define ASR_OFF_CUID 0x108
#define ASR_OFF_USERDATA 0x218
#define ASR_OFF_CUSTKEY 0x418
#define ASR_OFF_SLOTS 0x4b8

#define ASR_IV_LEN 12
#define ASR_TAGS_LEN 0xd0 /* PLD ‖ ALD ‖ TLD ‖ SE-header tag */
#define ASR_DIGEST_LEN 64
#define ASR_HDRTAG_LEN 16
#define ASR_CUID_LEN 16
#define ASR_USERDATA_LEN 512
#define ASR_CUSTKEY_LEN 160
#define ASR_SLOT_LEN 80
#define ASR_PHKH_LEN 32
#define ASR_EXT_SECRET_LEN 32
#define ASR_GCM_TAG_LEN 16
#define ASR_SECRET_ID_LEN 32
#define ASR_SECHDR_NULL_LEN 16
#define ASR_SECHDR_LEN 48
#define ASR_MIN_SIZE (ASR_OFF_SLOTS + ASR_SLOT_LEN + ASR_SECHDR_NULL_LEN + ASR_EXT_SECRET_LEN + \
		      ASR_GCM_TAG_LEN)

#define ASR_FLAG_DISABLE_DUMP 0x8000000000000000ull
#define ASR_FLAGS_KNOWN ASR_FLAG_DISABLE_DUMP

enum asr_udtype {
	ASR_UD_NONE = 0,
	ASR_UD_UNSIGNED = 1,
	ASR_UD_EC_P521 = 2,
	ASR_UD_RSA_2048 = 3,
	ASR_UD_RSA_3072 = 4,
};

/* Secret types (spec/uv.md §2.2) */
enum secret_type {
	SECRET_INVALID = 0x00,
	SECRET_NULL = 0x01, /* meta: flags only, never listed */
	SECRET_ASSOCIATION = 0x02,
	SECRET_PLAINTEXT = 0x03,
	SECRET_AES_128 = 0x04,
	SECRET_AES_192 = 0x05,
	SECRET_AES_256 = 0x06,
	SECRET_AES_XTS_128 = 0x07,
	SECRET_AES_XTS_256 = 0x08,
	SECRET_HMAC_SHA_256 = 0x09,
	SECRET_HMAC_SHA_512 = 0x0a,
	SECRET_EC_P256 = 0x11,
	SECRET_EC_P384 = 0x12,
	SECRET_EC_P521 = 0x13,
	SECRET_EC_ED25519 = 0x14,
	SECRET_EC_ED448 = 0x15,
	SECRET_UPDATE_CCK = 0x16, /* never listed */
};

/* Parsed view of a request; pointers point into the caller's buffer. */
struct asr_info {
	size_t size;            /* rql == buffer length */
	uint16_t udtype;
	uint32_t version;
	uint8_t nks;
	uint32_t sea;
	uint64_t flags;
	const uint8_t *iv;      /* 12 */
	const uint8_t *tags;    /* 0xd0: PLD ‖ ALD ‖ TLD ‖ SE-header tag */
	const uint8_t *cuid;    /* 16 */
	const uint8_t *userdata; /* 512 */
	const uint8_t *custkey; /* 160 */
	const uint8_t *slots;   /* nks × 80 */
	/* secret header (authenticated, in clear) */
	size_t sechdr_off;
	size_t sechdr_len;      /* 16 (meta) or 48 */
	uint16_t secret_type;
	uint32_t secret_len;
	const uint8_t *secret_id; /* 32, or NULL for meta */
	size_t aad_len;         /* rql − sea − 16 */
	const uint8_t *gcm_tag; /* last 16 bytes */
};

enum asr_err {
	ASR_OK = 0,
	ASR_E_SHORT,       /* shorter than the smallest request */
	ASR_E_LARGE,       /* larger than 1 MiB */
	ASR_E_MAGIC,
	ASR_E_UDTYPE,
	ASR_E_VERSION,
	ASR_E_RQL,         /* rql differs from the file size */
	ASR_E_NKS,
	ASR_E_SEA,
	ASR_E_RESERVED,    /* a reserved field is not zero */
	ASR_E_SECHDR,      /* secret header malformed */
	ASR_E_SECRET_TYPE, /* type unknown */
	ASR_E_SECRET_LEN,  /* length does not fit the type */
	ASR_E_USERDATA,    /* user data does not fit its type */
};

/*
 * Parse and validate buf as a version-1 add-secret request. Every field is checked
 * against the others and against len. On error, why (if not NULL) receives one line
 * that names the field, what was found and what was expected.
 */
enum asr_err asr_parse(const uint8_t *buf, size_t len, struct asr_info *info, char *why,
		       size_t why_size);
const char *asr_strerror(enum asr_err err);

/* The secret length an ASR of this type must carry (0 if any length of the plaintext
 * form is allowed, -1 if the type is unknown). */
int asr_expected_secret_len(uint16_t type);
/* Plaintext secrets: roundup16(2 + N), 0 ≤ N ≤ 8190. */
bool asr_plaintext_len_valid(uint32_t len);
/* A listable type (stored by the UV and shown in the list): association or retrievable. */
bool secret_type_listable(uint16_t type);
bool secret_type_retrievable(uint16_t type);

/*
 * User data of the signed types (spec/uv.md §3.3, s390-tools user_data.rs):
 *   EC secp521r1: data 256 | DER ECDSA signature, zero padded to 139 | 5 reserved |
 *                 u16 BE signature size at +0x190 | 110 reserved
 *   RSA-2048:     data 256 | signature 256;   RSA-3072: data 128 | signature 384
 * The signature covers request bytes [0, rql-16) with the bytes from the end of the data
 * area to the end of the user data zeroed.
 */
#define ASR_UD_SIGNED_DATA_LEN 256
#define ASR_UD_RSA3072_DATA_LEN 128
#define ASR_UD_EC_SIG_OFF 256
#define ASR_UD_EC_SIG_MAX 139
#define ASR_UD_EC_SIG_MIN 8 /* SEQUENCE { INTEGER, INTEGER }, one byte each */
#define ASR_UD_EC_SIZE_OFF 0x190

struct asr_sig {
	size_t data_len;    /* the data area at the start of the user data (512 unsigned) */
	size_t area_off;    /* signed types: where the zeroed signature area starts */
	const uint8_t *sig; /* signed types: the signature bytes ... */
	size_t sig_len;     /* ... and their number (EC: the size field) */
};

/*
 * The layout of user data of type udtype: for EC, the size field (8..139), zero bytes
 * after the DER signature and in the reserved fields, and a DER SEQUENCE whose length is
 * exactly the size field; for type none, all zero. ASR_OK, or ASR_E_USERDATA /
 * ASR_E_UDTYPE with why naming the field. asr_parse() applies it to every request.
 */
enum asr_err asr_sig_layout(uint16_t udtype, const uint8_t ud[ASR_USERDATA_LEN],
			    struct asr_sig *sig, char *why, size_t why_size);

/* Human description of the user-data type ("none", "unsigned", ...). */
const char *asr_udtype_name(uint16_t udtype);

#endif
