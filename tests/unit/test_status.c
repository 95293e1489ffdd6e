// SPDX-License-Identifier: MIT
/* The boot status record: its JSON and text renderings, byte for byte. */
#include <stdlib.h>

#include "status.h"
#include "t.h"

static void sample(struct status *st)
{
	status_init(st);
	st->on_failure = "reboot";
	st->locked = 1;
	status_step(st, "detect", "ok", 1500000, "a Secure Execution guest");
	status_step(st, "source", "failed", 30000000000ull, "no device \"LABEL=boot\"\n");
	status_secret(st, "toc.asr", "meta", "", "added", "");
	status_secret(st, "luks.asr", "PLAINTEXT", "luks-root", "failed", "secret store full");
	status_retrieved(st, "'luks-root'", "/run/pvboot/luks.key", "written",
			 "PLAINTEXT, 32 bytes");
	status_queue(st, "03.0005", "EP11", "2", "associated", "");
	status_set_verdict(st, VERDICT_FAILED, "source", "no device \"LABEL=boot\"\n");
}

TEST(json_rendering)
{
	static const char want[] =
	    "{\n  \"format\": 1,\n  \"pvboot\": \"" PVBOOT_VERSION "\",\n"
	    "  \"verdict\": \"failed\",\n  \"failed_step\": \"source\",\n"
	    "  \"reason\": \"no device \\\"LABEL=boot\\\"\\n\",\n  \"on_failure\": \"reboot\",\n"
	    "  \"locked\": true,\n  \"steps\": [\n"
	    "    {\"step\": \"detect\", \"outcome\": \"ok\", \"ms\": 1, \"detail\": \"a Secure "
	    "Execution guest\"},\n"
	    "    {\"step\": \"source\", \"outcome\": \"failed\", \"ms\": 30000, \"detail\": \"no "
	    "device \\\"LABEL=boot\\\"\\n\"}\n  ],\n"
	    "  \"secrets\": [\n"
	    "    {\"file\": \"toc.asr\", \"type\": \"meta\", \"id\": \"\", \"outcome\": \"added\", "
	    "\"detail\": \"\"},\n"
	    "    {\"file\": \"luks.asr\", \"type\": \"PLAINTEXT\", \"id\": \"luks-root\", "
	    "\"outcome\": \"failed\", \"detail\": \"secret store full\"}\n  ],\n"
	    "  \"retrieved\": [\n"
	    "    {\"secret\": \"'luks-root'\", \"path\": \"/run/pvboot/luks.key\", \"outcome\": "
	    "\"written\", \"detail\": \"PLAINTEXT, 32 bytes\"}\n  ],\n"
	    "  \"queues\": [\n"
	    "    {\"apqn\": \"03.0005\", \"mode\": \"EP11\", \"association\": \"2\", \"outcome\": "
	    "\"associated\", \"detail\": \"\"}\n  ]\n}\n";
	struct status st;
	struct sbuf b;

	sample(&st);
	sbuf_init(&b);
	status_json(&b, &st);
	T_REQUIRE(!b.failed);
	T_EQ_STR(b.s, want);
	sbuf_free(&b);
	status_free(&st);
}

TEST(text_rendering)
{
	static const char want[] =
	    "pvboot " PVBOOT_VERSION ": failed in step source (on failure: "
	    "reboot)\n"
	    "reason: no device \"LABEL=boot\"\n\n"
	    "secret store: locked\n"
	    "steps:\n"
	    "  detect    ok            1 ms  a Secure Execution guest\n"
	    "  source    failed    30000 ms  no device \"LABEL=boot\"\n\n"
	    "secrets:\n"
	    "  added           toc.asr  meta\n"
	    "  failed          luks.asr  PLAINTEXT  luks-root  (secret store "
	    "full)\n"
	    "retrieved:\n"
	    "  written         'luks-root'  /run/pvboot/luks.key  (PLAINTEXT, 32 "
	    "bytes)\n"
	    "queues:\n"
	    "  associated      03.0005  EP11  2\n";
	struct status st;
	struct sbuf b;

	sample(&st);
	sbuf_init(&b);
	status_text(&b, &st);
	T_REQUIRE(!b.failed);
	T_EQ_STR(b.s, want);
	sbuf_free(&b);
	status_free(&st);
}

TEST(empty_ok)
{
	struct status st;
	struct sbuf b;

	status_init(&st);
	status_set_verdict(&st, VERDICT_OK, NULL, NULL);
	sbuf_init(&b);
	status_text(&b, &st);
	T_EQ_STR(b.s, "pvboot " PVBOOT_VERSION ": ok\n");
	sbuf_free(&b);
	sbuf_init(&b);
	status_json(&b, &st);
	T_CHECK(strstr(b.s, "\"verdict\": \"ok\",\n  \"failed_step\": null,") != NULL);
	T_CHECK(strstr(b.s, "\"locked\": null,\n  \"steps\": [],\n  \"secrets\": [],") != NULL);
	sbuf_free(&b);
	status_free(&st);
}

T_SUITE(status, T_CASE(json_rendering), T_CASE(text_rendering), T_CASE(empty_ok));
