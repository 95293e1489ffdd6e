// SPDX-License-Identifier: MIT
/* libFuzzer target: the pvapconfig configuration layer (src/apconfig.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "apconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		__builtin_trap();
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[APCONFIG_ERR_MAX], label[128];
	struct apconfig cfg;
	int ret = apconfig_parse("f.yaml", (const char *)data, size, &cfg, err, sizeof(err));

	if (ret) {
		/* every error is one line that names the file */
		if (strncmp(err, "f.yaml", 6) != 0 || strchr(err, '\n') || cfg.n || cfg.entries)
			__builtin_trap();
		return 0;
	}
	for (size_t i = 0; i < cfg.n; i++) {
		const struct apconfig_entry *e = &cfg.entries[i];

		apconfig_entry_label(e, label, sizeof(label));
		if (e->num != i + 1 || !e->line || !e->col || !e->name || !e->description)
			__builtin_trap();
		if (e->mingen && (e->mingen < 4 || e->mingen > 8))
			__builtin_trap();
		if (e->mode == AP_MODE_EP11) {
			check_hex(e->mkvp, APCONFIG_MKVP_HEX);
			if (!e->has_secret_id || (e->mingen && e->mingen != 8) ||
			    (e->serialnr[0] && strlen(e->serialnr) != APCONFIG_SERIAL_LEN))
				__builtin_trap();
		} else if (e->mode != AP_MODE_ACCEL || e->mkvp[0] || e->serialnr[0] ||
			   e->has_secret_id) {
			__builtin_trap();
		}
	}
	for (size_t i = 0; i < cfg.n_warnings; i++)
		if (strncmp(cfg.warnings[i], "f.yaml:", 7) != 0)
			__builtin_trap();
	apconfig_free(&cfg);
	return 0;
}
