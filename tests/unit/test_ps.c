/* test_ps: JSON escaping, uptimes, the table */
#define _GNU_SOURCE
#include <fleet/ps.h>
#include "check.h"

static char *
json(const char *s)
{
	static char *buf;
	size_t n;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &n);
	fleet_json_string(f, s);
	fclose(f);
	return buf;
}

int
main(void)
{
	char *const argv[] = { "echo", "a\"b", "\x01", NULL };
	struct fleet_proc_info l = { .id = "fleet-echo-12345678",
	    .program = "echo", .argv = (char **)argv, .state = FLEET_PAUSED,
	    .start_time = 100, .mem_mib = 16, .owner_uid = 0,
	    .parent_pid = 7 };
	char up[32], *buf;
	size_t n;
	FILE *f;

	CHECK_STR(json("plain"), "\"plain\"");
	CHECK_STR(json("q\"b\\s"), "\"q\\\"b\\\\s\"");
	CHECK_STR(json("\n\t\x01"), "\"\\n\\t\\u0001\"");
	CHECK_STR(json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(json("\xff\xc3"), "\"\\u00ff\\u00c3\"");
	fleet_ps_uptime(59, up, sizeof(up));
	CHECK_STR(up, "59s");
	fleet_ps_uptime(725, up, sizeof(up));
	CHECK_STR(up, "12:05");
	fleet_ps_uptime(3 * 3600 + 127, up, sizeof(up));
	CHECK_STR(up, "3:02:07");
	f = open_memstream(&buf, &n);
	fleet_ps_json(f, &l, 1, 160);
	fclose(f);
	CHECK(strstr(buf, "\"state\": \"paused\"") != NULL);
	CHECK(strstr(buf, "\"uptime\": 60") != NULL);
	CHECK(strstr(buf, "[\"echo\", \"a\\\"b\", \"\\u0001\"]") != NULL);
	CHECK(strstr(buf, "\"image\": null") != NULL);
	free(buf);
	f = open_memstream(&buf, &n);
	fleet_ps_table(f, &l, 1, 160);
	fclose(f);
	CHECK(strncmp(buf, "ID ", 3) == 0);
	CHECK(strstr(buf, "fleet-echo-12345678") != NULL);
	CHECK(strstr(buf, "echo a\"b \\001\n") != NULL);
	free(buf);
	CHECK_DONE();
}
