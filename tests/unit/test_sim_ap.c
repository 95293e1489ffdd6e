// SPDX-License-Identifier: MIT
/*
 * The simulated AP bus (tests/sim/sim_ap.c) through the host.h functions: the kernel's
 * texts and errno on every read and write (spec/ap.md §1), asynchronous work on the
 * virtual clock, persistence across invocations, the write record, fixture errors.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "sim.h"
#include "t.h"
#include "util.h"

#define Q(c, d, a) "/sys/devices/ap/card" c "/" c "." d "/" a
#define MS	   1000000ull

static char mdir[256];

static void put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "test_sim_ap: cannot write %s\n", path);
		exit(2);
	}
}

static void cleanup(void)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	if (!mdir[0])
		return;
	sim_reset();
	snprintf(path, sizeof(path), "%s/root/run", mdir); /* the guest's /run (sim_get) */
	rmdir(path);
	snprintf(path, sizeof(path), "%s/root", mdir);
	rmdir(path);
	d = opendir(mdir);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", mdir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(mdir);
	mdir[0] = 0;
	unsetenv(SIM_ENV);
}

/* A new machine (printf format machine.yaml) with association secret 0 and plaintext 1. */
__attribute__((format(printf, 1, 2))) static void machine(const char *fmt, ...)
{
	char yaml[8192];
	va_list ap;

	cleanup();
	snprintf(mdir, sizeof(mdir), "/tmp/pvboot-simap-unit-XXXXXX");
	if (!mkdtemp(mdir)) {
		perror("mkdtemp");
		exit(2);
	}
	va_start(ap, fmt);
	vsnprintf(yaml, sizeof(yaml), fmt, ap);
	va_end(ap);
	put("machine.yaml", yaml);
	put("state", "version 1\nlocked 0\ndump_disabled 0\n"
		     "cck 0000000000000000000000000000000000000000000000000000000000000000\n"
		     "ext_secret -\nnext_index 2\nclock_offset_ns 0\n"
		     "calls info=0 add=0 list=0 lock=0 retrieve=0\n"
		     "secret index=0 type=0x0002 len=32 "
		     "id=1111111111111111111111111111111111111111111111111111111111111111 "
		     "value=2222222222222222222222222222222222222222222222222222222222222222\n"
		     "secret index=1 type=0x0003 len=16 "
		     "id=3333333333333333333333333333333333333333333333333333333333333333 "
		     "value=00023434000000000000000000000000\n");
	setenv(SIM_ENV, mdir, 1);
	sim_reset();
}

static const char *ename(int err)
{
	return err == ENOTDIR ? "ENOTDIR" : err == EISDIR ? "EISDIR" : sim_errno_name(err);
}

static char *rd(const char *path)
{
	static char buf[1024];
	int n = host_read_text(path, buf, sizeof(buf));

	if (n < 0)
		snprintf(buf, sizeof(buf), "E%s", ename(-n));
	return buf;
}

static int wr(const char *path, const char *text)
{
	return host_write_text(path, text, strlen(text));
}

static int collect(const char *name, void *ctx)
{
	char *out = ctx;

	strcat(out, name);
	strcat(out, " ");
	return 0;
}

static char *ls(const char *path)
{
	static char buf[2048];
	int ret;

	buf[0] = 0;
	ret = host_list_dir(path, collect, buf);
	if (ret)
		snprintf(buf, sizeof(buf), "E%s", ename(-ret));
	return buf;
}

static char *mfile(const char *name)
{
	static char buf[8192];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	f = fopen(path, "r");
	buf[0] = 0;
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
	}
	return buf;
}

#define EP11_CARD                                                                                  \
	"ap:\n"                                                                                    \
	"  cards:\n"                                                                               \
	"    - card: 3\n"                                                                          \
	"      type: CEX8P\n"                                                                      \
	"      serialnr: 93AADFK719460083\n"                                                       \
	"      queues:\n"                                                                          \
	"        - {domain: 5, wk: "                                                               \
	"0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93db3c3b3c3f097dd55ec7eb0e7fdbcb93}\n"                    \
	"        - {domain: 6}\n"                                                                  \
	"    - card: 10\n"                                                                         \
	"      type: CEX7A\n"                                                                      \
	"      domains: 5-6\n"                                                                     \
	"    - card: 2\n"                                                                          \
	"      type: CEX8C\n"                                                                      \
	"      domains: [5]\n"

TEST(sim_ap_absent)
{
	machine("se_guest: true\n");
	T_EQ_INT(host_path_exists("/sys/bus/ap"), 0);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "EENOENT");
	T_EQ_STR(ls("/sys/devices/ap"), "EENOENT");
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "1"), -ENOENT);
	cleanup();
}

TEST(sim_ap_tree)
{
	machine(EP11_CARD);
	T_EQ_INT(host_path_exists("/sys/bus/ap"), 1);
	T_EQ_INT(host_path_exists("/sys/bus/ap/"), 1);
	T_EQ_STR(rd("/sys/bus/ap/features"), "APSC APXA QACT RC8A APSB\n");
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "5/5 (complete)\n");
	/* readdir order is no promise: the simulator lists in reverse order */
	T_EQ_STR(ls("/sys/devices/ap"), "uevent card02 card0a card03 ");
	T_EQ_STR(ls("/sys/devices/ap/card03"), "hwtype raw_hwtype depth ap_functions config "
					       "chkstop uevent type online serialnr 03.0006 "
					       "03.0005 ");
	T_EQ_STR(ls("/sys/devices/ap/card0a/0a.0005"),
		 "ap_functions config chkstop uevent se_bind se_associate online ");
	T_EQ_STR(ls("/sys/devices/ap/card02/02.0005"),
		 "ap_functions config chkstop uevent online mkvps ");
	T_EQ_STR(ls(Q("03", "0005", "se_bind")), "EENOTDIR");
	T_EQ_STR(rd("/sys/devices/ap/card03"), "EEISDIR");
	T_EQ_STR(rd("/sys/devices/ap/card03/type"), "CEX8P\n");
	T_EQ_STR(rd("/sys/devices/ap/card03/hwtype"), "14\n");
	T_EQ_STR(rd("/sys/devices/ap/card0a/type"), "CEX7A\n");
	T_EQ_STR(rd("/sys/devices/ap/card0a/serialnr"), "EENOENT");
	T_EQ_STR(rd("/sys/devices/ap/card03/ap_functions"), "0x86000000\n");
	T_EQ_STR(rd(Q("03", "0005", "ap_functions")), "0x86008000\n"); /* bs 2 */
	T_EQ_STR(rd("/sys/devices/ap/card03/online"), "1\n");
	T_EQ_STR(rd(Q("03", "0005", "online")), "1\n");
	T_EQ_STR(rd("/sys/devices/ap/card04"), "EENOENT");
	T_EQ_STR(rd("/sys/devices/ap/card03/03.0007/online"), "EENOENT");
	T_EQ_STR(rd("/sys/devices/ap/card03/04.0005/online"), "EENOENT");
	/* CCA: no SE attributes (mainline), nothing usable */
	T_EQ_STR(rd(Q("02", "0005", "se_bind")), "EENOENT");
	T_EQ_STR(rd(Q("02", "0005", "mkvps")),
		 "AES NEW: - -\nAES CUR: - -\nAES OLD: - -\nAPKA NEW: - -\nAPKA CUR: - -\n"
		 "APKA OLD: - -\nASYM NEW: - -\nASYM CUR: - -\nASYM OLD: - -\n");
	/* accelerators have no association */
	T_EQ_STR(rd(Q("0a", "0005", "se_associate")), "-\n");
	T_EQ_INT(wr(Q("0a", "0005", "se_associate"), "0"), -EINVAL);
	/* read-only attributes */
	T_EQ_INT(wr("/sys/devices/ap/card03/type", "CEX8A"), -EACCES);
	T_EQ_INT(wr("/sys/bus/ap/bindings", "1"), -EACCES);
	T_EQ_INT(wr("/sys/devices/ap/card03", "1"), -EISDIR);
	cleanup();
}

/* One EP11 queue through bind, associate, unbind (spec/ap.md §1.5). */
TEST(sim_ap_ep11_cycle)
{
	machine(EP11_CARD);
	T_EQ_STR(rd(Q("03", "0005", "se_bind")), "unbound\n");
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "unassociated\n");
	T_EQ_STR(rd(Q("03", "0005", "mkvps")), "WK CUR: - -\nWK NEW: - -\n");
	T_EQ_STR(rd("/sys/devices/ap/card03/serialnr"), "\n");
	/* an association needs a bound queue */
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "0"), -EINVAL);
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "x"), -EINVAL);
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "1"), 0);
	T_EQ_STR(rd(Q("03", "0005", "se_bind")), "bound\n");
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "Y"), -EINVAL); /* already bound */
	T_EQ_STR(rd("/sys/devices/ap/card03/serialnr"), "93AADFK719460083\n");
	T_EQ_STR(
	    rd(Q("03", "0005", "mkvps")),
	    "WK CUR: valid 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93db3c3b3c3f097dd55ec7eb0e7fdbcb93\n"
	    "WK NEW: empty -\n");
	T_EQ_STR(rd(Q("03", "0005", "ap_functions")), "0x86004000\n"); /* bs 1 */
	/* kstrtouint: garbage, negative, too large, not a secret, not an association */
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "abc"), -EINVAL);
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "-1"), -EINVAL);
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "4294967296"), -ERANGE);
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "0x10000"), -EINVAL);
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "2"), -EIO);
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "1"), -EIO);
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "unassociated\n");
	/* "+0\n" is index 0 */
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "+0\n"), 0);
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "association pending\n");
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "0"), -EBUSY);
	host_sleep_ns(199 * MS);
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "association pending\n");
	host_sleep_ns(1 * MS);
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "associated 0\n");
	T_EQ_INT(wr(Q("03", "0005", "se_associate"), "0"), -EINVAL);
	T_EQ_STR(rd(Q("03", "0005", "ap_functions")), "0x86000000\n"); /* bs 0 */

	/* a new invocation on the same machine sees the same state */
	sim_reset();
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "associated 0\n");
	T_CHECK(strstr(mfile("ap.state"), "queue 03.0005 online=1 bs=0 assoc=0\n"));

	/* unbind: the old state stays visible until the reset completes (40 ms) */
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "off"), 0);
	T_EQ_STR(rd(Q("03", "0005", "se_bind")), "bound\n");
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "EEIO"); /* spec/ap.md §7.16 */
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "1"), -EINVAL);
	host_sleep_ns(40 * MS);
	T_EQ_STR(rd(Q("03", "0005", "se_bind")), "unbound\n");
	T_EQ_STR(rd(Q("03", "0005", "se_associate")), "unassociated\n");
	/* unbinding an unbound queue resets it: binding is EBUSY meanwhile */
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "n"), 0);
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "1"), -EBUSY);
	host_sleep_ns(40 * MS);
	T_EQ_INT(wr(Q("03", "0005", "se_bind"), "on"), 0);
	/* the queue without a wrapping key: invalid */
	T_EQ_INT(wr(Q("03", "0006", "se_bind"), "t"), 0);
	T_EQ_STR(rd(Q("03", "0006", "mkvps")), "WK CUR: invalid -\nWK NEW: empty -\n");

	T_EQ_STR(mfile("sysfs.log"),
		 Q("03", "0005", "se_associate") " = \"0\": EINVAL (bs 2)\n" Q("03", "0005", "se_bind") " = \"x\": EINVAL\n" Q(
		     "03",
		     "0005", "se_bind") " = \"1\": ok\n" Q("03",
							   "0005", "se_bind") " = \"Y\": EINVAL "
									      "(bs 1)\n" Q("03",
											   "0005",
											   "se_"
											   "associa"
											   "te") " "
												 "="
												 " "
												 "\"abc\": EINVAL\n" Q("03",
														       "0005", "se_associate") " = \"-1\": EINVAL\n" Q("03", "0005", "se_associate") " = \"4294967296\": ERANGE\n" Q("03", "0005", "se_associate") " = \"0x10000\": EINVAL\n" Q("03", "0005", "se_associate") " = \"2\": EIO (AAPQ rc 0x34: index 2 is no "
																																							      "association secret)\n" Q("03",
																																											"0005", "se_associate") " = \"1\": EIO (AAPQ rc 0x34: index 1 is no "
																																														"association secret)\n" Q("03",
																																																	  "0005",
																																																	  "se_associate") " = \"+0\\n\": ok\n" Q("03",
																																																						 "0005", "se_associate") " = \"0\": EBUSY (queue state machine busy)\n" Q("03", "0005", "se_associate") " = \"0\": EINVAL (bs 0)\n" Q("03", "0005", "se_bind") " = \"off\": ok\n" Q("03",
																																																																												    "0005", "se_bind") " = \"1\": EINVAL (bs 0)\n" Q("03",
																																																																																		     "0005",
																																																																																		     "se_bind") " = \"n\": ok\n" Q("03",
																																																																																						   "0005",
																																																																																						   "se_bind") " = \"1\": EBUSY (queue state machine busy)\n" Q("03", "0005", "se_bind") " = \"on\": ok\n" Q("03",
																																																																																																			    "0006",
																																																																																																			    "se_bind") " = \"t\": ok\n");
	cleanup();
}

/* Failures: async association failure, never completing, TAPQ/BAPQ/AAPQ, busy, limit. */
TEST(sim_ap_faults)
{
	machine("ap:\n"
		"  bind_limit: 3\n"
		"  cards:\n"
		"    - card: 1\n"
		"      type: CEX8P\n"
		"      queues:\n"
		"        - {domain: 1, assoc_result: 0x36, assoc_ms: 10}\n"
		"        - {domain: 2, assoc_ms: never}\n"
		"        - {domain: 3, tapq_rc: 0x02}\n"
		"        - {domain: 4, tapq_rc: 0x07}\n"
		"        - {domain: 5, bapq_rc: 0x30}\n"
		"        - {domain: 6, aapq_rc: 0x31}\n"
		"        - {domain: 7, busy: true}\n"
		"        - {domain: 8, chkstop: true}\n"
		"        - {domain: 9, state: unusable}\n");
	T_EQ_INT(wr(Q("01", "0001", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0001", "se_associate"), "0"), 0);
	host_sleep_ns(10 * MS);
	T_EQ_STR(rd(Q("01", "0001", "se_associate")), "EEIO");
	T_EQ_STR(rd(Q("01", "0001", "se_bind")), "EEIO");
	T_EQ_INT(wr(Q("01", "0001", "se_associate"), "0"), -EIO);
	T_CHECK(strstr(mfile("ap.state"), "queue 01.0001 online=1 bs=1 assoc=0 err=0x36\n"));
	T_EQ_INT(wr(Q("01", "0001", "se_bind"), "0"), 0); /* the reset clears it */
	host_sleep_ns(40 * MS);
	T_EQ_STR(rd(Q("01", "0001", "se_bind")), "unbound\n");

	T_EQ_INT(wr(Q("01", "0002", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0002", "se_associate"), "0"), 0);
	host_sleep_ns(3600000 * MS);
	T_EQ_STR(rd(Q("01", "0002", "se_associate")), "association pending\n");

	T_EQ_STR(rd(Q("01", "0003", "se_bind")), "unbound\n"); /* rc <= 5: readable */
	T_EQ_INT(wr(Q("01", "0003", "se_bind"), "1"), -EIO);
	T_EQ_STR(rd(Q("01", "0004", "se_bind")), "EEIO");
	T_EQ_INT(wr(Q("01", "0005", "se_bind"), "1"), -EIO);
	T_EQ_INT(wr(Q("01", "0006", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0006", "se_associate"), "0"), -EIO);
	T_EQ_INT(wr(Q("01", "0007", "se_bind"), "1"), -EBUSY);
	T_EQ_INT(wr(Q("01", "0008", "se_bind"), "1"), -EIO);
	T_EQ_STR(rd(Q("01", "0008", "online")), "0\n");
	T_EQ_INT(wr(Q("01", "0009", "se_bind"), "1"), -EINVAL);
	/* the bind limit: 02 and 06 are bound, one more fits */
	T_EQ_INT(wr(Q("01", "0009", "se_bind"), "0"), 0);
	host_sleep_ns(40 * MS);
	T_EQ_INT(wr(Q("01", "0009", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0001", "se_bind"), "1"), -EIO);
	T_CHECK(strstr(mfile("sysfs.log"), Q("01", "0001", "se_bind") " = \"1\": EIO (BAPQ rc "
								      "0x33: bind limit 3)\n"));
	T_CHECK(strstr(mfile("sysfs.log"),
		       Q("01", "0003", "se_bind") " = \"1\": EIO (TAPQ rc 0x02)\n"));
	T_CHECK(strstr(mfile("sysfs.log"),
		       Q("01", "0005", "se_bind") " = \"1\": EIO (BAPQ rc 0x30)\n"));
	T_CHECK(strstr(mfile("sysfs.log"),
		       Q("01", "0006", "se_associate") " = \"0\": EIO (AAPQ rc 0x31)\n"));
	cleanup();
}

/* The bus scan, driver binding and queues that appear late, on the virtual clock. */
TEST(sim_ap_late)
{
	machine("ap:\n"
		"  scan_ms: 100\n"
		"  driver_ms: 50\n"
		"  cards:\n"
		"    - card: 1\n"
		"      type: CEX8A\n"
		"      domains: [1]\n"
		"      queues:\n"
		"        - {domain: 2, appear_ms: 500}\n"
		"    - card: 2\n"
		"      type: CEX8A\n"
		"      appear_ms: 1000\n"
		"      queues:\n"
		"        - {domain: 1, driver: false}\n");
	T_EQ_INT(host_path_exists("/sys/bus/ap"), 1);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "0/0\n");
	T_EQ_STR(ls("/sys/devices/ap"), "uevent ");
	host_sleep_ns(100 * MS);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "0/1\n");
	T_EQ_STR(ls("/sys/devices/ap/card01"), "hwtype raw_hwtype depth ap_functions config "
					       "chkstop uevent 01.0001 ");
	T_EQ_STR(rd("/sys/devices/ap/card01/type"), "EENOENT"); /* no driver yet */
	host_sleep_ns(50 * MS);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "1/1 (complete)\n");
	T_EQ_STR(rd("/sys/devices/ap/card01/type"), "CEX8A\n");
	host_sleep_ns(350 * MS);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "1/2\n");
	host_sleep_ns(50 * MS);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "2/2 (complete)\n");
	T_EQ_STR(ls("/sys/devices/ap"), "uevent card01 ");
	host_sleep_ns(500 * MS);
	T_EQ_STR(ls("/sys/devices/ap"), "uevent card02 card01 ");
	host_sleep_ns(3600000 * MS);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "2/3\n"); /* never complete */
	cleanup();
}

/* online, not an SE guest, no APSB */
TEST(sim_ap_online_env)
{
	machine("se_guest: false\n"
		"ap:\n"
		"  apsb: false\n"
		"  cards:\n"
		"    - {card: 1, type: CEX8P, domains: [1, 2], online: false}\n"
		"    - {card: 2, type: CEX8A, config: false, domains: [1]}\n");
	T_EQ_STR(rd("/sys/bus/ap/features"), "APSC APXA QACT RC8A\n");
	T_EQ_STR(rd(Q("01", "0001", "se_bind")), "EENOENT");
	T_EQ_STR(rd("/sys/devices/ap/card01/online"), "0\n");
	T_EQ_STR(rd(Q("01", "0001", "online")), "0\n");
	T_EQ_INT(wr(Q("01", "0001", "online"), "1"), -EINVAL); /* the card is offline */
	T_EQ_INT(wr("/sys/devices/ap/card01/online", "2"), -EINVAL);
	T_EQ_INT(wr("/sys/devices/ap/card01/online", "1\n"), 0);
	T_EQ_STR(rd(Q("01", "0002", "online")), "1\n");
	T_EQ_INT(wr(Q("01", "0001", "online"), "0"), 0);
	T_EQ_STR(rd(Q("01", "0001", "online")), "0\n");
	T_EQ_INT(wr("/sys/devices/ap/card02/online", "1"), -ENODEV);
	T_EQ_STR(rd("/sys/devices/ap/card02/online"), "0\n");
	sim_reset();
	T_EQ_STR(rd(Q("01", "0002", "online")), "1\n");
	T_EQ_STR(rd(Q("01", "0001", "online")), "0\n");
	cleanup();
}

static void expect_fixture_error(const char *yaml, const char *msg)
{
	struct sim_machine m;
	char err[1024], want[1024];

	machine("%s", yaml);
	snprintf(want, sizeof(want), "%s/machine.yaml:%s", mdir, msg);
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), -1);
	T_EQ_STR(err, want);
}

TEST(sim_ap_fixture_errors)
{
	struct sim_machine m;
	char err[1024];

	expect_fixture_error("ap:\n  cardz: []\n", "2:3: unknown key 'cardz' in ap");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1}\n",
			     "3:7: a card needs 'type': CEX4A ... CEX8P (A, C or P)");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1, type: CEX9P}\n",
			     "3:23: a card needs 'type': CEX4A ... CEX8P (A, C or P)");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1, type: CEX8P, domains: 1-2,"
			     " queues: [{domain: 2}]}\n",
			     "3:62: domain 2 of card 1 is given twice");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1, type: CEX8P, queues: [{domain: 2, "
			     "state: associated}]}\n",
			     "3:39: state: associated needs assoc_index");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1, type: CEX8A, queues: [{domain: 2, "
			     "state: associated, assoc_index: 1}]}\n",
			     "3:58: only EP11 queues can be associated");
	expect_fixture_error("ap:\n  assoc_ms: soon\n",
			     "2:13: expected milliseconds (0 to 86400000) or never");
	expect_fixture_error("ap:\n  cards:\n    - {card: 1, type: CEX8P, queues: [{domain: 2, "
			     "wk: 0x12}]}\n",
			     "3:55: wk is a 32-byte verification pattern (64 hex digits), auto, "
			     "invalid or none");
	/* a corrupt ap.state is a broken fixture too (exit 125 from sim_die; parse only) */
	machine("ap:\n");
	T_EQ_INT(sim_machine_load(mdir, &m, err, sizeof(err)), 0);
	T_CHECK(m.ap != NULL);
	sim_machine_free(&m);
	T_EQ_STR(rd("/sys/bus/ap/bindings"), "0/0 (complete)\n");
	cleanup();
}

/* wk: auto is SHA-256 of the APQN's name; an associated queue at boot */
TEST(sim_ap_initial_states)
{
	machine("ap:\n"
		"  cards:\n"
		"    - card: 4\n"
		"      type: CEX8P\n"
		"      wk: auto\n"
		"      domains: 0-1\n"
		"      queues:\n"
		"        - {domain: 2, state: associated, assoc_index: 0}\n"
		"        - {domain: 3, state: bound, wk: none}\n");
	T_EQ_STR(rd(Q("04", "0002", "se_associate")), "associated 0\n");
	T_EQ_STR(rd(Q("04", "0003", "se_associate")), "unassociated\n");
	T_EQ_STR(rd(Q("04", "0003", "se_bind")), "bound\n");
	T_EQ_STR(rd(Q("04", "0003", "mkvps")), "WK CUR: - -\nWK NEW: - -\n");
	T_EQ_INT(wr(Q("04", "0001", "se_bind"), "1"), 0);
	/* printf 04.0001 | sha256sum */
	T_EQ_STR(
	    rd(Q("04", "0001", "mkvps")),
	    "WK CUR: valid 0xdf11eb5b37718b866b28944390cff58c88aacc27d16d35a586f9cc7dd247d080\n"
	    "WK NEW: empty -\n");
	cleanup();
}

/* assoc_unique: a secret already associated elsewhere fails asynchronously with 0x35 */
TEST(sim_ap_assoc_unique)
{
	machine("ap:\n"
		"  assoc_unique: true\n"
		"  assoc_ms: 0\n"
		"  cards: [{card: 1, type: CEX8P, domains: [1, 2]}]\n");
	T_EQ_INT(wr(Q("01", "0001", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0002", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0001", "se_associate"), "0"), 0);
	T_EQ_STR(rd(Q("01", "0001", "se_associate")), "associated 0\n");
	T_EQ_INT(wr(Q("01", "0002", "se_associate"), "0"), 0);
	T_EQ_STR(rd(Q("01", "0002", "se_associate")), "EEIO");
	T_CHECK(strstr(mfile("ap.state"), "queue 01.0002 online=1 bs=1 assoc=0 err=0x35\n"));
	/* the reset clears it; once 01.0001 lets go the secret is free again */
	T_EQ_INT(wr(Q("01", "0001", "se_bind"), "0"), 0);
	T_EQ_INT(wr(Q("01", "0002", "se_bind"), "0"), 0);
	host_sleep_ns(40 * MS);
	T_EQ_INT(wr(Q("01", "0002", "se_bind"), "1"), 0);
	T_EQ_INT(wr(Q("01", "0002", "se_associate"), "0"), 0);
	T_EQ_STR(rd(Q("01", "0002", "se_associate")), "associated 0\n");
	cleanup();
}

T_SUITE(sim_ap, T_CASE(sim_ap_assoc_unique), T_CASE(sim_ap_absent), T_CASE(sim_ap_tree),
	T_CASE(sim_ap_ep11_cycle), T_CASE(sim_ap_faults), T_CASE(sim_ap_late),
	T_CASE(sim_ap_online_env), T_CASE(sim_ap_fixture_errors), T_CASE(sim_ap_initial_states));
