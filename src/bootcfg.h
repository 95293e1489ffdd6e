/* SPDX-License-Identifier: MIT */
/*
 * The boot job's configuration: the image's own /etc/pvboot/pvboot.yaml (baked into
 * the initramfs, so trusted) with the kernel command line's rd.pvboot.* options on top.
 * Pure: the caller reads the files; pvboot.yaml(5) documents every key and option.
 */
#ifndef PVBOOT_BOOTCFG_H
#define PVBOOT_BOOTCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdline.h"
#include "ydoc.h"

#define BOOTCFG_PATH	     "/etc/pvboot/pvboot.yaml"
#define BOOT_RUN_DIR	     "/run/pvboot"
#define BOOT_MOUNT_POINT     BOOT_RUN_DIR "/mnt" /* the source, while it is read */
#define BOOT_MAX_EXPECT	     1024
#define BOOT_MAX_RETRIEVE    32
#define BOOT_MAX_TIMEOUT_SEC 3600
#define BOOT_PATH_MAX	     256
#define BOOT_MAX_FSTYPES     8
#define BOOT_FSTYPES_LEN     (BOOT_MAX_FSTYPES * 16)
/* What a boot partition is formatted with; nothing else is offered to the kernel. */
#define BOOT_DEFAULT_FSTYPES "ext4,ext3,ext2,xfs,vfat"

enum boot_enable {
	BOOT_AUTO,     /* run on an SE guest, skip quietly elsewhere */
	BOOT_OFF,      /* rd.pvboot=0: do nothing */
	BOOT_REQUIRED, /* not an SE guest (or nothing to do) is a failure */
};

enum boot_mode { BOOT_MODE_TOC, BOOT_MODE_PLAIN };

enum boot_onfail { ONFAIL_POWEROFF, ONFAIL_REBOOT, ONFAIL_HALT, ONFAIL_SHELL, ONFAIL_CONTINUE };

enum boot_source_kind {
	SRC_LABEL,
	SRC_UUID,
	SRC_PARTLABEL,
	SRC_PARTUUID,
	SRC_DEVICE,    /* /dev/... */
	SRC_DIRECTORY, /* any other absolute path: a directory, used as it is */
};

/* A secret named by the configuration: by name (id = SHA-256(name)) or by id. */
struct boot_secret_ref {
	char name[BOOT_PATH_MAX]; /* "" when given by id */
	uint8_t id[32];
	uint16_t type; /* 0: any type (retrieve only) */
	unsigned line, col;
};

struct boot_retrieve {
	struct boot_secret_ref ref;
	char path[BOOT_PATH_MAX]; /* absolute, below /run */
};

/*
 * root: the LUKS2 volume the image opens (pvboot.yaml(5) "root"). Parsed and checked
 * for form here; the header file itself is read by check-config (luks2.h).
 */
#define BOOT_ROOT_NAME_MAX    128 /* a device-mapper name, NUL included (DM_NAME_LEN) */
#define BOOT_ROOT_MAX_CIPHERS 4
#define BOOT_CIPHER_MAX	      64 /* LUKS2_NAME_MAX */

struct boot_root {
	bool set;		       /* root: is given */
	char device[BOOT_PATH_MAX];    /* UUID=, PARTUUID=, LABEL= or a /dev path */
	char name[BOOT_ROOT_NAME_MAX]; /* the mapping: /dev/mapper/NAME; default "root" */
	struct boot_secret_ref key;    /* the secret that unlocks it (a retrieve entry may
					  or may not write it to a file) */
	char header[BOOT_PATH_MAX];    /* a detached LUKS2 header (same path on the build
					  host and in the image); "": on the disk */
	char ciphers[BOOT_ROOT_MAX_CIPHERS][BOOT_CIPHER_MAX]; /* the allowed data ciphers */
	size_t n_ciphers;				      /* default: aes-xts-plain64,
								 paes-xts-plain64 */
	bool cipher_set;				      /* 'cipher' was given */
	unsigned line, col;				      /* of root: */
	unsigned header_line, header_col;
};

struct bootcfg {
	bool have_file; /* pvboot.yaml was read */
	enum boot_enable enable;
	const char *enable_origin;	/* what set it: "rd.pvboot", "required: true", ... */
	char source[BOOT_PATH_MAX];	/* LABEL=boot, ... */
	char directory[BOOT_PATH_MAX];	/* on a device source: relative directory */
	char fstypes[BOOT_FSTYPES_LEN]; /* a device source is mounted only as these: "a,b" */
	enum boot_mode mode;
	struct boot_secret_ref *expect; /* plain mode */
	size_t n_expect;
	bool lock;
	struct boot_retrieve *retrieve;
	size_t n_retrieve;
	bool ap;			/* the AP step runs */
	char ap_file[BOOT_PATH_MAX];	/* a pvapconfig file ... */
	const struct ynode *ap_entries; /* ... or inline entries (a sequence in doc) */
	bool ap_strict;
	uint64_t timeout_uv_ms, timeout_source_ms, timeout_ap_ms;
	enum boot_onfail onfail;
	bool debug;
	/* owner authentication: at least one of the two (bootcfg_check_owner) */
	char user_cert[BOOT_PATH_MAX]; /* "": none */
	unsigned user_cert_line, user_cert_col;
	bool cck_enforcement;
	struct boot_root root;
	struct ydoc *doc;
};

/*
 * Defaults: auto, LABEL=boot + sics (BOOT_DEFAULT_FSTYPES), TOC mode, lock, no AP,
 * 10/30/30 s, poweroff.
 */
void bootcfg_init(struct bootcfg *cfg);
void bootcfg_free(struct bootcfg *cfg);
/* root's defaults: not set, name "root", ciphers LUKS2_DEFAULT_CIPHERS. */
void boot_root_defaults(struct boot_root *r);

/*
 * Parse pvboot.yaml (buf, len; file names it in messages). 0, or -EINVAL with err set to
 * "<file>:<line>:<col>: <what>". Unknown keys are errors.
 */
int bootcfg_parse(struct bootcfg *cfg, const char *file, const char *buf, size_t len, char *err,
		  size_t errsz);

/*
 * Apply rd.pvboot* options over the file's values. 0, or -EINVAL with err set to
 * "rd.pvboot.x=value: <what>" for a value that is not understood (a typo on the
 * trusted command line must not weaken the boot).
 */
int bootcfg_apply_cmdline(struct bootcfg *cfg, const struct cmdline *cl, char *err, size_t errsz);

/*
 * Owner authentication: a configuration must give user_cert or state
 * cck_enforcement: true, else the host could make a complete set of its own. 0, or
 * -EINVAL with err set to "<file>: <message naming both ways>" (BOOTCFG_OWNER_MSG).
 */
int bootcfg_check_owner(const struct bootcfg *cfg, const char *file, char *err, size_t errsz);

#define BOOTCFG_OWNER_MSG                                                                          \
	"neither 'user_cert' nor 'cck_enforcement: true' is set, so the host could make a "        \
	"complete set of requests of its own: give 'user_cert: PATH' (the image owner's "          \
	"user-signing certificate or public key; sign toc.asr with pvsecret create "               \
	"--user-sign-key) or 'cck_enforcement: true' (only for an image built with genprotimg "    \
	"--enable-cck-extension-secret); see pvboot.yaml(5)"

enum boot_source_kind boot_source_kind(const char *spec);
const char *boot_onfail_name(enum boot_onfail f);
int boot_onfail_parse(const char *s, enum boot_onfail *f);
const char *boot_enable_name(enum boot_enable e);

#endif
