/* test_config: fleetd's configuration file: directives, quoting, and the
 * error each kind of bad line gets; no sandbox, no fleetd. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core.h"
#include "config.h"
#include "../unit/check.h"

static const struct option opts[] = {
	{ "bridge", required_argument, NULL, 'b' },
	{ "no-tcp", no_argument, NULL, 'T' },
	{ "pool", required_argument, NULL, 'P' },
	{ "libvirt", required_argument, NULL, 'L' },
	{ "address", required_argument, NULL, 'a' },
	{ "syslog", no_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 },
};

static int
parse(struct config *c, const char *text)
{
	return config_parse(c, "fleetd.conf", text, strlen(text), opts);
}

/* text fails with exactly msg. */
static void
error_is(const char *text, const char *msg)
{
	struct config c;

	CHECK(parse(&c, text) == -EINVAL);
	CHECK_STR(fleet_last_error(), msg);
	config_free(&c);
}

static void
good(void)
{
	struct config c;

	CHECK(parse(&c,
	    "# fleetd's\n"
	    "\n"
	    "   bridge fleet1   # a comment after words\n"
	    "pool hello:2\n"
	    "pool\tspin\n"
	    "no-tcp\n"
	    "libvirt qemu:///system\n"
	    "boot hello from boot\n"
	    "service web upcase --port 80\n"
	    "service db exit 78\n") == 0);
	CHECK(c.nopts == 5);
	CHECK(c.nopts == 5 && c.opts[0].val == 'b' &&
	    strcmp(c.opts[0].arg, "fleet1") == 0 && c.opts[0].line == 3);
	CHECK(c.nopts == 5 && c.opts[1].val == 'P' &&
	    strcmp(c.opts[1].arg, "hello:2") == 0);
	CHECK(c.nopts == 5 && c.opts[2].val == 'P' &&
	    strcmp(c.opts[2].arg, "spin") == 0);
	CHECK(c.nopts == 5 && c.opts[3].val == 'T' &&
	    c.opts[3].arg == NULL && c.opts[3].line == 6);
	CHECK(c.nopts == 5 && c.opts[4].val == 'L');
	CHECK(c.boot != NULL && c.boot->name == NULL && c.boot->line == 8);
	if (c.boot != NULL) {
		CHECK_STR(c.boot->argv[0], "hello");
		CHECK_STR(c.boot->argv[2], "boot");
		CHECK(c.boot->argv[3] == NULL);
	}
	CHECK(c.nsvcs == 2);
	if (c.nsvcs == 2) {
		CHECK_STR(c.svcs[0].name, "web");
		CHECK_STR(c.svcs[0].argv[0], "upcase");
		CHECK_STR(c.svcs[0].argv[2], "80");
		CHECK(c.svcs[0].argv[3] == NULL);
		CHECK_STR(c.svcs[1].name, "db");
		CHECK(c.svcs[1].line == 10);
	}
	config_free(&c);

	/* empty, only comments, no newline at the end */
	CHECK(parse(&c, "") == 0 && c.nopts == 0 && c.boot == NULL);
	config_free(&c);
	CHECK(parse(&c, "#\n  # x\n\n") == 0 && c.nopts == 0 && c.nsvcs == 0);
	config_free(&c);
	CHECK(parse(&c, "bridge b0") == 0 && c.nopts == 1 &&
	    strcmp(c.opts[0].arg, "b0") == 0);
	config_free(&c);
}

/* The words of `boot ...` for text's words. */
static void
words_are(const char *text, const char *const *want)
{
	struct config c;
	char line[256];
	size_t i;

	snprintf(line, sizeof(line), "boot %s\n", text);
	CHECK(parse(&c, line) == 0);
	if (c.boot == NULL) {
		fprintf(stderr, "no boot for: %s (%s)\n", text,
		    fleet_last_error());
		config_free(&c);
		check_failed = 1;
		return;
	}
	for (i = 0; want[i] != NULL; i++)
		CHECK_STR(c.boot->argv[i], want[i]);
	CHECK(c.boot->argv[i] == NULL);
	config_free(&c);
}

static void
quoting(void)
{
	struct config c;

	words_are("'a b'  c", (const char *[]){ "a b", "c", NULL });
	words_are("\"a  b\"", (const char *[]){ "a  b", NULL });
	words_are("a\\ b", (const char *[]){ "a b", NULL });
	words_are("x'y'\"z\"", (const char *[]){ "xyz", NULL });
	words_are("'' \"\"", (const char *[]){ "", "", NULL });
	words_are("'$HOME' \"$HOME\" '*'", (const char *[]){ "$HOME",
	    "$HOME", "*", NULL });
	words_are("'a\\b' \"a\\b\" \"a\\\"b\" \"a\\\\b\"",
	    (const char *[]){ "a\\b", "a\\b", "a\"b", "a\\b", NULL });
	words_are("'it'\\''s'", (const char *[]){ "it's", NULL });
	words_are("a#b '#' \\#c # gone", (const char *[]){ "a#b", "#", "#c",
	    NULL });
	words_are("\"a # b\"", (const char *[]){ "a # b", NULL });

	/* backslash-newline joins lines; quotes may span them */
	CHECK(parse(&c, "service s hello \\\n  one\nbridge\\\n b1\n") == 0);
	CHECK(c.nsvcs == 1 && c.svcs[0].argv[1] != NULL &&
	    strcmp(c.svcs[0].argv[1], "one") == 0);
	CHECK(c.nopts == 1 && c.opts[0].line == 3 &&
	    strcmp(c.opts[0].arg, "b1") == 0);
	config_free(&c);
	CHECK(parse(&c, "boot echo 'two\nlines'\nno-tcp\n") == 0);
	CHECK(c.boot != NULL && strcmp(c.boot->argv[1], "two\nlines") == 0);
	CHECK(c.nopts == 1 && c.opts[0].line == 3);
	config_free(&c);
}

static void
errors(void)
{
	error_is("bridge b\n\n\n\n\n\nsevrice web hello\n",
	    "fleetd.conf:7: unknown directive 'sevrice'");
	error_is("--bridge b\n", "fleetd.conf:1: unknown directive "
	    "'--bridge'");
	error_is("bridge\n", "fleetd.conf:1: 'bridge' takes one argument");
	error_is("bridge a b\n", "fleetd.conf:1: 'bridge' takes one "
	    "argument");
	error_is("no-tcp yes\n", "fleetd.conf:1: 'no-tcp' takes no "
	    "argument");
	error_is("service web\n", "fleetd.conf:1: usage: service NAME "
	    "COMMAND [ARG...]");
	error_is("boot\n", "fleetd.conf:1: usage: boot COMMAND [ARG...]");
	error_is("boot a\nboot b\n", "fleetd.conf:2: boot given twice "
	    "(first on line 1)");
	error_is("service w a\n# x\nservice w b\n", "fleetd.conf:3: service "
	    "'w' given twice (first on line 1)");
	error_is("service 'a b' hello\n", "fleetd.conf:1: bad service name "
	    "'a b': 1..63 of [A-Za-z0-9_.-]");
	error_is("service '' hello\n", "fleetd.conf:1: bad service name '': "
	    "1..63 of [A-Za-z0-9_.-]");
	error_is("\nboot echo 'oops\n\n", "fleetd.conf:2: unterminated "
	    "single quote");
	error_is("boot \"a\nb\n", "fleetd.conf:1: unterminated double "
	    "quote");
}

static void
files(void)
{
	char dir[] = "/tmp/test_config.XXXXXX", path[64], msg[128];
	struct config c;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/fleetd.conf", dir);
	/* a missing file: fine when it is the default, else an error */
	CHECK(config_load(&c, path, opts, 1) == 0 && c.nopts == 0);
	config_free(&c);
	CHECK(config_load(&c, path, opts, 0) == -ENOENT);
	snprintf(msg, sizeof(msg), "%s: No such file or directory", path);
	CHECK_STR(fleet_last_error(), msg);
	config_free(&c);
	CHECK((f = fopen(path, "w")) != NULL);
	fputs("pool hello\nboot hello\n", f);
	fclose(f);
	CHECK(config_load(&c, path, opts, 0) == 0 && c.nopts == 1 &&
	    c.boot != NULL);
	config_free(&c);
	CHECK((f = fopen(path, "w")) != NULL);
	fputs("pool hello\nbogus\n", f);
	fwrite("", 1, 1, f);
	fclose(f);
	CHECK(config_load(&c, path, opts, 0) == -EINVAL);
	snprintf(msg, sizeof(msg), "%s:3: a NUL byte", path);
	CHECK_STR(fleet_last_error(), msg);
	config_free(&c);
	CHECK(config_load(&c, dir, opts, 0) == -EINVAL);
	config_free(&c);
	unlink(path);
	rmdir(dir);
}

/* The example's directives ("#word", no blank), taken out of their
 * comments, are good ones. */
static void
uncommented(const char *path)
{
	char text[8192], line[512];
	struct config c;
	size_t len = 0;
	FILE *f;

	CHECK((f = fopen(path, "r")) != NULL);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL && len < 7000)
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z')
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "%s", line + 1);
	fclose(f);
	CHECK(config_parse(&c, path, text, len, opts) == 0);
	CHECK(c.nopts == 6 && c.boot != NULL && c.nsvcs == 2);
	config_free(&c);
}

/* The example the installation puts in /etc/fleet: all comments. */
static void
example(void)
{
	const char *src = getenv("FLEET_SRC");
	struct config c;
	char path[512];

	if (src == NULL)
		return;
	snprintf(path, sizeof(path), "%s/dist/fleetd.conf", src);
	CHECK(config_load(&c, path, opts, 0) == 0);
	CHECK(c.nopts == 0 && c.boot == NULL && c.nsvcs == 0);
	config_free(&c);
	uncommented(path);
}

int
main(void)
{
	good();
	quoting();
	errors();
	files();
	example();
	CHECK_DONE();
}
