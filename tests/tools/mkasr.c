/* SPDX-License-Identifier: MIT */
/*
 * mkasr — a test-only generator of add-secret requests, byte-compatible with
 * `pvsecret create --no-verify` (spec/uv.md §3). Never part of pvboot.
 *
 *   mkasr -k HOSTKEY [-k HOSTKEY ...] (--hdr SEHDR_OR_IMAGE | --tags HEX)
 *         [--cuid HEX] [--disable-dump] [--flags HEX]
 *         [--extension-secret FILE | --cck FILE] [--user-data FILE | --policy FILE]
 *         [--user-sign-key KEY [--pss-salt N|max]]
 *         [--user-data-type 2|3|4 [--user-signature FILE]]
 *         [--toc-policy FILE] [--secret-id-name]
 *         [--iv HEX] [--request-key HEX] [--customer-key FILE]
 *         [--nks-override N] [--version-override HEX] [--secret-type-override HEX]
 *         [--secret-len-override N]
 *         -o OUT TYPE...
 *
 *   TYPE: meta
 *         association NAME [--input-secret FILE]
 *         retrievable NAME --kind KIND --secret FILE
 *         update-cck FILE
 *
 * The usage text below describes every option. Without --iv, --request-key and
 * --customer-key the IV, the request key and the customer key are random, as in
 * pvsecret; with all three the output is deterministic. The *-override options write
 * wrong values into the authenticated header (before encryption, so the GCM tag is
 * valid) to test the checks of a simulated ultravisor.
 *
 * Exit status: 0 success, 1 error, 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luks2_edit.h"
#include "mkasr_lib.h"
#include "util.h"

#define MAX_IMAGE_SIZE ((size_t)1 << 32) /* an SE image is read as a whole */

static const char usage_text[] =
    "Usage: mkasr -k HOSTKEY [-k HOSTKEY ...] (--hdr SEHDR | --tags HEX) [OPTIONS] -o OUT TYPE...\n"
    "\n"
    "Create an add-secret request like `pvsecret create --no-verify` (test tool).\n"
    "\n"
    "Types:\n"
    "  meta                          a meta (Null) request: flags and user data only\n"
    "  association NAME [--input-secret FILE]\n"
    "                                an association secret; 32 random bytes unless FILE\n"
    "                                (exactly 32 bytes) gives them\n"
    "  retrievable NAME --kind KIND --secret FILE\n"
    "                                a retrievable secret; KIND is one of\n"
    "                                plain, aes-128, aes-192, aes-256, aes-xts-128,\n"
    "                                aes-xts-256, hmac-sha-256, hmac-sha-512, ec-p256,\n"
    "                                ec-p384, ec-p521, ed25519, ed448. FILE holds the\n"
    "                                plaintext (at most 8190 bytes), the raw key (its exact\n"
    "                                length) or the raw big-endian EC private scalar\n"
    "  update-cck FILE               replace the CCK by FILE (exactly 32 bytes)\n"
    "\n"
    "Options:\n"
    "  -k, --host-key FILE           host-key document or host key (PEM/DER X.509\n"
    "                                certificate, public or private key; P-521), one key\n"
    "                                slot each, up to 255; not verified\n"
    "  --hdr FILE                    bind to the SE header in FILE (a bare header or an\n"
    "                                SE image)\n"
    "  --tags HEX                    bind to these boot tags: PLD ‖ ALD ‖ TLD ‖ tag\n"
    "                                (0xd0 bytes, 416 hex digits)\n"
    "  --cuid HEX                    configuration unique ID (16 bytes); default 0\n"
    "  --disable-dump                set the disable-dump flag (0x8000000000000000)\n"
    "  --flags HEX                   raw add-secret flags (64 bits), ORed with the above\n"
    "  --extension-secret FILE       extension secret (exactly 32 bytes)\n"
    "  --cck FILE                    derive the extension secret from this CCK (32 bytes)\n"
    "  --user-data FILE              unsigned user data (at most 512 bytes)\n"
    "  --policy FILE                 user data = PolicyReference to FILE: SHA-256 of FILE\n"
    "                                and the path as given (truncated to 480 bytes)\n"
    "  --user-sign-key KEY           sign the user data with KEY (PEM/DER private key:\n"
    "                                EC secp521r1, RSA-2048 or RSA-3072), as pvsecret\n"
    "                                create --user-sign-key; with --policy the reference\n"
    "                                fills the signed data area (256 or 128 bytes)\n"
    "  --pss-salt N|max              RSA-PSS salt length (default 64, OpenSSL 3.1's\n"
    "                                default; max: OpenSSL 3.0's)\n"
    "  --user-data-type 2|3|4        signed type, signature area zero (the bytes to sign\n"
    "                                are the request without its last 16 bytes)\n"
    "  --user-signature FILE         with --user-data-type: insert this ready-made\n"
    "                                signature (e.g. from openssl) and make the tag again\n"
    "  --toc-policy FILE             append the request's tag as hex and a newline to FILE\n"
    "  --secret-id-name              secret ID = the name's first 31 bytes, NUL padded\n"
    "                                (pvsecret --use-name), not SHA-256(NAME)\n"
    "  -o, --output FILE             write the request to FILE (required)\n"
    "  -h, --help                    show this text\n"
    "\n"
    "Deterministic mode (random values otherwise):\n"
    "  --iv HEX                      AES-GCM IV (12 bytes)\n"
    "  --request-key HEX             request protection key (32 bytes)\n"
    "  --customer-key FILE           customer P-521 key: the private scalar padded to 80\n"
    "                                bytes (s390-tools keys/private_cust.bin) or a PEM/DER\n"
    "                                private key\n"
    "\n"
    "Corruption for tests (covered by a valid GCM tag):\n"
    "  --nks-override N              write N (0..255) as the number of key slots\n"
    "  --version-override HEX        write HEX as the request version\n"
    "  --secret-type-override HEX    write HEX as the secret type\n"
    "  --secret-len-override N       write N as the secret length\n"
    "\n"
    "\n"
    "mkasr luks2-edit IN OUT [OP...]   (no other options)\n"
    "  Rewrite a LUKS2 header as a hostile host does (tests/common/luks2_edit.h), then\n"
    "  recompute both checksums. OP: json|json0|json1 OLD NEW (replace the first OLD in\n"
    "  both JSON areas, the primary's, the secondary's), seqid0|seqid1 N, nocsum (keep the\n"
    "  checksums as they are), badcsum0|badcsum1 (flip a checksum byte at the end).\n"
    "\n"
    "Exit status: 0 success, 1 error, 2 usage error.\n";

__attribute__((noreturn, format(printf, 1, 2))) static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mkasr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'mkasr --help'.\n", stderr);
	exit(2);
}

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mkasr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Read at most max + 1 bytes of path, so that callers can tell "too large". */
static uint8_t *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	while (n <= max) {
		size_t got, want;

		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory reading '%s'", path);
		}
		want = cap - n < max + 1 - n ? cap - n : max + 1 - n;
		got = fread(buf + n, 1, want, f);
		n += got;
		if (got < want)
			break;
	}
	if (ferror(f))
		die("cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	if (!buf && !(buf = malloc(1)))
		die("out of memory reading '%s'", path);
	*len = n;
	return buf;
}

static uint8_t *read_file_max(const char *path, size_t max, const char *what, size_t *len)
{
	uint8_t *buf = read_file(path, max, len);

	if (*len > max)
		die("'%s' is larger than %zu bytes, the limit for %s", path, max, what);
	return buf;
}

static void read_exact(const char *path, uint8_t *out, size_t len)
{
	size_t n;
	uint8_t *buf = read_file(path, len, &n);

	if (n != len)
		die("'%s' must hold exactly %zu bytes, it holds %s%zu", path, len,
		    n > len ? "more than " : "", n > len ? len : n);
	memcpy(out, buf, len);
	secure_zero(buf, n);
	free(buf);
}

static void parse_hex_bytes(const char *opt, const char *s, uint8_t *out, size_t len)
{
	if (hex_decode(s, out, len))
		usage_error("%s needs %zu bytes as %zu hex digits, got '%s'", opt, len, 2 * len, s);
}

/* A hex number with or without 0x. */
static uint64_t parse_hex_num(const char *opt, const char *s, uint64_t max)
{
	char buf[24];
	uint64_t v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || strlen(s) > 16 || snprintf(buf, sizeof(buf), "0x%s", s) >= (int)sizeof(buf) ||
	    parse_u64(buf, max, &v))
		usage_error("%s needs a hex number up to 0x%llx, got '%s'", opt,
			    (unsigned long long)max, s);
	return v;
}

static uint64_t parse_num(const char *opt, const char *s, uint64_t max)
{
	uint64_t v;

	if (parse_u64(s, max, &v))
		usage_error("%s needs a number from 0 to %llu, got '%s'", opt,
			    (unsigned long long)max, s);
	return v;
}

enum opt_id {
	O_HOSTKEY,
	O_HDR,
	O_TAGS,
	O_CUID,
	O_DISABLE_DUMP,
	O_FLAGS,
	O_EXT_SECRET,
	O_CCK,
	O_USER_DATA,
	O_POLICY,
	O_TOC_POLICY,
	O_IV,
	O_REQUEST_KEY,
	O_CUSTOMER_KEY,
	O_SECRET_ID_NAME,
	O_OUTPUT,
	O_NKS_OVERRIDE,
	O_VERSION_OVERRIDE,
	O_TYPE_OVERRIDE,
	O_LEN_OVERRIDE,
	O_INPUT_SECRET,
	O_KIND,
	O_SECRET,
	O_SIGN_KEY,
	O_PSS_SALT,
	O_UDTYPE,
	O_SIGNATURE,
	O_HELP,
};

struct opt {
	const char *name;
	char short_name;
	bool has_arg;
	enum opt_id id;
};

static const struct opt opts[] = {
    {"host-key", 'k', true, O_HOSTKEY},
    {"hdr", 0, true, O_HDR},
    {"tags", 0, true, O_TAGS},
    {"cuid", 0, true, O_CUID},
    {"disable-dump", 0, false, O_DISABLE_DUMP},
    {"flags", 0, true, O_FLAGS},
    {"extension-secret", 0, true, O_EXT_SECRET},
    {"cck", 0, true, O_CCK},
    {"user-data", 0, true, O_USER_DATA},
    {"policy", 0, true, O_POLICY},
    {"toc-policy", 0, true, O_TOC_POLICY},
    {"iv", 0, true, O_IV},
    {"request-key", 0, true, O_REQUEST_KEY},
    {"customer-key", 0, true, O_CUSTOMER_KEY},
    {"secret-id-name", 0, false, O_SECRET_ID_NAME},
    {"output", 'o', true, O_OUTPUT},
    {"nks-override", 0, true, O_NKS_OVERRIDE},
    {"version-override", 0, true, O_VERSION_OVERRIDE},
    {"secret-type-override", 0, true, O_TYPE_OVERRIDE},
    {"secret-len-override", 0, true, O_LEN_OVERRIDE},
    {"input-secret", 0, true, O_INPUT_SECRET},
    {"kind", 0, true, O_KIND},
    {"secret", 0, true, O_SECRET},
    {"user-sign-key", 0, true, O_SIGN_KEY},
    {"pss-salt", 0, true, O_PSS_SALT},
    {"user-data-type", 0, true, O_UDTYPE},
    {"user-signature", 0, true, O_SIGNATURE},
    {"help", 'h', false, O_HELP},
};

struct args {
	const char *host_keys[MKASR_MAX_SLOTS];
	size_t nr_host_keys;
	const char *hdr, *tags, *cuid, *flags, *ext_secret, *cck, *user_data, *policy;
	const char *toc_policy, *iv, *request_key, *customer_key, *output;
	const char *nks, *version, *secret_type, *secret_len;
	const char *input_secret, *kind, *secret;
	const char *sign_key, *pss_salt, *udtype, *signature;
	bool disable_dump, use_name;
	const char *pos[3];
	size_t npos;
};

static const struct opt *find_opt(const char *arg, const char **val)
{
	*val = NULL;
	if (arg[1] != '-') {
		for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
			if (opts[i].short_name && arg[1] == opts[i].short_name) {
				if (arg[2])
					*val = arg + 2; /* -kFILE */
				return &opts[i];
			}
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		size_t n = strlen(opts[i].name);

		if (strncmp(arg + 2, opts[i].name, n) == 0 && (!arg[2 + n] || arg[2 + n] == '=')) {
			if (arg[2 + n] == '=')
				*val = arg + 3 + n;
			return &opts[i];
		}
	}
	return NULL;
}

static void set_once(const char **slot, const char *val, const char *name)
{
	if (*slot)
		usage_error("--%s given twice", name);
	*slot = val;
}

static void parse_args(int argc, char **argv, struct args *a)
{
	bool opts_done = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const struct opt *o;

		if (opts_done || arg[0] != '-' || !arg[1]) {
			if (a->npos == ARRAY_SIZE(a->pos))
				usage_error("unexpected argument '%s'", arg);
			a->pos[a->npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			opts_done = true;
			continue;
		}
		o = find_opt(arg, &val);
		if (!o)
			usage_error("unknown option '%s'", arg);
		if (!o->has_arg && val)
			usage_error("--%s takes no value", o->name);
		if (o->has_arg && !val) {
			if (++i == argc)
				usage_error("--%s needs a value", o->name);
			val = argv[i];
		}
		switch (o->id) {
		case O_HOSTKEY:
			if (a->nr_host_keys == MKASR_MAX_SLOTS)
				usage_error("at most %d host keys", MKASR_MAX_SLOTS);
			a->host_keys[a->nr_host_keys++] = val;
			break;
		case O_HDR:
			set_once(&a->hdr, val, o->name);
			break;
		case O_TAGS:
			set_once(&a->tags, val, o->name);
			break;
		case O_CUID:
			set_once(&a->cuid, val, o->name);
			break;
		case O_DISABLE_DUMP:
			a->disable_dump = true;
			break;
		case O_FLAGS:
			set_once(&a->flags, val, o->name);
			break;
		case O_EXT_SECRET:
			set_once(&a->ext_secret, val, o->name);
			break;
		case O_CCK:
			set_once(&a->cck, val, o->name);
			break;
		case O_USER_DATA:
			set_once(&a->user_data, val, o->name);
			break;
		case O_POLICY:
			set_once(&a->policy, val, o->name);
			break;
		case O_TOC_POLICY:
			set_once(&a->toc_policy, val, o->name);
			break;
		case O_IV:
			set_once(&a->iv, val, o->name);
			break;
		case O_REQUEST_KEY:
			set_once(&a->request_key, val, o->name);
			break;
		case O_CUSTOMER_KEY:
			set_once(&a->customer_key, val, o->name);
			break;
		case O_SECRET_ID_NAME:
			a->use_name = true;
			break;
		case O_OUTPUT:
			set_once(&a->output, val, o->name);
			break;
		case O_NKS_OVERRIDE:
			set_once(&a->nks, val, o->name);
			break;
		case O_VERSION_OVERRIDE:
			set_once(&a->version, val, o->name);
			break;
		case O_TYPE_OVERRIDE:
			set_once(&a->secret_type, val, o->name);
			break;
		case O_LEN_OVERRIDE:
			set_once(&a->secret_len, val, o->name);
			break;
		case O_INPUT_SECRET:
			set_once(&a->input_secret, val, o->name);
			break;
		case O_KIND:
			set_once(&a->kind, val, o->name);
			break;
		case O_SIGN_KEY:
			set_once(&a->sign_key, val, o->name);
			break;
		case O_PSS_SALT:
			set_once(&a->pss_salt, val, o->name);
			break;
		case O_UDTYPE:
			set_once(&a->udtype, val, o->name);
			break;
		case O_SIGNATURE:
			set_once(&a->signature, val, o->name);
			break;
		case O_SECRET:
			set_once(&a->secret, val, o->name);
			break;
		case O_HELP:
			fputs(usage_text, stdout);
			exit(0);
		}
	}
}

static void write_output(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("cannot create '%s': %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len || fflush(f) || ferror(f)) {
		fclose(f);
		die("cannot write '%s': %s", path, strerror(errno));
	}
	if (fclose(f))
		die("cannot write '%s': %s", path, strerror(errno));
}

static void append_toc_policy(const char *path, const uint8_t tag[ASR_GCM_TAG_LEN])
{
	char hex[2 * ASR_GCM_TAG_LEN + 1];
	FILE *f = fopen(path, "ab");

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	hex_encode(tag, ASR_GCM_TAG_LEN, hex);
	if (fprintf(f, "%s\n", hex) < 0 || fclose(f))
		die("cannot write '%s': %s", path, strerror(errno));
}

static void load_host_key(struct se_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = read_file_max(path, 1 << 20, "a host key", &len);

	int ret;

	se_key_init(k);
	ret = se_key_load(k, buf, len);
	secure_zero(buf, len); /* a private host key is allowed too */
	free(buf);
	if (ret)
		die("'%s' is not a P-521 host-key document or key (PEM or DER)", path);
}

static void load_customer_key(struct se_key *k, const char *path)
{
	size_t len;
	uint8_t *buf = read_file_max(path, 1 << 20, "a customer key", &len);
	int ret;

	se_key_init(k);
	if (len == SE_COORD_LEN)
		ret = se_key_from_private80(k, buf);
	else
		ret = se_key_load(k, buf, len);
	secure_zero(buf, len);
	free(buf);
	if (ret || !k->has_private)
		die("'%s' is not a P-521 private key (80-byte padded scalar, or PEM/DER)", path);
}

static int luks2_edit_main(int argc, char **argv)
{
	bool csum = true, bad[2] = {false, false};
	uint8_t *buf;
	size_t len;

	if (argc < 3)
		usage_error("luks2-edit needs IN and OUT");
	buf = read_file(argv[1], 16u << 20, &len);
	for (int i = 3; i < argc; i++) {
		const char *op = argv[i];
		int copy = op[strlen(op) - 1] == '0' ? 0 : op[strlen(op) - 1] == '1' ? 1 : -1;

		if (strncmp(op, "json", 4) == 0 && i + 2 < argc) {
			if (luks2_edit_json(buf, len, copy, argv[i + 1], argv[i + 2]))
				die("luks2-edit: '%s' is not in the JSON area, or '%s' does not "
				    "fit",
				    argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (strncmp(op, "seqid", 5) == 0 && copy >= 0 && i + 1 < argc) {
			if (luks2_edit_u64(buf, len, copy, 16, strtoull(argv[i + 1], NULL, 0)))
				die("luks2-edit: not a LUKS2 header");
			i++;
		} else if (strcmp(op, "nocsum") == 0) {
			csum = false;
		} else if (strncmp(op, "badcsum", 7) == 0 && copy >= 0) {
			bad[copy] = true;
		} else {
			usage_error("luks2-edit: unknown or incomplete operation '%s'", op);
		}
	}
	if (csum && luks2_edit_csum(buf, len, -1))
		die("luks2-edit: not a LUKS2 header");
	for (int c = 0; c < 2; c++)
		if (bad[c])
			buf[(size_t)c * luks2_edit_hdr_size(buf, len) + 448 + 31] ^= 1;
	write_output(argv[2], buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t secret[MKASR_SECRET_MAX];
	static struct se_key host_keys[MKASR_MAX_SLOTS];
	const struct se_key *host_key_ptrs[MKASR_MAX_SLOTS];
	uint8_t iv[ASR_IV_LEN], request_key[SE_KEY_LEN], user_data[ASR_USERDATA_LEN];
	struct se_key cust_key;
	mbedtls_pk_context sign_key;
	uint8_t *signature = NULL;
	struct mkasr_input in;
	struct args a = {0};
	const char *type, *err = NULL;
	uint8_t *req;
	size_t req_len;

	if (argc > 1 && strcmp(argv[1], "luks2-edit") == 0)
		return luks2_edit_main(argc - 1, argv + 1);
	parse_args(argc, argv, &a);
	mkasr_input_init(&in);

	/* what to create */
	if (!a.npos)
		usage_error("no request type given (meta, association, retrievable or update-cck)");
	type = a.pos[0];
	if (strcmp(type, "meta") == 0) {
		if (a.npos != 1)
			usage_error("meta takes no arguments");
		in.secret_type = SECRET_NULL;
	} else if (strcmp(type, "association") == 0) {
		if (a.npos != 2)
			usage_error("association needs exactly one NAME");
		in.secret_type = SECRET_ASSOCIATION;
	} else if (strcmp(type, "retrievable") == 0) {
		if (a.npos != 2)
			usage_error("retrievable needs exactly one NAME");
		if (!a.kind || !a.secret)
			usage_error("retrievable needs --kind and --secret");
		if (mkasr_kind_type(a.kind, &in.secret_type))
			usage_error("unknown --kind '%s' (%s)", a.kind, mkasr_kind_names());
	} else if (strcmp(type, "update-cck") == 0) {
		if (a.npos != 2)
			usage_error("update-cck needs exactly one FILE (the new 32-byte CCK)");
		in.secret_type = SECRET_UPDATE_CCK;
	} else {
		usage_error("unknown request type '%s' (meta, association, retrievable or "
			    "update-cck)",
			    type);
	}
	if (a.input_secret && in.secret_type != SECRET_ASSOCIATION)
		usage_error("--input-secret belongs to association");
	if ((a.kind || a.secret) && strcmp(type, "retrievable") != 0)
		usage_error("--kind and --secret belong to retrievable");
	if (a.use_name && (in.secret_type == SECRET_NULL || in.secret_type == SECRET_UPDATE_CCK))
		usage_error("--secret-id-name needs a named secret (association or retrievable)");

	/* checks of the options that need no file */
	if (!a.nr_host_keys)
		usage_error("at least one host key (-k) is required");
	if (!a.hdr == !a.tags)
		usage_error("exactly one of --hdr and --tags is required");
	if (!a.output)
		usage_error("an output file (-o) is required");
	if (a.ext_secret && a.cck)
		usage_error("--extension-secret and --cck exclude each other");
	if (a.user_data && a.policy)
		usage_error("--user-data and --policy exclude each other");
	if (a.sign_key && (a.udtype || a.signature))
		usage_error("--user-sign-key excludes --user-data-type and --user-signature");
	if (a.pss_salt && !a.sign_key)
		usage_error("--pss-salt belongs to --user-sign-key");
	if (a.signature && !a.udtype)
		usage_error("--user-signature needs --user-data-type");
	if (a.udtype) {
		in.udtype = (uint16_t)parse_num("--user-data-type", a.udtype, ASR_UD_RSA_3072);
		if (in.udtype < ASR_UD_EC_P521)
			usage_error("--user-data-type: 2 (EC), 3 (RSA-2048) or 4 (RSA-3072)");
	}
	if (a.pss_salt)
		in.pss_salt_len = strcmp(a.pss_salt, "max") == 0
				      ? MKASR_PSS_SALT_MAX
				      : (size_t)parse_num("--pss-salt", a.pss_salt, 446);
	if (a.tags)
		parse_hex_bytes("--tags", a.tags, in.tags, ASR_TAGS_LEN);
	if (a.cuid)
		parse_hex_bytes("--cuid", a.cuid, in.cuid, ASR_CUID_LEN);
	if (a.flags)
		in.flags = parse_hex_num("--flags", a.flags, UINT64_MAX);
	if (a.disable_dump)
		in.flags |= ASR_FLAG_DISABLE_DUMP;
	if (a.iv) {
		parse_hex_bytes("--iv", a.iv, iv, sizeof(iv));
		in.iv = iv;
	}
	if (a.request_key) {
		parse_hex_bytes("--request-key", a.request_key, request_key, sizeof(request_key));
		in.request_key = request_key;
	}
	if (a.nks) {
		in.override_nks = true;
		in.nks = (uint8_t)parse_num("--nks-override", a.nks, 255);
	}
	if (a.version) {
		in.override_version = true;
		in.version = (uint32_t)parse_hex_num("--version-override", a.version, UINT32_MAX);
	}
	if (a.secret_type) {
		in.override_secret_type = true;
		in.secret_type_value =
		    (uint16_t)parse_hex_num("--secret-type-override", a.secret_type, UINT16_MAX);
	}
	if (a.secret_len) {
		in.override_secret_len = true;
		in.secret_len_value =
		    (uint32_t)parse_num("--secret-len-override", a.secret_len, UINT32_MAX);
	}

	/* keys */
	for (size_t i = 0; i < a.nr_host_keys; i++) {
		load_host_key(&host_keys[i], a.host_keys[i]);
		host_key_ptrs[i] = &host_keys[i];
	}
	in.host_keys = host_key_ptrs;
	in.nr_host_keys = a.nr_host_keys;
	if (a.customer_key) {
		load_customer_key(&cust_key, a.customer_key);
		in.cust_key = &cust_key;
	}

	mbedtls_pk_init(&sign_key);
	if (a.sign_key) {
		size_t len;
		uint8_t *buf = read_file_max(a.sign_key, 1 << 16, "a user-signing key", &len);

		if (mkasr_sign_key_load(&sign_key, buf, len, &err))
			die("--user-sign-key '%s': %s", a.sign_key, err);
		secure_zero(buf, len);
		free(buf);
		in.sign_key = &sign_key;
	}
	if (a.signature) {
		signature = read_file_max(a.signature, 512, "a signature", &in.signature_len);
		in.signature = signature;
	}

	/* boot binding */
	if (a.hdr) {
		size_t len;
		uint8_t *img = read_file_max(a.hdr, MAX_IMAGE_SIZE, "an SE image", &len);

		int ret = se_hdr_tags(img, len, in.tags);

		free(img);
		if (ret)
			die("the SE header in '%s' is malformed or missing", a.hdr);
	}

	/* extension secret and user data */
	if (a.ext_secret) {
		in.ext = MKASR_EXT_SIMPLE;
		read_exact(a.ext_secret, in.ext_secret, ASR_EXT_SECRET_LEN);
	} else if (a.cck) {
		in.ext = MKASR_EXT_CCK;
		read_exact(a.cck, in.ext_secret, ASR_EXT_SECRET_LEN);
	}
	if (a.user_data) {
		size_t len;
		uint8_t *buf = read_file_max(a.user_data, ASR_USERDATA_LEN, "user data", &len);

		memcpy(user_data, buf, len);
		free(buf);
		if (!a.udtype)
			in.udtype = ASR_UD_UNSIGNED;
		in.user_data = user_data;
		in.user_data_len = len;
	} else if (a.policy) {
		size_t len;
		uint8_t *buf = read_file_max(a.policy, MAX_IMAGE_SIZE, "a policy", &len);

		mkasr_policy_ref(buf, len, a.policy, user_data);
		free(buf);
		in.user_data = user_data;
		in.user_data_len = ASR_USERDATA_LEN;
		if (a.sign_key || a.udtype) {
			/* the reference in the signed data area (256 bytes, 128 for RSA-3072) */
			bool rsa3072 = a.udtype ? in.udtype == ASR_UD_RSA_3072
						: mbedtls_pk_get_bitlen(&sign_key) == 3072;

			in.user_data_len =
			    rsa3072 ? ASR_UD_RSA3072_DATA_LEN : ASR_UD_SIGNED_DATA_LEN;
			if (!all_zero(user_data + in.user_data_len,
				      ASR_USERDATA_LEN - in.user_data_len))
				die("--policy '%s': the name does not fit the %zu-byte signed data "
				    "area",
				    a.policy, in.user_data_len);
		} else {
			in.udtype = ASR_UD_UNSIGNED;
		}
	}

	/* the secret */
	switch (in.secret_type) {
	case SECRET_NULL:
		break;
	case SECRET_UPDATE_CCK:
		read_exact(a.pos[1], secret, 32);
		in.secret = secret;
		in.secret_len = 32;
		break;
	case SECRET_ASSOCIATION:
		mkasr_secret_id(a.pos[1], a.use_name, in.secret_id);
		if (a.input_secret)
			read_exact(a.input_secret, secret, 32);
		else if (se_random(secret, 32))
			die("cannot get random bytes for the association secret");
		in.secret = secret;
		in.secret_len = 32;
		break;
	default: {
		size_t len;
		uint8_t *raw = read_file(a.secret, MKASR_SECRET_MAX, &len);
		int ret;

		mkasr_secret_id(a.pos[1], a.use_name, in.secret_id);
		/* len is MKASR_SECRET_MAX + 1 for any larger file: too long for every kind */
		ret = mkasr_encode_secret(in.secret_type, raw, len, secret, &in.secret_len, &err);
		secure_zero(raw, len);
		free(raw);
		if (ret)
			die("--secret '%s' (%s%zu bytes) for --kind %s: %s", a.secret,
			    len > MKASR_SECRET_MAX ? "more than " : "",
			    len > MKASR_SECRET_MAX ? (size_t)MKASR_SECRET_MAX : len, a.kind, err);
		in.secret = secret;
		break;
	}
	}

	if (mkasr_build(&in, &req, &req_len, &err))
		die("cannot build the request: %s", err);
	write_output(a.output, req, req_len);
	if (a.toc_policy)
		append_toc_policy(a.toc_policy, req + req_len - ASR_GCM_TAG_LEN);
	secure_zero(secret, sizeof(secret));
	free(req);
	for (size_t i = 0; i < a.nr_host_keys; i++)
		se_key_free(&host_keys[i]);
	if (in.cust_key)
		se_key_free(&cust_key);
	mbedtls_pk_free(&sign_key);
	free(signature);
	return 0;
}
