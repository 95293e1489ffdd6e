// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asr.h"
#include "util.h"

static const char *const asr_errors[] = {
    [ASR_OK] = "valid",
    [ASR_E_SHORT] = "request too short",
    [ASR_E_LARGE] = "request larger than 1 MiB",
    [ASR_E_MAGIC] = "not an add-secret request",
    [ASR_E_UDTYPE] = "unsupported user-data type",
    [ASR_E_VERSION] = "unsupported request version",
    [ASR_E_RQL] = "request length does not match the file",
    [ASR_E_NKS] = "invalid number of key slots",
    [ASR_E_SEA] = "inconsistent encrypted-area size",
    [ASR_E_RESERVED] = "reserved field not zero",
    [ASR_E_SECHDR] = "malformed secret header",
    [ASR_E_SECRET_TYPE] = "unknown secret type",
    [ASR_E_SECRET_LEN] = "invalid secret length for its type",
    [ASR_E_USERDATA] = "user data does not match its type",
};

const char *asr_strerror(enum asr_err err)
{
	if ((size_t)err < ARRAY_SIZE(asr_errors) && asr_errors[err])
		return asr_errors[err];
	return "invalid request";
}

const char *asr_udtype_name(uint16_t udtype)
{
	switch (udtype) {
	case ASR_UD_NONE:
		return "none";
	case ASR_UD_UNSIGNED:
		return "unsigned";
	case ASR_UD_EC_P521:
		return "signed (EC secp521r1)";
	case ASR_UD_RSA_2048:
		return "signed (RSA 2048)";
	case ASR_UD_RSA_3072:
		return "signed (RSA 3072)";
	}
	return "unknown";
}

int asr_expected_secret_len(uint16_t type)
{
	switch (type) {
	case SECRET_NULL:
		return 0;
	case SECRET_ASSOCIATION:
	case SECRET_AES_256:
	case SECRET_AES_XTS_128:
	case SECRET_EC_P256:
	case SECRET_EC_ED25519:
	case SECRET_UPDATE_CCK:
		return 32;
	case SECRET_PLAINTEXT:
		return 0; /* variable, see asr_plaintext_len_valid() */
	case SECRET_AES_128:
		return 16;
	case SECRET_AES_192:
		return 24;
	case SECRET_AES_XTS_256:
	case SECRET_HMAC_SHA_256:
	case SECRET_EC_ED448:
		return 64;
	case SECRET_HMAC_SHA_512:
		return 128;
	case SECRET_EC_P384:
		return 48;
	case SECRET_EC_P521:
		return 80;
	}
	return -1;
}

bool asr_plaintext_len_valid(uint32_t len)
{
	/* roundup16(2 + N) with 0 <= N <= 8190: 16, 32, ..., 8192 */
	return len >= 16 && len <= 8192 && len % 16 == 0;
}

bool secret_type_retrievable(uint16_t type)
{
	return (type >= SECRET_PLAINTEXT && type <= SECRET_HMAC_SHA_512) ||
	       (type >= SECRET_EC_P256 && type <= SECRET_EC_ED448);
}

bool secret_type_listable(uint16_t type)
{
	return type == SECRET_ASSOCIATION || secret_type_retrievable(type);
}

__attribute__((format(printf, 4, 5))) static enum asr_err fail(enum asr_err err, char *why,
							       size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return err;
}

enum asr_err asr_sig_layout(uint16_t udtype, const uint8_t ud[ASR_USERDATA_LEN],
			    struct asr_sig *sig, char *why, size_t why_size)
{
	memset(sig, 0, sizeof(*sig));
	switch (udtype) {
	case ASR_UD_EC_P521: {
		/* data 256 | DER signature 139 | 5 reserved | u16 size @0x190 | 110 reserved */
		const uint8_t *der = ud + ASR_UD_EC_SIG_OFF;
		uint16_t n = get_be16(ud + ASR_UD_EC_SIZE_OFF);
		size_t hdr, body;

		sig->data_len = ASR_UD_SIGNED_DATA_LEN;
		sig->area_off = ASR_UD_EC_SIG_OFF;
		sig->sig = der;
		sig->sig_len = n;
		if (n < ASR_UD_EC_SIG_MIN || n > ASR_UD_EC_SIG_MAX)
			return fail(ASR_E_USERDATA, why, why_size,
				    "EC signature size field (user data +0x190) is %u, expected %d "
				    "to %d",
				    n, ASR_UD_EC_SIG_MIN, ASR_UD_EC_SIG_MAX);
		if (!all_zero(der + n, ASR_UD_EC_SIG_MAX - n))
			return fail(
			    ASR_E_USERDATA, why, why_size,
			    "non-zero bytes after the %u-byte DER signature in its 139-byte "
			    "area",
			    n);
		if (!all_zero(ud + ASR_UD_EC_SIG_OFF + ASR_UD_EC_SIG_MAX, 5) ||
		    !all_zero(ud + ASR_UD_EC_SIZE_OFF + 2,
			      ASR_USERDATA_LEN - ASR_UD_EC_SIZE_OFF - 2))
			return fail(ASR_E_USERDATA, why, why_size,
				    "reserved bytes around the EC signature size field are not "
				    "zero");
		/* SEQUENCE { INTEGER r, INTEGER s }: its length must be exactly the size field */
		if (der[0] != 0x30)
			return fail(ASR_E_USERDATA, why, why_size,
				    "EC signature is not a DER SEQUENCE (first byte 0x%02x)",
				    der[0]);
		if (der[1] < 0x80) {
			hdr = 2;
			body = der[1];
		} else if (der[1] == 0x81 && der[2] >= 0x80) {
			hdr = 3;
			body = der[2];
		} else {
			return fail(ASR_E_USERDATA, why, why_size,
				    "EC signature has a malformed DER length (0x%02x)", der[1]);
		}
		if (hdr + body != n)
			return fail(
			    ASR_E_USERDATA, why, why_size,
			    "EC signature: the DER SEQUENCE is %zu bytes, the size field says "
			    "%u",
			    hdr + body, n);
		return ASR_OK;
	}
	case ASR_UD_RSA_2048:
	case ASR_UD_RSA_3072:
		sig->data_len =
		    udtype == ASR_UD_RSA_2048 ? ASR_UD_SIGNED_DATA_LEN : ASR_UD_RSA3072_DATA_LEN;
		sig->area_off = sig->data_len;
		sig->sig = ud + sig->data_len;
		sig->sig_len = ASR_USERDATA_LEN - sig->data_len;
		return ASR_OK;
	case ASR_UD_NONE:
		if (!all_zero(ud, ASR_USERDATA_LEN))
			return fail(ASR_E_USERDATA, why, why_size,
				    "user-data type none, but the user data is not zero");
		return ASR_OK;
	case ASR_UD_UNSIGNED:
		sig->data_len = ASR_USERDATA_LEN;
		return ASR_OK;
	}
	return fail(ASR_E_UDTYPE, why, why_size, "unsupported user-data type 0x%04x", udtype);
}

enum asr_err asr_parse(const uint8_t *buf, size_t len, struct asr_info *info, char *why,
		       size_t why_size)
{
	size_t hdr, end;
	uint32_t rql;
	int want;

	memset(info, 0, sizeof(*info));
	if (len < ASR_MAGIC_LEN || memcmp(buf, ASR_MAGIC, ASR_MAGIC_LEN) != 0)
		return fail(ASR_E_MAGIC, why, why_size, "no \"asrcbM\" magic at offset 0");
	if (len > ASR_MAX_SIZE)
		return fail(ASR_E_LARGE, why, why_size, "%zu bytes, at most %u allowed", len,
			    ASR_MAX_SIZE);
	if (len < ASR_MIN_SIZE)
		return fail(ASR_E_SHORT, why, why_size, "%zu bytes, the smallest request has %u",
			    len, (unsigned)ASR_MIN_SIZE);

	info->udtype = get_be16(buf + ASR_OFF_UDTYPE);
	info->version = get_be32(buf + ASR_OFF_VERSION);
	rql = get_be32(buf + ASR_OFF_RQL);
	info->nks = buf[ASR_OFF_NKS];
	info->sea = get_be32(buf + ASR_OFF_SEA);
	info->flags = get_be64(buf + ASR_OFF_FLAGS);
	info->iv = buf + ASR_OFF_IV;
	info->tags = buf + ASR_OFF_PLD;
	info->cuid = buf + ASR_OFF_CUID;
	info->userdata = buf + ASR_OFF_USERDATA;
	info->custkey = buf + ASR_OFF_CUSTKEY;
	info->slots = buf + ASR_OFF_SLOTS;

	if (info->udtype > ASR_UD_RSA_3072)
		return fail(ASR_E_UDTYPE, why, why_size, "user-data type 0x%04x (0 to 4 known)",
			    info->udtype);
	if (info->version != ASR_VERSION_1)
		return fail(ASR_E_VERSION, why, why_size, "version 0x%08x, expected 0x00000100",
			    info->version);
	if (rql != len)
		return fail(ASR_E_RQL, why, why_size,
			    "the request says it has %u bytes, the file has %zu", rql, len);
	info->size = len;
	if (!all_zero(buf + 0x1c, 11) || !all_zero(buf + 0x28, 4))
		return fail(ASR_E_RESERVED, why, why_size,
			    "reserved bytes 0x1c..0x2c are not zero");
	if (!all_zero(buf + 0x118, 256))
		return fail(ASR_E_RESERVED, why, why_size,
			    "reserved bytes 0x118..0x218 are not zero");
	if (info->nks == 0)
		return fail(ASR_E_NKS, why, why_size, "no key slots");

	hdr = ASR_OFF_SLOTS + (size_t)ASR_SLOT_LEN * info->nks;
	if (hdr + ASR_SECHDR_NULL_LEN + ASR_EXT_SECRET_LEN + ASR_GCM_TAG_LEN > len)
		return fail(ASR_E_NKS, why, why_size, "%u key slots do not fit in %zu bytes",
			    info->nks, len);
	info->sechdr_off = hdr;
	info->secret_type = get_be16(buf + hdr + 2);
	info->secret_len = get_be32(buf + hdr + 4);
	if (get_be16(buf + hdr) != 0 || !all_zero(buf + hdr + 8, 8))
		return fail(ASR_E_SECHDR, why, why_size,
			    "secret header at 0x%zx has non-zero reserved bytes", hdr);

	want = asr_expected_secret_len(info->secret_type);
	if (want < 0)
		return fail(ASR_E_SECRET_TYPE, why, why_size, "secret type 0x%04x",
			    info->secret_type);
	info->sechdr_len = info->secret_type == SECRET_NULL ? ASR_SECHDR_NULL_LEN : ASR_SECHDR_LEN;
	if (info->secret_type == SECRET_PLAINTEXT) {
		if (!asr_plaintext_len_valid(info->secret_len))
			return fail(ASR_E_SECRET_LEN, why, why_size,
				    "plaintext secret of %u bytes (a multiple of 16 from 16 to "
				    "8192 expected)",
				    info->secret_len);
	} else if (info->secret_len != (uint32_t)want) {
		return fail(ASR_E_SECRET_LEN, why, why_size,
			    "secret type 0x%04x with %u bytes, expected %d", info->secret_type,
			    info->secret_len, want);
	}

	if (info->sea != info->secret_len + ASR_EXT_SECRET_LEN)
		return fail(ASR_E_SEA, why, why_size,
			    "encrypted area of %u bytes for a %u-byte secret (expected %u)",
			    info->sea, info->secret_len, info->secret_len + ASR_EXT_SECRET_LEN);
	end = hdr + info->sechdr_len + (size_t)info->sea + ASR_GCM_TAG_LEN;
	if (end != len)
		return fail(ASR_E_SEA, why, why_size,
			    "%u key slots, a %zu-byte secret header and a %u-byte encrypted area "
			    "make %zu bytes, the request has %zu",
			    info->nks, info->sechdr_len, info->sea, end, len);
	info->aad_len = len - info->sea - ASR_GCM_TAG_LEN;
	info->gcm_tag = buf + len - ASR_GCM_TAG_LEN;

	if (info->secret_type != SECRET_NULL) {
		info->secret_id = buf + hdr + 16;
		if (info->secret_type == SECRET_UPDATE_CCK &&
		    !all_zero(info->secret_id, ASR_SECRET_ID_LEN))
			return fail(ASR_E_SECHDR, why, why_size,
				    "update-CCK request with a non-zero secret id");
	}
	{
		struct asr_sig sig;

		return asr_sig_layout(info->udtype, info->userdata, &sig, why, why_size);
	}
}
