// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "util.h"

char *hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = 0;
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *s, uint8_t *out, size_t len)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= b[i];
	return acc == 0;
}

bool ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= x[i] ^ y[i];
	return acc == 0;
}

void secure_zero(void *p, size_t len)
{
	volatile uint8_t *b = p;

	while (len--)
		*b++ = 0;
}

void sha256(const void *data, size_t len, uint8_t out[32])
{
	mbedtls_sha256(data, len, out, 0);
}

void sbuf_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void sbuf_free(struct sbuf *b)
{
	/* buffers may hold secret material (PEM of a retrieved secret) */
	if (b->s)
		secure_zero(b->s, b->cap);
	free(b->s);
	sbuf_init(b);
}

static bool sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t need;
	char *s;

	if (b->failed)
		return false;
	if (more > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return true;
	if (need < 2 * b->cap)
		need = 2 * b->cap;
	if (need < 256)
		need = 256;
	s = realloc(b->s, need);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = need;
	return true;
}

void sbuf_add(struct sbuf *b, const void *data, size_t len)
{
	if (!sbuf_reserve(b, len))
		return;
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = 0;
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sbuf_reserve(b, (size_t)n)) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static size_t utf8_seq(const uint8_t *s, size_t len, uint32_t *cp);
static bool cp_unsafe(uint32_t cp);

void sbuf_json_str(struct sbuf *b, const char *s, size_t len)
{
	sbuf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};

			sbuf_add(b, esc, 2);
		} else if (c == '\n') {
			sbuf_add(b, "\\n", 2);
		} else if (c == '\t') {
			sbuf_add(b, "\\t", 2);
		} else if (c >= 0x20 && c < 0x7f) {
			sbuf_add(b, &s[i], 1);
		} else if (c >= 0x80 && (n = utf8_seq((const uint8_t *)s + i, len - i, &cp))) {
			if (cp_unsafe(cp) && cp <= 0xffff)
				sbuf_printf(b, "\\u%04x", (unsigned)cp); /* C1, Zl, Zp, Cf */
			else if (cp_unsafe(cp)) /* a Cf beyond the BMP: a surrogate pair */
				sbuf_printf(b, "\\u%04x\\u%04x",
					    (unsigned)(0xd800 + ((cp - 0x10000) >> 10)),
					    (unsigned)(0xdc00 + ((cp - 0x10000) & 0x3ff)));
			else
				sbuf_add(b, &s[i], n); /* printable UTF-8 stays text */
			i += n - 1;
		} else {
			/* controls, DEL, C1 and bytes that are not UTF-8: never raw */
			sbuf_printf(b, "\\u%04x", c);
		}
	}
	sbuf_add(b, "\"", 1);
}

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	for (; *s; s++) {
		int d = base == 16 ? hexval(*s) : (*s >= '0' && *s <= '9' ? *s - '0' : -1);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *err_str(int errnum)
{
	switch (errnum) {
	case EPERM:
		return "Operation not permitted";
	case ENOENT:
		return "No such file or directory";
	case EINTR:
		return "Interrupted system call";
	case EIO:
		return "Input/output error";
	case ENXIO:
		return "No such device or address";
	case EBADF:
		return "Bad file descriptor";
	case EAGAIN:
		return "Resource temporarily unavailable";
	case ENOMEM:
		return "Cannot allocate memory";
	case EACCES:
		return "Permission denied";
	case EFAULT:
		return "Bad address";
	case EBUSY:
		return "Device or resource busy";
	case EEXIST:
		return "File exists";
	case ENODEV:
		return "No such device";
	case ENOTDIR:
		return "Not a directory";
	case EISDIR:
		return "Is a directory";
	case EINVAL:
		return "Invalid argument";
	case ENOTTY:
		return "Inappropriate ioctl for device";
	case EFBIG:
		return "File too large";
	case ENOSPC:
		return "No space left on device";
	case EROFS:
		return "Read-only file system";
	case ERANGE:
		return "Numerical result out of range";
	case ENOSYS:
		return "Function not implemented";
	case ELOOP:
		return "Too many levels of symbolic links";
	case ETIMEDOUT:
		return "Connection timed out";
	case EPROTO:
		return "Protocol error";
	}
	return strerror(errnum);
}

/*
 * The well-formed UTF-8 sequence of 2..4 bytes at s: its length and *cp, or 0 (a lone or
 * bad byte, an overlong form, a surrogate, beyond U+10FFFF).
 */
static size_t utf8_seq(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 1;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 2;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 3;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len - 1 < n)
		return 0;
	for (size_t k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((n == 2 && *cp < 0x800) || (n == 3 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n + 1;
}

/*
 * Not for a terminal: C1 controls; the line and paragraph separators (Zl U+2028, Zp
 * U+2029: a new line to some viewers); and every format character (Unicode 15.1's Cf):
 * the bidirectional controls that reorder what a line shows (ALM U+061C, LRM, RLM,
 * LRE..RLO, LRI..PDI), zero-width and invisible ones that make two different names look
 * the same (U+200B..U+200D, U+2060..U+2064, U+FEFF, the soft hyphen U+00AD, tags), and
 * the rest of Cf. Ranges in ascending order.
 */
static bool cp_unsafe(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
	} bad[] = {
	    {0x0000, 0x009f},	/* C0, DEL, C1 */
	    {0x00ad, 0x00ad},	/* soft hyphen */
	    {0x0600, 0x0605},	/* Arabic number signs */
	    {0x061c, 0x061c},	/* Arabic letter mark */
	    {0x06dd, 0x06dd},	/* Arabic end of ayah */
	    {0x070f, 0x070f},	/* Syriac abbreviation mark */
	    {0x0890, 0x0891},	/* Arabic pound and piastre marks above */
	    {0x08e2, 0x08e2},	/* Arabic disputed end of ayah */
	    {0x180e, 0x180e},	/* Mongolian vowel separator */
	    {0x200b, 0x200f},	/* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	    {0x2028, 0x202e},	/* line and paragraph separators, LRE..RLO */
	    {0x2060, 0x2064},	/* word joiner, invisible operators */
	    {0x2066, 0x206f},	/* LRI..PDI, deprecated format characters */
	    {0xfeff, 0xfeff},	/* zero-width no-break space (BOM) */
	    {0xfff9, 0xfffb},	/* interlinear annotation */
	    {0x110bd, 0x110bd}, /* Kaithi number sign */
	    {0x110cd, 0x110cd}, /* Kaithi number sign above */
	    {0x13430, 0x1343f}, /* Egyptian hieroglyph format controls */
	    {0x1bca0, 0x1bca3}, /* shorthand format controls */
	    {0x1d173, 0x1d17a}, /* musical symbol format controls */
	    {0xe0001, 0xe0001}, /* language tag */
	    {0xe0020, 0xe007f}, /* tags */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad) && cp >= bad[i].lo; i++)
		if (cp <= bad[i].hi)
			return true;
	return false;
}

bool text_printable(const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return false;
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &cp);
		if (!n || cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}

/* The one escaping rule: printable ASCII as it is, a backslash doubled, else \xNN. */
static size_t escape_piece(uint8_t c, char tmp[5])
{
	if (c == '\\')
		return (size_t)snprintf(tmp, 5, "\\\\");
	if (c >= 0x20 && c < 0x7f)
		return (size_t)snprintf(tmp, 5, "%c", c);
	return (size_t)snprintf(tmp, 5, "\\x%02x", c);
}

char *text_escape(char *out, size_t out_size, const void *p, size_t len)
{
	const uint8_t *s = p;
	size_t total = 0, o = 0, room;
	char tmp[5];

	if (!out_size)
		return out;
	for (size_t i = 0; i < len; i++)
		total += escape_piece(s[i], tmp);
	/* all of it, or as much as leaves room for "..." */
	room = total < out_size ? out_size - 1 : out_size > 4 ? out_size - 4 : 0;
	for (size_t i = 0; i < len; i++) {
		size_t n = escape_piece(s[i], tmp);

		if (o + n > room)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	if (total >= out_size && out_size > 4) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
	return out;
}

void sbuf_escape(struct sbuf *b, const void *p, size_t len)
{
	const uint8_t *s = p;
	char tmp[5];

	for (size_t i = 0; i < len; i++)
		sbuf_add(b, tmp, escape_piece(s[i], tmp));
}

const char *fs_ro_mount_data(const char *fstype)
{
	if (strcmp(fstype, "ext4") == 0 || strcmp(fstype, "ext3") == 0)
		return "noload";
	if (strcmp(fstype, "xfs") == 0)
		return "norecovery";
	return NULL;
}

int fail_why(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}
