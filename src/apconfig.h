/* SPDX-License-Identifier: MIT */
/*
 * The pvapconfig configuration format (spec/ap.md §4): a YAML list of entries, each
 * saying which kind of AP queue the guest wants (an accelerator, or an EP11 domain
 * with a given wrapping key, optionally on a given card, associated with a given
 * association secret). Pure: the caller reads the file; this layer parses the buffer
 * (or an already parsed YAML node, for a pvboot.yaml that carries the entries inline),
 * validates every entry with pvapconfig's rules and normalises it.
 *
 * Every error is one line "FILE:LINE:COL: entry #N 'NAME': what was found, what was
 * expected". Entry numbers are 1-based everywhere (pvapconfig's validation messages
 * count from 0, its run-time messages from 1).
 */
#ifndef PVBOOT_APCONFIG_H
#define PVBOOT_APCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ydoc.h"

#define APCONFIG_DEFAULT_PATH "/etc/pvapconfig.yaml"
#define APCONFIG_MAX_INPUT    YAML_MAX_INPUT /* 64 KiB */
#define APCONFIG_MKVP_HEX     32	     /* the first 16 bytes of the WKVP, as hex */
#define APCONFIG_SERIAL_LEN   16
#define APCONFIG_ERR_MAX      512

enum ap_mode { AP_MODE_UNKNOWN = 0, AP_MODE_ACCEL, AP_MODE_CCA, AP_MODE_EP11 };

struct apconfig_entry {
	unsigned num;	    /* 1-based position in the list */
	unsigned line, col; /* where the entry starts in its file */
	char *name;	    /* trimmed; "" if none */
	char *description;  /* as written; "" if none */
	enum ap_mode mode;  /* AP_MODE_ACCEL or AP_MODE_EP11 */
	unsigned mingen;    /* 0: any generation; else 4..8 (CEX4..CEX8): the oldest accepted */
	/* EP11 only (empty / false for accelerators) */
	char mkvp[APCONFIG_MKVP_HEX + 1];	/* 32 lower-case hex digits */
	char serialnr[APCONFIG_SERIAL_LEN + 1]; /* "" = any card */
	bool has_secret_id;
	uint8_t secret_id[32]; /* the association secret's id */
};

struct apconfig {
	char *file; /* the name used in messages */
	size_t n;
	struct apconfig_entry *entries;
	/* Keys pvapconfig accepts but ignores (mkvp, serialnr, secretid of an accelerator
	 * entry): one message each, "FILE:LINE:COL: entry #N: ...". */
	size_t n_warnings;
	char **warnings;
};

/*
 * Parse and validate a pvapconfig file held in buf (len bytes, at most 64 KiB); file is
 * the name used in messages. An empty file (or one with only comments) is a valid
 * configuration with no entries. Returns 0, -EINVAL with the message in err, or
 * -ENOMEM. On error *cfg is empty (nothing to free, apconfig_free is harmless).
 */
int apconfig_parse(const char *file, const char *buf, size_t len, struct apconfig *cfg, char *err,
		   size_t errsz);

/*
 * The same for entries that are already parsed: node is the list of entries (a YAML
 * sequence; NULL means no entries) inside a document read from file, e.g. the value of
 * an "ap:" key of pvboot.yaml. The configuration keeps no pointer into the document.
 */
int apconfig_from_node(const char *file, const struct ynode *node, struct apconfig *cfg, char *err,
		       size_t errsz);

void apconfig_free(struct apconfig *cfg);

/* "#2 'name'" or "#2" (as pvapconfig's run-time messages), into buf. */
const char *apconfig_entry_label(const struct apconfig_entry *e, char *buf, size_t size);

/* "EP11" / "Accel" / "CCA" / "?" */
const char *ap_mode_name(enum ap_mode m);

#endif
