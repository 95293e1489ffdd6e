// SPDX-License-Identifier: MIT
/*
 * pvboot check-config: validate pvboot.yaml and what it references (the pvapconfig file
 * or inline AP entries) and, if given, kernel command line options, offline and on any
 * machine. The initramfs integration runs it at image build time.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_sysfs.h"
#include "apconfig.h"
#include "boot.h"
#include "cmd.h"
#include "log.h"
#include "luks2.h"
#include "safeio.h"
#include "util.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot check-config [--cmdline TEXT] [--list-files] [FILE]\n"
		"\n"
		"Validate the boot job's configuration FILE (default %s), the owner's\n"
		"user_cert and the AP configuration it references, and with --cmdline the\n"
		"rd.pvboot options in TEXT, without touching any device. Paths in FILE are read\n"
		"as they are on this machine. A configuration with neither user_cert nor\n"
		"cck_enforcement: true is invalid. A root: with a header reads and checks that\n"
		"LUKS2 header file.\n"
		"\n"
		"  --cmdline TEXT   kernel command line options to check on top of FILE\n"
		"  --list-files     on success print only the files an image needs besides\n"
		"                   FILE (pvapconfig file, user_cert, root header), one\n"
		"                   absolute path per line\n"
		"  -h, --help       this text\n"
		"\n"
		"Exit status: 0 valid, 1 invalid, 2 usage error.\n",
		BOOTCFG_PATH);
}

static int check_ap(const struct bootcfg *cfg, const char *file, size_t *n)
{
	char err[APCONFIG_ERR_MAX];
	struct apconfig ac = {0};
	int ret;

	if (cfg->ap_entries)
		ret = apconfig_from_node(file, cfg->ap_entries, &ac, err, sizeof(err));
	else
		ret = apconfig_load(cfg->ap_file, false, &ac, err, sizeof(err));
	if (ret == -EINVAL || ret == -ENOMEM) {
		log_err("%s", err); /* a parse error: it names the file, line and column */
		return PVB_EXIT_FAIL;
	}
	if (ret) {
		log_err("%s: the AP configuration %s", file, err);
		return PVB_EXIT_FAIL;
	}
	for (size_t i = 0; i < ac.n_warnings; i++)
		log_warn("%s", ac.warnings[i]);
	*n = ac.n;
	apconfig_free(&ac);
	return PVB_EXIT_OK;
}

/*
 * root: header: the detached LUKS2 header, read once (a regular file, no symbolic
 * link, at most LUKS2_FILE_CAP bytes) and checked as luks2.h says.
 */
static int check_root_header(const struct bootcfg *cfg, const char *file, struct luks2_hdr *h)
{
	const struct boot_root *r = &cfg->root;
	const char *ciphers[BOOT_ROOT_MAX_CIPHERS];
	char err[640], why[560];
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	for (size_t i = 0; i < r->n_ciphers; i++)
		ciphers[i] = r->ciphers[i];
	ret = safe_load_path(r->header, true, LUKS2_FILE_CAP, &buf, &len, err, sizeof(err));
	if (ret) {
		log_err("%s:%u:%u: root: header: %s", file, r->header_line, r->header_col, err);
		return PVB_EXIT_FAIL;
	}
	ret = luks2_parse(buf, len, h, why, sizeof(why));
	if (!ret)
		ret = luks2_check(h, ciphers, r->n_ciphers, why, sizeof(why));
	if (!ret && len < h->metadata_end) {
		snprintf(why, sizeof(why),
			 "%zu bytes, shorter than its metadata and keyslots area (%llu bytes)", len,
			 (unsigned long long)h->metadata_end);
		ret = -EINVAL;
	}
	free(buf);
	if (ret) {
		log_err("%s:%u:%u: root: header: %s: %s", file, r->header_line, r->header_col,
			r->header, why);
		return PVB_EXIT_FAIL;
	}
	return PVB_EXIT_OK;
}

static void print_root(const struct bootcfg *cfg, const struct luks2_hdr *h)
{
	const struct boot_root *r = &cfg->root;
	char hex[65];

	if (!r->set)
		return;
	printf("  root:      /dev/mapper/%s from %s\n", r->name, r->device);
	if (r->key.name[0])
		printf("    key:     '%s'\n", r->key.name);
	else
		printf("    key:     0x%s\n", hex_encode(r->key.id, 32, hex));
	printf("    ciphers: ");
	for (size_t i = 0; i < r->n_ciphers; i++)
		printf("%s%s", i ? ", " : "", r->ciphers[i]);
	printf("%s\n", r->cipher_set ? "" : " (the default)");
	if (!r->header[0]) {
		printf(
		    "    header:  on the disk (not sealed; the live table is checked at boot)\n");
		return;
	}
	printf("    header:  %s, LUKS2 seqid %llu, uuid %s\n", r->header,
	       (unsigned long long)h->seqid, h->uuid);
	printf("    data:    %s, %u-bit key, offset %llu, sector %u, %s\n", h->cipher, h->key_bits,
	       (unsigned long long)h->data_offset, h->sector_size,
	       h->data_size ? "fixed size" : "dynamic size");
	printf("    keyslots: %u, tokens: %u\n", h->n_keyslots, h->n_tokens);
}

static void list_files(const struct bootcfg *cfg)
{
	/* every path passed printable() in bootcfg.c: no control characters, no newline */
	if (cfg->ap && !cfg->ap_entries)
		printf("%s\n", cfg->ap_file);
	if (cfg->user_cert[0])
		printf("%s\n", cfg->user_cert);
	if (cfg->root.set && cfg->root.header[0])
		printf("%s\n", cfg->root.header);
}

int cmd_check_config(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"cmdline", required_argument, NULL, 'C'},
	    {"list-files", no_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *file = BOOTCFG_PATH, *cmdtext = NULL;
	struct usersig_key key;
	struct luks2_hdr hdr;
	bool have_key = false, list = false;
	struct bootcfg cfg;
	struct cmdline cl;
	char err[640];
	size_t n_ap = 0;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			cmdtext = optarg;
			break;
		case 'L':
			list = true;
			break;
		case 'h':
			help(stdout);
			return PVB_EXIT_OK;
		default:
			return usage_bad_option("check-config", opt, argv);
		}
	}
	if (optind + 1 < argc)
		return usage_error("check-config: unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		file = argv[optind];
	bootcfg_init(&cfg);
	if (boot_read_config(file, true, false, &cfg, err, sizeof(err))) {
		log_err("%s", err);
		bootcfg_free(&cfg);
		return PVB_EXIT_FAIL;
	}
	if (cmdtext) {
		ret = cmdline_parse(&cl, cmdtext, strlen(cmdtext));
		if (ret) {
			log_err("--cmdline: %s", err_str(-ret));
			bootcfg_free(&cfg);
			return PVB_EXIT_FAIL;
		}
		ret = bootcfg_apply_cmdline(&cfg, &cl, err, sizeof(err));
		cmdline_free(&cl);
		if (ret) {
			log_err("--cmdline: %s", err);
			bootcfg_free(&cfg);
			return PVB_EXIT_FAIL;
		}
	}
	usersig_key_init(&key);
	if (boot_owner_setup(&cfg, file, true, &key, &have_key, err, sizeof(err))) {
		log_err("%s", err);
		bootcfg_free(&cfg);
		return PVB_EXIT_FAIL;
	}
	ret = cfg.ap ? check_ap(&cfg, file, &n_ap) : PVB_EXIT_OK;
	if (ret == PVB_EXIT_OK && cfg.root.set && cfg.root.header[0])
		ret = check_root_header(&cfg, file, &hdr);
	if (ret == PVB_EXIT_OK && list) {
		list_files(&cfg);
	} else if (ret == PVB_EXIT_OK) {
		printf("%s: valid\n", file);
		printf("  enabled:   %s\n", boot_enable_name(cfg.enable));
		if (boot_source_kind(cfg.source) == SRC_DIRECTORY)
			printf("  source:    directory %s\n", cfg.source);
		else
			printf("  source:    %s, directory %s, file systems %s\n", cfg.source,
			       cfg.directory, cfg.fstypes);
		printf("  mode:      %s",
		       cfg.mode == BOOT_MODE_TOC ? "toc (toc.asr, toc.pol)" : "plain");
		if (cfg.mode == BOOT_MODE_PLAIN)
			printf(", %zu expected secrets", cfg.n_expect);
		printf("\n  owner:     ");
		if (have_key)
			printf("%s signatures, %s %s%s\n", usersig_type_name(key.udtype),
			       key.from_cert ? "certificate" : "public key", cfg.user_cert,
			       cfg.cck_enforcement ? "; CCK enforcement" : "");
		else
			printf("CCK enforcement (genprotimg --enable-cck-extension-secret)\n");
		printf("  lock:      %s\n", cfg.lock ? "yes" : "no");
		printf("  retrieve:  %zu secrets\n", cfg.n_retrieve);
		for (size_t i = 0; i < cfg.n_retrieve; i++) {
			char hex[65];

			if (cfg.retrieve[i].ref.name[0])
				printf("    '%s' -> %s\n", cfg.retrieve[i].ref.name,
				       cfg.retrieve[i].path);
			else
				printf("    0x%s -> %s\n",
				       hex_encode(cfg.retrieve[i].ref.id, 32, hex),
				       cfg.retrieve[i].path);
		}
		if (cfg.ap)
			printf("  ap:        %zu entries from %s%s\n", n_ap,
			       cfg.ap_entries ? "the file itself" : cfg.ap_file,
			       cfg.ap_strict ? ", strict" : "");
		else
			printf("  ap:        off\n");
		printf("  timeouts:  uv %llu s, source %llu s, ap %llu s\n",
		       (unsigned long long)(cfg.timeout_uv_ms / 1000),
		       (unsigned long long)(cfg.timeout_source_ms / 1000),
		       (unsigned long long)(cfg.timeout_ap_ms / 1000));
		print_root(&cfg, &hdr);
		printf("  on failure: %s\n", boot_onfail_name(cfg.onfail));
	}
	usersig_key_free(&key);
	bootcfg_free(&cfg);
	return ret;
}
