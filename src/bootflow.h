/* SPDX-License-Identifier: MIT */
/* The boot job (pvboot boot): see src/bootflow.c and pvboot(8), BOOT FLOW. */
#ifndef PVBOOT_BOOTFLOW_H
#define PVBOOT_BOOTFLOW_H

/* The exit code `pvboot boot` reports when it did nothing (see pvboot(8)). */
#define PVB_EXIT_SKIPPED 4

/* Run the boot job with the configuration file config (NULL: the image's own). */
int bootflow_run(const char *config);

/*
 * pvboot root check: the live table of the configured root against its sealed header,
 * or its on-disk one (pvboot(8), THE ROOT VOLUME). Exit codes and words as bootflow_run.
 */
int bootflow_root_check(const char *config);

struct bootcfg;
/* Overwrite and remove the files cfg's retrieve entries wrote; how many went. */
size_t boot_wipe_retrieved(const struct bootcfg *cfg);

#endif
