// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: a whole early-boot set, as the boot partition would hand it over.
 * Input: records of [name index (1 byte)] [length (2 bytes, BE)] [bytes]; the name
 * comes from a small table so that references and tags can meet. Runs TOC mode and
 * plain mode and checks what an accepted plan promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebc.h"
#include "secret_list.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"toc.asr", "toc.pol", "a.asr",  "b.asr",
				    "c.asr",   "x.pol",	  "README", "d.asr"};

#define MAXF 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct safe_file files[MAXF];
	struct safe_dir set = {.files = files};
	struct ebc_plan plan;
	struct ebc_expect exp[2] = {{.type = 3, .label = "luks-rfs-passphrase"},
				    {.type = 2, .label = "a"}};
	char why[EBC_WHY_LEN];
	size_t pos = 0;

	while (pos + 3 <= size && set.nfiles < MAXF) {
		const char *name = names[data[pos] % 8];
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		size_t at = 0;

		pos += 3;
		if (len > size - pos)
			len = size - pos;
		if (safe_dir_file(&set, name)) {
			pos += len;
			continue;
		}
		while (at < set.nfiles && strcmp(files[at].name, name) < 0)
			at++;
		memmove(&files[at + 1], &files[at], (set.nfiles - at) * sizeof(files[0]));
		files[at].name = (char *)name;
		files[at].data = (uint8_t *)data + pos;
		files[at].len = len;
		set.nfiles++;
		pos += len;
	}
	if (ebc_plan_toc(&set, "toc.asr", NULL, &plan, why, sizeof(why)) == 0) {
		struct sbuf b;

		/* toc.asr first, a meta request; every request points into the set */
		if (!plan.n || strcmp(plan.reqs[0].name, "toc.asr") != 0 ||
		    plan.reqs[0].info.secret_type != 1 || !plan.reqs[0].has_ref)
			__builtin_trap();
		for (size_t i = 0; i < plan.n; i++)
			if (!safe_dir_file(&set, plan.reqs[i].name) ||
			    plan.reqs[i].data != safe_dir_file(&set, plan.reqs[i].name)->data)
				__builtin_trap();
		sbuf_init(&b);
		ebc_plan_describe(&b, &plan);
		sbuf_free(&b);
		ebc_plan_free(&plan);
	} else if (!why[0]) {
		__builtin_trap();
	}
	secret_id_from_name(exp[0].label, exp[0].id);
	secret_id_from_name(exp[1].label, exp[1].id);
	if (ebc_plan_plain(&set, exp, 2, NULL, &plan, why, sizeof(why)) == 0) {
		if (plan.n != 2 || plan.reqs[0].info.secret_type != 3)
			__builtin_trap();
		ebc_plan_free(&plan);
	}
	return 0;
}
