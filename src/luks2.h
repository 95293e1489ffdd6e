/* SPDX-License-Identifier: MIT */
/*
 * A LUKS2 header reader for hostile input (the LUKS2 on-disk format, cryptsetup's
 * docs/on-disk-format-luks2.pdf). Pure: the caller reads the bytes.
 *
 * luks2_parse() takes the first bytes of a header (a detached header file or the start
 * of a disk): both binary headers (the primary at 0, the secondary at hdr_size) and
 * their JSON areas. It refuses, with a message in err:
 *  - a copy with a wrong magic, a version other than 2, a hdr_size that is not one of
 *    16 KiB .. 4 MiB (a power of two), a hdr_offset other than its own offset, a
 *    checksum algorithm other than sha256, or a wrong checksum (SHA-256 over the copy's
 *    hdr_size bytes with the csum field zeroed);
 *  - a buffer shorter than both copies (2 * hdr_size);
 *  - copies that disagree on hdr_size, or that have the same seqid but different bytes
 *    (other than their magic, salt, hdr_offset and csum); with different seqids the newer one
 *    (the higher seqid) is used, as cryptsetup does. A header with only one valid copy
 *    is refused (cryptsetup would repair it: `cryptsetup repair`);
 *  - a JSON area that is not one JSON object (LUKS2_JSON_MAX_DEPTH, LUKS2_JSON_MAX_NODES,
 *    valid UTF-8, no duplicate keys, no NUL inside, only NUL bytes after it), or whose
 *    LUKS2 objects are not what the format says (keyslots, segments, digests, config,
 *    tokens; unknown keys in the objects it interprets; numbers out of range; more than
 *    LUKS2_MAX_* entries).
 * Keyslot and segment types it does not know (reencrypt, linear, ...) and config
 * requirements are recorded, not refused: luks2_check() refuses them by name.
 *
 * luks2_check() is the policy for a root pvboot opens: no cipher_null anywhere (data
 * segment and keyslot areas, any spelling: the cipher name contains "cipher_null",
 * case-insensitively), no re-encryption, no requirements, exactly one segment and it of
 * type crypt without integrity or flags, every key (volume key, keyslot area keys) at
 * least 256 bits, and the data cipher one of ciphers[] (exact match; NULL or n == 0:
 * LUKS2_DEFAULT_CIPHERS).
 *
 * Both return 0, or -EINVAL with err set to one printable line (values from the header
 * are escaped) that does not name the file: the caller prefixes "file: ".
 */
#ifndef PVBOOT_LUKS2_H
#define PVBOOT_LUKS2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUKS2_BIN_SIZE	     4096
#define LUKS2_HDR_MIN	     0x4000u	 /* 16 KiB: binary header + JSON area, one copy */
#define LUKS2_HDR_MAX	     0x400000u	 /* 4 MiB */
#define LUKS2_FILE_CAP	     (16u << 20) /* a detached header file (cryptsetup's default size) */
#define LUKS2_JSON_MAX_DEPTH 16
#define LUKS2_JSON_MAX_NODES 4096
#define LUKS2_MAX_KEYSLOTS   32
#define LUKS2_MAX_SEGMENTS   8
#define LUKS2_MAX_DIGESTS    8
#define LUKS2_MAX_TOKENS     32
#define LUKS2_NAME_MAX	     64 /* a cipher, type or kdf name, NUL included */
#define LUKS2_MIN_KEY_BITS   256
#define LUKS2_DEFAULT_CIPHERS                                                                      \
	{                                                                                          \
		"aes-xts-plain64", "paes-xts-plain64"                                              \
	}
#define LUKS2_N_DEFAULT_CIPHERS 2

/* config.flags the reader knows (activation flags; none changes the crypt mapping's cipher) */
#define LUKS2_FLAG_ALLOW_DISCARDS	 0x01u
#define LUKS2_FLAG_SAME_CPU_CRYPT	 0x02u
#define LUKS2_FLAG_SUBMIT_FROM_CRYPT_CPU 0x04u
#define LUKS2_FLAG_NO_JOURNAL		 0x08u
#define LUKS2_FLAG_NO_READ_WORKQUEUE	 0x10u
#define LUKS2_FLAG_NO_WRITE_WORKQUEUE	 0x20u

struct luks2_segment {
	unsigned id;
	char type[LUKS2_NAME_MAX];	 /* "crypt"; anything else is recorded, refused by check */
	char encryption[LUKS2_NAME_MAX]; /* crypt: "aes-xts-plain64" */
	uint64_t offset;		 /* bytes */
	uint64_t size;			 /* bytes; 0 with dynamic */
	bool dynamic;			 /* size "dynamic": to the end of the device */
	uint64_t iv_tweak;
	unsigned sector_size; /* 512, 1024, 2048 or 4096 */
	bool integrity;	      /* an "integrity" object (dm-integrity below dm-crypt) */
	bool flags;	      /* a non-empty "flags" array (re-encryption's segments) */
};

struct luks2_keyslot {
	unsigned id;
	char type[LUKS2_NAME_MAX]; /* "luks2"; "reencrypt" is recorded, refused by check */
	unsigned key_bits;	   /* the key it holds (the volume key), in bits */
	char area_encryption[LUKS2_NAME_MAX]; /* luks2: the area's cipher */
	unsigned area_key_bits;
	char kdf[LUKS2_NAME_MAX]; /* luks2: pbkdf2, argon2i or argon2id */
	bool bound;		  /* some digest lists it */
};

struct luks2_hdr {
	/* binary header (the copy in use) */
	uint64_t hdr_size; /* one copy: binary header + JSON area */
	uint64_t seqid;
	unsigned copy;	    /* 0: the primary, 1: the secondary is newer and used */
	char uuid[40];	    /* NUL-terminated, printable */
	char label[48];	    /* NUL-terminated; may be anything but NUL: escape to print */
	char subsystem[48]; /* likewise */

	/* the data segment, when there is exactly one of type crypt (else zero) */
	char cipher[LUKS2_NAME_MAX]; /* the expected data cipher */
	unsigned key_bits;	     /* volume key size, bits (key_size of its keyslots) */
	uint64_t data_offset;	     /* bytes from the start of the data device */
	uint64_t data_size;	     /* bytes; 0: dynamic */
	uint64_t iv_tweak;
	unsigned sector_size;

	/* everything the JSON area lists */
	struct luks2_segment segments[LUKS2_MAX_SEGMENTS];
	unsigned n_segments;
	struct luks2_keyslot keyslots[LUKS2_MAX_KEYSLOTS];
	unsigned n_keyslots;
	unsigned n_digests;
	unsigned n_tokens;
	char token_types[LUKS2_MAX_TOKENS][LUKS2_NAME_MAX];
	uint64_t json_size, keyslots_size; /* config */
	unsigned flags;			   /* LUKS2_FLAG_* */
	bool requirements;		   /* config.requirements is present and not empty */
	char requirement[LUKS2_NAME_MAX];  /* the first mandatory requirement, or "" */
	uint64_t metadata_end; /* 2 * hdr_size + keyslots_size: what a header file holds */
};

int luks2_parse(const uint8_t *buf, size_t len, struct luks2_hdr *out, char *err, size_t errsz);
int luks2_check(const struct luks2_hdr *h, const char *const *ciphers, size_t n, char *err,
		size_t errsz);

/* Whether a cipher spelling is a null cipher: it contains "cipher_null" in any case. */
bool luks2_cipher_is_null(const char *cipher);

#endif
