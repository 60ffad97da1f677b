/* test_argv: percent-encoding of argv (docs/protocol.md, section 2) */
#include <errno.h>
#include <fleet/argv.h>
#include "check.h"

static void
roundtrip(const char *w)
{
	char enc[4096], *dec = NULL;

	fleet_word_encode(w, enc, sizeof(enc));
	CHECK(fleet_word_decode(enc, &dec) == 0);
	CHECK_STR(dec, w);
	free(dec);
}

static void
encode(void)
{
	char buf[64];

	CHECK(fleet_word_encode("a b", buf, sizeof(buf)) == 5);
	CHECK_STR(buf, "a%20b");
	fleet_word_encode("c'd", buf, sizeof(buf));
	CHECK_STR(buf, "c%27d");
	fleet_word_encode("<x&y>", buf, sizeof(buf));
	CHECK_STR(buf, "%3Cx%26y%3E");
	fleet_word_encode("", buf, sizeof(buf));
	CHECK_STR(buf, "%");
	fleet_word_encode("A-z_0.~/,:=+@", buf, sizeof(buf));
	CHECK_STR(buf, "A-z_0.~/,:=+@");
	fleet_word_encode("%\xff\n", buf, sizeof(buf));
	CHECK_STR(buf, "%25%FF%0A");
	CHECK(fleet_word_encode("abcdef", buf, 4) == 6);
	CHECK_STR(buf, "abc");
}

static void
decode(void)
{
	char *w = NULL;

	CHECK(fleet_word_decode("%", &w) == 0 && strcmp(w, "") == 0);
	free(w);
	CHECK(fleet_word_decode("%3c%3E", &w) == 0 && strcmp(w, "<>") == 0);
	free(w);
	CHECK(fleet_word_decode("%0", &w) == -EINVAL);
	CHECK(fleet_word_decode("%zz", &w) == -EINVAL);
	CHECK(fleet_word_decode("%00", &w) == -EINVAL);
	CHECK(fleet_word_decode("a b", &w) == -EINVAL);
	CHECK(fleet_word_decode("a%", &w) == -EINVAL);
}

static void
cmdline(void)
{
	char *const argv[] = { "echo", "a b", "c'd", "<x&y>", "", NULL };
	char *const set[] = { "fleet.ip=10.0.0.2/24", NULL };
	char *const bad[] = { "ip=1", NULL };
	char *big[3] = { "x", NULL, NULL }, *line;
	char huge[5000];

	CHECK(fleet_cmdline_encode(NULL, argv, &line) == 0);
	CHECK_STR(line, "fleet.v=1 -- echo a%20b c%27d %3Cx%26y%3E %");
	free(line);
	CHECK(fleet_cmdline_encode(set, argv, &line) == 0);
	CHECK(strncmp(line, "fleet.v=1 fleet.ip=10.0.0.2/24 -- echo ", 39)
	    == 0);
	free(line);
	CHECK(fleet_cmdline_encode(bad, argv, &line) == -EINVAL);
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	big[1] = huge;
	CHECK(fleet_cmdline_encode(NULL, big, &line) == -E2BIG);
	huge[4095 - 15] = '\0';	/* "fleet.v=1 -- x " is 15 bytes */
	CHECK(fleet_cmdline_encode(NULL, big, &line) == 0);
	CHECK(line != NULL && strlen(line) == 4095);
	free(line);
	huge[4095 - 15] = 'a';
	huge[4095 - 15 + 1] = '\0';
	CHECK(fleet_cmdline_encode(NULL, big, &line) == -E2BIG);
}

int
main(void)
{
	char all[255];
	int i;

	encode();
	decode();
	cmdline();
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[254] = '\0';
	roundtrip(all);
	roundtrip("plain");
	roundtrip("");
	CHECK_DONE();
}
