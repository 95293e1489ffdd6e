// SPDX-License-Identifier: MIT
/*
 * The simulator (tests/sim): drives the host.h functions directly against temporary
 * machine directories, with control blocks built by hand. Runs in tests/.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asr.h"
#include "host.h"
#include "log.h"
#include "mkasr_lib.h"
#include "secrypto.h"
#include "sim.h"
#include "t.h"
#include "util.h"
#include "uv.h"

#define HOST_KEY  "vectors/cert/host.key"
#define HOST2_KEY "vectors/cert/host2.key"

static char mdir[256];

static void write_file(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "test_sim: cannot write %s\n", path);
		exit(2);
	}
}

static char *read_mfile(const char *name)
{
	char path[512];
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	if (sim_read_file(path, 1 << 24, &buf, &len) != 0)
		return NULL;
	return (char *)buf;
}

static void cleanup(void)
{
	static const char *const files[] = {"machine.yaml", "state", "uv.log", "kmsg", "hdr.bin"};
	char path[512];

	if (!mdir[0])
		return;
	sim_reset(); /* first: it closes kmsg, which may append to it */
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", mdir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/root/run", mdir); /* the guest's /run (sim_get) */
	rmdir(path);
	snprintf(path, sizeof(path), "%s/root", mdir);
	rmdir(path);
	rmdir(mdir);
	mdir[0] = 0;
	unsetenv(SIM_ENV); /* later suites must not see a removed machine */
}

/* The fake SE header: tags PLD 64x01, ALD 64x02, TLD 64x03, tag 16x04. */
static void boot_tags(uint8_t tags[SE_HDR_TAGS_LEN])
{
	memset(tags, 1, 64);
	memset(tags + 64, 2, 64);
	memset(tags + 128, 3, 64);
	memset(tags + 192, 4, 16);
}

static void write_header(void)
{
	uint8_t hdr[0x1b0] = "IBMSecEx", tags[SE_HDR_TAGS_LEN];

	boot_tags(tags);
	put_be32(hdr + 8, 0x100);
	put_be32(hdr + 12, sizeof(hdr));
	memcpy(hdr + 0xe0, tags, 192);
	memcpy(hdr + sizeof(hdr) - 16, tags + 192, 16);
	write_file("hdr.bin", hdr, sizeof(hdr));
}

/* A new machine directory with this machine.yaml (printf format), made current. */
__attribute__((format(printf, 1, 2))) static void machine(const char *fmt, ...)
{
	char yaml[4096];
	va_list ap;
	int n;

	cleanup();
	snprintf(mdir, sizeof(mdir), "/tmp/pvboot-sim-unit-XXXXXX");
	if (!mkdtemp(mdir)) {
		perror("mkdtemp");
		exit(2);
	}
	va_start(ap, fmt);
	n = vsnprintf(yaml, sizeof(yaml), fmt, ap);
	va_end(ap);
	write_file("machine.yaml", yaml, (size_t)n);
	write_header();
	setenv(SIM_ENV, mdir, 1);
	sim_reset();
}

/* A guest with the host key, the fake header and a CUID of 16x0x42 (printf extras). */
__attribute__((format(printf, 1, 2))) static void guest(const char *extra, ...)
{
	char cwd[256], more[2048];
	va_list ap;

	if (!getcwd(cwd, sizeof(cwd)))
		exit(2);
	va_start(ap, extra);
	vsnprintf(more, sizeof(more), extra, ap);
	va_end(ap);
	machine("host_keys: [%s/" HOST_KEY "]\nse_header: hdr.bin\ncuid: "
		"0x42424242424242424242424242424242\n%s",
		cwd, more);
}

/* Simulate a new pvboot-sim invocation on the same machine. */
static void reboot_process(void)
{
	sim_reset();
}

static int ioc_h(int h, unsigned nr, void *arg, uint32_t len, struct uvio_ioctl_cb *cb)
{
	memset(cb, 0, sizeof(*cb));
	cb->argument_addr = (uint64_t)(uintptr_t)arg;
	cb->argument_len = len;
	return host_uv_ioctl(h, UVIO_IOCTL(nr), cb);
}

static int ioc(unsigned nr, void *arg, uint32_t len, struct uvio_ioctl_cb *cb)
{
	int h = host_uv_open(), rc;

	if (h < 0)
		return h;
	rc = ioc_h(h, nr, arg, len, cb);
	host_uv_close(h);
	return rc;
}

/* ---------------------------------------------------------------- requests */

struct req {
	struct mkasr_input in;
	struct se_key key;
	const struct se_key *keys[1];
	uint8_t value[64];
};

static void req_init(struct req *r, uint16_t type, const char *name, size_t value_len)
{
	uint8_t *buf;
	size_t len;

	mkasr_input_init(&r->in);
	se_key_init(&r->key);
	buf = t_read_file(HOST_KEY, &len);
	if (se_key_load(&r->key, buf, len) != 0) {
		fprintf(stderr, "test_sim: cannot load %s\n", HOST_KEY);
		exit(2);
	}
	free(buf);
	r->keys[0] = &r->key;
	r->in.host_keys = r->keys;
	r->in.nr_host_keys = 1;
	boot_tags(r->in.tags);
	memset(r->in.cuid, 0x42, sizeof(r->in.cuid));
	r->in.secret_type = type;
	if (type != SECRET_NULL) {
		mkasr_secret_id(name, false, r->in.secret_id);
		for (size_t i = 0; i < sizeof(r->value); i++)
			r->value[i] = (uint8_t)(0x30 + i);
		r->in.secret = r->value;
		r->in.secret_len = value_len;
	}
}

static uint8_t *req_build(struct req *r, size_t *len)
{
	const char *err = NULL;
	uint8_t *out;

	if (mkasr_build(&r->in, &out, len, &err) != 0) {
		fprintf(stderr, "test_sim: mkasr_build: %s\n", err ? err : "?");
		exit(2);
	}
	se_key_free(&r->key);
	return out;
}

/* Build and submit; returns the UV rc (or 0xffff if the ioctl failed). */
static uint16_t add(struct req *r)
{
	struct uvio_ioctl_cb cb;
	size_t len;
	uint8_t *buf = req_build(r, &len);
	int rc = ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)len, &cb);

	free(buf);
	return rc ? 0xffff : cb.uv_rc;
}

static uint16_t add_simple(uint16_t type, const char *name, size_t len)
{
	struct req r;

	req_init(&r, type, name, len);
	return add(&r);
}

/* ---------------------------------------------------------------- state fixtures */

/* A state file with n secrets (type from types[i % ntypes]) at index first + step*i. */
static void state_with(size_t n, unsigned first, unsigned step, const uint16_t *types,
		       size_t ntypes)
{
	size_t cap = 512 + n * 400, off = 0;
	char *s = malloc(cap);

	off += (size_t)snprintf(s + off, cap - off,
				"version 1\nlocked 0\ndump_disabled 0\ncck %064d\next_secret -\n"
				"next_index %u\nclock_offset_ns 0\n"
				"calls info=0 add=0 list=0 lock=0 retrieve=0\n",
				0, first + (unsigned)(step * n));
	for (size_t i = 0; i < n; i++) {
		uint16_t t = types[i % ntypes];
		size_t vlen = t == SECRET_AES_128 ? 16 : 32;

		off += (size_t)snprintf(
		    s + off, cap - off, "secret index=%u type=0x%04x len=%u id=%064zx value=",
		    first + (unsigned)(step * i), t, sim_listed_len(t, (uint32_t)vlen), i);
		for (size_t j = 0; j < vlen; j++)
			off += (size_t)snprintf(s + off, cap - off, "%02zx", (i + j) & 0xff);
		s[off++] = '\n';
	}
	write_file("state", s, off);
	free(s);
	reboot_process();
}

/* ---------------------------------------------------------------- tests */

TEST(sim_machine_errors)
{
	struct sim_machine m;
	char err[1024], want[600];

	machine("se_guest: true\nbogus: 1\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/machine.yaml:2:1: unknown key 'bogus'", mdir);
	T_EQ_STR(err, want);

	machine("kernel: ancient\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:1:9: kernel is mainline or old") != NULL);

	machine("faults:\n  - {op: add, call: 1, errno: EWHAT}\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "unknown errno 'EWHAT'") != NULL);

	machine("faults:\n  - {op: add, call: 1, color: red, errno: EIO}\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:2:24: unknown key 'color'") != NULL);

	machine("scf: {cck_update_allowed: maybe}\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "expected a boolean") != NULL);

	machine("host_keys: [nonexistent.key]\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:1:13: cannot read host key") != NULL);

	machine("se_header: machine.yaml\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "no valid SE header") != NULL);

	machine("cuid: 0x1234\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:1:7: expected 16 bytes as hex") != NULL);

	/* a complete, valid description */
	guest("uvdevice: present\nkernel: mainline\nscf:\n  cck_extension_secret_enforcement: "
	      "true\n  cck_update_allowed: false\ncck: 0x%064d\nmax_assoc_secrets: 3\n"
	      "max_retr_secrets: 4\nsupp_add_secret_pcf: 0\nsecret_types: [1, 2, 3]\n"
	      "request_versions: [0x100, 0x200]\nfacilities: [add_secret, list_secrets]\n"
	      "dump_in_progress: false\ncmdline: \"root=/dev/vda rd.pvboot\"\nfaults:\n"
	      "  - {op: list, call: 2, count: 3, rc: 0x0103, rrc: 5}\n",
	      7);
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), 0);
	T_EQ_INT(m.n_host_keys, 1);
	T_CHECK(m.have_tags);
	T_CHECK(m.scf_cck_enforce);
	T_EQ_INT(m.cck[31], 7);
	T_EQ_INT(m.max_assoc, 3);
	T_EQ_INT(m.supp_types, 0x7000000000000000ull);
	T_EQ_INT(m.supp_req_ver, 0xc000000000000000ull);
	T_EQ_INT(m.n_faults, 1);
	T_EQ_INT(m.faults[0].count, 3);
	T_EQ_INT(m.faults[0].rrc, 5);
	sim_machine_free(&m);

	/* a broken state file names file:line:col */
	{
		struct sim_state st;
		const char bad_state[] = "version 1\nlocked 2\n";

		write_file("state", bad_state, sizeof(bad_state) - 1);
		T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), 0);
		T_EQ_INT(sim_state_load(mdir, &m, &st, err, sizeof(err)), -1);
		T_CHECK(strstr(err, "/state:2:8: expected a number up to 1") != NULL);
		sim_machine_free(&m);
	}
	cleanup();
}

TEST(sim_no_machine)
{
	char buf[64];

	cleanup();
	unsetenv(SIM_ENV);
	sim_reset();
	T_EQ_INT(host_uv_open(), -ENOENT);
	T_EQ_INT(host_path_exists("/dev/uv"), 0);
	T_EQ_INT(host_path_exists("/sys/firmware/uv"), 0);
	T_EQ_INT(host_read_text("/sys/firmware/uv/prot_virt_guest", buf, sizeof(buf)), -ENOENT);
	T_EQ_INT(host_read_text("/proc/cmdline", buf, sizeof(buf)), 1);
	T_EQ_INT(host_kmsg_write("<6>pvboot: x\n", 13), 0);
}

TEST(sim_open_modes)
{
	char buf[64];
	int h;

	machine("se_guest: false\n");
	T_EQ_INT(host_uv_open(), -ENOENT);
	T_EQ_INT(host_path_exists("/sys/firmware/uv"), 0);
	T_EQ_INT(host_path_exists("/dev/uv"), 0);
	T_EQ_INT(host_read_text("/sys/firmware/uv/prot_virt_guest", buf, sizeof(buf)), -ENOENT);

	machine("uvdevice: eacces\n");
	T_EQ_INT(host_uv_open(), -EACCES);
	T_EQ_INT(host_path_exists("/dev/uv"), 1);

	machine("uvdevice: absent\n");
	T_EQ_INT(host_uv_open(), -ENOENT);
	T_EQ_INT(host_path_exists("/dev/uv"), 0);
	T_EQ_INT(host_path_exists("/sys/firmware/uv/prot_virt_guest"), 1);

	machine("{}\n");
	h = host_uv_open();
	T_CHECK(h >= 0);
	host_uv_close(h);
	{
		struct uvio_ioctl_cb cb = {0};

		T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LOCK_SECRETS), &cb), -EBADF);
	}
	cleanup();
}

TEST(sim_sysfs)
{
	char buf[128];

	machine("cmdline: \"quiet rd.pvboot=0\"\n");
	T_EQ_INT(host_read_text("/sys/firmware/uv/prot_virt_guest", buf, sizeof(buf)), 2);
	T_EQ_STR(buf, "1\n");
	host_read_text("/sys/firmware/uv/prot_virt_host", buf, sizeof(buf));
	T_EQ_STR(buf, "0\n");
	host_read_text("/sys/firmware/uv/query/facilities", buf, sizeof(buf));
	T_EQ_STR(buf, "f40000000\n0\n0\n0\n");
	host_read_text("/sys/firmware/uv/query/supp_add_secret_req_ver", buf, sizeof(buf));
	T_EQ_STR(buf, "8000000000000000\n");
	host_read_text("/sys/firmware/uv/query/supp_add_secret_pcf", buf, sizeof(buf));
	T_EQ_STR(buf, "8000000000000000\n");
	host_read_text("/sys/firmware/uv/query/supp_secret_types", buf, sizeof(buf));
	T_EQ_STR(buf, "7fe07e0000000000\n");
	host_read_text("/sys/firmware/uv/query/max_secrets", buf, sizeof(buf));
	T_EQ_STR(buf, "512\n");
	host_read_text("/sys/firmware/uv/query/max_assoc_secrets", buf, sizeof(buf));
	T_EQ_STR(buf, "256\n");
	host_read_text("/sys/firmware/uv/query/max_retr_secrets", buf, sizeof(buf));
	T_EQ_STR(buf, "256\n");
	host_read_text("/proc/cmdline", buf, sizeof(buf));
	T_EQ_STR(buf, "quiet rd.pvboot=0\n");
	T_EQ_INT(host_read_text("/sys/firmware/uv/query/nope", buf, sizeof(buf)), -ENOENT);
	T_EQ_INT(host_read_text("/sys/firmware/uv", buf, sizeof(buf)), -EISDIR);
	T_EQ_INT(host_path_exists("/sys/firmware/uv/query"), 1);
	T_EQ_INT(host_read_text("/sys/firmware/uv/query/facilities", buf, 4), 3);
	T_EQ_STR(buf, "f40");

	machine("kernel: old\nfacilities: [add_secret, list_secrets, lock_secrets]\n"
		"max_assoc_secrets: 10\nmax_retr_secrets: 0\n");
	host_read_text("/sys/firmware/uv/query/facilities", buf, sizeof(buf));
	T_EQ_STR(buf, "700000000\n0\n0\n0\n");
	host_read_text("/sys/firmware/uv/query/max_secrets", buf, sizeof(buf));
	T_EQ_STR(buf, "10\n");
	T_EQ_INT(host_read_text("/sys/firmware/uv/query/max_assoc_secrets", buf, sizeof(buf)),
		 -ENOENT);
	host_read_text("/proc/cmdline", buf, sizeof(buf));
	T_EQ_STR(buf, "\n");
	cleanup();
}

TEST(sim_kmsg_clock)
{
	char big[1100];
	char *k;
	uint64_t t0, t1;

	machine("{}\n");
	T_EQ_INT(host_kmsg_write("<6>pvboot: one\n", 15), 0);
	T_EQ_INT(host_kmsg_write("<3>pvboot: two", 14), 0);
	memset(big, 'x', sizeof(big));
	T_EQ_INT(host_kmsg_write(big, sizeof(big)), -EINVAL);
	k = read_mfile("kmsg");
	T_EQ_STR(k, "<6>pvboot: one\n<3>pvboot: two\n");
	free(k);

	t0 = host_now_ns();
	host_sleep_ns(3600ull * 1000000000u);
	t1 = host_now_ns();
	T_CHECK(t1 - t0 >= 3600ull * 1000000000u);
	T_CHECK(t1 - t0 < 3660ull * 1000000000u);
	reboot_process(); /* the offset persists: the clock does not jump back */
	T_CHECK(host_now_ns() >= t1);
	k = read_mfile("state");
	T_CHECK(k && strstr(k, "clock_offset_ns 3600000000000\n"));
	free(k);
	cleanup();
}

/* /dev/kmsg: a burst of 10 records per 5 s per open file; the rest counted on close */
TEST(sim_kmsg_ratelimit)
{
	char big[1024], *k;
	size_t n = 0;

	machine("clock: virtual\n");
	for (int i = 0; i < 12; i++)
		T_EQ_INT(host_kmsg_write("<6>pvboot: r\n", 13), 0); /* dropped ones "succeed" */
	k = read_mfile("kmsg");
	for (const char *p = k; p && (p = strchr(p, '\n')); p++)
		n++;
	T_EQ_INT(n, 10);
	free(k);
	host_sleep_ns(5000000000ull); /* not yet over: the kernel wants jiffies > begin + 5 s */
	T_EQ_INT(host_kmsg_write("<6>pvboot: late\n", 16), 0);
	host_sleep_ns(1);
	T_EQ_INT(host_kmsg_write("<6>pvboot: next window\n", 23), 0);
	reboot_process(); /* the process ends: the file is closed */
	k = read_mfile("kmsg");
	T_CHECK(k && !strstr(k, "late"));
	T_CHECK(k && strstr(k, "<6>pvboot: next window\n<4>pvboot: 3 output lines suppressed due "
			       "to ratelimiting\n"));
	free(k);

	/* printk.devkmsg=on: no limit; a record of 1024 bytes is fine, 1025 is EINVAL */
	machine("cmdline: \"quiet printk.devkmsg=on\"\n");
	for (int i = 0; i < 12; i++)
		T_EQ_INT(host_kmsg_write("<6>pvboot: r\n", 13), 0);
	memset(big, 'x', sizeof(big));
	T_EQ_INT(host_kmsg_write(big, sizeof(big)), 0);
	reboot_process();
	k = read_mfile("kmsg");
	T_CHECK(k && strlen(k) == 12 * 13 + sizeof(big) + 1);
	free(k);
	/* older kernels: LOG_LINE_MAX, 992 */
	machine("kernel: old\n");
	T_EQ_INT(host_kmsg_write(big, 993), -EINVAL);
	T_EQ_INT(host_kmsg_write(big, 992), 0);
	cleanup();
}

/* log.c's kmsg budget on the simulated /dev/kmsg: nothing dropped, errors in place */
TEST(sim_kmsg_budget)
{
	unsigned records = 0;
	char *k, *p;

	machine("clock: virtual\n");
	log_set_level(-1); /* not on stderr */
	log_use_kmsg(true);
	for (int i = 0; i < 30; i++)
		log_warn("w%02d | with the separator inside", i);
	log_err("the error");
	log_notice("after the error");
	log_err("the banner");
	log_kmsg_flush();
	log_use_kmsg(false);
	log_set_level(LOG_NOTICE);
	reboot_process(); /* closes kmsg: the kernel would report what it dropped */
	k = read_mfile("kmsg");
	T_REQUIRE(k != NULL);
	for (p = k; (p = strchr(p, '\n')); p++)
		records++;
	T_EQ_INT(records, 11); /* 7 + held + error + banner, then the rest in a new window */
	T_CHECK(!strstr(k, "suppressed due to ratelimiting"));
	T_CHECK(strstr(k, "<4>pvboot: warning: w06 | with the separator inside\n<4>pvboot: 23 "
			  "messages in one record") != NULL);
	T_CHECK(strstr(k,
		       "w29 | with the separator inside\n<3>pvboot: error: the error\n<3>pvboot: "
		       "error: the banner\n<5>pvboot: after the error\n") != NULL);
	/* the held record names how many of them it still shows, and shows them whole */
	p = strstr(k, "23 messages in one record");
	p = p ? strstr(p, "), the last ") : NULL;
	T_REQUIRE(p != NULL);
	{
		unsigned shown = (unsigned)strtoul(p + strlen("), the last "), &p, 10), n = 0;
		char *end = strchr(p, '\n');

		T_CHECK(strncmp(p, ": warning: w", 12) == 0);
		for (char *q = p; end && (q = strstr(q, "warning: w")) && q < end; q++)
			n++;
		T_EQ_INT(n, shown); /* each shown whole, and counted right */
	}
	free(k);
	cleanup();
}
TEST(sim_kernel_errno)
{
	struct uvio_ioctl_cb cb;
	uint8_t buf[0x4000];
	int h;

	machine("{}\n");
	h = host_uv_open();
	T_REQUIRE(h >= 0);
	memset(&cb, 0, sizeof(cb));
	/* wrong size, type, direction, nr */
	T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LOCK_SECRETS) + (1u << 16), &cb), -ENOTTY);
	T_EQ_INT(host_uv_ioctl(h, (UVIO_IOCTL(UVIO_NR_LOCK_SECRETS) & ~0xff00ul) | ('v' << 8), &cb),
		 -ENOTTY);
	T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LOCK_SECRETS) & ~(1ul << 31), &cb), -ENOTTY);
	T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(6), &cb), -ENOTTY);
	/* flags and reserved; the cb is not copied back on error */
	memset(&cb, 0, sizeof(cb));
	cb.flags = 1;
	cb.uv_rc = 0x7777;
	T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LOCK_SECRETS), &cb), -EINVAL);
	T_EQ_INT(cb.uv_rc, 0x7777);
	memset(&cb, 0, sizeof(cb));
	cb.reserved14[43] = 1;
	T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LOCK_SECRETS), &cb), -EINVAL);
	/* per-command lengths */
	T_EQ_INT(ioc_h(h, UVIO_NR_ADD_SECRET, buf, 0, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_ADD_SECRET, buf, UVIO_ADD_SECRET_MAX_LEN + 1, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_LIST_SECRETS, buf, 0, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_LIST_SECRETS, buf, 100, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_LIST_SECRETS, buf, 4097, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_LOCK_SECRETS, buf, 0, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_LOCK_SECRETS, NULL, 16, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_RETR_SECRET, buf, 1, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_RETR_SECRET, buf, UVIO_RETR_SECRET_MAX_LEN + 1, &cb), -EINVAL);
	T_EQ_INT(ioc_h(h, UVIO_NR_INFO, buf, 15, &cb), -EINVAL);
	/* a garbage request reaches the UV: rc, not errno */
	memset(buf, 0, 64);
	T_EQ_INT(ioc_h(h, UVIO_NR_ADD_SECRET, buf, 64, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_VERSION);
	put_be32(buf + ASR_OFF_VERSION, ASR_VERSION_1);
	T_EQ_INT(ioc_h(h, UVIO_NR_ADD_SECRET, buf, 64, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_SIZE);
	host_uv_close(h);
	cleanup();
}

TEST(sim_info)
{
	struct uvio_uvdev_info info;
	struct uvio_ioctl_cb cb;

	machine("{}\n");
	T_EQ_INT(ioc(UVIO_NR_INFO, &info, sizeof(info), &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(info.supp_uvio_cmds, 0x3f);
	T_EQ_INT(info.supp_uv_cmds, 0x3e);
	/* the kernel reports RETR through the attestation bit */
	machine("facilities: [add_secret, list_secrets, lock_secrets, retr_secret]\n");
	T_EQ_INT(ioc(UVIO_NR_INFO, &info, sizeof(info), &cb), 0);
	T_EQ_INT(info.supp_uv_cmds, 0x1c);
	machine("facilities: [retr_attest]\n");
	T_EQ_INT(ioc(UVIO_NR_INFO, &info, sizeof(info), &cb), 0);
	T_EQ_INT(info.supp_uv_cmds, 0x22);
	/* an uninstalled UVC answers 0x0002 */
	T_EQ_INT(ioc(UVIO_NR_LOCK_SECRETS, NULL, 0, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_INV_CMD);
	cleanup();
}

TEST(sim_old_kernel)
{
	static const uint16_t assoc[] = {SECRET_ASSOCIATION};
	struct uvio_ioctl_cb cb;
	static uint8_t buf[0x4000];
	int h;

	machine("kernel: old\n");
	state_with(100, 0, 1, assoc, 1);
	h = host_uv_open();
	T_REQUIRE(h >= 0);
	T_EQ_INT(ioc_h(h, UVIO_NR_INFO, buf, 16, &cb), -ENOTTY);
	T_EQ_INT(ioc_h(h, UVIO_NR_RETR_SECRET, buf, 32, &cb), -ENOTTY);
	T_EQ_INT(ioc_h(h, UVIO_NR_LIST_SECRETS, buf, sizeof(buf), &cb), -EINVAL);
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc_h(h, UVIO_NR_LIST_SECRETS, buf, 4096, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_MORE_DATA);
	T_EQ_INT(get_be16(buf), 85);
	T_EQ_INT(get_be16(buf + 2), 100);
	T_EQ_INT(get_be16(buf + 4), 85);
	T_EQ_INT(buf[4095], 84); /* the last byte of entry 84's id */
	T_EQ_INT(buf[4096], 0xee);
	/* attestation exists but is not modelled */
	T_EQ_INT(ioc_h(h, UVIO_NR_ATT, buf, 0x138, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_INV_CMD);
	host_uv_close(h);
	/* the whole page is copied, zeros past the entries included */
	state_with(3, 0, 1, assoc, 1);
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 4096, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 3);
	T_CHECK(all_zero(buf + 16 + 3 * 48, 4096 - 16 - 3 * 48));
	T_EQ_INT(buf[4096], 0xee);
	cleanup();
}

static void check_entries(const uint8_t *buf, unsigned n, unsigned first, unsigned step)
{
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = buf + 16 + 48 * i;

		if (get_be16(e) != first + step * i || get_be16(e + 2) != SECRET_ASSOCIATION ||
		    get_be32(e + 4) != 32 || get_be32(e + 44) != i) {
			t_fail(__FILE__, __LINE__, "entry %u: index %u type %u len %u", i,
			       get_be16(e), get_be16(e + 2), get_be32(e + 4));
			return;
		}
	}
}

TEST(sim_list_paging)
{
	static const uint16_t assoc[] = {SECRET_ASSOCIATION};
	static uint8_t buf[0x8000];
	struct uvio_ioctl_cb cb;
	char *log;

	machine("{}\n");
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 4096, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 0);
	T_EQ_INT(get_be16(buf + 2), 0);

	/* 400 secrets at indices 10, 13, 16, ... (next_secret_idx is an index) */
	state_with(400, 10, 3, assoc, 1);
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 4096, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_MORE_DATA);
	T_EQ_INT(get_be16(buf), 85);
	T_EQ_INT(get_be16(buf + 2), 400);
	T_EQ_INT(get_be16(buf + 4), 10 + 3 * 85);
	check_entries(buf, 85, 10, 3);

	/* pvsecret's 4 pages: 340 entries, still more */
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x4000, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_MORE_DATA);
	T_EQ_INT(get_be16(buf), 340);
	T_EQ_INT(get_be16(buf + 2), 400);
	T_EQ_INT(get_be16(buf + 4), 10 + 3 * 340);
	check_entries(buf, 340, 10, 3);
	T_EQ_INT(buf[16 + 340 * 48], 0xee); /* past the last entry: untouched */
	T_EQ_INT(buf[0x3fff], 0xee);

	/* 8 pages: everything, rc 1, next 0, the rest untouched */
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x8000, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 400);
	T_EQ_INT(get_be16(buf + 2), 400);
	T_EQ_INT(get_be16(buf + 4), 0);
	check_entries(buf, 400, 10, 3);
	T_EQ_INT(buf[16 + 400 * 48], 0xee);
	T_EQ_INT(buf[16 + 400 * 48 - 1], 399 & 0xff);

	/* the UV calls behind it: 5 pages */
	log = read_mfile("uv.log");
	T_CHECK(log && strstr(log, "list call=2 start=0 rc=0x0100 n=85 total=400\n"
				   "list call=2 start=265 rc=0x0100 n=85 total=400\n"));
	T_CHECK(log && strstr(log, "list call=3 start=1030 rc=0x0001 n=60 total=400\n"));
	free(log);

	/* 90 secrets in 2 pages: exactly all */
	state_with(90, 0, 1, assoc, 1);
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x2000, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 90);
	T_EQ_INT(get_be16(buf + 4), 0);
	check_entries(buf, 90, 0, 1);
	T_EQ_INT(buf[16 + 90 * 48], 0xee);

	/* 85 secrets exactly fill one page: no more data */
	state_with(85, 0, 1, assoc, 1);
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x1000, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 85);
	cleanup();
}

TEST(sim_list_merge_faults)
{
	static const uint16_t assoc[] = {SECRET_ASSOCIATION};
	static uint8_t buf[0x4000];
	struct uvio_ioctl_cb cb;

	machine("faults:\n  - {op: list, call: 1, rc: 0x0103, rrc: 7}\n"
		"  - {op: list, call: 2, errno: EIO}\n");
	state_with(200, 0, 1, assoc, 1);
	/* the first UVC fails: count 0, zero header, uv_rc of that UVC, nothing else */
	memset(buf, 0xee, sizeof(buf));
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x4000, &cb), 0);
	T_EQ_INT(cb.uv_rc, 0x0103);
	T_EQ_INT(cb.uv_rrc, 7);
	T_CHECK(all_zero(buf, 16));
	T_EQ_INT(buf[16], 0xee);
	/* an errno fault: nothing copied back */
	memset(buf, 0xee, sizeof(buf));
	memset(&cb, 0, sizeof(cb));
	cb.argument_addr = (uintptr_t)buf;
	cb.argument_len = 0x4000;
	cb.uv_rc = 0x5555;
	{
		int h = host_uv_open();

		T_EQ_INT(host_uv_ioctl(h, UVIO_IOCTL(UVIO_NR_LIST_SECRETS), &cb), -EIO);
		host_uv_close(h);
	}
	T_EQ_INT(cb.uv_rc, 0x5555);
	T_EQ_INT(buf[0], 0xee);
	/* call 3 is normal again */
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, buf, 0x4000, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	T_EQ_INT(get_be16(buf), 200);
	cleanup();
}

TEST(sim_lock)
{
	struct uvio_ioctl_cb cb;
	uint8_t junk[64] = {0};
	char *st, *log;

	machine("faults:\n  - {op: lock, call: 1, rc: 0x0101}\n");
	T_EQ_INT(ioc(UVIO_NR_LOCK_SECRETS, NULL, 0, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_NOT_ALLOWED);
	T_EQ_INT(ioc(UVIO_NR_LOCK_SECRETS, NULL, 0, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	reboot_process();
	T_EQ_INT(ioc(UVIO_NR_LOCK_SECRETS, NULL, 0, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_LOCKED);
	/* locked is checked before anything else in the request */
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, junk, sizeof(junk), &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_LOCKED);
	/* list still works */
	{
		static uint8_t page[4096];

		T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, page, sizeof(page), &cb), 0);
		T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	}
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\nlocked 1\n"));
	T_CHECK(st && strstr(st, "calls info=0 add=1 list=1 lock=3 retrieve=0\n"));
	free(st);
	log = read_mfile("uv.log");
	T_CHECK(log && strstr(log, "lock call=1 fault rc=0x0101\nlock call=2 rc=0x0001\n"
				   "lock call=3 rc=0x0102\nadd call=1 rc=0x0102 "));
	free(log);
	cleanup();
}

TEST(sim_retrieve)
{
	static const uint16_t types[] = {SECRET_ASSOCIATION, SECRET_PLAINTEXT, SECRET_AES_128};
	struct uvio_ioctl_cb cb;
	uint8_t buf[256], exp[64];

	machine("{}\n");
	memset(buf, 0xee, sizeof(buf));
	put_be16(buf, 0);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 32, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_RETR_EMPTY);
	T_CHECK(all_zero(buf, 32)); /* the kernel's zeroed buffer is copied back */
	T_EQ_INT(buf[32], 0xee);

	/* index 5: association, 6: plaintext (32), 7: AES-128 (16 -> 48) */
	state_with(3, 5, 1, types, 3);
	put_be16(buf, 4);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 64, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_RETR_NO_INDEX);
	put_be16(buf, 5);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 64, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_RETR_NOT_RETRIEVABLE);
	put_be16(buf, 6);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 31, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_SECRET_TYPE); /* kernel: buffer too small */
	memset(buf, 0xee, sizeof(buf));
	put_be16(buf, 6);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 40, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	for (unsigned j = 0; j < 32; j++)
		exp[j] = (uint8_t)(1 + j);
	T_EQ_MEM(buf, exp, 32);
	T_CHECK(all_zero(buf + 32, 8));
	T_EQ_INT(buf[40], 0xee);
	/* a key: the protected form, key ^ 0xa5 ‖ SHA-256("pvboot-sim wkvp") */
	put_be16(buf, 7);
	T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, 48, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	for (unsigned j = 0; j < 16; j++)
		exp[j] = (uint8_t)((2 + j) ^ 0xa5);
	sha256("pvboot-sim wkvp", 15, exp + 16);
	T_EQ_MEM(buf, exp, 48);
	cleanup();
}

TEST(sim_add_ok)
{
	static uint8_t page[4096];
	struct uvio_ioctl_cb cb;
	struct req r;
	uint8_t *buf, id[32];
	char tag[33], *log, *st, want[300];
	size_t len;

	guest("%s", "");
	/* an association secret; the log names its tag, type and id */
	req_init(&r, SECRET_ASSOCIATION, "assoc one", 32);
	buf = req_build(&r, &len);
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)len, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
	hex_encode(buf + len - 16, 16, tag);
	free(buf);
	mkasr_secret_id("assoc one", false, id);
	{
		char idhex[65];

		snprintf(want, sizeof(want), "add call=1 rc=0x0001 type=0x0002 id=%s tag=%s\n",
			 hex_encode(id, 32, idhex), tag);
	}
	log = read_mfile("uv.log");
	T_EQ_STR(log, want);
	free(log);

	/* a duplicate id is accepted with the next index; meta is not listed */
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "assoc one", 32), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_PLAINTEXT, "plain", 48), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_AES_256, "aes", 32), UVC_RC_EXECUTED);
	reboot_process();
	T_EQ_INT(ioc(UVIO_NR_LIST_SECRETS, page, sizeof(page), &cb), 0);
	T_EQ_INT(get_be16(page), 4);
	T_EQ_INT(get_be16(page + 2), 4);
	T_EQ_INT(get_be16(page + 16), 0);
	T_EQ_MEM(page + 16 + 16, id, 32);
	T_EQ_INT(get_be16(page + 64), 1);
	T_EQ_MEM(page + 64 + 16, id, 32);
	T_EQ_INT(get_be16(page + 112), 2);
	T_EQ_INT(get_be16(page + 112 + 2), SECRET_PLAINTEXT);
	T_EQ_INT(get_be32(page + 112 + 4), 48);
	T_EQ_INT(get_be16(page + 160 + 2), SECRET_AES_256);
	T_EQ_INT(get_be32(page + 160 + 4), 64);
	/* retrieve the plaintext back */
	{
		uint8_t out[48];

		put_be16(out, 2);
		T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, out, sizeof(out), &cb), 0);
		T_EQ_INT(cb.uv_rc, UVC_RC_EXECUTED);
		T_EQ_MEM(out, r.value, 48);
	}
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\next_secret 00000000000000000000000000000000000000000000000000"
				 "00000000000000\n"));
	T_CHECK(st && strstr(st, "\nnext_index 4\n"));
	free(st);
	cleanup();
}

TEST(sim_add_checks)
{
	struct req r;
	uint8_t *buf;
	size_t len;
	struct uvio_ioctl_cb cb;

	guest("max_assoc_secrets: 1\nmax_retr_secrets: 1\n");
	/* version, via the test-only override (GCM covers it, the UV checks it first) */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.override_version = true;
	r.in.version = 0x200;
	T_EQ_INT(add(&r), UVC_RC_ADD_VERSION);
	/* inconsistent sizes */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.override_secret_len = true;
	r.in.secret_len_value = 48;
	T_EQ_INT(add(&r), UVC_RC_ADD_SIZE);
	/* rql larger than the buffer */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	buf = req_build(&r, &len);
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)len - 1, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_SIZE);
	/* no key slots, sizes consistent: 0x0106 */
	memmove(buf + ASR_OFF_SLOTS, buf + ASR_OFF_SLOTS + ASR_SLOT_LEN,
		len - ASR_OFF_SLOTS - ASR_SLOT_LEN);
	buf[ASR_OFF_NKS] = 0;
	put_be32(buf + ASR_OFF_RQL, (uint32_t)(len - ASR_SLOT_LEN));
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)(len - ASR_SLOT_LEN), &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_NKS);
	free(buf);
	/* a corrupted ciphertext: 0x0108 */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	buf = req_build(&r, &len);
	buf[len - 20] ^= 1;
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)len, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_DECRYPT);
	buf[len - 20] ^= 1;
	/* a corrupted AAD byte (user data): 0x0108 */
	buf[ASR_OFF_USERDATA] ^= 1;
	T_EQ_INT(ioc(UVIO_NR_ADD_SECRET, buf, (uint32_t)len, &cb), 0);
	T_EQ_INT(cb.uv_rc, UVC_RC_ADD_DECRYPT);
	buf[ASR_OFF_USERDATA] ^= 1;
	free(buf);
	/* wrong boot tags or CUID: 0x010c; a zero CUID is accepted */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.tags[0] ^= 1;
	T_EQ_INT(add(&r), UVC_RC_ADD_FAILED);
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.tags[SE_HDR_TAGS_LEN - 1] ^= 1;
	T_EQ_INT(add(&r), UVC_RC_ADD_FAILED);
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.cuid[15] = 0x43;
	T_EQ_INT(add(&r), UVC_RC_ADD_FAILED);
	/* a wrong type/length combination: 0x010a; an unknown type: 0x0109 */
	req_init(&r, SECRET_AES_128, "k", 32);
	T_EQ_INT(add(&r), UVC_RC_ADD_SECRET_LEN);
	req_init(&r, SECRET_PLAINTEXT, "p", 40);
	T_EQ_INT(add(&r), UVC_RC_ADD_SECRET_LEN);
	req_init(&r, 0x0b, "x", 32);
	T_EQ_INT(add(&r), UVC_RC_ADD_SECRET_TYPE);
	/* update CCK without the SCF bit: 0x0101 */
	req_init(&r, SECRET_UPDATE_CCK, "", 32);
	memset(r.in.secret_id, 0, 32);
	T_EQ_INT(add(&r), UVC_RC_ADD_NOT_ALLOWED);
	/* capacity, counted separately; the first success pins the zero ext secret */
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	memset(r.in.cuid, 0, sizeof(r.in.cuid));
	T_EQ_INT(add(&r), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "b", 32), UVC_RC_ADD_STORE_FULL);
	T_EQ_INT(add_simple(SECRET_PLAINTEXT, "c", 16), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_PLAINTEXT, "d", 16), UVC_RC_ADD_STORE_FULL);
	/* pinned extension secret */
	req_init(&r, SECRET_NULL, NULL, 0);
	r.in.ext = MKASR_EXT_SIMPLE;
	memset(r.in.ext_secret, 0x17, 32);
	T_EQ_INT(add(&r), UVC_RC_ADD_FAILED);
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_EXECUTED);

	/* flags, host keys, dump, type support: a second machine */
	guest("supp_add_secret_pcf: 0\ndump_in_progress: true\n");
	req_init(&r, SECRET_NULL, NULL, 0);
	r.in.flags = ASR_FLAG_DISABLE_DUMP;
	T_EQ_INT(add(&r), UVC_RC_ADD_FLAGS);
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_ADD_DUMP);
	{
		char cwd[256];

		T_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
		machine("host_keys: [%s/" HOST2_KEY "]\nse_header: hdr.bin\n", cwd);
	}
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_ADD_DECRYPT);
	guest("secret_types: [1, 2]\n");
	T_EQ_INT(add_simple(SECRET_PLAINTEXT, "p", 16), UVC_RC_ADD_SECRET_TYPE);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "p", 32), UVC_RC_EXECUTED);
	guest("request_versions: [0x200]\n");
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_ADD_VERSION);
	/* no se_header: nothing binds */
	{
		char cwd[256];

		T_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
		machine("host_keys: [%s/" HOST_KEY "]\n", cwd);
	}
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_ADD_FAILED);
	cleanup();
}

TEST(sim_add_meta_cck)
{
	struct req r;
	char *st;

	/* meta: disable dump; not listed; pins the extension secret */
	guest("%s", "");
	req_init(&r, SECRET_NULL, NULL, 0);
	r.in.flags = ASR_FLAG_DISABLE_DUMP;
	r.in.ext = MKASR_EXT_SIMPLE;
	memset(r.in.ext_secret, 0x17, 32);
	T_EQ_INT(add(&r), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "a", 32), UVC_RC_ADD_FAILED);
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.ext = MKASR_EXT_SIMPLE;
	memset(r.in.ext_secret, 0x17, 32);
	T_EQ_INT(add(&r), UVC_RC_EXECUTED);
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\ndump_disabled 1\n"));
	T_CHECK(st && strstr(st, "\next_secret 1717171717171717171717171717171717171717171717171717"
				 "171717171717\n"));
	T_CHECK(st && strstr(st, "\nnext_index 1\n"));
	free(st);

	/* CCK enforcement: the expected value is derived from the CCK */
	guest("scf: {cck_extension_secret_enforcement: true}\ncck: 0x%064d\n", 0);
	T_EQ_INT(add_simple(SECRET_NULL, NULL, 0), UVC_RC_ADD_FAILED);
	req_init(&r, SECRET_NULL, NULL, 0);
	r.in.ext = MKASR_EXT_CCK;
	memset(r.in.ext_secret, 0, 32);
	T_EQ_INT(add(&r), UVC_RC_EXECUTED);
	req_init(&r, SECRET_ASSOCIATION, "a", 32);
	r.in.ext = MKASR_EXT_CCK;
	memset(r.in.ext_secret, 1, 32);
	T_EQ_INT(add(&r), UVC_RC_ADD_FAILED);
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\next_secret -\n"));
	free(st);

	/* CCK update: replaces the CCK, not listed */
	guest("scf: {cck_update_allowed: true}\n");
	req_init(&r, SECRET_UPDATE_CCK, "", 32);
	memset(r.in.secret_id, 0, 32);
	memset(r.value, 0x99, 32);
	T_EQ_INT(add(&r), UVC_RC_EXECUTED);
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\ncck 99999999999999999999999999999999999999999999999999999999"
				 "99999999\n"));
	T_CHECK(st && strstr(st, "\nnext_index 0\n"));
	free(st);
	cleanup();
}

TEST(sim_faults)
{
	struct uvio_ioctl_cb cb;
	struct uvio_uvdev_info info;
	char *log, *st;

	guest("faults:\n  - {op: add, call: 2, errno: EIO}\n"
	      "  - {op: add, call: 3, count: 2, rc: 0x010b}\n"
	      "  - {op: info, call: 1, errno: ENOTTY}\n"
	      "  - {op: retrieve, call: 1, rc: 0x0111}\n");
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "a", 32), UVC_RC_EXECUTED);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "b", 32), 0xffff);
	reboot_process(); /* counted across invocations */
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "c", 32), UVC_RC_ADD_STORE_FULL);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "d", 32), UVC_RC_ADD_STORE_FULL);
	T_EQ_INT(add_simple(SECRET_ASSOCIATION, "e", 32), UVC_RC_EXECUTED);
	T_EQ_INT(ioc(UVIO_NR_INFO, &info, sizeof(info), &cb), -ENOTTY);
	T_EQ_INT(ioc(UVIO_NR_INFO, &info, sizeof(info), &cb), 0);
	{
		uint8_t buf[32] = {0, 0, 0xee};

		T_EQ_INT(ioc(UVIO_NR_RETR_SECRET, buf, sizeof(buf), &cb), 0);
		T_EQ_INT(cb.uv_rc, UVC_RC_RETR_NOT_RETRIEVABLE);
		T_CHECK(all_zero(buf, sizeof(buf)));
	}
	log = read_mfile("uv.log");
	T_CHECK(
	    log &&
	    strstr(log, "\nadd call=2 fault errno=EIO\nadd call=3 fault rc=0x010b type=0x0002 "));
	T_CHECK(log && strstr(log, "\ninfo call=1 fault errno=ENOTTY\ninfo call=2 rc=0x0001\n"
				   "retrieve call=1 index=0 size=32 fault rc=0x0111\n"));
	T_CHECK(log && strstr(log, "\nadd call=4 fault rc=0x010b type=0x0002 id="));
	T_CHECK(log && strstr(log, "\nadd call=5 rc=0x0001 type=0x0002 id="));
	free(log);
	st = read_mfile("state");
	T_CHECK(st && strstr(st, "\nnext_index 2\n"));
	T_CHECK(st && strstr(st, "calls info=2 add=5 list=0 lock=0 retrieve=1\n"));
	free(st);
	cleanup();
}

/* host: real: files, disks, command line, kernel log and clock through host_linux.c */
TEST(sim_real_host)
{
	struct sim_machine m;
	char err[1024], buf[4096], real[4096], out[256];
	struct timespec ts;
	uint64_t t0, t1, mono;
	FILE *f;
	size_t n;
	char *k;
	int fd, rc;

	machine("host: real\ncmdline: \"rd.pvboot\"\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:2:10: cmdline is the real system's with host: real"));
	machine("host: real\nclock: virtual\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:2:8: clock is the real system's with host: real"));
	machine("host: pretend\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "machine.yaml:1:7: host must be simulated or real"));

	machine("host: real\n");
	/* the guest's files are the real ones, not <machine>/root */
	T_EQ_INT(host_path("/run/pvboot/status.json", out, sizeof(out)), 0);
	T_EQ_STR(out, "/run/pvboot/status.json");
	fd = host_open_dir("/");
	T_CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	/* the real command line */
	f = fopen("/proc/cmdline", "r");
	n = f ? fread(real, 1, sizeof(real) - 1, f) : 0;
	real[n] = 0;
	if (f)
		fclose(f);
	T_EQ_INT(host_read_text("/proc/cmdline", buf, sizeof(buf)), (int)n);
	T_EQ_STR(buf, real);
	/* real block devices: /dev/null is not one, an unknown label is not there */
	T_EQ_INT(host_find_block("/dev/null", out, sizeof(out)), -ENOTBLK);
	T_EQ_INT(host_find_block("LABEL=pvboot-unit-no-such-label", out, sizeof(out)), -ENOENT);
	/* the UV stays simulated */
	T_EQ_INT(host_read_text("/sys/firmware/uv/prot_virt_guest", buf, sizeof(buf)), 2);
	T_EQ_STR(buf, "1\n");
	/* the kernel log is the real one (or unavailable), never <machine>/kmsg */
	rc = host_kmsg_write("<7>pvboot-sim unit test: host: real\n", 36);
	T_CHECK(rc == 0 || rc == -ENODEV);
	k = read_mfile("kmsg");
	T_CHECK(k == NULL);
	free(k);
	/* the real clock, and sleeps that really wait and also advance the AP bus's clock */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	mono = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	t0 = host_now_ns();
	T_CHECK(t0 >= mono && t0 - mono < 1000000000u);
	host_sleep_ns(20000000);
	t1 = host_now_ns();
	T_CHECK(t1 - t0 >= 20000000);
	k = read_mfile("state");
	T_CHECK(k && strstr(k, "clock_offset_ns 20000000\n"));
	free(k);
	cleanup();
}

T_SUITE(sim, T_CASE(sim_machine_errors), T_CASE(sim_no_machine), T_CASE(sim_open_modes),
	T_CASE(sim_sysfs), T_CASE(sim_kmsg_clock), T_CASE(sim_kmsg_ratelimit),
	T_CASE(sim_kmsg_budget), T_CASE(sim_kernel_errno), T_CASE(sim_info), T_CASE(sim_old_kernel),
	T_CASE(sim_list_paging), T_CASE(sim_list_merge_faults), T_CASE(sim_lock),
	T_CASE(sim_retrieve), T_CASE(sim_add_ok), T_CASE(sim_add_checks), T_CASE(sim_add_meta_cck),
	T_CASE(sim_faults), T_CASE(sim_real_host));
