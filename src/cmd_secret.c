// SPDX-License-Identifier: MIT
/* pvboot secret add|list|lock|retrieve|id|inspect|verify */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asr.h"
#include "boot.h"
#include "cmd.h"
#include "log.h"
#include "safeio.h"
#include "util.h"
#include "secret_list.h"
#include "uv.h"

static int uv_exit(const struct uv_result *res)
{
	return res->err == -ENOTTY ? PVB_EXIT_UNAVAILABLE : PVB_EXIT_FAIL;
}

static int open_uv(struct uv_dev **dev)
{
	int err = uv_open(dev);

	if (!err)
		return 0;
	log_err("%s", uv_open_error(err));
	return err == -EACCES || err == -EPERM ? PVB_EXIT_FAIL : PVB_EXIT_UNAVAILABLE;
}

/* LIST into *list (4 pages, one page on old kernels). Logs and returns an exit code. */
static int fetch_list(struct uv_dev *dev, struct secret_list *list, const char *why)
{
	struct uv_result res;
	bool partial;
	char msg[160];
	int ret = uv_list_store(dev, list, &partial, &res);

	if (ret == -ENOMEM || ret == -EBADMSG) {
		log_err("%s: %s", why,
			ret == -ENOMEM ? "out of memory"
				       : "the ultravisor returned a malformed secret list");
		return PVB_EXIT_FAIL;
	}
	if (ret) {
		log_err("%s: cannot list the secret store: %s%s", why,
			uv_result_str(UVIO_NR_LIST_SECRETS, &res, msg, sizeof(msg)),
			uv_result_hint(&res));
		return uv_exit(&res);
	}
	if (partial)
		log_warn("the secret store holds %u secrets, the uvdevice shows only the first "
			 "%zu",
			 list->total, list->n);
	return PVB_EXIT_OK;
}

/* ------------------------------------------------------------------ add */

static void add_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret add [--force] FILE...\n"
		   "\n"
		   "Add the add-secret requests in FILE... to the ultravisor's secret store, in\n"
		   "order. Every file is read and validated first; nothing is added unless all of\n"
		   "them are valid add-secret requests. A request whose secret id is already in\n"
		   "the store (or in an earlier FILE) is refused unless --force is given.\n"
		   "\n"
		   "  -f, --force   add secrets even if their id is already in the store\n");
}

struct req {
	const char *path;
	uint8_t *data;
	size_t len;
	struct asr_info info;
};

static void describe_req(struct sbuf *b, const struct req *r)
{
	char tb[24];

	if (r->info.secret_type == SECRET_NULL) {
		sbuf_puts(b, "meta request");
		if (r->info.flags & ASR_FLAG_DISABLE_DUMP)
			sbuf_puts(b, ", disable dump");
		return;
	}
	if (r->info.secret_type == SECRET_UPDATE_CCK) {
		sbuf_puts(b, "update-CCK request");
		return;
	}
	sbuf_printf(b, "%s ", secret_type_name(r->info.secret_type, tb));
	secret_id_display(b, r->info.secret_id);
}

static int load_requests(int n, char **paths, struct req *reqs)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		char why[200];
		enum asr_err e;

		reqs[i].path = paths[i];
		if (safe_load(AT_FDCWD, paths[i], SAFEIO_ASR_CAP, &reqs[i].data, &reqs[i].len, why,
			      sizeof(why))) {
			log_err("%s: %s", paths[i], why);
			bad++;
			continue;
		}
		if (reqs[i].len == 0) {
			log_err("%s: empty file, not an add-secret request", paths[i]);
			bad++;
			continue;
		}
		e = asr_parse(reqs[i].data, reqs[i].len, &reqs[i].info, why, sizeof(why));
		if (e != ASR_OK) {
			log_err("%s: %s: %s", paths[i], asr_strerror(e), why);
			bad++;
		}
	}
	return bad;
}

static int check_duplicates(const struct secret_list *list, struct req *reqs, int n, bool force)
{
	int dups = 0;

	for (int i = 0; i < n; i++) {
		const struct secret_entry *e;
		struct sbuf id;
		size_t count;

		if (!secret_type_listable(reqs[i].info.secret_type))
			continue;
		sbuf_init(&id);
		secret_id_display(&id, reqs[i].info.secret_id);
		e = secret_list_find_id(list, reqs[i].info.secret_id, &count);
		if (e) {
			log_msg(force ? LOG_WARNING : LOG_ERR,
				"%s: the secret store already holds a secret with id %s (index "
				"%u)%s",
				reqs[i].path, id.s ? id.s : "", e->index,
				force ? "; adding it anyway (--force)" : "");
			dups++;
		}
		for (int j = 0; j < i; j++) {
			if (secret_type_listable(reqs[j].info.secret_type) &&
			    memcmp(reqs[j].info.secret_id, reqs[i].info.secret_id,
				   ASR_SECRET_ID_LEN) == 0) {
				log_msg(force ? LOG_WARNING : LOG_ERR,
					"%s: same secret id %s as %s%s", reqs[i].path,
					id.s ? id.s : "", reqs[j].path,
					force ? "; adding it anyway (--force)" : "");
				dups++;
				break;
			}
		}
		sbuf_free(&id);
	}
	return force ? 0 : dups;
}

static int secret_add(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct secret_list list = {0};
	struct uv_dev *dev = NULL;
	struct req *reqs = NULL;
	bool force = false;
	int opt, n, i, ret;

	while ((opt = getopt_long(argc, argv, "+:fhvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, add_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt == 'f')
			force = true;
		else
			return usage_bad_option("secret add", opt, argv);
	}
	n = argc - optind;
	if (n < 1)
		return usage_error("secret add: no FILE given");
	reqs = calloc((size_t)n, sizeof(*reqs));
	if (!reqs) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	if (load_requests(n, argv + optind, reqs)) {
		log_err("nothing was added");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	ret = open_uv(&dev);
	if (ret)
		goto out;
	ret = fetch_list(dev, &list, "cannot check for duplicate secret ids");
	if (ret) {
		log_err("nothing was added");
		goto out;
	}
	if (check_duplicates(&list, reqs, n, force)) {
		log_err("nothing was added (use --force to add secrets with duplicate ids)");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct uv_result res;
		struct sbuf d;
		char msg[160];

		sbuf_init(&d);
		describe_req(&d, &reqs[i]);
		if (uv_add_secret(dev, reqs[i].data, reqs[i].len, &res)) {
			log_err("%s: %s%s", reqs[i].path,
				uv_result_str(UVIO_NR_ADD_SECRET, &res, msg, sizeof(msg)),
				uv_result_hint(&res));
			sbuf_free(&d);
			break;
		}
		log_notice("added %s (%s)", reqs[i].path, d.s ? d.s : "");
		sbuf_free(&d);
	}
	if (i < n) {
		if (i == 0)
			log_err("nothing was added");
		else
			log_err("added %d of %d requests; not added: %s%s", i, n, reqs[i].path,
				n - i > 1 ? " and the requests after it" : "");
		ret = PVB_EXIT_FAIL;
	}
out:
	secret_list_free(&list);
	uv_close(dev);
	for (i = 0; i < n; i++)
		free(reqs[i].data);
	free(reqs);
	return ret;
}

/* ------------------------------------------------------------------ list */

static void list_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret list [--format human|yaml|json|bin] [-o FILE]\n"
		   "\n"
		   "List the secrets in the ultravisor's secret store (human: as pvsecret list).\n"
		   "\n"
		   "  -f, --format FMT   human (default), yaml, json or bin\n"
		   "  -o, --output FILE  write to FILE instead of standard output\n");
}

static int emit(const char *path, const struct sbuf *b, mode_t mode)
{
	int err;

	if (b->failed) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	if (!path || strcmp(path, "-") == 0)
		err = write_all(STDOUT_FILENO, b->s ? b->s : "", b->len);
	else
		err = safe_write(path, b->s ? b->s : "", b->len, mode);
	if (err) {
		log_err("%s: cannot write: %s", path ? path : "standard output", err_str(-err));
		return PVB_EXIT_FAIL;
	}
	return PVB_EXIT_OK;
}

static int secret_list(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     CMD_COMMON_OPTS,
					     {NULL, 0, NULL, 0}};
	enum secret_list_format fmt = SL_HUMAN;
	struct secret_list list = {0};
	struct uv_dev *dev = NULL;
	const char *out = NULL;
	struct sbuf b;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:f:o:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, list_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt == 'f') {
			if (secret_list_format_parse(optarg, &fmt))
				return usage_error("secret list: unknown format '%s'", optarg);
		} else if (opt == 'o') {
			out = optarg;
		} else {
			return usage_bad_option("secret list", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("secret list: unexpected argument '%s'", argv[optind]);
	ret = open_uv(&dev);
	if (ret)
		return ret;
	ret = fetch_list(dev, &list, "secret list");
	uv_close(dev);
	if (ret)
		return ret;
	sbuf_init(&b);
	secret_list_print(&b, &list, fmt);
	ret = emit(out, &b, 0644);
	if (!ret && out && strcmp(out, "-") != 0)
		log_info("wrote the list of secrets to %s", out);
	sbuf_free(&b);
	secret_list_free(&list);
	return ret;
}

/* ------------------------------------------------------------------ lock */

static void lock_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret lock\n"
		   "\n"
		   "Lock the secret store: no secret can be added for the rest of this boot.\n");
}

static int secret_lock(int argc, char **argv)
{
	static const struct option opts[] = {CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct uv_dev *dev;
	struct uv_result res;
	char msg[160];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, lock_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		return usage_bad_option("secret lock", opt, argv);
	}
	if (optind < argc)
		return usage_error("secret lock: unexpected argument '%s'", argv[optind]);
	ret = open_uv(&dev);
	if (ret)
		return ret;
	if (uv_lock_secrets(dev, &res)) {
		log_err("cannot lock the secret store: %s%s",
			uv_result_str(UVIO_NR_LOCK_SECRETS, &res, msg, sizeof(msg)),
			uv_result_hint(&res));
		ret = uv_exit(&res);
	} else {
		log_notice("secret store locked");
	}
	uv_close(dev);
	return ret;
}

/* ------------------------------------------------------------------ retrieve */

static void retrieve_help(FILE *f)
{
	fprintf(
	    f, "Usage: pvboot secret retrieve (--name NAME | --id HEX | --index N)\n"
	       "                              [-o FILE] [--format bin|pem]\n"
	       "\n"
	       "Retrieve a retrievable secret from the secret store. The secret is written to\n"
	       "FILE, created with mode 0400 (an existing FILE is never overwritten), or to\n"
	       "standard output, which must not be a terminal.\n"
	       "\n"
	       "  -n, --name NAME    the secret named NAME at creation (its id is SHA-256 of\n"
	       "                     NAME, or NAME itself for ids made with --use-name)\n"
	       "  -i, --id HEX       the secret with this 32-byte id (64 hex digits, 0x optional)\n"
	       "  -x, --index N      the secret with this store index\n"
	       "  -o, --output FILE  write to FILE (mode 0400, created exclusively)\n"
	       "  -f, --format FMT   bin (default: the plaintext payload or the protected key)\n"
	       "                     or pem\n");
}

static const struct secret_entry *pick(const struct secret_list *list, const char *name,
				       const char *idhex, const char *index, char *what,
				       size_t wsize)
{
	const struct secret_entry *e = NULL;
	uint8_t id[SECRET_ID_LEN];
	size_t count = 0;
	char hex[2 * SECRET_ID_LEN + 1];

	if (index) {
		uint64_t v;

		parse_u64(index, UINT16_MAX, &v);
		snprintf(what, wsize, "index %s", index);
		return secret_list_find_index(list, (uint16_t)v);
	}
	if (idhex) {
		hex_decode(idhex, id, sizeof(id));
		e = secret_list_find_id(list, id, &count);
	} else {
		/* the --use-name form first (as pvsecret), then SHA-256 of the whole name */
		if (strlen(name) <= SECRET_NAME_ID_MAX) {
			secret_id_from_string(name, id);
			e = secret_list_find_id(list, id, &count);
		}
		if (!e) {
			secret_id_from_name(name, id);
			e = secret_list_find_id(list, id, &count);
		}
	}
	if (name)
		snprintf(what, wsize, "name '%s' (id 0x%s)", name,
			 hex_encode(id, SECRET_ID_LEN, hex));
	else
		snprintf(what, wsize, "id 0x%s", hex_encode(id, SECRET_ID_LEN, hex));
	if (count > 1) {
		struct sbuf idx;

		sbuf_init(&idx);
		for (size_t i = 0; i < list->n; i++)
			if (memcmp(list->entries[i].id, id, SECRET_ID_LEN) == 0)
				sbuf_printf(&idx, "%s%u", idx.len ? ", " : "",
					    list->entries[i].index);
		log_warn("several secrets have the %s: indices %s; retrieving index %u", what,
			 idx.s ? idx.s : "", e->index);
		sbuf_free(&idx);
	}
	return e;
}

static int secret_retrieve(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"id", required_argument, NULL, 'i'},
					     {"index", required_argument, NULL, 'x'},
					     {"output", required_argument, NULL, 'o'},
					     {"format", required_argument, NULL, 'f'},
					     CMD_COMMON_OPTS,
					     {NULL, 0, NULL, 0}};
	const char *name = NULL, *idhex = NULL, *index = NULL, *out = NULL;
	const struct secret_entry *e;
	struct secret_list list = {0};
	struct uv_dev *dev = NULL;
	struct uv_result res;
	uint8_t id[SECRET_ID_LEN], *buf = NULL;
	size_t blen = 0, off, plen;
	bool pem = false;
	char what[200], msg[160], tb[24];
	struct sbuf b;
	int opt, ret, sel, err;
	uint64_t v;

	while ((opt = getopt_long(argc, argv, "+:n:i:x:o:f:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, retrieve_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'i':
			idhex = optarg;
			break;
		case 'x':
			index = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "pem") == 0)
				pem = true;
			else if (strcmp(optarg, "bin") != 0)
				return usage_error("secret retrieve: unknown format '%s'", optarg);
			break;
		default:
			return usage_bad_option("secret retrieve", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("secret retrieve: unexpected argument '%s'", argv[optind]);
	sel = !!name + !!idhex + !!index;
	if (sel != 1)
		return usage_error("secret retrieve: give exactly one of --name, --id, --index");
	if (name && !*name)
		return usage_error("secret retrieve: empty --name");
	if (idhex && hex_decode(idhex, id, sizeof(id)))
		return usage_error("secret retrieve: --id needs 64 hex digits, got '%s'", idhex);
	if (index && parse_u64(index, UINT16_MAX, &v))
		return usage_error("secret retrieve: --index needs a number from 0 to 65535");
	if (out && strcmp(out, "-") == 0)
		out = NULL;
	if (!out && isatty(STDOUT_FILENO))
		return usage_error("secret retrieve: refusing to write a secret to a terminal; "
				   "use -o FILE or redirect standard output");
	if (out && access(out, F_OK) == 0) {
		log_err("%s: exists; a secret is only written to a new file", out);
		return PVB_EXIT_FAIL;
	}

	ret = open_uv(&dev);
	if (ret)
		return ret;
	ret = fetch_list(dev, &list, "secret retrieve");
	if (ret)
		goto out;
	e = pick(&list, name, idhex, index, what, sizeof(what));
	if (!e) {
		log_err("the secret store has no secret with %s", what);
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	err = uv_retrieve_entry(dev, e, &buf, &blen, &off, &plen, &res);
	if (err == -E2BIG || (err == -ENOMEM && !res.err)) {
		if (err == -E2BIG)
			log_err("secret %u (%s) has %u bytes, more than can be retrieved (%u)",
				e->index, secret_type_name(e->type, tb), e->len,
				UVIO_RETR_SECRET_MAX_LEN);
		else
			log_err("out of memory");
		ret = PVB_EXIT_FAIL;
		goto out;
	}
	if (err) {
		log_err("cannot retrieve secret %u (%s): %s%s", e->index,
			secret_type_name(e->type, tb),
			uv_result_str(UVIO_NR_RETR_SECRET, &res, msg, sizeof(msg)),
			uv_result_hint(&res));
		ret = uv_exit(&res);
		goto out;
	}
	if (!secret_type_retrievable(e->type))
		log_warn("secret %u has type %s, which is not retrievable; writing what the "
			 "ultravisor returned as a protected key",
			 e->index, secret_type_name(e->type, tb));
	sbuf_init(&b);
	if (pem) {
		sbuf_add(&b, "", 0);
		secret_pem(&b, e->type, buf + off, plen);
	} else {
		sbuf_add(&b, buf + off, plen);
	}
	if (b.failed) {
		log_err("out of memory");
		ret = PVB_EXIT_FAIL;
	} else if (out) {
		err = safe_write_new(out, b.s, b.len, 0400);

		if (err) {
			log_err("%s: cannot create: %s", out, err_str(-err));
			ret = PVB_EXIT_FAIL;
		} else {
			log_notice("wrote secret %u (%s) to %s", e->index,
				   secret_type_name(e->type, tb), out);
		}
	} else {
		ret = emit(NULL, &b, 0);
	}
	sbuf_free(&b);
out:
	if (buf) {
		secure_zero(buf, blen);
		free(buf);
	}
	secret_list_free(&list);
	uv_close(dev);
	return ret;
}

/* ------------------------------------------------------------------ id */

static void id_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret id [--use-name] NAME\n"
		   "\n"
		   "Print the secret id that `pvsecret create` gives a secret named NAME:\n"
		   "SHA-256 of NAME, or with --use-name NAME itself (at most 31 bytes).\n");
}

static int secret_id(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"use-name", no_argument, NULL, 'u'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	uint8_t id[SECRET_ID_LEN];
	char hex[2 * SECRET_ID_LEN + 1];
	bool use_name = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:uhvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, id_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt == 'u')
			use_name = true;
		else
			return usage_bad_option("secret id", opt, argv);
	}
	if (argc - optind != 1)
		return usage_error("secret id: give exactly one NAME");
	if (!*argv[optind])
		return usage_error("secret id: empty NAME");
	if (use_name) {
		if (strlen(argv[optind]) > SECRET_NAME_ID_MAX)
			log_warn("--use-name keeps only the first %d bytes of the name",
				 SECRET_NAME_ID_MAX);
		secret_id_from_string(argv[optind], id);
	} else {
		secret_id_from_name(argv[optind], id);
	}
	printf("0x%s\n", hex_encode(id, sizeof(id), hex));
	return PVB_EXIT_OK;
}

/* ------------------------------------------------------------------ inspect */

static void inspect_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret inspect [--format human|json] FILE\n"
		   "\n"
		   "Validate and describe an add-secret request (offline, on any machine).\n");
}

static void hexline(struct sbuf *b, const uint8_t *p, size_t n)
{
	char hex[2 * 160 + 1];

	sbuf_puts(b, hex_encode(p, n, hex));
}

static void inspect_human(struct sbuf *b, const char *path, const struct asr_info *a)
{
	char tb[24];

	sbuf_printf(b, "File:             %s\n", path);
	sbuf_printf(b, "Size:             %zu bytes\n", a->size);
	sbuf_printf(b, "Version:          0x%x\n", a->version);
	sbuf_printf(b, "User data:        %s (type %u)\n", asr_udtype_name(a->udtype), a->udtype);
	if (a->udtype >= ASR_UD_EC_P521) {
		struct asr_sig sig;

		asr_sig_layout(a->udtype, a->userdata, &sig, NULL, 0);
		sbuf_printf(b, "Signature:        %zu bytes after %zu bytes of data\n", sig.sig_len,
			    sig.data_len);
	}
	sbuf_printf(b, "Flags:            0x%016llx", (unsigned long long)a->flags);
	if (a->flags & ASR_FLAG_DISABLE_DUMP)
		sbuf_puts(b, " (disable dump)");
	if (a->flags & ~(uint64_t)ASR_FLAGS_KNOWN)
		sbuf_puts(b, " (unknown bits)");
	sbuf_puts(b, "\nCUID:             ");
	if (all_zero(a->cuid, ASR_CUID_LEN))
		sbuf_puts(b, "none (any guest of the image)");
	else {
		sbuf_puts(b, "0x");
		hexline(b, a->cuid, ASR_CUID_LEN);
	}
	sbuf_puts(b, "\nBoot tags:\n  PLD:            ");
	hexline(b, a->tags, ASR_DIGEST_LEN);
	sbuf_puts(b, "\n  ALD:            ");
	hexline(b, a->tags + ASR_DIGEST_LEN, ASR_DIGEST_LEN);
	sbuf_puts(b, "\n  TLD:            ");
	hexline(b, a->tags + 2 * ASR_DIGEST_LEN, ASR_DIGEST_LEN);
	sbuf_puts(b, "\n  SE-header tag:  ");
	hexline(b, a->tags + 3 * ASR_DIGEST_LEN, ASR_HDRTAG_LEN);
	sbuf_printf(b, "\nKey slots:        %u\n", a->nks);
	for (unsigned i = 0; i < a->nks; i++) {
		sbuf_printf(b, "  host key hash:  ");
		hexline(b, a->slots + (size_t)i * ASR_SLOT_LEN, ASR_PHKH_LEN);
		sbuf_puts(b, "\n");
	}
	if (a->secret_type == SECRET_NULL)
		sbuf_puts(b, "Secret type:      meta (0x0001)\n");
	else if (a->secret_type == SECRET_UPDATE_CCK)
		sbuf_puts(b, "Secret type:      update CCK (0x0016)\n");
	else
		sbuf_printf(b, "Secret type:      %s (0x%04x)\n",
			    secret_type_name(a->secret_type, tb), a->secret_type);
	sbuf_printf(b, "Secret length:    %u\n", a->secret_len);
	if (secret_type_listable(a->secret_type)) {
		sbuf_puts(b, "Secret id:        ");
		secret_id_display(b, a->secret_id);
		sbuf_puts(b, "\n");
	}
	sbuf_puts(b, "Request tag:      ");
	hexline(b, a->gcm_tag, ASR_GCM_TAG_LEN);
	sbuf_puts(b, "\n");
}

static void json_hex(struct sbuf *b, const char *key, const uint8_t *p, size_t n, bool comma)
{
	sbuf_printf(b, "\"%s\":\"", key);
	hexline(b, p, n);
	sbuf_printf(b, "\"%s", comma ? "," : "");
}

static void inspect_json(struct sbuf *b, const char *path, const struct asr_info *a)
{
	char tb[24];
	struct asr_sig sig;

	asr_sig_layout(a->udtype, a->userdata, &sig, NULL, 0);
	sbuf_puts(b, "{\"file\":");
	sbuf_json_str(b, path, strlen(path));
	sbuf_printf(b,
		    ",\"size\":%zu,\"version\":%u,\"user_data_type\":%u,"
		    "\"user_data_signature_size\":%zu,\"flags\":%llu,",
		    a->size, a->version, a->udtype, sig.sig_len, (unsigned long long)a->flags);
	sbuf_printf(b, "\"disable_dump\":%s,", a->flags & ASR_FLAG_DISABLE_DUMP ? "true" : "false");
	json_hex(b, "cuid", a->cuid, ASR_CUID_LEN, true);
	json_hex(b, "pld", a->tags, ASR_DIGEST_LEN, true);
	json_hex(b, "ald", a->tags + ASR_DIGEST_LEN, ASR_DIGEST_LEN, true);
	json_hex(b, "tld", a->tags + 2 * ASR_DIGEST_LEN, ASR_DIGEST_LEN, true);
	json_hex(b, "se_header_tag", a->tags + 3 * ASR_DIGEST_LEN, ASR_HDRTAG_LEN, true);
	sbuf_puts(b, "\"host_key_hashes\":[");
	for (unsigned i = 0; i < a->nks; i++) {
		sbuf_printf(b, "%s\"", i ? "," : "");
		hexline(b, a->slots + (size_t)i * ASR_SLOT_LEN, ASR_PHKH_LEN);
		sbuf_puts(b, "\"");
	}
	sbuf_printf(b, "],\"secret_type\":%u,\"secret_type_name\":", a->secret_type);
	if (a->secret_type == SECRET_NULL)
		sbuf_json_str(b, "meta", 4);
	else if (a->secret_type == SECRET_UPDATE_CCK)
		sbuf_json_str(b, "update-cck", 10);
	else {
		const char *n = secret_type_name(a->secret_type, tb);

		sbuf_json_str(b, n, strlen(n));
	}
	sbuf_printf(b, ",\"secret_len\":%u,", a->secret_len);
	if (secret_type_listable(a->secret_type))
		json_hex(b, "secret_id", a->secret_id, ASR_SECRET_ID_LEN, true);
	json_hex(b, "tag", a->gcm_tag, ASR_GCM_TAG_LEN, false);
	sbuf_puts(b, "}\n");
}

static int secret_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct asr_info info;
	uint8_t *data;
	size_t len;
	bool json = false;
	char why[200];
	enum asr_err e;
	struct sbuf b;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:f:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, inspect_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt != 'f')
			return usage_bad_option("secret inspect", opt, argv);
		if (strcmp(optarg, "json") == 0)
			json = true;
		else if (strcmp(optarg, "human") != 0)
			return usage_error("secret inspect: unknown format '%s'", optarg);
	}
	if (argc - optind != 1)
		return usage_error("secret inspect: give exactly one FILE");
	if (safe_load(AT_FDCWD, argv[optind], SAFEIO_ASR_CAP, &data, &len, why, sizeof(why))) {
		log_err("%s: %s", argv[optind], why);
		return PVB_EXIT_FAIL;
	}
	e = len ? asr_parse(data, len, &info, why, sizeof(why)) : ASR_E_MAGIC;
	if (e != ASR_OK) {
		log_err("%s: %s: %s", argv[optind], asr_strerror(e), len ? why : "empty file");
		free(data);
		return PVB_EXIT_FAIL;
	}
	sbuf_init(&b);
	if (json)
		inspect_json(&b, argv[optind], &info);
	else
		inspect_human(&b, argv[optind], &info);
	ret = emit(NULL, &b, 0);
	sbuf_free(&b);
	free(data);
	return ret;
}

/* ------------------------------------------------------------------ verify */

static void verify_help(FILE *f)
{
	fprintf(f, "Usage: pvboot secret verify [--user-cert CERT] FILE...\n"
		   "\n"
		   "Check add-secret requests offline, as 'pvsecret verify' does: the structure\n"
		   "of each FILE and, with --user-cert, that its user data is signed with the\n"
		   "image owner's user-signing key. Without --user-cert a request with signed\n"
		   "user data is refused, as pvsecret refuses it. One line per FILE on standard\n"
		   "output: 'FILE: Successfully verified the request: ...'; errors on stderr.\n"
		   "\n"
		   "  -u, --user-cert CERT   the owner's user-signing certificate or public key\n"
		   "                         (PEM or DER; EC secp521r1, RSA-2048 or RSA-3072)\n"
		   "\n"
		   "Exit status: 0 every FILE verified, 1 one did not (or CERT is unusable),\n"
		   "2 usage error.\n");
}

/* One request: 0 verified, else 1 (logged). */
static int verify_one(const char *path, const struct usersig_key *key, const char *cert)
{
	struct asr_info info;
	uint8_t *data;
	size_t len;
	char why[400];
	enum asr_err e;
	int ret = PVB_EXIT_FAIL;

	if (safe_load(AT_FDCWD, path, SAFEIO_ASR_CAP, &data, &len, why, sizeof(why))) {
		log_err("%s: %s", path, why);
		return PVB_EXIT_FAIL;
	}
	e = len ? asr_parse(data, len, &info, why, sizeof(why)) : ASR_E_MAGIC;
	if (e != ASR_OK)
		log_err("%s: %s: %s", path, asr_strerror(e), len ? why : "empty file");
	else if (key && usersig_verify(data, &info, key, NULL, why, sizeof(why)) != USERSIG_OK)
		log_err("%s: %s", path, why);
	else if (!key && info.udtype >= ASR_UD_EC_P521)
		log_err("%s: the user data is signed (%s) and there is no --user-cert to verify it",
			path, usersig_type_name(info.udtype));
	else
		ret = PVB_EXIT_OK;
	if (!ret && key)
		printf("%s: Successfully verified the request: user data signed with %s, the "
		       "signature verifies with %s.\n",
		       path, usersig_type_name(info.udtype), cert);
	else if (!ret)
		printf("%s: Successfully verified the request: user data %s.\n", path,
		       asr_udtype_name(info.udtype));
	free(data);
	return ret;
}

static int secret_verify(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"user-cert", required_argument, NULL, 'u'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	const char *cert = NULL;
	struct usersig_key key;
	char why[400];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:u:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, verify_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt != 'u')
			return usage_bad_option("secret verify", opt, argv);
		cert = optarg;
	}
	if (optind == argc)
		return usage_error("secret verify: no FILE given");
	usersig_key_init(&key);
	if (cert && boot_load_user_key(cert, true, &key, why, sizeof(why))) {
		log_err("--user-cert %s", why);
		return PVB_EXIT_FAIL;
	}
	ret = PVB_EXIT_OK;
	for (int i = optind; i < argc; i++)
		if (verify_one(argv[i], cert ? &key : NULL, cert))
			ret = PVB_EXIT_FAIL;
	fflush(stdout);
	usersig_key_free(&key);
	return ret;
}

static const struct command secret_commands[] = {
    {"add", secret_add, "[--force] FILE...", "add add-secret requests to the store"},
    {"list", secret_list, "[--format F] [-o FILE]", "list the secrets in the store"},
    {"lock", secret_lock, "", "lock the store against further adds"},
    {"retrieve", secret_retrieve, "(--name|--id|--index) [-o F]", "retrieve a retrievable secret"},
    {"id", secret_id, "[--use-name] NAME", "the secret id of a name"},
    {"inspect", secret_inspect, "[--format F] FILE", "describe an add-secret request"},
    {"verify", secret_verify, "[--user-cert CERT] FILE...", "check requests as pvsecret verify"},
    {NULL, NULL, NULL, NULL},
};

int cmd_secret(int argc, char **argv)
{
	return command_group("secret", secret_commands, argc, argv);
}
