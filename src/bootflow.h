/* SPDX-License-Identifier: MIT */
/* The boot job (pvboot boot): see src/bootflow.c and pvboot(8), BOOT FLOW. */
#ifndef PVBOOT_BOOTFLOW_H
#define PVBOOT_BOOTFLOW_H

#include <stdbool.h>

/* The exit code `pvboot boot` reports when it did nothing (see pvboot(8)). */
#define PVB_EXIT_SKIPPED 4

/* Run the boot job with the configuration file config (NULL: the image's own). */
int bootflow_run(const char *config);

/*
 * pvboot wipe: overwrite and remove the files the configuration's retrieve entries
 * name, except those with keep: true (all of them with all). Returns the exit code: 0
 * when none of them is left (or nothing is configured), 1 when one could not be
 * removed or the configuration cannot be read.
 */
int bootflow_wipe(const char *config, bool all);

/*
 * pvboot root check: the live table of the configured root against its sealed header,
 * or its on-disk one (pvboot(8), THE ROOT VOLUME). Exit codes and words as bootflow_run.
 */
int bootflow_root_check(const char *config);

#endif
