// SPDX-License-Identifier: MIT
/* pvboot info: is this an SE guest, and what do its ultravisor and uvdevice offer? */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "cmd.h"
#include "host.h"
#include "log.h"
#include "secret_list.h"
#include "uv.h"

#define Q UV_SYSFS_DIR "/query/"

/* A sysfs number ("%lx\n" or "%d\n"); -1 when the file is absent or unreadable. */
static int read_num(const char *path, int base, unsigned long long *v)
{
	char buf[64], *end;

	if (host_read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, base);
	if (errno || end == buf || (*end && *end != '\n'))
		return -1;
	return 0;
}

/* MSB0 bit n of a 64-bit word */
static int msb0(unsigned long long w, unsigned n)
{
	return n < 64 && (w >> (63 - n)) & 1;
}

static const char *const ioctl_names[UVIO_NR_COUNT] = {"info", "attestation", "add-secret",
							"list-secrets", "lock-secrets",
							"retrieve-secret"};

static void facilities(void)
{
	static const struct {
		unsigned bit;
		const char *name;
	} calls[] = {{28, "retrieve-attestation"}, {29, "add-secret"},      {30, "list-secrets"},
		     {31, "lock-secrets"},         {33, "retrieve-secret"}, {34, "query-keys"}};
	unsigned long long w[2] = {0, 0};
	char buf[256], *p;

	if (host_read_text(Q "facilities", buf, sizeof(buf)) <= 0) {
		printf("UV calls:               unknown (no %sfacilities)\n", Q);
		return;
	}
	p = buf;
	for (int i = 0; i < 2 && *p; i++) {
		w[i] = strtoull(p, &p, 16);
		while (*p == '\n')
			p++;
	}
	printf("UV calls:              ");
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (msb0(w[calls[i].bit / 64], calls[i].bit % 64))
			printf(" %s", calls[i].name);
	printf("\n");
}

static void secret_types(void)
{
	unsigned long long w;
	char tb[24];

	if (read_num(Q "supp_secret_types", 16, &w))
		return;
	printf("Secret types:          ");
	for (unsigned t = 1; t < 64; t++) {
		if (!msb0(w, t))
			continue;
		if (t == SECRET_NULL)
			printf(" meta");
		else if (t == SECRET_UPDATE_CCK)
			printf(" update-CCK");
		else
			printf(" %s", secret_type_name((uint16_t)t, tb));
	}
	printf("\n");
}

static void store_limits(void)
{
	unsigned long long a, r, m;
	int ha = read_num(Q "max_assoc_secrets", 10, &a) == 0;
	int hr = read_num(Q "max_retr_secrets", 10, &r) == 0;
	int hm = read_num(Q "max_secrets", 10, &m) == 0;

	if (ha && hr)
		printf("Secret store:           %llu association + %llu retrievable secrets\n", a,
		       r);
	else if (hm)
		printf("Secret store:           %llu secrets\n", m);
}

static void add_secret_props(void)
{
	unsigned long long w;

	if (read_num(Q "supp_add_secret_req_ver", 16, &w) == 0) {
		printf("Request versions:      ");
		for (unsigned n = 0; n < 64; n++)
			if (msb0(w, n))
				printf(" 0x%x", (n + 1) * 0x100);
		printf("\n");
	}
	if (read_num(Q "supp_add_secret_pcf", 16, &w) == 0)
		printf("Request flags:          %s\n", msb0(w, 0) ? "disable-dump" : "none");
}

static void uvdevice(void)
{
	struct uvio_uvdev_info info;
	struct uv_result res;
	struct uv_dev *dev;
	char msg[160];
	int err = uv_open(&dev);

	if (err) {
		printf("Ultravisor device:      %s\n", uv_open_error(err));
		return;
	}
	printf("Ultravisor device:      %s\n", UV_DEVICE_PATH);
	if (uv_info(dev, &info, &res)) {
		if (res.err == -ENOTTY)
			printf("uvdevice calls:         unknown (the kernel has no info ioctl; "
			       "it predates secret support)\n");
		else
			printf("uvdevice calls:         unknown (%s)\n",
			       uv_result_str(UVIO_NR_INFO, &res, msg, sizeof(msg)));
	} else {
		printf("uvdevice calls:        ");
		for (unsigned n = 0; n < UVIO_NR_COUNT; n++) {
			if (!(info.supp_uvio_cmds >> n & 1))
				continue;
			printf(" %s%s", ioctl_names[n],
			       n && !(info.supp_uv_cmds >> n & 1) ? "(no UV call)" : "");
		}
		printf("\n");
	}
	uv_close(dev);
}

static void info_help(FILE *f)
{
	fprintf(f, "Usage: pvboot info\n"
		   "\n"
		   "Show whether this is a Secure Execution guest, what the ultravisor supports\n"
		   "(/sys/firmware/uv) and which calls the uvdevice offers. Exit status 3 when\n"
		   "this is not a Secure Execution guest.\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	char guest[8] = "";
	int opt, is_guest;

	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (opt == 'h') {
			info_help(stdout);
			return PVB_EXIT_OK;
		}
		return usage_bad_option("info", opt, argv);
	}
	if (optind < argc)
		return usage_error("info: unexpected argument '%s'", argv[optind]);

	is_guest = host_read_text(UV_SYSFS_DIR "/prot_virt_guest", guest, sizeof(guest)) > 0 &&
		   guest[0] == '1';
	printf("Secure Execution guest: %s\n", is_guest ? "yes" : "no");
	if (!is_guest) {
		if (host_path_exists(UV_SYSFS_DIR) <= 0)
			printf("Ultravisor:             none (no %s)\n", UV_SYSFS_DIR);
		return PVB_EXIT_UNAVAILABLE;
	}
	uvdevice();
	facilities();
	add_secret_props();
	secret_types();
	store_limits();
	return PVB_EXIT_OK;
}
