// SPDX-License-Identifier: MIT
/*
 * Reading the boot job's inputs: pvboot.yaml and the kernel command line as dracut
 * sees it (/etc/cmdline.d/ *.conf, /etc/cmdline, /proc/cmdline). Shared by `pvboot
 * boot` and `pvboot check-config`; the parsing itself is pure (bootcfg.c, cmdline.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "host.h"
#include "safeio.h"
#include "util.h"

#define CMDLINE_D_MAX_FILES 64
#define CMDLINE_FILE_CAP    4096

int boot_read_config(const char *path, bool literal, bool missing_ok, struct bootcfg *cfg,
		     char *err, size_t errsz)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	ret = safe_load_path(path, literal, YAML_MAX_INPUT, &buf, &len, err, errsz);
	if (ret == -ENOENT && missing_ok) {
		err[0] = 0;
		return 0;
	}
	if (ret)
		return ret;
	ret = bootcfg_parse(cfg, path, (const char *)buf, len, err, errsz);
	free(buf);
	return ret;
}

int boot_load_user_key(const char *path, bool literal, struct usersig_key *key, char *why,
		       size_t why_size)
{
	char lwhy[160];
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	ret = safe_load_path(path, literal, USERSIG_KEY_CAP, &buf, &len, why, why_size);
	if (ret)
		return ret;
	ret = usersig_key_parse(key, buf, len, lwhy, sizeof(lwhy));
	free(buf);
	if (ret)
		snprintf(why, why_size, "%s: %s", path, lwhy);
	return ret;
}

int boot_owner_setup(const struct bootcfg *cfg, const char *file, bool literal,
		     struct usersig_key *key, bool *have_key, char *err, size_t errsz)
{
	char why[400];
	int ret;

	*have_key = false;
	ret = bootcfg_check_owner(cfg, file, err, errsz);
	if (ret || !cfg->user_cert[0])
		return ret;
	ret = boot_load_user_key(cfg->user_cert, literal, key, why, sizeof(why));
	if (ret) {
		snprintf(err, errsz, "%s:%u:%u: user_cert: %s", file, cfg->user_cert_line,
			 cfg->user_cert_col, why);
		return ret;
	}
	*have_key = true;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the *.conf files of /etc/cmdline.d in name order (as the shell's glob does). */
static int read_cmdline_d(struct sbuf *text, char *err, size_t errsz)
{
	char *names[CMDLINE_D_MAX_FILES], why[128];
	size_t n = 0;
	struct dirent *de;
	int fd, ret = 0;
	DIR *d;

	fd = host_open_dir("/etc/cmdline.d");
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(err, errsz, "/etc/cmdline.d: %s", err_str(-fd));
		return fd;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		snprintf(err, errsz, "/etc/cmdline.d: %s", err_str(errno));
		return -EIO;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0 || de->d_name[0] == '.')
			continue;
		if (n == CMDLINE_D_MAX_FILES) {
			snprintf(err, errsz, "/etc/cmdline.d: more than %d .conf files",
				 CMDLINE_D_MAX_FILES);
			ret = -E2BIG;
			goto out;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			ret = -ENOMEM;
			snprintf(err, errsz, "out of memory");
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n && !ret; i++) {
		uint8_t *buf;
		size_t len;

		ret = safe_load(dirfd(d), names[i], CMDLINE_FILE_CAP, &buf, &len, why, sizeof(why));
		if (ret) {
			snprintf(err, errsz, "/etc/cmdline.d/%s: %s", names[i], why);
			break;
		}
		sbuf_add(text, buf, len);
		sbuf_add(text, "\n", 1);
		free(buf);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	closedir(d);
	return ret;
}

int boot_read_cmdline(struct cmdline *cl, char *err, size_t errsz)
{
	static char proc[CMDLINE_MAX];
	char real[4096], why[128];
	struct sbuf text;
	uint8_t *buf;
	size_t len;
	int ret;

	sbuf_init(&text);
	ret = read_cmdline_d(&text, err, errsz);
	if (ret)
		goto out;
	ret = host_path("/etc/cmdline", real, sizeof(real));
	if (!ret) {
		ret = safe_load(AT_FDCWD, real, CMDLINE_FILE_CAP, &buf, &len, why, sizeof(why));
		if (!ret) {
			sbuf_add(&text, buf, len);
			sbuf_add(&text, "\n", 1);
			free(buf);
		} else if (ret != -ENOENT) {
			snprintf(err, errsz, "/etc/cmdline: %s", why);
			goto out;
		}
	}
	ret = host_read_text("/proc/cmdline", proc, sizeof(proc));
	if (ret < 0) {
		snprintf(err, errsz, "/proc/cmdline: %s", err_str(-ret));
		goto out;
	}
	sbuf_add(&text, proc, (size_t)ret);
	if (text.failed) {
		ret = -ENOMEM;
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	ret = cmdline_parse(cl, text.s ? text.s : "", text.len);
	if (ret)
		snprintf(err, errsz, "the kernel command line: %s", err_str(-ret));
out:
	sbuf_free(&text);
	return ret;
}
