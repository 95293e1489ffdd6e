/* SPDX-License-Identifier: MIT */
/* The list of unit-test suites: add a line for each tests/unit/test_*.c. */
#ifndef PVBOOT_SUITES_H
#define PVBOOT_SUITES_H

#include "t.h"

extern const struct t_suite util_suite;
extern const struct t_suite asr_suite;
extern const struct t_suite secret_list_suite;
extern const struct t_suite yaml_suite;
extern const struct t_suite secrypto_suite;
extern const struct t_suite mkasr_suite;
extern const struct t_suite sim_suite;
extern const struct t_suite cmdline_suite;
extern const struct t_suite bootcfg_suite;
extern const struct t_suite status_suite;
extern const struct t_suite ebc_suite;
extern const struct t_suite apconfig_suite;
extern const struct t_suite ap_suite;
extern const struct t_suite sim_ap_suite;
extern const struct t_suite usersig_suite;
extern const struct t_suite dmcrypt_suite;
extern const struct t_suite luks2_suite;

/* clang-format off */
static const struct t_suite *const all_suites[] = {
	&util_suite,
	&asr_suite,
	&secret_list_suite,
	&yaml_suite,
	&secrypto_suite,
	&mkasr_suite,
	&sim_suite,
	&cmdline_suite,
	&bootcfg_suite,
	&status_suite,
	&ebc_suite,
	&apconfig_suite,
	&ap_suite,
	&sim_ap_suite,
	&usersig_suite,
	&dmcrypt_suite,
	&luks2_suite,
};
/* clang-format on */

#endif
