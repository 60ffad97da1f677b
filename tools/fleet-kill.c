/* fleet-kill: signal fleet VMs by id or name */
#include <getopt.h>
#include <stdio.h>
#include <fleet/fleet.h>
#include <fleet/status.h>

static const char *prog = "fleet-kill";

static const struct option longopts[] = {
	{ "signal", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-s SIGNAL] ID|NAME...\n"
	    "  -s, --signal SIG  TERM (default), INT, KILL, STOP, CONT, HUP,\n"
	    "                    ... or a number\n"
	    "  -h, --help        this help\n"
	    "  -V, --version     print the version\n", prog);
}

int
main(int argc, char **argv)
{
	fleet_conn *c;
	int ch, i, sig = 15, rc = 0;

	while ((ch = getopt_long(argc, argv, "s:hV", longopts, NULL)) != -1)
		switch (ch) {
		case 's':
			if ((sig = fleet_signal_parse(optarg)) < 0) {
				fprintf(stderr, "%s: unknown signal '%s'\n",
				    prog, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, FLEET_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (fleet_open(&c, NULL) < 0) {
		fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
		return 1;
	}
	for (i = optind; i < argc; i++)
		if (fleet_kill(c, argv[i], sig) < 0) {
			fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
			rc = 1;
		}
	fleet_close(c);
	return rc;
}
