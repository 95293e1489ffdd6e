// SPDX-License-Identifier: MIT
/* pvboot ebc verify|apply|toc|policy-ref: early-boot secret sets (the pvebc format) */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "cmd.h"
#include "ebc.h"
#include "log.h"
#include "safeio.h"
#include "secret_list.h"
#include "util.h"
#include "uv.h"

/* ------------------------------------------------------------------ the set */

struct set_args {
	char *dir;	 /* malloc'ed */
	const char *toc; /* the table of contents' name in dir */
	struct ebc_expect *exp;
	size_t nexp;
	bool force;
	const char *user_cert; /* --user-cert: the owner's signature is required */
	struct usersig_key key;
	bool have_key;
};

static void set_args_free(struct set_args *a)
{
	free(a->dir);
	free(a->exp);
	usersig_key_free(&a->key);
}

/* TYPE:NAME or TYPE:0x<64 hex digits> */
static int parse_expect(const char *cmd, const char *arg, struct set_args *a)
{
	const char *colon = strchr(arg, ':');
	struct ebc_expect *x, *more;
	char type[32];
	size_t tl;

	if (!colon || colon == arg || !colon[1])
		return usage_error("%s: --expect needs TYPE:NAME or TYPE:0xID, got '%s'", cmd, arg);
	tl = (size_t)(colon - arg);
	if (tl >= sizeof(type))
		return usage_error("%s: --expect: unknown secret type in '%s'", cmd, arg);
	memcpy(type, arg, tl);
	type[tl] = 0;
	more = realloc(a->exp, (a->nexp + 1) * sizeof(*a->exp));
	if (!more) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	a->exp = more;
	x = &a->exp[a->nexp];
	memset(x, 0, sizeof(*x));
	if (ebc_type_parse(type, &x->type))
		return usage_error("%s: --expect: '%s' is not a listable secret type (e.g. "
				   "association, plain, aes-256, AES-XTS-256-KEY)",
				   cmd, type);
	x->label = colon + 1;
	if (strncmp(x->label, "0x", 2) == 0 && strlen(x->label) == 2 + 2 * SECRET_ID_LEN) {
		if (hex_decode(x->label, x->id, SECRET_ID_LEN))
			return usage_error("%s: --expect: bad id '%s'", cmd, x->label);
	} else {
		secret_id_from_name(x->label, x->id);
	}
	a->nexp++;
	return 0;
}

static int split_toc(const char *cmd, const char *path, struct set_args *a)
{
	const char *slash = strrchr(path, '/');

	if (slash) {
		a->dir = strndup(path, (size_t)(slash - path) + (slash == path));
		a->toc = slash + 1;
	} else {
		a->dir = strdup(".");
		a->toc = path;
	}
	if (!a->dir) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	if (!*a->toc)
		return usage_error("%s: --toc needs a file, got '%s'", cmd, path);
	return 0;
}

/* Options and operands of verify and apply. Returns -1 to go on, else an exit code. */
static int parse_set_args(const char *cmd, int argc, char **argv, bool apply, void (*help)(FILE *),
			  struct set_args *a)
{
	static const struct option opts[] = {{"toc", required_argument, NULL, 't'},
					     {"expect", required_argument, NULL, 'e'},
					     {"force", no_argument, NULL, 'f'},
					     {"user-cert", required_argument, NULL, 'u'},
					     CMD_COMMON_OPTS,
					     {NULL, 0, NULL, 0}};
	const char *toc = NULL;
	int opt, ret;

	memset(a, 0, sizeof(*a));
	usersig_key_init(&a->key);
	while ((opt = getopt_long(argc, argv, apply ? "+:t:e:u:fhvq" : "+:t:e:u:hvq", opts,
				  NULL)) != -1) {
		ret = command_common_opt(opt, help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		switch (opt) {
		case 't':
			toc = optarg;
			break;
		case 'e':
			ret = parse_expect(cmd, optarg, a);
			if (ret)
				return ret;
			break;
		case 'u':
			a->user_cert = optarg;
			break;
		case 'f':
			if (apply) {
				a->force = true;
				break;
			}
			/* fall through */
		default:
			return usage_bad_option(cmd, opt, argv);
		}
	}
	if (toc && optind < argc)
		return usage_error("%s: give --toc FILE or DIR, not both", cmd);
	if (!toc && argc - optind != 1)
		return usage_error(argc - optind > 1 ? "%s: give one DIR" : "%s: no DIR given",
				   cmd);
	if (toc && a->nexp)
		return usage_error("%s: --toc and --expect exclude each other (--expect selects "
				   "plain mode)",
				   cmd);
	if (toc) {
		ret = split_toc(cmd, toc, a);
		return ret ? ret : -1;
	}
	a->dir = strdup(argv[optind]);
	a->toc = EBC_TOC_NAME;
	if (!a->dir) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	return -1;
}

static int load_dir(const char *dir, struct safe_dir *set)
{
	char why[200];
	int fd, err;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		log_err("%s: %s", dir, err_str(errno));
		return PVB_EXIT_FAIL;
	}
	err = safe_load_dir(fd, NULL, set, why, sizeof(why));
	close(fd);
	if (err) {
		log_err("%s: %s; nothing was read", dir, why);
		return PVB_EXIT_FAIL;
	}
	log_info("%s: %zu files read, %zu entries skipped", dir, set->nfiles, set->nskipped);
	return PVB_EXIT_OK;
}

/* Load and verify; logs what was skipped and ignored, or the first break. */
static int load_and_plan(struct set_args *a, struct safe_dir *set, struct ebc_plan *plan)
{
	const struct usersig_key *key = NULL;
	char why[EBC_WHY_LEN];
	int ret;

	if (a->user_cert) {
		if (boot_load_user_key(a->user_cert, true, &a->key, why, sizeof(why))) {
			log_err("--user-cert %s", why);
			return PVB_EXIT_FAIL;
		}
		key = &a->key;
	}
	ret = load_dir(a->dir, set);
	if (ret)
		return ret;
	if (a->nexp)
		ret = ebc_plan_plain(set, a->exp, a->nexp, key, plan, why, sizeof(why));
	else
		ret = ebc_plan_toc(set, a->toc, key, plan, why, sizeof(why));
	ebc_log_set(set, ret ? NULL : plan);
	if (ret == -ENOMEM) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	if (ret) {
		log_err("%s", why);
		return PVB_EXIT_FAIL;
	}
	return PVB_EXIT_OK;
}

/* ------------------------------------------------------------------ verify */

static void verify_help(FILE *f)
{
	fprintf(
	    f, "Usage: pvboot ebc verify [--user-cert CERT] [--toc FILE | DIR]\n"
	       "                         [--expect TYPE:NAME]...\n"
	       "\n"
	       "Verify an early-boot secret set offline (on any machine) and print its chain:\n"
	       "toc.asr, its policy reference and the policy's hash, then each request the\n"
	       "policy lists with its type, id and tag; or the first break.\n"
	       "\n"
	       "  -u, --user-cert CERT      the image owner's user-signing certificate or public\n"
	       "                            key (PEM or DER): toc.asr and every request toc.pol\n"
	       "                            lists (plain mode: every expected request) must carry\n"
	       "                            user data signed with it, as the boot job requires\n"
	       "                            with user_cert\n"
	       "  -t, --toc FILE            the table of contents (default: DIR/toc.asr)\n"
	       "  -e, --expect TYPE:NAME    plain mode (no table of contents): a secret that\n"
	       "                            must be in the set exactly once; NAME is the name\n"
	       "                            given to pvsecret create, or 0x and the 64-hex-digit\n"
	       "                            id; repeat for each secret\n");
}

static int ebc_verify(int argc, char **argv)
{
	struct safe_dir set = {0};
	struct ebc_plan plan = {0};
	struct set_args a;
	struct sbuf out;
	int ret;

	ret = parse_set_args("ebc verify", argc, argv, false, verify_help, &a);
	if (ret >= 0)
		goto out;
	ret = load_and_plan(&a, &set, &plan);
	if (ret) {
		log_err("the set does not verify");
		goto out;
	}
	sbuf_init(&out);
	ebc_plan_describe(&out, &plan);
	if (out.failed) {
		log_err("out of memory");
		ret = PVB_EXIT_FAIL;
	} else if (write_all(STDOUT_FILENO, out.s, out.len)) {
		log_err("standard output: %s", err_str(errno));
		ret = PVB_EXIT_FAIL;
	}
	sbuf_free(&out);
out:
	ebc_plan_free(&plan);
	safe_dir_free(&set);
	set_args_free(&a);
	return ret;
}

/* ------------------------------------------------------------------ apply */

static void apply_help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot ebc apply [--force] [--user-cert CERT] [--toc FILE | DIR]\n"
		"                        [--expect TYPE:NAME]...\n"
		"\n"
		"Verify an early-boot secret set like 'ebc verify', then add its requests to the\n"
		"secret store in order: toc.asr first, then the requests toc.pol lists. Nothing\n"
		"is submitted unless the whole set verifies; the first refusal of the\n"
		"ultravisor stops the run and pvboot says which requests were added before it.\n"
		"\n"
		"Requests whose secret is already in the store are not submitted again, and if\n"
		"all of them are, neither are toc.asr and CCK updates (see pvboot(8)).\n"
		"\n"
		"  -t, --toc FILE            the table of contents (default: DIR/toc.asr)\n"
		"  -e, --expect TYPE:NAME    plain mode, see 'pvboot ebc verify --help'\n"
		"  -u, --user-cert CERT      require the owner's signature, see 'pvboot ebc\n"
		"                            verify --help'\n"
		"  -f, --force               submit every request, also those already in the\n"
		"                            store (as pvebc does)\n");
}

static int ebc_apply_cmd(int argc, char **argv)
{
	struct secret_list list = {0};
	struct safe_dir set = {0};
	struct ebc_plan plan = {0};
	struct ebc_report rep = {0};
	struct uv_dev *dev = NULL;
	struct uv_result res;
	struct set_args a;
	bool partial;
	char msg[160];
	int ret, err;

	ret = parse_set_args("ebc apply", argc, argv, true, apply_help, &a);
	if (ret >= 0)
		goto out;
	ret = load_and_plan(&a, &set, &plan);
	if (ret) {
		log_err("nothing was submitted");
		goto out;
	}
	err = uv_open(&dev);
	if (err) {
		log_err("%s", uv_open_error(err));
		log_err("nothing was submitted");
		ret = err == -EACCES || err == -EPERM ? PVB_EXIT_FAIL : PVB_EXIT_UNAVAILABLE;
		goto out;
	}
	if (!a.force) {
		err = uv_list_store(dev, &list, &partial, &res);
		if (err) {
			if (err == -EBADMSG || err == -ENOMEM)
				log_err("cannot list the secret store: %s",
					err == -ENOMEM
					    ? "out of memory"
					    : "the ultravisor returned a malformed list");
			else
				log_err(
				    "cannot list the secret store: %s",
				    uv_result_str(UVIO_NR_LIST_SECRETS, &res, msg, sizeof(msg)));
			log_err("nothing was submitted");
			ret = res.err == -ENOTTY ? PVB_EXIT_UNAVAILABLE : PVB_EXIT_FAIL;
			goto out;
		}
		if (partial)
			log_warn("the secret store holds %u secrets, the uvdevice shows only the "
				 "first %zu; a secret beyond them is submitted again",
				 list.total, list.n);
	}
	err = ebc_apply(dev, &plan, &(struct ebc_apply_opts){.present = a.force ? NULL : &list},
			&rep);
	if (err == -ENOMEM && !rep.e) {
		log_err("out of memory; nothing was submitted");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	ebc_report_log(&rep);
	ret = !err ? PVB_EXIT_OK : err == -ENOTTY ? PVB_EXIT_UNAVAILABLE : PVB_EXIT_FAIL;
out:
	ebc_report_free(&rep);
	secret_list_free(&list);
	uv_close(dev);
	ebc_plan_free(&plan);
	safe_dir_free(&set);
	set_args_free(&a);
	return ret;
}

/* ------------------------------------------------------------------ toc */

static void toc_help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot ebc toc [-o FILE] (ASR | DIR)...\n"
		"\n"
		"Write the toc.pol lines (the tag of each request, 32 hex digits) for the given\n"
		"request files, in order; a DIR stands for its *.asr files except toc.asr, in\n"
		"name order. Every file must be a valid add-secret request.\n"
		"\n"
		"  -o, --output FILE   write to FILE instead of standard output\n");
}

struct toc_item {
	char *name;
	uint8_t tag[ASR_GCM_TAG_LEN];
};

static int toc_add(struct toc_item **items, size_t *n, const char *name, const uint8_t *data,
		   size_t len)
{
	struct toc_item *more;
	struct asr_info info;
	char why[200];
	enum asr_err e = len ? asr_parse(data, len, &info, why, sizeof(why)) : ASR_E_MAGIC;

	if (e != ASR_OK) {
		log_err("%s: %s: %s", name, asr_strerror(e), len ? why : "empty file");
		return PVB_EXIT_FAIL;
	}
	for (size_t i = 0; i < *n; i++) {
		if (memcmp((*items)[i].tag, info.gcm_tag, ASR_GCM_TAG_LEN) == 0) {
			log_err("%s: the same tag as %s (the same request twice)", name,
				(*items)[i].name);
			return PVB_EXIT_FAIL;
		}
	}
	more = realloc(*items, (*n + 1) * sizeof(**items));
	if (!more) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	*items = more;
	more[*n].name = strdup(name);
	if (!more[*n].name) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	memcpy(more[*n].tag, info.gcm_tag, ASR_GCM_TAG_LEN);
	(*n)++;
	return PVB_EXIT_OK;
}

static int toc_arg(const char *arg, struct toc_item **items, size_t *n)
{
	struct safe_dir set = {0};
	struct stat st;
	uint8_t *data;
	size_t len, used = 0;
	char why[200], path[4096];
	int ret = PVB_EXIT_OK;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		ret = load_dir(arg, &set);
		if (ret)
			return ret;
		for (size_t i = 0; i < set.nskipped; i++)
			log_warn("%s/%s: %s; not read", arg, set.skipped[i].name,
				 set.skipped[i].why);
		for (size_t i = 0; i < set.nfiles && !ret; i++) {
			const struct safe_file *f = &set.files[i];

			if (!ebc_request_name(f->name) || strcmp(f->name, EBC_TOC_NAME) == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", arg, f->name);
			ret = toc_add(items, n, path, f->data, f->len);
			used++;
		}
		if (!ret && !used)
			log_warn("%s: no request files (*.asr) besides toc.asr", arg);
		safe_dir_free(&set);
		return ret;
	}
	if (safe_load(AT_FDCWD, arg, SAFEIO_ASR_CAP, &data, &len, why, sizeof(why))) {
		log_err("%s: %s", arg, why);
		return PVB_EXIT_FAIL;
	}
	ret = toc_add(items, n, arg, data, len);
	free(data);
	return ret;
}

static int ebc_toc(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct toc_item *items = NULL;
	const char *out = NULL;
	size_t n = 0;
	struct sbuf b;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:o:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, toc_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt == 'o')
			out = optarg;
		else
			return usage_bad_option("ebc toc", opt, argv);
	}
	if (optind >= argc)
		return usage_error("ebc toc: no request file or directory given");
	ret = PVB_EXIT_OK;
	for (int i = optind; i < argc && !ret; i++)
		ret = toc_arg(argv[i], &items, &n);
	sbuf_init(&b);
	for (size_t i = 0; i < n && !ret; i++) {
		char hex[2 * ASR_GCM_TAG_LEN + 1];

		sbuf_printf(&b, "%s\n", hex_encode(items[i].tag, ASR_GCM_TAG_LEN, hex));
		log_info("%s: tag %s", items[i].name, hex);
	}
	if (!ret && b.failed) {
		log_err("out of memory");
		ret = PVB_EXIT_FAIL;
	}
	if (!ret) {
		int err = out && strcmp(out, "-") != 0
			      ? safe_write(out, b.s ? b.s : "", b.len, 0644)
			      : write_all(STDOUT_FILENO, b.s ? b.s : "", b.len);

		if (err) {
			log_err("%s: cannot write: %s", out ? out : "standard output",
				err_str(-err));
			ret = PVB_EXIT_FAIL;
		} else if (out && strcmp(out, "-") != 0) {
			log_notice("wrote %zu tag%s to %s", n, n == 1 ? "" : "s", out);
		}
	}
	sbuf_free(&b);
	for (size_t i = 0; i < n; i++)
		free(items[i].name);
	free(items);
	return ret;
}

/* ------------------------------------------------------------------ policy-ref */

static void policy_ref_help(FILE *f)
{
	fprintf(f, "Usage: pvboot ebc policy-ref [--name NAME] [--size BYTES] [-o FILE] POLICY\n"
		   "\n"
		   "Write the 512 bytes of user data that hold a policy reference to POLICY:\n"
		   "SHA-256 of POLICY and its name (NUL padded to 480 bytes), as\n"
		   "'pvsecret create --policy' stores them. Use it with an older\n"
		   "'pvsecret create --user-data FILE meta' that lacks --policy to make toc.asr,\n"
		   "and with --size for a signed toc.asr: 'pvsecret create --user-sign-key KEY\n"
		   "--user-data FILE meta' (pvsecret ignores --policy when it signs).\n"
		   "\n"
		   "  -n, --name NAME     the name to store (default: the file name of POLICY,\n"
		   "                      which pvboot and pvebc look up next to toc.asr)\n"
		   "  -s, --size BYTES    512 (unsigned, the default), 256 (signed with an EC\n"
		   "                      secp521r1 or RSA-2048 key) or 128 (RSA-3072): the\n"
		   "                      data area, so the name has at most BYTES - 32 bytes\n"
		   "  -o, --output FILE   write to FILE instead of standard output\n");
}

static int ebc_policy_ref(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"size", required_argument, NULL, 's'},
					     {"output", required_argument, NULL, 'o'},
					     CMD_COMMON_OPTS,
					     {NULL, 0, NULL, 0}};
	const char *name = NULL, *out = NULL, *path;
	uint8_t ud[ASR_USERDATA_LEN], *data;
	char why[EBC_WHY_LEN], hex[65];
	size_t len, size = ASR_USERDATA_LEN;
	int opt, ret, err;

	while ((opt = getopt_long(argc, argv, "+:n:s:o:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, policy_ref_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt == 'n')
			name = optarg;
		else if (opt == 's' && (strcmp(optarg, "512") == 0 || strcmp(optarg, "256") == 0 ||
					strcmp(optarg, "128") == 0))
			size = (size_t)atoi(optarg);
		else if (opt == 's')
			return usage_error("ebc policy-ref: --size: 512, 256 or 128, got '%s'",
					   optarg);
		else if (opt == 'o')
			out = optarg;
		else
			return usage_bad_option("ebc policy-ref", opt, argv);
	}
	if (argc - optind != 1)
		return usage_error("ebc policy-ref: give exactly one POLICY");
	path = argv[optind];
	if (!name)
		name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (out && strcmp(out, "-") == 0)
		out = NULL;
	if (!out && isatty(STDOUT_FILENO))
		return usage_error("ebc policy-ref: refusing to write binary data to a terminal; "
				   "use -o FILE");
	if (ebc_policy_name_check(name, strlen(name), why, sizeof(why)) ||
	    strlen(name) > size - 32) {
		if (strlen(name) > size - 32)
			snprintf(why, sizeof(why), "policy name of %zu bytes, at most %zu fit",
				 strlen(name), size - 32);
		return usage_error("ebc policy-ref: %s", why);
	}
	if (safe_load(AT_FDCWD, path, SAFEIO_ASR_CAP, &data, &len, why, sizeof(why))) {
		log_err("%s: %s", path, why);
		return PVB_EXIT_FAIL;
	}
	if (len > EBC_POLICY_MAX)
		log_warn("%s: %zu bytes; a table of contents (toc.pol) may have at most %u", path,
			 len, EBC_POLICY_MAX);
	ret = ebc_policy_ref_build_area(data, len, name, size, ud, why, sizeof(why));
	free(data);
	if (ret) {
		log_err("%s: %s", path, why);
		return PVB_EXIT_FAIL;
	}
	err = out ? safe_write(out, ud, size, 0644) : write_all(STDOUT_FILENO, ud, size);
	if (err) {
		log_err("%s: cannot write: %s", out ? out : "standard output", err_str(-err));
		return PVB_EXIT_FAIL;
	}
	log_notice("policy reference to %s: SHA-256 %s%s%s", name, hex_encode(ud, 32, hex),
		   out ? ", written to " : "", out ? out : "");
	return PVB_EXIT_OK;
}

static const struct command ebc_commands[] = {
    {"verify", ebc_verify, "[-u CERT] [--toc FILE | DIR]",
     "verify a set offline and print its chain"},
    {"apply", ebc_apply_cmd, "[-u CERT] [--toc FILE | DIR]",
     "verify a set, then add it to the store"},
    {"toc", ebc_toc, "[-o FILE] (ASR | DIR)...", "the toc.pol lines for request files"},
    {"policy-ref", ebc_policy_ref, "[-o FILE] POLICY", "user data with a policy reference"},
    {NULL, NULL, NULL, NULL},
};

int cmd_ebc(int argc, char **argv)
{
	return command_group("ebc", ebc_commands, argc, argv);
}
