/* fleet-allow.c: declare, revoke and list flows between fleet programs */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/fleet.h>
#include <fleet/ctl.h>

enum mode { ALLOW, REVOKE, LIST, FILE_ };

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: fleet-allow [-c ENDPOINT] SRC DST PROTO/PORT\n"
	    "       fleet-allow [-c ENDPOINT] --revoke SRC DST PROTO/PORT|ID\n"
	    "       fleet-allow [-c ENDPOINT] --list [-o text|json]\n"
	    "       fleet-allow [-c ENDPOINT] --file FILE|-\n"
	    "PROTO/PORT: tcp/N, tcp/N-M, udp/N, udp/N-M or icmp;\n"
	    "SRC, DST: program names or router\n");
}

static int
do_list(const char *ctl, const char *fmt)
{
	struct fleet_flow *v = NULL;
	size_t n = 0;

	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		errx(2, "-o %s: expected text or json", fmt);
	if (fleet_flow_list(ctl, &v, &n) < 0)
		errx(1, "%s", fleet_last_error());
	if (strcmp(fmt, "json") == 0)
		fleet_flow_json(stdout, v, n);
	else
		fleet_flow_table(stdout, v, n);
	free(v);
	return 0;
}

/* One flow a line, '#' starts a comment; all applied as one change. */
static int
do_file(const char *ctl, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	struct fleet_flow *v = NULL, *nv;
	size_t n = 0, cap = 0, lineno = 0, len = 0;
	char *line = NULL;

	if (fp == NULL)
		err(1, "%s", path);
	while (getline(&line, &len, fp) > 0) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				err(1, "reallocarray");
			v = nv;
		}
		if (fleet_flow_parse_line(&v[n++], line) < 0)
			errx(1, "%s:%zu: %s", path, lineno,
			    fleet_last_error());
	}
	if (fp != stdin)
		fclose(fp);
	free(line);
	if (fleet_flow_allow_many(ctl, v, n) < 0)
		errx(1, "%s", fleet_last_error());
	free(v);
	return 0;
}

static int
do_flow(const char *ctl, enum mode m, char **w, int n)
{
	struct fleet_flow f;
	unsigned id;

	if (m == REVOKE && n == 1) {
		if (fleet_flow_id_parse(w[0], &id) < 0)
			errx(2, "%s", fleet_last_error());
		if (fleet_flow_revoke_id(ctl, id) < 0)
			errx(1, "%s", fleet_last_error());
		return 0;
	}
	if (n != 3) {
		usage(stderr);
		exit(2);
	}
	if (fleet_flow_parse(&f, w[0], w[1], w[2]) < 0)
		errx(2, "%s", fleet_last_error());
	if ((m == ALLOW ? fleet_flow_allow(ctl, &f) :
	    fleet_flow_revoke(ctl, &f)) < 0)
		errx(1, "%s", fleet_last_error());
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "revoke", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "file", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "ctl", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ctl = NULL, *fmt = "text", *file = NULL;
	enum mode m = ALLOW;
	int ch;

	opterr = 0;	/* our own messages, prefixed "fleet-allow:" */
	while ((ch = getopt_long(argc, argv, "rlf:o:c:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r': m = REVOKE; break;
		case 'l': m = LIST; break;
		case 'f': m = FILE_; file = optarg; break;
		case 'o': fmt = optarg; break;
		case 'c': ctl = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("fleet-allow %s\n", FLEET_VERSION); return 0;
		default:
			warnx("bad option or missing argument: %s",
			    argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if ((m == LIST || m == FILE_) && argc != 0) {
		usage(stderr);
		return 2;
	}
	if (m == LIST)
		return do_list(ctl, fmt);
	if (m == FILE_)
		return do_file(ctl, file);
	return do_flow(ctl, m, argv, argc);
}
