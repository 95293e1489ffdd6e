// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the parsers of the AP bus's sysfs texts (a device's answers, so
 * untrusted: spec/ap.md §1-§2) and the escaping they get on their way to a message.
 *
 * Input: one selector byte, then the text as host_read_text() hands it over (at most
 * 4095 bytes, cut at the first NUL). For hwtype the text is "hwtype\0ap_functions".
 * Each accepted text must give a result in range; every text, escaped, must be one
 * printable ASCII line; as a JSON string, valid UTF-8 without control characters.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ap.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEXT_MAX 4096

static bool printable_line(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* The escaped forms of text: one printable line; valid JSON text. */
static void check_escaping(const char *text, size_t len)
{
	char esc[200];
	struct sbuf b;

	text_escape(esc, sizeof(esc), text, len);
	if (strlen(esc) >= sizeof(esc) || !printable_line(esc))
		__builtin_trap();
	sbuf_init(&b);
	sbuf_escape(&b, text, len);
	if (!b.failed && (b.len < len || (b.s && !printable_line(b.s)))) /* "": no buffer */
		__builtin_trap();
	sbuf_free(&b);
	sbuf_init(&b);
	sbuf_json_str(&b, text, len);
	if (!b.failed) {
		/* quotes around, printable UTF-8 inside, no raw control character or DEL */
		if (b.len < 2 || b.s[0] != '"' || b.s[b.len - 1] != '"' ||
		    !text_printable(b.s, b.len))
			__builtin_trap();
	}
	sbuf_free(&b);
}

static void check_apqn(const char *t)
{
	char again[AP_APQN_LEN];
	uint8_t card, c2;
	uint16_t domain, d2;

	if (ap_parse_apqn(t, &card, &domain))
		return;
	/* what is accepted prints as cc.dddd and reads back the same */
	ap_apqn_str(card, domain, again);
	if (strlen(again) != 7 || ap_parse_apqn(again, &c2, &d2) || c2 != card || d2 != domain)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[TEXT_MAX];
	char serial[APCONFIG_SERIAL_LEN + 1], mkvp[APCONFIG_MKVP_HEX + 1];
	unsigned gen = 0, bound, total;
	enum ap_mode mode = AP_MODE_UNKNOWN;
	enum ap_assoc assoc;
	enum ap_bind bind;
	size_t len;
	uint16_t idx;
	bool on, complete;

	if (size < 1)
		return 0;
	len = size - 1 < TEXT_MAX - 1 ? size - 1 : TEXT_MAX - 1;
	memcpy(text, data + 1, len);
	text[len] = 0;
	check_escaping(text, len);
	len = strlen(text); /* the parsers see a C string */

	switch (data[0] % 10) {
	case 0:
		if (!ap_parse_type(text, &gen, &mode) &&
		    (gen < 3 || gen > 8 || mode == AP_MODE_UNKNOWN || mode > AP_MODE_EP11))
			__builtin_trap();
		break;
	case 1: {
		/* "hwtype\0ap_functions": the second text follows the first NUL */
		size_t off = len + 1, n = 0;
		char f[64];

		if (off < size - 1) {
			n = size - 1 - off < sizeof(f) - 1 ? size - 1 - off : sizeof(f) - 1;
			memcpy(f, data + 1 + off, n);
		}
		f[n] = 0;
		if (!ap_parse_hwtype(text, f, &gen, &mode) &&
		    (gen < 4 || gen > 8 || mode == AP_MODE_UNKNOWN || mode > AP_MODE_EP11))
			__builtin_trap();
		break;
	}
	case 2:
		if (!ap_parse_bind(text, &bind) && bind != AP_BIND_NONE &&
		    bind != AP_BIND_UNBOUND && bind != AP_BIND_BOUND)
			__builtin_trap();
		break;
	case 3:
		idx = 0;
		if (!ap_parse_assoc(text, &assoc, &idx) &&
		    (assoc < AP_ASSOC_NONE || assoc > AP_ASSOC_ASSOCIATED))
			__builtin_trap();
		break;
	case 4:
		(void)ap_parse_online(text, &on);
		break;
	case 5:
		memset(mkvp, 'x', sizeof(mkvp));
		if (!ap_parse_mkvps(text, mkvp)) {
			size_t n = strlen(mkvp);

			/* "" (no valid key) or exactly 32 lower-case hex digits */
			if (n != 0 && n != APCONFIG_MKVP_HEX)
				__builtin_trap();
			for (size_t i = 0; i < n; i++)
				if (!((mkvp[i] >= '0' && mkvp[i] <= '9') ||
				      (mkvp[i] >= 'a' && mkvp[i] <= 'f')))
					__builtin_trap();
		}
		break;
	case 6:
		memset(serial, 'x', sizeof(serial));
		if (ap_parse_serial(text, serial)) {
			if (serial[0])
				__builtin_trap(); /* refused: nothing of it is kept */
		} else {
			/* accepted: at most 16 printable ASCII characters, never a space */
			if (strlen(serial) > APCONFIG_SERIAL_LEN)
				__builtin_trap();
			for (const char *p = serial; *p; p++)
				if (*p < 0x21 || *p > 0x7e)
					__builtin_trap();
		}
		break;
	case 7:
		if (!ap_parse_bindings(text, &bound, &total, &complete) &&
		    (bound > 100000000u * 10u + 9u || total > 100000000u * 10u + 9u))
			__builtin_trap();
		break;
	default:
		check_apqn(text);
		break;
	}
	return 0;
}
