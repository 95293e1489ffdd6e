/* SPDX-License-Identifier: MIT */
/* Small pure helpers: big-endian access, hex, hashing, bounded string building. */
#ifndef PVBOOT_UTIL_H
#define PVBOOT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

/* Lower-case hex of len bytes into out (2·len + 1 bytes). Returns out. */
char *hex_encode(const uint8_t *in, size_t len, char *out);
/*
 * Decode exactly len bytes from s (an optional "0x" prefix, then 2·len hex digits,
 * nothing else). Returns 0 or -EINVAL.
 */
int hex_decode(const char *s, uint8_t *out, size_t len);

bool all_zero(const void *p, size_t len);
/* Compare without an early exit (for tags and secrets). */
bool ct_equal(const void *a, const void *b, size_t len);
/* Overwrite memory the compiler must not optimise away (secrets). */
void secure_zero(void *p, size_t len);

void sha256(const void *data, size_t len, uint8_t out[32]);

/*
 * A growable output buffer: text output of the list, json, etc. is built in memory and
 * written in one go. On allocation failure the buffer is marked failed and ignores
 * further appends.
 */
struct sbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *data, size_t len);
void sbuf_puts(struct sbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void sbuf_printf(struct sbuf *b, const char *fmt, ...);
/*
 * A JSON string literal (with quotes) of len bytes: valid JSON for any bytes. Printable
 * UTF-8 stays as it is; controls, DEL and bytes that are not UTF-8 become \u00NN; C1,
 * the line and paragraph separators and format characters (Cf: bidirectional
 * controls, zero-width characters, ...; see text_printable) \uNNNN, beyond U+FFFF as a
 * surrogate pair.
 */
void sbuf_json_str(struct sbuf *b, const char *s, size_t len);

/*
 * The mount data for a read-only mount of a host's file system of this type: "noload"
 * for ext3 and ext4, "norecovery" for xfs (never replay, nor even parse, a journal the
 * host wrote: a read-only mount must write nothing and read no more of the host's
 * structures than the files), NULL for the others (ext2 and vfat have no journal).
 */
const char *fs_ro_mount_data(const char *fstype);

/* strerror() with the same words on every libc (musl and glibc differ). */
const char *err_str(int errnum);

/*
 * For pure checks that explain a refusal: format why (when why and size are set) and
 * return -EINVAL, so a check reads "return fail_why(why, size, "...", ...);".
 */
__attribute__((format(printf, 3, 4))) int fail_why(char *why, size_t size, const char *fmt, ...);

/* Parse a whole decimal or 0x-hex unsigned number; 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);

/*
 * Text that is safe to show on a console: printable ASCII or well-formed UTF-8, no
 * control characters (C0, DEL, C1), no line or paragraph separator (U+2028, U+2029),
 * no format character (Unicode Cf: the bidirectional controls that reorder what a line
 * shows, zero-width and invisible characters such as U+200B and U+FEFF, the soft
 * hyphen U+00AD, tags), no NUL. Used for names read from hostile disks.
 */
bool text_printable(const void *s, size_t len);
/*
 * THE escaping of every byte from a disk or a device on its way to a terminal, a log
 * line, kmsg or the status text (DESIGN §2). A hostile name for a message: printable ASCII as it is
 * (a backslash doubled), every other byte as \xNN; cut with "..." to fit out_size. Returns out.
 */
char *text_escape(char *out, size_t out_size, const void *s, size_t len);
/* The same escaping, appended to b without a length limit. */
void sbuf_escape(struct sbuf *b, const void *s, size_t len);

#endif
