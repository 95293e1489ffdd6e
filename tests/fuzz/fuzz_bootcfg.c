// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the boot job's configuration. The input is split at the first NUL
 * byte: pvboot.yaml before it, kernel command line text after it. pvboot.yaml and the
 * command line are trusted (inside the SE image), but a typo must give a message, never
 * a crash, and every accepted configuration must satisfy the invariants checked here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "cmdline.h"
#include "luks2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t ylen = nul ? (size_t)(nul - data) : size;
	struct bootcfg cfg;
	struct cmdline cl;
	char err[640];

	err[0] = 0;
	bootcfg_init(&cfg);
	if (bootcfg_parse(&cfg, "pvboot.yaml", (const char *)data, ylen, err, sizeof(err))) {
		if (strncmp(err, "pvboot.yaml:", 12) != 0)
			__builtin_trap();
		bootcfg_free(&cfg);
		return 0;
	}
	if (nul && cmdline_parse(&cl, (const char *)nul + 1, size - ylen - 1) == 0) {
		for (size_t i = 0; i < cl.n; i++)
			if (!cl.args[i].key)
				__builtin_trap();
		err[0] = 0;
		if (bootcfg_apply_cmdline(&cfg, &cl, err, sizeof(err)) && !err[0])
			__builtin_trap();
		cmdline_free(&cl);
	}
	/* invariants of an accepted configuration */
	if (cfg.mode == BOOT_MODE_PLAIN && !cfg.n_expect)
		__builtin_trap();
	if (!cfg.source[0] || cfg.timeout_uv_ms > BOOT_MAX_TIMEOUT_SEC * 1000ull)
		__builtin_trap();
	for (size_t i = 0; i < cfg.n_retrieve; i++)
		if (strncmp(cfg.retrieve[i].path, "/run/", 5) != 0 ||
		    strstr(cfg.retrieve[i].path, "/../"))
			__builtin_trap();
	/* root: never a null cipher, never an empty list, never a header that is not absolute */
	if (!cfg.root.n_ciphers || cfg.root.n_ciphers > BOOT_ROOT_MAX_CIPHERS ||
	    (cfg.root.header[0] && cfg.root.header[0] != '/') ||
	    (cfg.root.set && (!cfg.root.device[0] || !cfg.root.name[0])))
		__builtin_trap();
	for (size_t i = 0; i < cfg.root.n_ciphers; i++)
		if (!cfg.root.ciphers[i][0] || luks2_cipher_is_null(cfg.root.ciphers[i]))
			__builtin_trap();
	bootcfg_free(&cfg);
	return 0;
}
