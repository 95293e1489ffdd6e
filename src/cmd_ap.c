// SPDX-License-Identifier: MIT
/* pvboot ap apply|unbind|list|check-config: thin commands over ap_sysfs.h / apconfig.h */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap.h"
#include "ap_sysfs.h"
#include "apconfig.h"
#include "cmd.h"
#include "host.h"
#include "log.h"
#include "safeio.h"
#include "util.h"

/* --timeout SEC: 1 to 86400 whole seconds */
static int parse_timeout(const char *cmd, const char *s, uint64_t *ns)
{
	uint64_t v;

	if (parse_u64(s, 86400, &v) || v == 0)
		return usage_error("%s: --timeout needs a number of seconds from 1 to 86400, got "
				   "'%s'",
				   cmd, s);
	*ns = v * 1000000000ull;
	return 0;
}

/*
 * Load and validate a configuration file; logs and returns an exit code. The default
 * file is a system path (host_path: the simulated machine's own /etc in pvboot-sim).
 */
static int load_config(const char *path, bool system, struct apconfig *cfg)
{
	char err[APCONFIG_ERR_MAX];

	if (apconfig_load(path, system, cfg, err, sizeof(err))) {
		log_err("%s", err);
		return PVB_EXIT_FAIL;
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		log_warn("%s", cfg->warnings[i]);
	return PVB_EXIT_OK;
}

static int exit_code(int ret)
{
	if (!ret)
		return PVB_EXIT_OK;
	return ret == -ENODEV ? PVB_EXIT_UNAVAILABLE : PVB_EXIT_FAIL;
}

/* ------------------------------------------------------------------ apply */

static void apply_help(FILE *f)
{
	fprintf(f,
		"Usage: pvboot ap apply [-c FILE] [--strict] [-n|--dry-run] [--timeout SEC]\n"
		"\n"
		"Bind and associate AP queues as the pvapconfig-format FILE says: queues that\n"
		"already satisfy an entry are kept, bound queues that satisfy none are unbound,\n"
		"then each remaining entry gets the first free queue it accepts (newest card\n"
		"generation first); EP11 queues are associated with the entry's association\n"
		"secret. Succeeds when at least one entry (with --strict: every entry) is\n"
		"satisfied.\n"
		"\n"
		"  -c, --config FILE  the configuration (default " APCONFIG_DEFAULT_PATH ")\n"
		"      --strict       every entry must be satisfied\n"
		"  -n, --dry-run      say what would be done; write nothing to sysfs\n"
		"      --timeout SEC  time limit for all waits together (default %llu)\n",
		(unsigned long long)(AP_DEFAULT_TIMEOUT_NS / 1000000000ull));
}

static int ap_cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
					     {"strict", no_argument, NULL, 's'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {"timeout", required_argument, NULL, 't'},
					     CMD_COMMON_OPTS,
					     {NULL, 0, NULL, 0}};
	struct ap_apply_opts o = {0};
	static const char default_path[] = APCONFIG_DEFAULT_PATH;
	const char *path = default_path;
	struct apconfig cfg = {0};
	struct ap_report rep;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:c:nhvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, apply_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 's':
			o.strict = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 't':
			if (parse_timeout("ap apply", optarg, &o.timeout_ns))
				return PVB_EXIT_USAGE;
			break;
		default:
			return usage_bad_option("ap apply", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("ap apply: unexpected argument '%s'", argv[optind]);
	ret = load_config(path, path == default_path, &cfg);
	if (ret)
		return ret;
	ret = exit_code(ap_apply(&cfg, &o, &rep));
	ap_report_free(&rep);
	apconfig_free(&cfg);
	return ret;
}

/* ------------------------------------------------------------------ unbind */

static void unbind_help(FILE *f)
{
	fprintf(f, "Usage: pvboot ap unbind [--timeout SEC] [APQN...]\n"
		   "\n"
		   "Unbind the AP queues APQN... (CARD.DOMAIN in hex, as 03.0005), or every bound\n"
		   "queue when none is named, and wait until they read unbound. Unbinding resets\n"
		   "a queue: its association is lost, and a queue left in an error state by a\n"
		   "failed association becomes usable again.\n"
		   "\n"
		   "      --timeout SEC  time limit for all waits together (default 30)\n");
}

static int ap_cmd_unbind(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"timeout", required_argument, NULL, 't'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct ap_apqn *apqns = NULL;
	struct ap_report rep;
	uint64_t timeout = 0;
	size_t n;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, unbind_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt != 't')
			return usage_bad_option("ap unbind", opt, argv);
		if (parse_timeout("ap unbind", optarg, &timeout))
			return PVB_EXIT_USAGE;
	}
	n = (size_t)(argc - optind);
	apqns = calloc(n ? n : 1, sizeof(*apqns));
	if (!apqns) {
		log_err("out of memory");
		return PVB_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		if (ap_parse_apqn(argv[optind + (int)i], &apqns[i].card, &apqns[i].domain)) {
			free(apqns);
			return usage_error("ap unbind: '%s' is not an APQN (CARD.DOMAIN in hex, as "
					   "03.0005)",
					   argv[optind + (int)i]);
		}
	}
	ret = exit_code(ap_unbind(apqns, n, timeout, &rep));
	ap_report_free(&rep);
	free(apqns);
	return ret;
}

/* ------------------------------------------------------------------ list */

static void list_help(FILE *f)
{
	fprintf(f, "Usage: pvboot ap list [--format human|json]\n"
		   "\n"
		   "List every AP queue with its card type, generation, mode, online state, SE\n"
		   "bind and association state, card serial number and EP11 wrapping key\n"
		   "(like lszcrypt -b). Nothing is written: the serial number and wrapping key\n"
		   "of an unbound EP11 queue are unknown ('?').\n"
		   "\n"
		   "  -f, --format FMT   human (default) or json\n");
}

static const char *bind_word(const struct ap_queue *q)
{
	if (q->skip == AP_SKIP_BIND_READ)
		return "error";
	switch (q->bind) {
	case AP_BIND_BOUND:
		return "bound";
	case AP_BIND_UNBOUND:
		return "unbound";
	case AP_BIND_NONE:
	case AP_BIND_UNKNOWN:
		break;
	}
	return "-";
}

static const char *assoc_word(const struct ap_queue *q, char *buf, size_t size)
{
	switch (q->assoc) {
	case AP_ASSOC_ASSOCIATED:
		snprintf(buf, size, "associated %u", q->assoc_idx);
		return buf;
	case AP_ASSOC_PENDING:
		return "pending";
	case AP_ASSOC_UNASSOCIATED:
		return "unassociated";
	case AP_ASSOC_UNKNOWN:
		return q->mode == AP_MODE_EP11 && q->bind != AP_BIND_UNKNOWN && q->skip == AP_USABLE
			   ? "error"
			   : "-";
	case AP_ASSOC_NONE:
		break;
	}
	return "-";
}

static const char *info_word(const struct ap_queue *q, const char *v)
{
	if (q->mode != AP_MODE_EP11 || q->skip != AP_USABLE)
		return "-";
	if (q->info == AP_INFO_UNKNOWN)
		return "?";
	if (q->info == AP_INFO_FAILED)
		return "error";
	return v[0] ? v : "-";
}

static const char *skip_word(enum ap_skip s)
{
	switch (s) {
	case AP_USABLE:
		return NULL;
	case AP_SKIP_TYPE:
		return "type";
	case AP_SKIP_CCA:
		return "cca";
	case AP_SKIP_OFFLINE:
		return "offline";
	case AP_SKIP_NO_SE:
		return "no-se-bind";
	case AP_SKIP_BIND_READ:
		return "se-bind-unreadable";
	case AP_SKIP_PROBE:
		return "probe-failed";
	}
	return "?";
}

static void list_human(struct sbuf *b, const struct ap_queue *q, size_t n)
{
	sbuf_printf(b, "%-8s %-6s %-3s %-5s %-6s %-7s %-15s %-16s %s\n", "APQN", "TYPE", "GEN",
		    "MODE", "ONLINE", "BIND", "ASSOCIATION", "SERIAL", "MKVP");
	for (size_t i = 0; i < n; i++) {
		char a[AP_APQN_LEN], as[32], mk[40], gen[4];
		const char *m = info_word(&q[i], q[i].mkvp);

		snprintf(gen, sizeof(gen), "%u", q[i].gen);
		snprintf(mk, sizeof(mk), "%s%s", strlen(m) == APCONFIG_MKVP_HEX ? "0x" : "", m);
		sbuf_printf(b, "%-8s %-6s %-3s %-5s %-6d %-7s %-15s %-16s %s\n",
			    ap_apqn_str(q[i].card, q[i].domain, a), q[i].type[0] ? q[i].type : "-",
			    q[i].gen ? gen : "-",
			    q[i].mode == AP_MODE_UNKNOWN ? "-" : ap_mode_name(q[i].mode),
			    q[i].online, bind_word(&q[i]), assoc_word(&q[i], as, sizeof(as)),
			    info_word(&q[i], q[i].serialnr), mk);
	}
}

static void json_str_or_null(struct sbuf *b, const char *s)
{
	if (!s)
		sbuf_puts(b, "null");
	else
		sbuf_json_str(b, s, strlen(s));
}

static void list_json(struct sbuf *b, const struct ap_bus_state *bus, const struct ap_queue *q,
		      size_t n)
{
	sbuf_printf(b,
		    "{\"se_guest\":%s,\"apsb\":%s,\"bindings\":{\"bound\":%u,\"total\":%u,"
		    "\"complete\":%s},\"queues\":[",
		    bus->se_guest ? "true" : "false", bus->apsb ? "true" : "false", bus->bound,
		    bus->total, bus->complete ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		const struct ap_queue *x = &q[i];
		char a[AP_APQN_LEN], as[32];
		const char *serial = info_word(x, x->serialnr), *mkvp = info_word(x, x->mkvp),
			   *assoc;

		sbuf_printf(b,
			    "%s{\"apqn\":\"%s\",\"card\":%u,\"domain\":%u,\"type\":", i ? "," : "",
			    ap_apqn_str(x->card, x->domain, a), x->card, x->domain);
		json_str_or_null(b, x->type[0] ? x->type : NULL);
		sbuf_printf(b, ",\"gen\":%u,\"mode\":", x->gen);
		json_str_or_null(b, x->mode == AP_MODE_UNKNOWN ? NULL : ap_mode_name(x->mode));
		sbuf_printf(b, ",\"online\":%s,\"usable\":%s,\"skipped\":",
			    x->online ? "true" : "false", x->skip == AP_USABLE ? "true" : "false");
		json_str_or_null(b, skip_word(x->skip));
		sbuf_puts(b, ",\"bind\":");
		json_str_or_null(b, strcmp(bind_word(x), "-") ? bind_word(x) : NULL);
		sbuf_puts(b, ",\"association\":");
		assoc = assoc_word(x, as, sizeof(as));
		if (x->assoc == AP_ASSOC_ASSOCIATED)
			assoc = "associated";
		json_str_or_null(b, strcmp(assoc, "-") ? assoc : NULL);
		if (x->assoc == AP_ASSOC_ASSOCIATED)
			sbuf_printf(b, ",\"association_index\":%u", x->assoc_idx);
		else
			sbuf_puts(b, ",\"association_index\":null");
		sbuf_puts(b, ",\"serialnr\":");
		json_str_or_null(b, strcmp(serial, "-") && strcmp(serial, "?") ? serial : NULL);
		sbuf_puts(b, ",\"mkvp\":");
		json_str_or_null(b, strcmp(mkvp, "-") && strcmp(mkvp, "?") ? mkvp : NULL);
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, "]}\n");
}

static int ap_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'}, CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct ap_bus_state bus, env;
	struct ap_queue *q = NULL;
	bool json = false;
	char why[256];
	struct sbuf b;
	size_t n;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:f:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, list_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		if (opt != 'f')
			return usage_bad_option("ap list", opt, argv);
		if (strcmp(optarg, "json") == 0)
			json = true;
		else if (strcmp(optarg, "human") != 0)
			return usage_error("ap list: unknown format '%s'", optarg);
	}
	if (optind < argc)
		return usage_error("ap list: unexpected argument '%s'", argv[optind]);
	if (ap_check_env(&env, why, sizeof(why)) && !env.present) {
		log_err("AP queues cannot be listed here: %s", why);
		return PVB_EXIT_UNAVAILABLE;
	}
	ret = ap_wait_bus(0, &bus);
	if (ret && ret != -ETIMEDOUT) {
		log_err("cannot read %s/bindings: %s", AP_BUS_DIR,
			ret == -EPROTO ? "unexpected text" : err_str(-ret));
		return PVB_EXIT_FAIL;
	}
	if (!bus.complete)
		log_warn("the AP bus bindings are not complete (%u of %u queues have a device "
			 "driver): the list may be incomplete",
			 bus.bound, bus.total);
	bus.se_guest = env.se_guest;
	bus.apsb = env.apsb;
	if (ap_gather(&q, &n, false))
		return PVB_EXIT_FAIL;
	sbuf_init(&b);
	if (json)
		list_json(&b, &bus, q, n);
	else
		list_human(&b, q, n);
	if (b.failed) {
		log_err("out of memory");
		ret = PVB_EXIT_FAIL;
	} else {
		ret = write_all(STDOUT_FILENO, b.s ? b.s : "", b.len) ? PVB_EXIT_FAIL : PVB_EXIT_OK;
	}
	sbuf_free(&b);
	free(q);
	return ret;
}

/* ------------------------------------------------------------------ check-config */

static void check_help(FILE *f)
{
	fprintf(f, "Usage: pvboot ap check-config FILE\n"
		   "\n"
		   "Validate a pvapconfig-format file (offline, on any machine) and print its\n"
		   "entries as pvboot understands them.\n");
}

static int ap_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {CMD_COMMON_OPTS, {NULL, 0, NULL, 0}};
	struct apconfig cfg = {0};
	struct sbuf b;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+:hvq", opts, NULL)) != -1) {
		ret = command_common_opt(opt, check_help);
		if (ret < 0)
			return PVB_EXIT_OK;
		if (ret > 0)
			continue;
		return usage_bad_option("ap check-config", opt, argv);
	}
	if (argc - optind != 1)
		return usage_error("ap check-config: give exactly one FILE");
	ret = load_config(argv[optind], false, &cfg);
	if (ret)
		return ret;
	sbuf_init(&b);
	sbuf_printf(&b, "%s: valid, %zu entr%s\n", argv[optind], cfg.n, cfg.n == 1 ? "y" : "ies");
	for (size_t i = 0; i < cfg.n; i++) {
		const struct apconfig_entry *e = &cfg.entries[i];
		char l[120], h[65];

		sbuf_printf(&b, "%s: %s", apconfig_entry_label(e, l, sizeof(l)),
			    ap_mode_name(e->mode));
		if (e->mingen)
			sbuf_printf(&b, ", CEX%u or newer", e->mingen);
		if (e->mode == AP_MODE_EP11) {
			sbuf_printf(&b, ", mkvp 0x%s", e->mkvp);
			if (e->serialnr[0])
				sbuf_printf(&b, ", serialnr %s", e->serialnr);
			sbuf_printf(&b, ", association secret id 0x%s",
				    hex_encode(e->secret_id, 32, h));
		}
		sbuf_puts(&b, "\n");
	}
	ret = b.failed || write_all(STDOUT_FILENO, b.s ? b.s : "", b.len) ? PVB_EXIT_FAIL
									  : PVB_EXIT_OK;
	sbuf_free(&b);
	apconfig_free(&cfg);
	return ret;
}

static const struct command ap_commands[] = {
    {"apply", ap_cmd_apply, "[-c FILE] [--strict] [-n]", "bind and associate AP queues"},
    {"unbind", ap_cmd_unbind, "[APQN...]", "unbind AP queues (all bound ones by default)"},
    {"list", ap_cmd_list, "[--format human|json]", "list AP queues and their SE state"},
    {"check-config", ap_cmd_check, "FILE", "validate a pvapconfig file (offline)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_ap(int argc, char **argv)
{
	return command_group("ap", ap_commands, argc, argv);
}
