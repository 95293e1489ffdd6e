/* SPDX-License-Identifier: MIT */
/* The boot job (pvboot boot): see src/bootflow.c and pvboot(8), BOOT FLOW. */
#ifndef PVBOOT_BOOTFLOW_H
#define PVBOOT_BOOTFLOW_H

/* The exit code `pvboot boot` reports when it did nothing (see pvboot(8)). */
#define PVB_EXIT_SKIPPED 4

/* Run the boot job with the configuration file config (NULL: the image's own). */
int bootflow_run(const char *config);

#endif
