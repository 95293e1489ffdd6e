// SPDX-License-Identifier: MIT
/*
 * The pure AP layer (src/ap.c): the parsers of the kernel's sysfs texts and the matcher,
 * including pvapconfig's own algorithm test (main.rs test_do_ap_config_invocation_3,
 * spec/ap.md §8.7 item 14) and the deliberate differences (mingen, probing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ap.h"
#include "ap_sysfs.h"
#include "asr.h"
#include "t.h"
#include "util.h"

TEST(ap_parse_texts)
{
	unsigned gen, b, t;
	enum ap_mode m;
	enum ap_bind bind;
	enum ap_assoc as;
	uint16_t idx, dom;
	uint8_t card;
	bool on, c;
	char mkvp[APCONFIG_MKVP_HEX + 1], serial[APCONFIG_SERIAL_LEN + 1], a[AP_APQN_LEN];

	T_EQ_INT(ap_parse_type("CEX8P\n", &gen, &m), 0);
	T_EQ_INT(gen, 8);
	T_EQ_INT(m, AP_MODE_EP11);
	T_EQ_INT(ap_parse_type(" CEX4A ", &gen, &m), 0);
	T_EQ_INT(m, AP_MODE_ACCEL);
	T_EQ_INT(ap_parse_type("CEX7C\n", &gen, &m), 0);
	T_EQ_INT(m, AP_MODE_CCA);
	T_EQ_INT(ap_parse_type("CEX9P\n", &gen, &m), -EINVAL);
	T_EQ_INT(ap_parse_type("CEX8X\n", &gen, &m), -EINVAL);
	T_EQ_INT(ap_parse_type("CEX8PP\n", &gen, &m), -EINVAL);
	T_EQ_INT(ap_parse_hwtype("14\n", "0x86000000\n", &gen, &m), 0);
	T_EQ_INT(gen, 8);
	T_EQ_INT(m, AP_MODE_EP11);
	T_EQ_INT(ap_parse_hwtype("10\n", "0x9C000000\n", &gen, &m), 0); /* accelerator first */
	T_EQ_INT(gen, 4);
	T_EQ_INT(m, AP_MODE_ACCEL);
	T_EQ_INT(ap_parse_hwtype("12\n", "0x94000000\n", &gen, &m), 0); /* then CCA */
	T_EQ_INT(m, AP_MODE_CCA);
	T_EQ_INT(ap_parse_hwtype("15\n", "0x04000000\n", &gen, &m), 0); /* newer: as CEX8 */
	T_EQ_INT(gen, 8);
	T_EQ_INT(ap_parse_hwtype("9\n", "0x04000000\n", &gen, &m), -EINVAL);
	T_EQ_INT(ap_parse_hwtype("13\n", "0x80000000\n", &gen, &m), -EINVAL);
	T_EQ_INT(ap_parse_hwtype("13\n", "x\n", &gen, &m), -EINVAL);

	T_EQ_INT(ap_parse_bind("bound\n", &bind), 0);
	T_EQ_INT(bind, AP_BIND_BOUND);
	T_EQ_INT(ap_parse_bind("unbound\n", &bind), 0);
	T_EQ_INT(bind, AP_BIND_UNBOUND);
	T_EQ_INT(ap_parse_bind("-\n", &bind), 0);
	T_EQ_INT(bind, AP_BIND_NONE);
	T_EQ_INT(ap_parse_bind("bound-ish\n", &bind), -EINVAL);

	T_EQ_INT(ap_parse_assoc("associated 13\n", &as, &idx), 0);
	T_EQ_INT(as, AP_ASSOC_ASSOCIATED);
	T_EQ_INT(idx, 13);
	T_EQ_INT(ap_parse_assoc("associated 65535\n", &as, &idx), 0);
	T_EQ_INT(idx, 65535);
	T_EQ_INT(ap_parse_assoc("associated 65536\n", &as, &idx), -EINVAL);
	T_EQ_INT(ap_parse_assoc("associated x\n", &as, &idx), -EINVAL);
	T_EQ_INT(ap_parse_assoc("associated \n", &as, &idx), -EINVAL);
	T_EQ_INT(ap_parse_assoc("association pending\n", &as, &idx), 0);
	T_EQ_INT(as, AP_ASSOC_PENDING);
	T_EQ_INT(ap_parse_assoc("unassociated\n", &as, &idx), 0);
	T_EQ_INT(as, AP_ASSOC_UNASSOCIATED);
	T_EQ_INT(ap_parse_assoc("-\n", &as, &idx), 0);
	T_EQ_INT(as, AP_ASSOC_NONE);

	T_EQ_INT(ap_parse_online("1\n", &on), 0);
	T_CHECK(on);
	T_EQ_INT(ap_parse_online("0\n", &on), 0);
	T_CHECK(!on);
	T_EQ_INT(ap_parse_online("2\n", &on), 0);
	T_CHECK(!on);
	T_EQ_INT(ap_parse_online("yes\n", &on), -EINVAL);

	T_EQ_INT(ap_parse_mkvps("WK CUR: valid 0xDB3C3B3C3F097DD55EC7EB0E7FDBCB93"
				"0000000000000000000000000000000\nWK NEW: empty -\n",
				mkvp),
		 0);
	T_EQ_STR(mkvp, "db3c3b3c3f097dd55ec7eb0e7fdbcb93");
	T_EQ_INT(ap_parse_mkvps("WK CUR: invalid -\nWK NEW: empty -\n", mkvp), 0);
	T_EQ_STR(mkvp, "");
	T_EQ_INT(ap_parse_mkvps("WK CUR: - -\nWK NEW: - -\n", mkvp), 0);
	T_EQ_STR(mkvp, "");
	T_EQ_INT(ap_parse_mkvps("AES CUR: valid 0x1234\n", mkvp), -EINVAL);
	T_EQ_INT(ap_parse_mkvps("WK CUR: valid 0x1234\n", mkvp), -EINVAL);
	T_EQ_INT(ap_parse_mkvps("", mkvp), -EINVAL);

	ap_parse_serial("93AADFK719460083\n", serial);
	T_EQ_STR(serial, "93AADFK719460083");
	ap_parse_serial("\n", serial);
	T_EQ_STR(serial, "");

	T_EQ_INT(ap_parse_bindings("4/4 (complete)\n", &b, &t, &c), 0);
	T_CHECK(c);
	T_EQ_INT(b, 4);
	T_EQ_INT(ap_parse_bindings("3/5\n", &b, &t, &c), 0);
	T_CHECK(!c);
	T_EQ_INT(t, 5);
	T_EQ_INT(ap_parse_bindings("x/5\n", &b, &t, &c), -EINVAL);

	T_EQ_INT(ap_parse_apqn("03.0005", &card, &dom), 0);
	T_EQ_INT(card, 3);
	T_EQ_INT(dom, 5);
	T_EQ_INT(ap_parse_apqn("a.1f", &card, &dom), 0);
	T_EQ_STR(ap_apqn_str(card, dom, a), "0a.001f");
	T_EQ_INT(ap_parse_apqn("100.0005", &card, &dom), -EINVAL);
	T_EQ_INT(ap_parse_apqn("03.00005", &card, &dom), -EINVAL);
	T_EQ_INT(ap_parse_apqn("03", &card, &dom), -EINVAL);
	T_EQ_INT(ap_parse_apqn("03.0005x", &card, &dom), -EINVAL);
}

/* ---- building blocks ---- */

static struct ap_queue qu(unsigned card, unsigned dom, unsigned gen, enum ap_mode mode,
			  const char *serial, const char *mkvp)
{
	struct ap_queue q;

	memset(&q, 0, sizeof(q));
	q.card = (uint8_t)card;
	q.domain = (uint16_t)dom;
	q.gen = gen;
	q.mode = mode;
	q.online = true;
	q.bind = AP_BIND_UNBOUND;
	q.assoc = mode == AP_MODE_EP11 ? AP_ASSOC_UNASSOCIATED : AP_ASSOC_NONE;
	if (mode == AP_MODE_EP11) {
		q.info = mkvp ? AP_INFO_KNOWN : AP_INFO_FAILED;
		snprintf(q.serialnr, sizeof(q.serialnr), "%s", serial ? serial : "");
		snprintf(q.mkvp, sizeof(q.mkvp), "%s", mkvp ? mkvp : "");
	}
	return q;
}

static struct apconfig_entry accel(unsigned mingen)
{
	struct apconfig_entry e;

	memset(&e, 0, sizeof(e));
	e.mode = AP_MODE_ACCEL;
	e.mingen = mingen;
	e.name = "";
	return e;
}

static struct apconfig_entry ep11(const char *mkvp, const char *serial, const char *idhex)
{
	struct apconfig_entry e;

	memset(&e, 0, sizeof(e));
	e.mode = AP_MODE_EP11;
	e.name = "";
	snprintf(e.mkvp, sizeof(e.mkvp), "%s", mkvp);
	snprintf(e.serialnr, sizeof(e.serialnr), "%s", serial ? serial : "");
	e.has_secret_id = true;
	hex_decode(idhex, e.secret_id, 32);
	return e;
}

static void sec(struct secret_entry *s, uint16_t index, uint16_t type, const char *idhex)
{
	memset(s, 0, sizeof(*s));
	s->index = index;
	s->type = type;
	s->len = 32;
	hex_decode(idhex, s->id, 32);
}

#define ID33 "3333333333333333333333333333333333333333333333333333333333333333"
#define ID44 "4444444444444444444444444444444444444444444444444444444444444444"
#define ID13 "bc9d46c052bc3574454c5715757274629a283767ed237922cfb8651c0e77320a"
#define ID15 "06cdbbac76a595b481110d108154bc05ebbf900a0f16e36a24045998934fb1e9"
#define ID17 "6831af07f8c8e7309a3ace9f3b5554d34e3eaa4a27a08fdee469e367c3fa3e9e"
#define MK_A "db3c3b3c3f097dd55ec7eb0e7fdbcb93"
#define MK_B "4a27bb66520ac85f6073a7f678d262c0"
#define MK_C "383d2a9ab781f35343554c5b3d9337cd"
#define MK_D "8be1eaf5c44e2fa8b18804551b604b1b"

static size_t find(const struct ap_queue *q, size_t n, unsigned card, unsigned dom)
{
	for (size_t i = 0; i < n; i++)
		if (q[i].card == card && q[i].domain == dom)
			return i;
	return AP_NO_QUEUE;
}

/* pvapconfig main.rs test_do_ap_config_invocation_3, run as a pure plan */
TEST(ap_upstream_algorithm_test)
{
	/* the APQN list in reverse order, as upstream gives it */
	struct ap_queue q[] = {
	    qu(0x13, 0x000f, 8, AP_MODE_EP11, "", NULL), /* no info */
	    qu(0x13, 0x000d, 8, AP_MODE_EP11, "87HU397G150TZGR", ""),
	    qu(0x12, 0x000a, 8, AP_MODE_EP11, "93AADHZU42082261", MK_C),
	    qu(0x12, 0x0009, 8, AP_MODE_EP11, "93AADHZU42082261", MK_B),
	    qu(0x11, 0x0008, 8, AP_MODE_EP11, "93AADFK719460083", MK_A),
	    qu(0x10, 0x0007, 8, AP_MODE_ACCEL, NULL, NULL),
	};
	struct secret_entry se[5];
	struct secret_list list = {.n = 5, .entries = se};
	struct apconfig_entry e[] = {
	    accel(8),
	    ep11(MK_A, "93AADFK719460083", ID13),
	    ep11(MK_B, NULL, ID15),
	    ep11(MK_D, NULL, ID17),
	};
	struct apconfig cfg = {.file = "test", .n = 4, .entries = e};
	struct ap_plan plan;
	size_t n = ARRAY_SIZE(q);

	sec(&se[0], 33, SECRET_ASSOCIATION, ID33);
	sec(&se[1], 13, SECRET_ASSOCIATION, ID13);
	sec(&se[2], 44, SECRET_ASSOCIATION, ID44);
	sec(&se[3], 15, SECRET_ASSOCIATION, ID15);
	sec(&se[4], 17, SECRET_ASSOCIATION, ID17);
	ap_sort_queues(q, n);
	T_EQ_INT(q[0].card, 0x10);
	T_EQ_INT(q[5].domain, 0x000f);
	T_REQUIRE(ap_plan_make(&cfg, q, n, &list, false, &plan) == 0);
	T_EQ_INT(plan.probe, AP_NO_QUEUE);
	T_EQ_INT(plan.satisfied, 3);
	T_EQ_INT(plan.entries[0].step, AP_STEP_BIND);
	T_EQ_INT(plan.entries[0].q, find(q, n, 0x10, 7));
	T_EQ_INT(plan.entries[1].step, AP_STEP_BIND_ASSOC);
	T_EQ_INT(plan.entries[1].q, find(q, n, 0x11, 8));
	T_EQ_INT(plan.entries[1].assoc_idx, 13);
	T_EQ_INT(plan.entries[2].step, AP_STEP_BIND_ASSOC);
	T_EQ_INT(plan.entries[2].q, find(q, n, 0x12, 9));
	T_EQ_INT(plan.entries[2].assoc_idx, 15);
	T_EQ_INT(plan.entries[3].step, AP_STEP_NO_QUEUE);
	T_EQ_INT(plan.entries[3].q, AP_NO_QUEUE);
	T_EQ_INT(plan.n_unbind, 0);
	ap_plan_free(&plan);
	/* and no two domains of a card share a wrapping key */
	{
		size_t a, b;

		T_EQ_INT(ap_mk_check(q, n, &a, &b), 0);
	}
}

/* Step 1 keeps, step 2 releases, step 3 re-uses; a second plan writes nothing. */
TEST(ap_plan_keep_release)
{
	struct ap_queue q[] = {
	    qu(1, 1, 8, AP_MODE_EP11, "SERIAL0000000001", MK_A),
	    qu(1, 2, 8, AP_MODE_EP11, "SERIAL0000000001", MK_B),
	    qu(2, 1, 8, AP_MODE_EP11, "SERIAL0000000002", MK_C),
	    qu(3, 1, 8, AP_MODE_ACCEL, NULL, NULL),
	    qu(4, 1, 7, AP_MODE_ACCEL, NULL, NULL),
	};
	struct secret_entry se[3];
	struct secret_list list = {.n = 3, .entries = se};
	struct apconfig_entry e[] = {ep11(MK_A, NULL, ID13), ep11(MK_B, NULL, ID15), accel(0)};
	struct apconfig cfg = {.file = "t", .n = 3, .entries = e};
	struct ap_plan plan;

	sec(&se[0], 0, SECRET_ASSOCIATION, ID13);
	sec(&se[1], 1, SECRET_ASSOCIATION, ID15);
	/* a second secret with the first id: step 1 accepts any index with the id */
	sec(&se[2], 2, SECRET_ASSOCIATION, ID13);
	q[0].bind = AP_BIND_BOUND; /* 01.0001: associated with index 2 -> kept */
	q[0].assoc = AP_ASSOC_ASSOCIATED;
	q[0].assoc_idx = 2;
	q[1].bind = AP_BIND_BOUND; /* 01.0002: associated with the wrong secret */
	q[1].assoc = AP_ASSOC_ASSOCIATED;
	q[1].assoc_idx = 0;
	q[2].bind = AP_BIND_BOUND; /* 02.0001: pending, satisfies nothing */
	q[2].assoc = AP_ASSOC_PENDING;
	q[4].bind = AP_BIND_BOUND; /* 04.0001: the CEX7 accelerator is bound: kept */
	ap_sort_queues(q, ARRAY_SIZE(q));
	T_REQUIRE(ap_plan_make(&cfg, q, ARRAY_SIZE(q), &list, false, &plan) == 0);
	T_EQ_INT(plan.entries[0].step, AP_STEP_KEEP);
	T_EQ_INT(plan.entries[0].assoc_idx, 2);
	T_EQ_INT(plan.entries[1].step, AP_STEP_BIND_ASSOC);
	T_EQ_INT(plan.entries[1].q, find(q, 5, 1, 2));
	T_EQ_INT(plan.entries[1].assoc_idx, 1); /* the first secret with the id */
	T_EQ_INT(plan.entries[2].step, AP_STEP_KEEP);
	T_EQ_INT(plan.entries[2].q, find(q, 5, 4, 1));
	T_EQ_INT(plan.n_unbind, 2);
	T_CHECK(plan.unbind[find(q, 5, 1, 2)]); /* released, then bound again */
	T_CHECK(plan.unbind[find(q, 5, 2, 1)]);
	T_EQ_INT(plan.satisfied, 3);
	ap_plan_free(&plan);

	/* the state after carrying it out: a second plan keeps everything */
	q[find(q, 5, 1, 2)].assoc_idx = 1;
	q[find(q, 5, 2, 1)].bind = AP_BIND_UNBOUND;
	q[find(q, 5, 2, 1)].assoc = AP_ASSOC_UNASSOCIATED;
	T_REQUIRE(ap_plan_make(&cfg, q, ARRAY_SIZE(q), &list, false, &plan) == 0);
	for (size_t i = 0; i < 3; i++)
		T_EQ_INT(plan.entries[i].step, AP_STEP_KEEP);
	T_EQ_INT(plan.n_unbind, 0);
	T_EQ_INT(plan.satisfied, 3);
	ap_plan_free(&plan);
}

/* A bound, unassociated EP11 queue that an entry takes is associated, not re-bound. */
TEST(ap_plan_assoc_only)
{
	struct ap_queue q[] = {qu(1, 1, 8, AP_MODE_EP11, "S", MK_A)};
	struct secret_entry se[1];
	struct secret_list list = {.n = 1, .entries = se};
	struct apconfig_entry e[] = {ep11(MK_A, NULL, ID13)};
	struct apconfig cfg = {.file = "t", .n = 1, .entries = e};
	struct ap_plan plan;

	sec(&se[0], 7, SECRET_ASSOCIATION, ID13);
	q[0].bind = AP_BIND_BOUND;
	T_REQUIRE(ap_plan_make(&cfg, q, 1, &list, false, &plan) == 0);
	T_EQ_INT(plan.entries[0].step, AP_STEP_ASSOC);
	T_EQ_INT(plan.entries[0].assoc_idx, 7);
	T_EQ_INT(plan.n_unbind, 0);
	ap_plan_free(&plan);
	/* a secret of another type with the id does not count */
	sec(&se[0], 7, SECRET_PLAINTEXT, ID13);
	T_REQUIRE(ap_plan_make(&cfg, q, 1, &list, false, &plan) == 0);
	T_EQ_INT(plan.entries[0].step, AP_STEP_NO_SECRET);
	T_EQ_INT(plan.n_unbind, 1);
	ap_plan_free(&plan);
}

/* mingen is the oldest accepted generation (pvapconfig inverts it); newest first */
TEST(ap_plan_mingen_order)
{
	struct ap_queue q[] = {
	    qu(1, 0, 6, AP_MODE_ACCEL, NULL, NULL),
	    qu(2, 0, 7, AP_MODE_ACCEL, NULL, NULL),
	    qu(3, 0, 8, AP_MODE_ACCEL, NULL, NULL),
	};
	struct apconfig_entry e[] = {accel(7), accel(7), accel(7), accel(0)};
	struct apconfig cfg = {.file = "t", .n = 4, .entries = e};
	struct ap_plan plan;

	ap_sort_queues(q, 3);
	T_EQ_INT(q[0].gen, 8);
	T_REQUIRE(ap_plan_make(&cfg, q, 3, NULL, false, &plan) == 0);
	T_EQ_INT(q[plan.entries[0].q].card, 3);		  /* CEX8 first */
	T_EQ_INT(q[plan.entries[1].q].card, 2);		  /* CEX7 accepted */
	T_EQ_INT(plan.entries[2].step, AP_STEP_NO_QUEUE); /* CEX6 too old */
	T_EQ_INT(q[plan.entries[3].q].card, 1);
	T_EQ_INT(plan.satisfied, 3);
	ap_plan_free(&plan);
}

/* Greedy in file order: a loose early entry takes the queue a later strict one needed. */
TEST(ap_plan_greedy)
{
	struct ap_queue q[] = {qu(1, 1, 8, AP_MODE_EP11, "SERIAL0000000001", MK_A),
			       qu(2, 1, 8, AP_MODE_EP11, "SERIAL0000000002", MK_A)};
	struct secret_entry se[1];
	struct secret_list list = {.n = 1, .entries = se};
	struct apconfig_entry e[] = {ep11(MK_A, NULL, ID13), ep11(MK_A, "SERIAL0000000001", ID13)};
	struct apconfig cfg = {.file = "t", .n = 2, .entries = e};
	struct ap_plan plan;

	sec(&se[0], 0, SECRET_ASSOCIATION, ID13);
	T_REQUIRE(ap_plan_make(&cfg, q, 2, &list, false, &plan) == 0);
	T_EQ_INT(plan.entries[0].q, 0);
	T_EQ_INT(plan.entries[1].step, AP_STEP_NO_QUEUE);
	ap_plan_free(&plan);
}

/* Unknown wrapping keys: probe only what the walk depends on; dry runs never probe. */
TEST(ap_plan_probe)
{
	struct ap_queue q[] = {
	    qu(1, 1, 8, AP_MODE_EP11, NULL, NULL),  qu(1, 2, 8, AP_MODE_EP11, NULL, NULL),
	    qu(2, 1, 8, AP_MODE_EP11, NULL, NULL),  qu(3, 1, 7, AP_MODE_EP11, "S", MK_B),
	    qu(4, 1, 8, AP_MODE_ACCEL, NULL, NULL),
	};
	struct secret_entry se[1];
	struct secret_list list = {.n = 1, .entries = se};
	struct apconfig_entry e[] = {accel(0), ep11(MK_B, "SERIAL0000000002", ID13)};
	struct apconfig cfg = {.file = "t", .n = 2, .entries = e};
	struct ap_plan plan;

	sec(&se[0], 0, SECRET_ASSOCIATION, ID13);
	for (size_t i = 0; i < 3; i++)
		q[i].info = AP_INFO_UNKNOWN;
	/* card 1's serial is known (another of its queues is bound) and wrong: no probe */
	memcpy(q[0].serialnr, "SERIAL0000000001", 17);
	memcpy(q[1].serialnr, "SERIAL0000000001", 17);
	q[3].bind = AP_BIND_BOUND; /* 03.0001 matches except for the serial: released */
	memcpy(q[3].serialnr, "SERIAL0000000003", 17);
	ap_sort_queues(q, 5);
	T_REQUIRE(ap_plan_make(&cfg, q, 5, &list, false, &plan) == 0);
	T_EQ_INT(plan.probe, find(q, 5, 2, 1));
	ap_plan_free(&plan);

	/* dry run: undetermined, nothing probed */
	T_REQUIRE(ap_plan_make(&cfg, q, 5, &list, true, &plan) == 0);
	T_EQ_INT(plan.probe, AP_NO_QUEUE);
	T_EQ_INT(plan.entries[0].step, AP_STEP_BIND);
	T_EQ_INT(plan.entries[1].step, AP_STEP_UNDETERMINED);
	T_EQ_INT(plan.entries[1].n_unknown, 1);
	T_EQ_INT(plan.undetermined, 1);
	T_EQ_INT(plan.satisfied, 1);
	T_EQ_INT(plan.n_unbind, 1);
	ap_plan_free(&plan);

	/* after the probe (bound, key known): associate it without a re-bind */
	{
		size_t j = find(q, 5, 2, 1);

		q[j].info = AP_INFO_KNOWN;
		q[j].bind = AP_BIND_BOUND;
		memcpy(q[j].serialnr, "SERIAL0000000002", 17);
		memcpy(q[j].mkvp, MK_B, 33);
		T_REQUIRE(ap_plan_make(&cfg, q, 5, &list, false, &plan) == 0);
		T_EQ_INT(plan.probe, AP_NO_QUEUE);
		T_EQ_INT(plan.entries[1].step, AP_STEP_ASSOC);
		T_EQ_INT(plan.entries[1].q, j);
		T_EQ_INT(plan.satisfied, 2);
		ap_plan_free(&plan);
	}

	/* no association secret: no probe at all */
	sec(&se[0], 0, SECRET_ASSOCIATION, ID44);
	for (size_t i = 0; i < 5; i++)
		if (q[i].mode == AP_MODE_EP11 && q[i].card != 3) {
			q[i].info = AP_INFO_UNKNOWN;
			q[i].bind = AP_BIND_UNBOUND;
		}
	T_REQUIRE(ap_plan_make(&cfg, q, 5, &list, false, &plan) == 0);
	T_EQ_INT(plan.probe, AP_NO_QUEUE);
	T_EQ_INT(plan.entries[1].step, AP_STEP_NO_SECRET);
	ap_plan_free(&plan);
}

/* Skipped queues are never matched nor released. */
TEST(ap_plan_skipped)
{
	struct ap_queue q[] = {qu(1, 1, 8, AP_MODE_ACCEL, NULL, NULL),
			       qu(2, 1, 8, AP_MODE_CCA, NULL, NULL)};
	struct apconfig_entry e[] = {accel(0)};
	struct apconfig cfg = {.file = "t", .n = 1, .entries = e};
	struct ap_plan plan;

	q[0].skip = AP_SKIP_OFFLINE;
	q[0].bind = AP_BIND_BOUND;
	q[1].skip = AP_SKIP_CCA;
	T_REQUIRE(ap_plan_make(&cfg, q, 2, NULL, false, &plan) == 0);
	T_EQ_INT(plan.entries[0].step, AP_STEP_NO_QUEUE);
	T_EQ_INT(plan.n_unbind, 0);
	ap_plan_free(&plan);
}

TEST(ap_mk_restriction)
{
	struct ap_queue q[] = {
	    qu(1, 5, 8, AP_MODE_EP11, "S", MK_A), qu(2, 5, 8, AP_MODE_EP11, "T", MK_A),
	    qu(1, 7, 8, AP_MODE_EP11, "S", MK_B), qu(1, 9, 8, AP_MODE_EP11, "S", ""),
	    qu(1, 10, 8, AP_MODE_EP11, "S", ""),  qu(1, 6, 8, AP_MODE_EP11, "S", MK_A),
	};
	size_t a, b;

	ap_sort_queues(q, 6);
	T_EQ_INT(ap_mk_check(q, 6, &a, &b), -EEXIST);
	T_EQ_INT(q[a].card, 1);
	T_EQ_INT(q[a].domain, 5);
	T_EQ_INT(q[b].domain, 6);
	/* an unknown key (unbound queue) or a skipped queue does not count */
	q[find(q, 6, 1, 6)].info = AP_INFO_UNKNOWN;
	T_EQ_INT(ap_mk_check(q, 6, &a, &b), 0);
	q[find(q, 6, 1, 6)].info = AP_INFO_KNOWN;
	q[find(q, 6, 1, 6)].skip = AP_SKIP_OFFLINE;
	T_EQ_INT(ap_mk_check(q, 6, &a, &b), 0);
}

/*
 * Resuming after each probe gives the plan a fresh planner makes on the same final
 * state: random machines (deterministic LCG), keys revealed as the planner asks.
 */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

TEST(ap_plan_resume_property)
{
	static const char *const mk[] = {MK_A, MK_B, MK_C, MK_D};
	static const char *const sn[] = {"SERIAL0000000001", "SERIAL0000000002"};
	uint32_t seed = 42;
	size_t total_probes = 0, resumed_kept = 0;

	for (int round = 0; round < 300; round++) {
		struct ap_queue q[24], truth[24];
		struct apconfig_entry e[8];
		struct secret_entry se[2];
		struct secret_list list = {.n = 2, .entries = se};
		struct apconfig cfg = {.file = "t", .entries = e};
		struct ap_plan plan, fresh;
		size_t nq = 4 + lcg(&seed) % 20, probes = 0;

		sec(&se[0], 3, SECRET_ASSOCIATION, ID13);
		sec(&se[1], 4, SECRET_ASSOCIATION, ID15);
		for (size_t j = 0; j < nq; j++) {
			unsigned card = 1 + lcg(&seed) % 4;
			bool accel = card == 4;

			q[j] = qu(card, (unsigned)j, 6 + lcg(&seed) % 3,
				  accel ? AP_MODE_ACCEL : AP_MODE_EP11, sn[card % 2],
				  mk[lcg(&seed) % 4]);
			truth[j] = q[j];
			if (!accel && lcg(&seed) % 3) { /* unbound: key unknown */
				q[j].info = AP_INFO_UNKNOWN;
				q[j].mkvp[0] = 0;
				q[j].serialnr[0] = 0;
			} else if (lcg(&seed) % 2) {
				q[j].bind = AP_BIND_BOUND;
				if (!accel && lcg(&seed) % 2) {
					q[j].assoc = AP_ASSOC_ASSOCIATED;
					q[j].assoc_idx = (uint16_t)(3 + lcg(&seed) % 3);
				}
			}
		}
		cfg.n = 1 + lcg(&seed) % 8;
		for (size_t i = 0; i < cfg.n; i++) {
			if (lcg(&seed) % 3 == 0)
				e[i] = accel(lcg(&seed) % 2 ? 0 : 7);
			else
				e[i] = ep11(mk[lcg(&seed) % 4],
					    lcg(&seed) % 2 ? sn[lcg(&seed) % 2] : NULL,
					    lcg(&seed) % 2 ? ID13 : ID15);
		}
		ap_sort_queues(q, nq);
		ap_sort_queues(truth, nq);
		T_REQUIRE(ap_plan_make(&cfg, q, nq, &list, false, &plan) == 0);
		while (plan.probe != AP_NO_QUEUE) {
			struct ap_queue *x = &q[plan.probe];

			T_REQUIRE(x->info == AP_INFO_UNKNOWN && probes++ < nq);
			x->info = AP_INFO_KNOWN;
			x->bind = AP_BIND_BOUND;
			x->assoc = AP_ASSOC_UNASSOCIATED;
			memcpy(x->mkvp, truth[plan.probe].mkvp, sizeof(x->mkvp));
			memcpy(x->serialnr, truth[plan.probe].serialnr, sizeof(x->serialnr));
			T_REQUIRE(ap_plan_resume(&cfg, q, nq, &list, &plan) == 0);
		}
		T_REQUIRE(ap_plan_make(&cfg, q, nq, &list, false, &fresh) == 0);
		T_EQ_INT(fresh.probe, AP_NO_QUEUE);
		T_EQ_INT(plan.satisfied, fresh.satisfied);
		T_EQ_INT(plan.n_unbind, fresh.n_unbind);
		for (size_t i = 0; i < cfg.n; i++) {
			T_EQ_INT(plan.entries[i].step, fresh.entries[i].step);
			T_EQ_INT(plan.entries[i].q, fresh.entries[i].q);
			T_EQ_INT(plan.entries[i].assoc_idx, fresh.entries[i].assoc_idx);
		}
		for (size_t j = 0; j < nq; j++)
			T_EQ_INT(plan.unbind[j], fresh.unbind[j]);
		T_EQ_INT(ap_plan_resume(&cfg, q, nq, &list, &plan), -EINVAL);
		total_probes += probes;
		for (size_t i = 0; probes && i < cfg.n; i++)
			resumed_kept += plan.entries[i].step == AP_STEP_ASSOC;
		ap_plan_free(&plan);
		ap_plan_free(&fresh);
	}
	/* the machines really made the planner stop and resume, and take probed queues */
	T_CHECK(total_probes > 300);
	T_CHECK(resumed_kept > 30);
}

/* The report as the boot flow writes it into its status file */
TEST(ap_report_json_shape)
{
	struct apconfig_entry e[] = {accel(0), ep11(MK_A, NULL, ID13), ep11(MK_B, NULL, ID15)};
	struct ap_entry_result er[3] = {
	    {.outcome = AP_OUT_KEPT, .has_apqn = true, .apqn = {0x0a, 7}},
	    {.outcome = AP_OUT_APPLIED,
	     .has_apqn = true,
	     .apqn = {0x0b, 8},
	     .has_assoc = true,
	     .assoc_idx = 13},
	    {.outcome = AP_OUT_FAILED,
	     .has_apqn = true,
	     .apqn = {0x0b, 9},
	     .has_assoc = true,
	     .assoc_idx = 15,
	     .err = -ETIMEDOUT},
	};
	struct ap_apqn unbound[] = {{1, 2}};
	struct apconfig cfg = {.file = "t", .n = 3, .entries = e};
	struct ap_report rep = {.n_entries = 3,
				.entries = er,
				.n_queues = 4,
				.n_skipped = 1,
				.n_unbound = 1,
				.unbound = unbound,
				.satisfied = 2};
	struct sbuf b;

	e[1].name = "my \"EP11\"";
	e[1].num = 2;
	e[0].num = 1;
	e[2].num = 3;
	snprintf(rep.error, sizeof(rep.error), "t:3:3: entry #3: it failed");
	sbuf_init(&b);
	ap_report_json(&b, &cfg, &rep);
	T_REQUIRE(!b.failed);
	T_EQ_STR(b.s, "{\"entries\":["
		      "{\"entry\":1,\"name\":\"\",\"mode\":\"Accel\",\"outcome\":\"kept\","
		      "\"apqn\":\"0a.0007\",\"association_index\":null,\"error\":null},"
		      "{\"entry\":2,\"name\":\"my \\\"EP11\\\"\",\"mode\":\"EP11\","
		      "\"outcome\":\"applied\",\"apqn\":\"0b.0008\",\"association_index\":13,"
		      "\"error\":null},"
		      "{\"entry\":3,\"name\":\"\",\"mode\":\"EP11\",\"outcome\":\"failed\","
		      "\"apqn\":\"0b.0009\",\"association_index\":15,"
		      "\"error\":\"Connection timed out\"}],"
		      "\"unbound\":[\"01.0002\"],\"probed\":[],\"queues\":4,\"skipped\":1,"
		      "\"satisfied\":2,\"undetermined\":0,"
		      "\"error\":\"t:3:3: entry #3: it failed\"}\n");
	sbuf_free(&b);
}

T_SUITE(ap, T_CASE(ap_parse_texts), T_CASE(ap_report_json_shape), T_CASE(ap_plan_resume_property),
	T_CASE(ap_upstream_algorithm_test), T_CASE(ap_plan_keep_release),
	T_CASE(ap_plan_assoc_only), T_CASE(ap_plan_mingen_order), T_CASE(ap_plan_greedy),
	T_CASE(ap_plan_probe), T_CASE(ap_plan_skipped), T_CASE(ap_mk_restriction));
