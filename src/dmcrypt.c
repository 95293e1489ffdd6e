// SPDX-License-Identifier: MIT
/*
 * The root's live device-mapper table (dmcrypt.h). The kernel's text for a crypt target
 * (drivers/md/dm-crypt.c, crypt_status with STATUSTYPE_TABLE) is
 *
 *   <cipher> <key> <iv_offset> <major>:<minor> <start> [<#opts> <opt>...]
 *
 * with <key> either "-" (no key), the key in hex, or ":<bytes>:<type>:<description>"
 * (a kernel keyring key, as cryptsetup loads LUKS2 volumes). Fields are separated by
 * single spaces. The parser takes that form only and refuses anything else, including
 * options it does not know (integrity:... is another kind of mapping).
 */
#include <errno.h>
#include <string.h>

#include "dmcrypt.h"
#include "util.h"

struct words {
	const char *p, *end;
};

/* The next space-separated word: 0 with *w, *wlen; -ENODATA at the end; -EBADMSG if
 * two spaces meet or the text starts or ends with one. */
static int next_word(struct words *ws, const char **w, size_t *wlen)
{
	const char *s = ws->p, *e;

	if (s >= ws->end)
		return -ENODATA;
	e = memchr(s, ' ', (size_t)(ws->end - s));
	if (!e)
		e = ws->end;
	if (e == s)
		return -EBADMSG;
	*w = s;
	*wlen = (size_t)(e - s);
	ws->p = e;
	if (e < ws->end) {
		ws->p = e + 1;
		if (ws->p == ws->end)
			return -EBADMSG; /* a trailing space */
	}
	return 0;
}

/* A decimal number of at most 20 digits without sign or leading zero, <= max. */
static int word_u64(const char *w, size_t len, uint64_t max, uint64_t *out)
{
	char buf[24];

	if (!len || len >= sizeof(buf) || (len > 1 && w[0] == '0'))
		return -EBADMSG;
	for (size_t i = 0; i < len; i++)
		if (w[i] < '0' || w[i] > '9')
			return -EBADMSG;
	memcpy(buf, w, len);
	buf[len] = 0;
	return parse_u64(buf, max, out) ? -EBADMSG : 0;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return len == strlen(s) && memcmp(w, s, len) == 0;
}

static bool cipher_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-_():,.", c);
}

/* The key field: its size only. The value is never copied or printed. */
static int parse_key(const char *w, size_t len, struct dmcrypt_table *t, char *why, size_t why_size)
{
	const char *c;
	uint64_t n;

	t->key_in_keyring = false;
	if (word_is(w, len, "-")) {
		t->key_bytes = 0;
		return 0;
	}
	if (w[0] == ':') {
		/* :<bytes>:<type>:<description> */
		c = memchr(w + 1, ':', len - 1);
		if (!c || word_u64(w + 1, (size_t)(c - w - 1), 4096, &n) ||
		    !memchr(c + 1, ':', len - (size_t)(c + 1 - w)))
			return fail_why(why, why_size,
					"the key field is neither hex nor a keyring reference "
					"(:<size>:<type>:<description>)"),
			       -EBADMSG;
		t->key_bytes = (uint32_t)n;
		t->key_in_keyring = true;
		return 0;
	}
	if (len % 2 || len > 2 * 4096)
		return fail_why(why, why_size, "the key field has an odd or excessive length (%zu)",
				len),
		       -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		char x = w[i];

		if (!((x >= '0' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F')))
			return fail_why(why, why_size, "the key field is not hex"), -EBADMSG;
	}
	t->key_bytes = (uint32_t)(len / 2);
	return 0;
}

static int parse_devno(const char *w, size_t len, struct dmcrypt_table *t)
{
	const char *c = memchr(w, ':', len);
	uint64_t ma, mi;

	if (!c || word_u64(w, (size_t)(c - w), 0xfff, &ma) ||
	    word_u64(c + 1, len - (size_t)(c + 1 - w), 0xfffff, &mi))
		return -EBADMSG;
	t->dev_major = (unsigned)ma;
	t->dev_minor = (unsigned)mi;
	return 0;
}

static int parse_opt(const char *w, size_t len, struct dmcrypt_table *t, char *why, size_t why_size)
{
	static const char *const flags[] = {"allow_discards", "same_cpu_crypt",
					    "submit_from_crypt_cpus", "no_read_workqueue",
					    "no_write_workqueue"};
	char esc[96];
	uint64_t n;

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (word_is(w, len, flags[i]))
			return 0;
	if (word_is(w, len, "iv_large_sectors")) {
		t->iv_large_sectors = true;
		return 0;
	}
	if (len > 12 && memcmp(w, "sector_size:", 12) == 0) {
		if (word_u64(w + 12, len - 12, 4096, &n) || n < 512 || (n & (n - 1)))
			return fail_why(why, why_size, "the option %s is not a sector size",
					text_escape(esc, sizeof(esc), w, len)),
			       -EBADMSG;
		t->sector_size = (uint32_t)n;
		return 0;
	}
	return fail_why(why, why_size, "the table has the option %s, which pvboot does not accept",
			text_escape(esc, sizeof(esc), w, len)),
	       -EBADMSG;
}

int dmcrypt_parse_params(const char *params, size_t len, struct dmcrypt_table *t, char *why,
			 size_t why_size)
{
	struct words ws = {params, params + len};
	const char *w;
	size_t wl;
	uint64_t n;
	int ret;

	t->sector_size = 512;
	t->iv_large_sectors = false;
	t->nopts = 0;
	if (len > DMCRYPT_PARAMS_MAX)
		return fail_why(why, why_size, "the crypt parameters are too long (%zu bytes)",
				len),
		       -EBADMSG;
	if (!text_printable(params, len))
		return fail_why(why, why_size, "the crypt parameters are not printable text"),
		       -EBADMSG;
	/* cipher */
	if (next_word(&ws, &w, &wl))
		return fail_why(why, why_size, "the crypt parameters are empty"), -EBADMSG;
	if (wl >= sizeof(t->cipher))
		return fail_why(why, why_size, "the cipher is too long (%zu bytes)", wl), -EBADMSG;
	for (size_t i = 0; i < wl; i++)
		if (!cipher_char(w[i]))
			return fail_why(why, why_size, "the cipher has the character 0x%02x",
					(unsigned char)w[i]),
			       -EBADMSG;
	memcpy(t->cipher, w, wl);
	t->cipher[wl] = 0;
	/* key */
	if (next_word(&ws, &w, &wl))
		return fail_why(why, why_size, "the crypt parameters end after the cipher"),
		       -EBADMSG;
	if ((ret = parse_key(w, wl, t, why, why_size)))
		return ret;
	/* iv_offset */
	if (next_word(&ws, &w, &wl) || word_u64(w, wl, UINT64_MAX, &t->iv_offset))
		return fail_why(why, why_size, "the crypt parameters have no IV offset"), -EBADMSG;
	/* device */
	if (next_word(&ws, &w, &wl) || parse_devno(w, wl, t))
		return fail_why(why, why_size, "the crypt parameters name no device major:minor"),
		       -EBADMSG;
	/* start */
	if (next_word(&ws, &w, &wl) || word_u64(w, wl, UINT64_MAX, &t->offset))
		return fail_why(why, why_size, "the crypt parameters have no data offset"),
		       -EBADMSG;
	/* options */
	ret = next_word(&ws, &w, &wl);
	if (ret == -ENODATA)
		return 0;
	if (ret || word_u64(w, wl, 16, &n) || n == 0)
		return fail_why(why, why_size, "the crypt options have no valid count"), -EBADMSG;
	t->nopts = (unsigned)n;
	for (uint64_t i = 0; i < n; i++) {
		if (next_word(&ws, &w, &wl))
			return fail_why(why, why_size,
					"the crypt options are fewer than their count"),
			       -EBADMSG;
		if ((ret = parse_opt(w, wl, t, why, why_size)))
			return ret;
	}
	if (ws.p < ws.end)
		return fail_why(why, why_size, "the crypt parameters go on after the options"),
		       -EBADMSG;
	return 0;
}

int dm_table_parse(const void *buf, size_t len, struct dmcrypt_table *t, char *why, size_t why_size)
{
	const uint8_t *b = buf;
	struct dm_ioctl_v4 io;
	struct dm_target_spec_v4 sp;
	const char *params, *nul;
	char esc[64];
	size_t avail;

	memset(t, 0, sizeof(*t));
	if (len < sizeof(io))
		return fail_why(why, why_size, "the device-mapper answer is short (%zu bytes)",
				len),
		       -EBADMSG;
	memcpy(&io, b, sizeof(io));
	if (io.version[0] != DM_VERSION_MAJOR_V4)
		return fail_why(why, why_size, "device-mapper interface version %u, not 4",
				io.version[0]),
		       -EBADMSG;
	if (io.data_size > len || io.data_start < sizeof(io) || io.data_start > io.data_size)
		return fail_why(why, why_size,
				"the device-mapper answer's sizes are inconsistent (%u, %u, %zu)",
				io.data_start, io.data_size, len),
		       -EBADMSG;
	if (io.flags & DMF_BUFFER_FULL)
		return fail_why(why, why_size, "the table does not fit in %zu bytes", len), -E2BIG;
	if (!(io.flags & DMF_ACTIVE_PRESENT))
		return fail_why(why, why_size, "the mapping has no live table"), -ENODATA;
	if (io.target_count != 1)
		return fail_why(why, why_size,
				"the live table has %u targets; exactly one crypt target is "
				"expected",
				io.target_count),
		       -EBADMSG;
	avail = io.data_size - io.data_start;
	if (avail < sizeof(sp))
		return fail_why(why, why_size, "the device-mapper answer has no target"), -EBADMSG;
	memcpy(&sp, b + io.data_start, sizeof(sp));
	if (!memchr(sp.target_type, 0, sizeof(sp.target_type)))
		return fail_why(why, why_size, "the target type is not terminated"), -EBADMSG;
	if (strcmp(sp.target_type, "crypt") != 0)
		return fail_why(
			   why, why_size, "the live target is '%s', not crypt",
			   text_escape(esc, sizeof(esc), sp.target_type, strlen(sp.target_type))),
		       -EBADMSG;
	if (sp.sector_start != 0 || sp.length == 0)
		return fail_why(why, why_size,
				"the crypt target covers sectors %llu+%llu, not the whole mapping "
				"from 0",
				(unsigned long long)sp.sector_start, (unsigned long long)sp.length),
		       -EBADMSG;
	params = (const char *)b + io.data_start + sizeof(sp);
	avail -= sizeof(sp);
	nul = memchr(params, 0, avail);
	if (!nul)
		return fail_why(why, why_size, "the crypt parameters are not terminated"), -EBADMSG;
	t->length = sp.length;
	return dmcrypt_parse_params(params, (size_t)(nul - params), t, why, why_size);
}

int dmcrypt_check(const struct dmcrypt_table *t, const struct dmcrypt_expect *e, char *why,
		  size_t why_size)
{
	char esc[2 * DMCRYPT_CIPHER_MAX];

	/* exact: the one cipher the image names; any other spelling is refused */
	if (strcmp(t->cipher, e->cipher) != 0)
		return fail_why(why, why_size, "the live cipher is %s, the image expects %s",
				text_escape(esc, sizeof(esc), t->cipher, strlen(t->cipher)),
				e->cipher),
		       -EPERM;
	if ((uint64_t)t->key_bytes * 8 != e->key_bits)
		return fail_why(why, why_size, "the live key has %llu bits, the header says %u",
				(unsigned long long)t->key_bytes * 8, e->key_bits),
		       -EPERM;
	if (t->dev_major != e->dev_major || t->dev_minor != e->dev_minor)
		return fail_why(why, why_size,
				"the mapping is over device %u:%u, the configured device is %u:%u",
				t->dev_major, t->dev_minor, e->dev_major, e->dev_minor),
		       -EPERM;
	if (e->offset_bytes % 512 || t->offset != e->offset_bytes / 512)
		return fail_why(why, why_size,
				"the live data offset is sector %llu, the header says byte %llu",
				(unsigned long long)t->offset, (unsigned long long)e->offset_bytes),
		       -EPERM;
	if (t->sector_size != e->sector_size)
		return fail_why(why, why_size, "the live sector size is %u, the header says %u",
				t->sector_size, e->sector_size),
		       -EPERM;
	if (t->iv_offset != e->iv_tweak)
		return fail_why(why, why_size, "the live IV offset is %llu, the header says %llu",
				(unsigned long long)t->iv_offset, (unsigned long long)e->iv_tweak),
		       -EPERM;
	return 0;
}
