// SPDX-License-Identifier: MIT
/*
 * The boot job, step by step (pvboot(8), BOOT FLOW):
 *
 *   config    pvboot.yaml + the kernel command line
 *   detect    enabled? an SE guest? (not: skip quietly, unless required)
 *   uv        wait (bounded) for /dev/uv and open it
 *   source    wait (bounded) for the source device, mount it read-only, nosuid, nodev,
 *             noexec, read the set into memory once, unmount at once
 *   verify    the whole set (TOC chain or plain-mode expectations) -> ordered plan
 *   add       submit the plan; requests whose secret is already listed are not resent
 *   lock      lock the secret store (an already locked store is fine)
 *   retrieve  the configured secrets into new 0400 files below /run
 *   ap        wait (bounded) for the AP bus, bind and associate queues
 *
 * Every step logs one line with its duration; the first failure stops the flow and is
 * reported with a banner naming pvboot, the step, what was found and where the status
 * file is. /run/pvboot/status.{json,txt} record everything but secret values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ap_sysfs.h"
#include "apconfig.h"
#include "boot.h"
#include "bootflow.h"
#include "cmd.h"
#include "ebc.h"
#include "host.h"
#include "log.h"
#include "rootdev.h"
#include "safeio.h"
#include "secret_list.h"
#include "status.h"
#include "util.h"
#include "uv.h"

#define POLL_FIRST_NS 10000000ull  /* 10 ms */
#define POLL_MAX_NS   250000000ull /* 250 ms */

struct flow {
	struct bootcfg cfg;
	struct status st;
	struct uv_dev *dev;
	struct safe_dir set;
	struct ebc_plan plan;
	struct ebc_report rep;
	bool have_rep;
	struct secret_list store; /* after the adds (store_after_add) */
	bool have_store;
	const char *config_path;
	struct usersig_key key; /* the owner's user-signing key (user_cert) */
	bool have_key;
	char reason[1024];
	const char *failed_step;
	bool status_unwritten; /* the last write_status() failed */
};

static uint64_t ms_since(uint64_t t0)
{
	return (host_now_ns() - t0) / 1000000u;
}

__attribute__((format(printf, 4, 5))) static void step_ok(struct flow *f, const char *step,
							  uint64_t t0, const char *fmt, ...)
{
	uint64_t ns = host_now_ns() - t0;
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	status_step(&f->st, step, "ok", ns, detail);
	log_notice("%s: %s (%llu ms)", step, detail, (unsigned long long)(ns / 1000000u));
}

static void step_skip(struct flow *f, const char *step, const char *detail)
{
	status_step(&f->st, step, "skipped", 0, detail);
	log_info("%s: skipped: %s", step, detail);
}

/* Record the failure of step; always returns -1. */
__attribute__((format(printf, 4, 5))) static int step_fail(struct flow *f, const char *step,
							   uint64_t t0, const char *fmt, ...)
{
	uint64_t ns = host_now_ns() - t0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	f->failed_step = step;
	status_step(&f->st, step, "failed", ns, f->reason);
	log_err("%s: %s (%llu ms)", step, f->reason, (unsigned long long)(ns / 1000000u));
	return -1;
}

/*
 * Poll probe until it stops answering -EAGAIN or timeout_ms pass: the first polls are
 * 10 ms apart, backing off to 250 ms, so that a device that is there at once costs
 * nothing and a slow one costs at most 250 ms beyond its arrival. Returns the probe's
 * last answer (-EAGAIN on timeout).
 */
static int wait_for(uint64_t timeout_ms, int (*probe)(void *), void *ctx)
{
	uint64_t start = host_now_ns(), deadline = start + timeout_ms * 1000000u;
	uint64_t delay = POLL_FIRST_NS;
	int ret;

	for (;;) {
		uint64_t now;

		ret = probe(ctx);
		if (ret != -EAGAIN)
			return ret;
		now = host_now_ns();
		if (now >= deadline)
			return -EAGAIN;
		host_sleep_ns(delay < deadline - now ? delay : deadline - now);
		delay = delay * 2 > POLL_MAX_NS ? POLL_MAX_NS : delay * 2;
	}
}

/* ------------------------------------------------------------------ config, detect */

static int step_config(struct flow *f, const char *config)
{
	uint64_t t0 = host_now_ns();
	struct cmdline cl = {0};
	char err[640];
	int ret;

	ret = boot_read_cmdline(&cl, err, sizeof(err));
	if (ret)
		return step_fail(f, "config", t0, "%s", err);
	ret = boot_read_config(config ? config : BOOTCFG_PATH, config != NULL, config == NULL,
			       &f->cfg, err, sizeof(err));
	if (ret) {
		/* still honour rd.pvboot=0 and rd.pvboot.onfail= */
		struct bootcfg dflt;
		char ignored[256];

		bootcfg_init(&dflt);
		bootcfg_apply_cmdline(&dflt, &cl, ignored, sizeof(ignored));
		f->st.on_failure = boot_onfail_name(dflt.onfail);
		f->cfg.enable = dflt.enable;
		f->cfg.lock = dflt.lock; /* fail closed: the default, or rd.pvboot.lock= */
		bootcfg_free(&dflt);
		cmdline_free(&cl);
		if (f->cfg.enable == BOOT_OFF)
			return 1;
		return step_fail(f, "config", t0, "%s", err);
	}
	ret = bootcfg_apply_cmdline(&f->cfg, &cl, err, sizeof(err));
	cmdline_free(&cl);
	f->st.on_failure = boot_onfail_name(f->cfg.onfail);
	if (ret)
		return step_fail(f, "config", t0, "the kernel command line: %s", err);
	if (f->cfg.debug)
		log_set_level(LOG_DEBUG);
	if (f->cfg.enable == BOOT_OFF ||
	    (f->cfg.enable == BOOT_AUTO && !f->cfg.have_file && !config))
		return 1; /* not enabled: no trace at all */
	ret = boot_owner_setup(&f->cfg, f->cfg.have_file ? f->config_path : "no configuration file",
			       config != NULL, &f->key, &f->have_key, err, sizeof(err));
	if (ret)
		return step_fail(f, "config", t0, "%s", err);
	step_ok(f, "config", t0,
		"%s%s; %s mode, owner: %s%s%s, lock %s, %zu to retrieve, AP %s, on failure %s",
		f->cfg.have_file ? (config ? config : BOOTCFG_PATH) : "no configuration file",
		f->cfg.enable == BOOT_REQUIRED ? " (required)" : "",
		f->cfg.mode == BOOT_MODE_TOC ? "TOC" : "plain",
		f->have_key ? usersig_type_name(f->key.udtype) : "",
		f->have_key ? " signature" : "",
		f->cfg.cck_enforcement ? (f->have_key ? " and CCK enforcement" : "CCK enforcement")
				       : "",
		f->cfg.lock ? "on" : "off", f->cfg.n_retrieve, f->cfg.ap ? "on" : "off",
		boot_onfail_name(f->cfg.onfail));
	return 0;
}

/* 1: an SE guest; 0: not (skip, or fail when required); -1: failed. */
static int step_detect(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	char buf[16], esc[64];
	int n;

	n = host_read_text(UV_SYSFS_DIR "/prot_virt_guest", buf, sizeof(buf));
	if (n > 0 && buf[0] == '1' && (buf[1] == '\n' || !buf[1])) {
		step_ok(f, "detect", t0, "a Secure Execution guest");
		return 1;
	}
	if (f->cfg.enable != BOOT_REQUIRED) {
		snprintf(f->reason, sizeof(f->reason), "not a Secure Execution guest");
		step_skip(f, "detect", f->reason);
		return 0;
	}
	return step_fail(f, "detect", t0,
			 "not a Secure Execution guest (%s/prot_virt_guest: %s), but pvboot is "
			 "required (%s)",
			 UV_SYSFS_DIR,
			 n < 0	  ? err_str(-n)
			 : n == 0 ? "empty"
				  : text_escape(esc, sizeof(esc), buf, strcspn(buf, "\n")),
			 f->cfg.have_file && f->cfg.enable == BOOT_REQUIRED ? "rd.pvboot or "
									      "'required: true'"
									    : "rd.pvboot");
}

/* ------------------------------------------------------------------ uv */

static int probe_uv(void *ctx)
{
	int ret = host_path_exists(UV_DEVICE_PATH);

	(void)ctx;
	return ret == 1 ? 0 : ret == 0 ? -EAGAIN : ret;
}

static int step_uv(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	int ret;

	ret = wait_for(f->cfg.timeout_uv_ms, probe_uv, NULL);
	if (ret == -EAGAIN)
		return step_fail(f, "uv", t0,
				 "%s did not appear within %llu s (is the uvdevice module in the "
				 "initramfs?)",
				 UV_DEVICE_PATH, (unsigned long long)(f->cfg.timeout_uv_ms / 1000));
	if (ret)
		return step_fail(f, "uv", t0, "%s: %s", UV_DEVICE_PATH, err_str(-ret));
	ret = uv_open(&f->dev);
	if (ret)
		return step_fail(f, "uv", t0, "%s", uv_open_error(ret));
	step_ok(f, "uv", t0, "%s is open", UV_DEVICE_PATH);
	return 0;
}

/* ------------------------------------------------------------------ source */

struct find_ctx {
	const char *spec;
	char dev[256];
};

static int probe_block(void *ctx)
{
	struct find_ctx *c = ctx;
	int ret = host_find_block(c->spec, c->dev, sizeof(c->dev));

	return ret == -ENOENT ? -EAGAIN : ret;
}

static void log_skipped(const struct safe_dir *set, const char *where)
{
	for (size_t i = 0; i < set->nskipped; i++)
		log_warn("source: %s/%s: %s (not read)", where, set->skipped[i].name,
			 set->skipped[i].why);
}

static int step_source(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	struct find_ctx fc = {f->cfg.source, ""};
	char why[EBC_WHY_LEN], where[2 * BOOT_PATH_MAX];
	int rootfd = -1, dirfd, ret;

	if (boot_source_kind(f->cfg.source) == SRC_DIRECTORY) {
		snprintf(where, sizeof(where), "%s", f->cfg.source);
		dirfd = host_open_dir(f->cfg.source);
		if (dirfd < 0)
			return step_fail(f, "source", t0, "%s: %s", f->cfg.source,
					 dirfd == -ELOOP ? "a symbolic link (not followed)"
							 : err_str(-dirfd));
	} else {
		ret = wait_for(f->cfg.timeout_source_ms, probe_block, &fc);
		if (ret == -EAGAIN)
			return step_fail(f, "source", t0, "no device %s appeared within %llu s",
					 f->cfg.source,
					 (unsigned long long)(f->cfg.timeout_source_ms / 1000));
		if (ret)
			return step_fail(f, "source", t0, "%s: %s", f->cfg.source,
					 ret == -ENOTBLK ? "not a block device" : err_str(-ret));
		ret = host_mount_ro(fc.dev, BOOT_MOUNT_POINT, f->cfg.fstypes, &rootfd);
		if (ret == -EMEDIUMTYPE)
			return step_fail(f, "source", t0,
					 "cannot mount %s (%s) read-only on %s: it is none of the "
					 "file-system types %s (source_fstypes)",
					 f->cfg.source, fc.dev, BOOT_MOUNT_POINT, f->cfg.fstypes);
		if (ret)
			return step_fail(f, "source", t0,
					 "cannot mount %s (%s) read-only on %s: %s", f->cfg.source,
					 fc.dev, BOOT_MOUNT_POINT, err_str(-ret));
		snprintf(where, sizeof(where), "%s:%s", fc.dev, f->cfg.directory);
		dirfd = safe_open_dirs(rootfd, f->cfg.directory, 0, false);
		close(rootfd);
		if (dirfd < 0) {
			ret = host_umount(BOOT_MOUNT_POINT);
			if (ret)
				log_warn("source: cannot unmount %s: %s", BOOT_MOUNT_POINT,
					 err_str(-ret));
			return step_fail(f, "source", t0, "%s: %s", where,
					 dirfd == -ELOOP || dirfd == -ENOTDIR
					     ? "not a directory (symbolic links are not followed)"
					     : err_str(-dirfd));
		}
	}
	ret = safe_load_dir(dirfd, NULL, &f->set, why, sizeof(why));
	close(dirfd);
	if (boot_source_kind(f->cfg.source) != SRC_DIRECTORY) {
		int uret = host_umount(BOOT_MOUNT_POINT);

		if (uret)
			log_warn("source: cannot unmount %s: %s", BOOT_MOUNT_POINT, err_str(-uret));
	}
	if (ret)
		return step_fail(f, "source", t0, "%s: %s", where, why);
	log_skipped(&f->set, where);
	if (fc.dev[0])
		step_ok(f, "source", t0, "%s is %s: %zu files read from %s, %zu entries not read",
			f->cfg.source, fc.dev, f->set.nfiles, f->cfg.directory, f->set.nskipped);
	else
		step_ok(f, "source", t0, "%s: %zu files read, %zu entries not read", f->cfg.source,
			f->set.nfiles, f->set.nskipped);
	return 0;
}

/* ------------------------------------------------------------------ verify, add */

static int step_verify(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	char why[EBC_WHY_LEN];
	int ret;

	if (f->cfg.mode == BOOT_MODE_TOC) {
		ret = ebc_plan_toc(&f->set, EBC_TOC_NAME, f->have_key ? &f->key : NULL, &f->plan,
				   why, sizeof(why));
	} else {
		struct ebc_expect *exp = calloc(f->cfg.n_expect, sizeof(*exp));
		char(*labels)[72] = calloc(f->cfg.n_expect, sizeof(*labels));

		if (!exp || !labels) {
			free(exp);
			free(labels);
			return step_fail(f, "verify", t0, "out of memory");
		}
		for (size_t i = 0; i < f->cfg.n_expect; i++) {
			const struct boot_secret_ref *r = &f->cfg.expect[i];

			exp[i].type = r->type;
			memcpy(exp[i].id, r->id, sizeof(exp[i].id));
			if (r->name[0]) {
				snprintf(labels[i], sizeof(labels[i]), "%.70s", r->name);
			} else {
				labels[i][0] = '0';
				labels[i][1] = 'x';
				hex_encode(r->id, sizeof(r->id), labels[i] + 2);
			}
			exp[i].label = labels[i];
		}
		ret = ebc_plan_plain(&f->set, exp, f->cfg.n_expect, f->have_key ? &f->key : NULL,
				     &f->plan, why, sizeof(why));
		free(exp);
		free(labels);
	}
	if (ret)
		return step_fail(f, "verify", t0, "%s; nothing was submitted",
				 ret == -ENOMEM ? "out of memory" : why);
	for (size_t i = 0; i < f->plan.nignored; i++)
		log_info("verify: %s: ignored: %s", f->plan.ignored[i].name,
			 f->plan.ignored[i].why);
	if (f->plan.mode == EBC_MODE_TOC)
		step_ok(f, "verify", t0, "%s -> %s: %zu requests in order, ignored: %zu%s",
			EBC_TOC_NAME, f->plan.policy, f->plan.n, f->plan.nignored,
			f->have_key ? "; toc.asr signed by the image owner" : "");
	else
		step_ok(f, "verify", t0, "plain mode: %zu expected secrets found, ignored: %zu%s",
			f->plan.n, f->plan.nignored,
			f->have_key ? "; each signed by the image owner" : "");
	return 0;
}

/* LIST the store into list. 0 or -1 with the step failed. */
static int list_store(struct flow *f, const char *step, uint64_t t0, struct secret_list *list)
{
	struct uv_result res;
	bool partial;
	char msg[160];
	int ret = uv_list_store(f->dev, list, &partial, &res);

	if (ret == -ENOMEM)
		return step_fail(f, step, t0, "out of memory");
	if (ret == -EBADMSG)
		return step_fail(f, step, t0, "the ultravisor returned a malformed secret list");
	if (ret)
		return step_fail(f, step, t0, "cannot list the secret store: %s%s",
				 uv_result_str(UVIO_NR_LIST_SECRETS, &res, msg, sizeof(msg)),
				 uv_result_hint(&res));
	if (partial)
		log_warn("%s: the secret store holds %u secrets, the uvdevice shows only the "
			 "first %zu",
			 step, list->total, list->n);
	return 0;
}

/*
 * The store as the adds left it, listed once for the steps after them (retrieve and
 * ap; locking does not change the list). NULL with the step failed.
 */
static const struct secret_list *store_after_add(struct flow *f, const char *step, uint64_t t0)
{
	if (!f->have_store) {
		if (list_store(f, step, t0, &f->store))
			return NULL;
		f->have_store = true;
	}
	return &f->store;
}

static void record_secrets(struct flow *f)
{
	for (size_t i = 0; i < f->rep.n; i++) {
		const struct ebc_report_entry *e = &f->rep.e[i];
		char tb[24], idtext[200] = "", msg[160] = "";
		const char *kind;
		struct sbuf b;

		if (secret_type_listable(e->req->info.secret_type)) {
			sbuf_init(&b);
			secret_id_display(&b, e->req->info.secret_id);
			if (!b.failed)
				snprintf(idtext, sizeof(idtext), "%s", b.s);
			sbuf_free(&b);
			kind = secret_type_name(e->req->info.secret_type, tb);
		} else {
			kind =
			    e->req->info.secret_type == SECRET_UPDATE_CCK ? "update-CCK" : "meta";
		}
		if (e->outcome == EBC_FAILED)
			uv_result_str(UVIO_NR_ADD_SECRET, &e->uv, msg, sizeof(msg));
		status_secret(&f->st, e->req->name, kind, idtext, ebc_outcome_name(e->outcome),
			      msg);
	}
}

static int step_add(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	struct secret_list present = {0};
	struct ebc_apply_opts opts = {.present = &present};
	char msg[160];
	int ret;

	if (list_store(f, "add", t0, &present))
		return -1;
	f->have_rep = true; /* ebc_apply fills f->rep, also when it fails */
	ret = ebc_apply(f->dev, &f->plan, &opts, &f->rep);
	secret_list_free(&present);
	if (ret && !f->rep.e)
		return step_fail(f, "add", t0, "out of memory");
	record_secrets(f);
	ebc_report_log(&f->rep);
	if (ret) {
		const struct ebc_report_entry *e = &f->rep.e[f->rep.failed];
		struct sbuf added;
		int r;

		sbuf_init(&added);
		for (size_t i = 0; i < f->rep.n; i++) {
			if (f->rep.e[i].outcome != EBC_ADDED)
				continue;
			sbuf_printf(&added, "%s%s", added.len ? ", " : "", f->rep.e[i].req->name);
		}
		uv_result_str(UVIO_NR_ADD_SECRET, &e->uv, msg, sizeof(msg));
		r = step_fail(f, "add", t0, "%s was refused: %s%s; added before it: %s",
			      e->req->name, msg, uv_result_hint(&e->uv),
			      added.len && !added.failed ? added.s : "none");
		sbuf_free(&added);
		return r;
	}
	step_ok(f, "add", t0, "%zu added, %zu already present, %zu not needed again", f->rep.added,
		f->rep.present, f->rep.skipped);
	return 0;
}

/* ------------------------------------------------------------------ lock */

/* Lock the store: 0 (locked now or before) with msg, or -1 with msg saying why not. */
static int lock_store(struct flow *f, char *msg, size_t size)
{
	struct uv_result res;
	char m[160];

	if (!uv_lock_secrets(f->dev, &res)) {
		snprintf(msg, size, "the secret store is locked");
	} else if (res.err == 0 && res.rc == UVC_RC_LOCKED) {
		snprintf(msg, size, "the secret store was already locked");
	} else {
		snprintf(msg, size, "cannot lock the secret store: %s%s",
			 uv_result_str(UVIO_NR_LOCK_SECRETS, &res, m, sizeof(m)),
			 uv_result_hint(&res));
		return -1;
	}
	f->st.locked = 1;
	return 0;
}

static int step_lock(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	char msg[400];

	if (!f->cfg.lock) {
		f->st.locked = 0;
		step_skip(f, "lock", "not configured (lock: false or rd.pvboot.lock=0)");
		return 0;
	}
	if (lock_store(f, msg, sizeof(msg)))
		return step_fail(f, "lock", t0, "%s", msg);
	step_ok(f, "lock", t0, "%s", msg);
	return 0;
}

/*
 * A failed boot still locks the store when lock is on, whatever the failure action:
 * with `continue` or `shell` the next program must not be able to add secrets. Before
 * the uv step /dev/uv is opened here (no wait) if this is an SE guest at all.
 */
static void lock_after_failure(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	char msg[400], buf[16];
	int ret;

	if (f->st.locked == 1 || (f->failed_step && strcmp(f->failed_step, "lock") == 0))
		return;
	if (!f->cfg.lock) {
		f->st.locked = 0;
		step_skip(f, "lock", "not configured: the store stays open after the failure");
		return;
	}
	if (!f->dev) {
		if (host_read_text(UV_SYSFS_DIR "/prot_virt_guest", buf, sizeof(buf)) <= 0 ||
		    buf[0] != '1')
			return; /* not an SE guest: there is no store */
		ret = uv_open(&f->dev);
		if (ret) {
			snprintf(msg, sizeof(msg),
				 "cannot lock the secret store after the failure: %s",
				 uv_open_error(ret));
			status_step(&f->st, "lock", "failed", host_now_ns() - t0, msg);
			log_err("lock: %s", msg);
			return;
		}
	}
	if (lock_store(f, msg, sizeof(msg))) {
		status_step(&f->st, "lock", "failed", host_now_ns() - t0, msg);
		log_err("lock: %s (after the failure in step %s)", msg, f->failed_step);
		return;
	}
	status_step(&f->st, "lock", "ok", host_now_ns() - t0, msg);
	log_notice("lock: %s (after the failure in step %s)", msg, f->failed_step);
}

/* ------------------------------------------------------------------ retrieve */

/*
 * Open the directory of the system path path (below /run, checked by the configuration)
 * from /run, one component at a time, never through a symbolic link, making missing
 * directories 0700 (secrets and the status live there). *name: the last component.
 */
static int open_run_parent(const char *path, const char **name)
{
	int runfd, fd;

	if (strncmp(path, "/run/", 5) != 0)
		return -EINVAL;
	runfd = host_open_dir("/run");
	if (runfd < 0)
		return runfd;
	fd = safe_open_parent(runfd, path + 5, 0700, true, name);
	close(runfd);
	return fd;
}

/* Write data to the system path path as a new 0400 file; an identical file is fine. */
static int write_secret(const char *path, const uint8_t *data, size_t len, bool *present, char *why,
			size_t why_size)
{
	const char *name;
	uint8_t *old;
	size_t olen;
	int dirfd, ret;

	*present = false;
	dirfd = open_run_parent(path, &name);
	if (dirfd < 0) {
		snprintf(why, why_size, "%s",
			 dirfd == -ELOOP
			     ? "a directory on the way is a symbolic link (not followed)"
			     : err_str(-dirfd));
		return dirfd;
	}
	ret = safe_write_new_at(dirfd, name, data, len, 0400);
	if (ret != -EEXIST) {
		if (ret)
			snprintf(why, why_size, "cannot create: %s", err_str(-ret));
		close(dirfd);
		return ret;
	}
	ret = safe_load(dirfd, name, SAFEIO_ASR_CAP, &old, &olen, why, why_size);
	close(dirfd);
	if (ret)
		return ret;
	*present = olen == len && ct_equal(old, data, len);
	secure_zero(old, olen);
	free(old);
	if (!*present) {
		snprintf(why, why_size,
			 "exists with other content (a secret is only written to a "
			 "new file)");
		return -EEXIST;
	}
	return 0;
}

static void secret_label(const struct boot_secret_ref *ref, char *label, size_t size)
{
	if (ref->name[0]) {
		snprintf(label, size, "'%.70s'", ref->name);
	} else if (size > 2 + 64) {
		label[0] = '0';
		label[1] = 'x';
		hex_encode(ref->id, sizeof(ref->id), label + 2);
	}
}

/*
 * Retrieve the secret ref names into memory: *buf (blen bytes, to be wiped and freed),
 * the secret at off, plen bytes; *e its store entry. for: what it is for, in messages.
 * 0 or -1 with the step failed.
 */
static int fetch_secret(struct flow *f, const char *step, const struct boot_secret_ref *ref,
			const char *what, const struct secret_list *list, uint64_t t0,
			const struct secret_entry **ep, uint8_t **buf, size_t *blen, size_t *off,
			size_t *plen)
{
	size_t count = 0;
	const struct secret_entry *e = secret_list_find_id(list, ref->id, &count);
	char label[80], tb[24], msg[160];
	struct uv_result res;
	int ret;

	secret_label(ref, label, sizeof(label));
	if (!e)
		return step_fail(f, step, t0, "the secret store has no secret %s (for %s)", label,
				 what);
	if (count > 1)
		return step_fail(f, step, t0,
				 "the secret store holds %zu secrets with the id of %s: which one "
				 "is meant is ambiguous",
				 count, label);
	if (ref->type && e->type != ref->type) {
		char want[24];

		return step_fail(f, step, t0,
				 "secret %s has type %s, the configuration "
				 "expects %s",
				 label, secret_type_name(e->type, tb),
				 secret_type_name(ref->type, want));
	}
	if (!secret_type_retrievable(e->type) || e->len > UVIO_RETR_SECRET_MAX_LEN)
		return step_fail(f, step, t0, "secret %s (%s, %u bytes) cannot be retrieved", label,
				 secret_type_name(e->type, tb), e->len);
	ret = uv_retrieve_entry(f->dev, e, buf, blen, off, plen, &res);
	if (ret == -ENOMEM && !res.err)
		return step_fail(f, step, t0, "out of memory");
	if (ret)
		return step_fail(f, step, t0, "cannot retrieve secret %s (index %u): %s%s", label,
				 e->index,
				 uv_result_str(UVIO_NR_RETR_SECRET, &res, msg, sizeof(msg)),
				 uv_result_hint(&res));
	*ep = e;
	return 0;
}

static int retrieve_one(struct flow *f, const struct boot_retrieve *r,
			const struct secret_list *list, uint64_t t0)
{
	const struct secret_entry *e = NULL;
	char label[80], tb[24], msg[160], why[256];
	size_t blen, off, plen;
	bool present;
	uint8_t *buf;
	int ret;

	secret_label(&r->ref, label, sizeof(label));
	if (fetch_secret(f, "retrieve", &r->ref, r->path, list, t0, &e, &buf, &blen, &off, &plen))
		return -1;
	ret = write_secret(r->path, buf + off, plen, &present, why, sizeof(why));
	secure_zero(buf, blen);
	free(buf);
	if (ret)
		return step_fail(f, "retrieve", t0, "%s (secret %s): %s", r->path, label, why);
	snprintf(msg, sizeof(msg), "%s, %zu bytes", secret_type_name(e->type, tb), plen);
	status_retrieved(&f->st, label, r->path, present ? "present" : "written", msg);
	log_info("retrieve: secret %s -> %s (%s)%s", label, r->path, msg,
		 present ? ", already there" : "");
	return 0;
}

static int step_retrieve(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	const struct secret_list *list;
	int ret = 0;

	if (!f->cfg.n_retrieve) {
		step_skip(f, "retrieve", "nothing configured");
		return 0;
	}
	list = store_after_add(f, "retrieve", t0);
	if (!list)
		return -1;
	for (size_t i = 0; i < f->cfg.n_retrieve && !ret; i++)
		ret = retrieve_one(f, &f->cfg.retrieve[i], list, t0);
	if (ret)
		return ret;
	step_ok(f, "retrieve", t0, "%zu of %zu in place", f->cfg.n_retrieve, f->cfg.n_retrieve);
	return 0;
}

/* ------------------------------------------------------------------ attach */

/*
 * Overwrite and remove every file the retrieve step wrote (a failed root check must
 * leave no key behind for what runs next). Returns how many were removed.
 */
size_t boot_wipe_retrieved(const struct bootcfg *cfg)
{
	static const uint8_t zero[256];
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_retrieve; i++) {
		const char *name;
		struct stat st;
		int dirfd, fd;

		dirfd = open_run_parent(cfg->retrieve[i].path, &name);
		if (dirfd < 0)
			continue;
		fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			if (!fstat(fd, &st) && S_ISREG(st.st_mode))
				for (off_t o = 0; o < st.st_size; o += (off_t)sizeof(zero))
					if (write(fd, zero, sizeof(zero)) < 0)
						break;
			fsync(fd);
			close(fd);
		}
		if (!unlinkat(dirfd, name, 0))
			n++;
		close(dirfd);
	}
	return n;
}

struct root_wait {
	const struct boot_root *r;
	struct root_dev d;
	char why[ROOT_WHY_LEN];
};

static int probe_root(void *ctx)
{
	struct root_wait *w = ctx;
	int ret = root_resolve(w->r, &w->d, w->why, sizeof(w->why));

	return ret == -ENOENT ? -EAGAIN : ret;
}

/* The mapping is not the expected one: remove it, wipe the retrieved files, fail. */
static int root_refuse(struct flow *f, const char *step, uint64_t t0, const char *why)
{
	int ret = root_detach(&f->cfg.root);
	size_t n = boot_wipe_retrieved(&f->cfg);

	return step_fail(f, step, t0, "%s; the mapping %s, %zu retrieved file%s wiped", why,
			 ret == 0	 ? "was removed"
			 : ret == -ENXIO ? "is gone"
					 : "could NOT be removed",
			 n, n == 1 ? "" : "s");
}

/*
 * The root volume with a sealed header: wait for its device, open it with the image's
 * cryptsetup and the key on a pipe, then prove the live table. Without root: no step;
 * without a header: the stock unlock opens it and `pvboot root check` proves it.
 */
static int step_attach(struct flow *f)
{
	const struct boot_root *r = &f->cfg.root;
	uint64_t t0 = host_now_ns();
	struct root_wait w = {.r = r};
	const struct secret_list *list;
	const struct secret_entry *e;
	struct luks2_hdr *h;
	size_t blen, off, plen;
	uint8_t *buf, tmp[512];
	char why[ROOT_WHY_LEN];
	int ret;
	bool there;

	if (!r->set)
		return 0;
	if (!r->header[0]) {
		step_skip(f, "attach",
			  "the header is on the disk: the stock unlock opens it, 'pvboot root "
			  "check' proves it");
		return 0;
	}
	ret = wait_for(f->cfg.timeout_source_ms, probe_root, &w);
	if (ret == -EAGAIN)
		return step_fail(f, "attach", t0, "no device %s appeared within %llu s", r->device,
				 (unsigned long long)(f->cfg.timeout_source_ms / 1000));
	if (ret)
		return step_fail(f, "attach", t0, "%s", w.why);
	h = calloc(1, sizeof(*h));
	if (!h)
		return step_fail(f, "attach", t0, "out of memory");
	ret = root_load_header(r, &w.d, h, why, sizeof(why));
	if (ret) {
		free(h);
		return step_fail(f, "attach", t0, "%s", why);
	}
	/* a re-run finds its own mapping: it is checked, not opened again */
	there = host_dm_table(r->name, tmp, sizeof(tmp)) != -ENXIO;
	secure_zero(tmp, sizeof(tmp));
	if (!there) {
		list = store_after_add(f, "attach", t0);
		if (!list || fetch_secret(f, "attach", &r->key, r->name, list, t0, &e, &buf, &blen,
					  &off, &plen)) {
			free(h);
			return -1;
		}
		ret = root_attach(r, &w.d, buf + off, plen, why, sizeof(why));
		secure_zero(buf, blen);
		free(buf);
		if (ret) {
			size_t n = boot_wipe_retrieved(&f->cfg);

			free(h);
			return step_fail(f, "attach", t0, "%s; %zu retrieved file%s wiped", why, n,
					 n == 1 ? "" : "s");
		}
	}
	ret = root_check_live(r, &w.d, h, why, sizeof(why));
	if (ret) {
		free(h);
		return root_refuse(f, "attach", t0, why);
	}
	step_ok(f, "attach", t0, "%s (%s, %u:%u) is /dev/mapper/%s%s: %s, %u-bit key, data at %llu",
		r->device, w.d.dev, w.d.major, w.d.minor, r->name,
		there ? " (already attached)" : "", h->cipher, h->key_bits,
		(unsigned long long)h->data_offset);
	free(h);
	return 0;
}

/* ------------------------------------------------------------------ ap */

static int load_apconfig(struct flow *f, struct apconfig *ac, char *err, size_t errsz)
{
	if (f->cfg.ap_entries)
		return apconfig_from_node(f->config_path, f->cfg.ap_entries, ac, err, errsz);
	return apconfig_load(f->cfg.ap_file, true, ac, err, errsz);
}

static void record_queues(struct flow *f, const struct apconfig *ac, const struct ap_report *rep)
{
	for (size_t i = 0; i < rep->n_entries && i < ac->n; i++) {
		const struct ap_entry_result *r = &rep->entries[i];
		char apqn[AP_APQN_LEN] = "", assoc[8] = "", label[96];

		if (r->has_apqn)
			ap_apqn_str(r->apqn.card, r->apqn.domain, apqn);
		if (r->has_assoc)
			snprintf(assoc, sizeof(assoc), "%u", r->assoc_idx);
		status_queue(&f->st, r->has_apqn ? apqn : "-", ap_mode_name(ac->entries[i].mode),
			     assoc, ap_outcome_name(r->outcome),
			     apconfig_entry_label(&ac->entries[i], label, sizeof(label)));
	}
}

static int step_ap(struct flow *f)
{
	uint64_t t0 = host_now_ns();
	struct apconfig ac = {0};
	struct ap_report rep = {0};
	struct ap_apply_opts opts = {
	    .strict = f->cfg.ap_strict,
	    .timeout_ns = f->cfg.timeout_ap_ms * 1000000u,
	};
	char err[APCONFIG_ERR_MAX];
	int ret;

	if (!f->cfg.ap) {
		step_skip(f, "ap", "not configured");
		return 0;
	}
	if (opts.timeout_ns == 0)
		opts.timeout_ns = 1; /* 0 would mean ap_apply's default: "no wait" is meant */
	ret = load_apconfig(f, &ac, err, sizeof(err));
	if (ret)
		return step_fail(f, "ap", t0, "%s", err);
	opts.secrets = store_after_add(f, "ap", t0);
	if (!opts.secrets) {
		apconfig_free(&ac);
		return -1;
	}
	ret = ap_apply(&ac, &opts, &rep);
	record_queues(f, &ac, &rep);
	if (ret)
		ret = step_fail(f, "ap", t0, "%s", rep.error[0] ? rep.error : err_str(-ret));
	else
		step_ok(f, "ap", t0, "%u of %zu entries satisfied%s, %zu usable queues",
			rep.satisfied, ac.n, f->cfg.ap_strict ? " (strict)" : "", rep.n_queues);
	ap_report_free(&rep);
	apconfig_free(&ac);
	return ret;
}

/* ------------------------------------------------------------------ status, result */

/* Replace name in dirfd atomically: a temporary file, then rename. */
static int write_atomic(int dirfd, const char *name, const struct sbuf *b)
{
	char tmp[64];
	int ret;

	snprintf(tmp, sizeof(tmp), ".%s.%ld", name, (long)getpid());
	unlinkat(dirfd, tmp, 0);
	ret = safe_write_new_at(dirfd, tmp, b->s, b->len, 0644);
	if (ret)
		return ret;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		ret = -errno;
		unlinkat(dirfd, tmp, 0);
	}
	return ret;
}

static void write_status(struct flow *f)
{
	struct sbuf json, txt;
	const char *name;
	int dirfd, ret;

	/* /run/pvboot itself, 0700 */
	dirfd = open_run_parent(BOOT_RUN_DIR "/" STATUS_TXT, &name);
	if (dirfd < 0) {
		log_err("%s: cannot create or open: %s", BOOT_RUN_DIR, err_str(-dirfd));
		f->status_unwritten = true;
		return;
	}
	sbuf_init(&json);
	sbuf_init(&txt);
	status_json(&json, &f->st);
	status_text(&txt, &f->st);
	/* status.txt last: it carries the verdict `pvboot status` goes by */
	f->status_unwritten = true;
	if (json.failed || txt.failed) {
		log_err("%s: cannot write the status: out of memory", BOOT_RUN_DIR);
	} else {
		if ((ret = write_atomic(dirfd, STATUS_JSON, &json)))
			log_err("%s/%s: cannot write the status: %s", BOOT_RUN_DIR, STATUS_JSON,
				err_str(-ret));
		if ((ret = write_atomic(dirfd, STATUS_TXT, &txt)))
			log_err("%s/%s: cannot write the status: %s", BOOT_RUN_DIR, STATUS_TXT,
				err_str(-ret));
		else
			f->status_unwritten = false;
	}
	close(dirfd);
	sbuf_free(&json);
	sbuf_free(&txt);
}

/* A fresh flow and its config step (step_config's result). */
static int flow_start(struct flow *f, const char *config)
{
	memset(f, 0, sizeof(*f));
	usersig_key_init(&f->key);
	f->config_path = config ? config : BOOTCFG_PATH;
	bootcfg_init(&f->cfg);
	status_init(&f->st);
	return step_config(f, config);
}

static void flow_free(struct flow *f)
{
	if (f->have_rep)
		ebc_report_free(&f->rep);
	ebc_plan_free(&f->plan);
	usersig_key_free(&f->key);
	safe_dir_free(&f->set);
	secret_list_free(&f->store);
	if (f->dev)
		uv_close(f->dev);
	status_free(&f->st);
	bootcfg_free(&f->cfg);
}

int bootflow_run(const char *config)
{
	uint64_t t_all = host_now_ns();
	struct flow f;
	int ret, exit_code;

	ret = flow_start(&f, config);
	if (ret > 0) {
		/* not enabled: no status file, one debug line, nothing else */
		log_debug("not enabled (rd.pvboot=0, or no configuration and no rd.pvboot)");
		flow_free(&f);
		printf("skipped\n");
		return PVB_EXIT_SKIPPED;
	}
	if (ret == 0) {
		/*
		 * A job that started leaves a trace even if it never ends (killed, or its
		 * final status cannot be written): `pvboot status` must not say "not run".
		 */
		status_set_verdict(&f.st, VERDICT_RUNNING, NULL,
				   "the boot job started and has not written its final status");
		write_status(&f);
		ret = step_detect(&f);
		if (ret == 0) {
			status_set_verdict(&f.st, VERDICT_SKIPPED, NULL, f.reason);
			write_status(&f);
			log_notice("skipped: %s", f.reason);
			flow_free(&f);
			printf("skipped\n");
			return PVB_EXIT_SKIPPED;
		}
		ret = ret < 0 ? ret : 0;
	}
	if (!ret)
		ret = step_uv(&f);
	if (!ret)
		ret = step_source(&f);
	if (!ret)
		ret = step_verify(&f);
	if (!ret)
		ret = step_add(&f);
	if (!ret)
		ret = step_lock(&f);
	if (!ret)
		ret = step_retrieve(&f);
	if (!ret)
		ret = step_attach(&f);
	if (!ret)
		ret = step_ap(&f);
	if (ret) {
		lock_after_failure(&f);
		status_set_verdict(&f.st, VERDICT_FAILED, f.failed_step, f.reason);
		write_status(&f);
		log_err("FAILED in step %s; the guest must not boot half-configured. Status: "
			"%s/%s%s. Failure action: %s.",
			f.failed_step, BOOT_RUN_DIR, STATUS_TXT,
			f.status_unwritten ? " (could not be written)" : "", f.st.on_failure);
		printf("%s\n", f.st.on_failure);
		exit_code = PVB_EXIT_FAIL;
	} else {
		status_set_verdict(&f.st, VERDICT_OK, NULL, NULL);
		write_status(&f);
		log_notice("done in %llu ms: %zu requests added, store %s%s%s",
			   (unsigned long long)ms_since(t_all), f.rep.added,
			   f.st.locked == 1 ? "locked" : "not locked",
			   f.cfg.ap ? ", AP queues ready" : "",
			   f.status_unwritten ? "; the status could not be written" : "");
		printf("ok\n");
		exit_code = PVB_EXIT_OK;
	}
	flow_free(&f);
	return exit_code;
}

/* ------------------------------------------------------------------ pvboot root check */

int bootflow_root_check(const char *config)
{
	uint64_t t0;
	struct flow f;
	struct root_wait w;
	struct luks2_hdr *h = NULL;
	char why[ROOT_WHY_LEN];
	int ret, exit_code = PVB_EXIT_FAIL;

	ret = flow_start(&f, config);
	if (ret > 0 || (ret == 0 && (ret = step_detect(&f)) == 0) || (ret > 0 && !f.cfg.root.set)) {
		log_debug("root check: skipped (%s)",
			  f.cfg.root.set || ret <= 0
			      ? "not enabled, or not a Secure Execution guest"
			      : "no root: configured");
		printf("skipped\n");
		exit_code = PVB_EXIT_SKIPPED;
		goto out;
	}
	t0 = host_now_ns();
	if (ret < 0)
		goto failed;
	memset(&w, 0, sizeof(w));
	w.r = &f.cfg.root;
	ret = wait_for(f.cfg.timeout_source_ms, probe_root, &w);
	if (ret == -EAGAIN) {
		step_fail(&f, "root", t0, "no device %s appeared within %llu s", w.r->device,
			  (unsigned long long)(f.cfg.timeout_source_ms / 1000));
		goto failed;
	}
	if (ret) {
		step_fail(&f, "root", t0, "%s", w.why);
		goto failed;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		step_fail(&f, "root", t0, "out of memory");
		goto failed;
	}
	ret = root_load_header(w.r, &w.d, h, why, sizeof(why));
	if (!ret)
		ret = root_check_live(w.r, &w.d, h, why, sizeof(why));
	if (ret) {
		root_refuse(&f, "root", t0, why);
		goto failed;
	}
	step_ok(&f, "root", t0, "/dev/mapper/%s is %s over %s (%u:%u), %u-bit key, data at %llu%s",
		w.r->name, h->cipher, w.d.dev, w.d.major, w.d.minor, h->key_bits,
		(unsigned long long)h->data_offset,
		w.r->header[0] ? " (sealed header)" : " (on-disk header)");
	printf("ok\n");
	exit_code = PVB_EXIT_OK;
	goto out;
failed:
	log_err("root check FAILED: the root must not be mounted. Failure action: %s.",
		f.st.on_failure);
	printf("%s\n", f.st.on_failure);
out:
	free(h);
	flow_free(&f);
	return exit_code;
}
