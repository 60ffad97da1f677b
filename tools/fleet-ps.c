/* fleet-ps: list fleet VMs like ps */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>
#include <fleet/discover.h>
#include <fleet/fleet.h>
#include <fleet/ps.h>

static const char *prog = "fleet-ps";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "routers", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-a] [-o table|json]\n"
	    "       %s --routers [-o table|json]\n"
	    "  -a, --all          VMs of every owner, not only yours\n"
	    "  -o, --output FMT   table (default) or json\n"
	    "  -r, --routers      the fleet routers DNS-SD finds, not VMs\n"
	    "  -h, --help         this help\n"
	    "  -V, --version      print the version\n", prog, prog);
}

/* Keep the caller's own VMs at the front; returns how many. */
static size_t
mine(struct fleet_proc_info *l, size_t n)
{
	struct fleet_proc_info t;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (l[i].owner_uid == geteuid()) {
			t = l[k];
			l[k++] = l[i];
			l[i] = t;
		}
	return k;
}

static int
routers(int json)
{
	struct fleet_router *l;
	size_t n;
	int r;

	if (fleet_discover(FLEET_DISCOVER_MS, &l, &n) < 0) {
		fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
		return 1;
	}
	r = json ? fleet_routers_json(stdout, l, n) :
	    fleet_routers_table(stdout, l, n);
	free(l);
	return r < 0 || fflush(stdout) != 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct fleet_proc_info *l;
	fleet_conn *c;
	size_t n, shown;
	int ch, all = 0, json = 0, r, rt = 0;

	while ((ch = getopt_long(argc, argv, "ao:rhV", longopts, NULL)) != -1)
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'r':
			rt = 1;
			break;
		case 'o':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "table") != 0) {
				fprintf(stderr, "%s: unknown format '%s'\n",
				    prog, optarg);
				return 2;
			}
			json = strcmp(optarg, "json") == 0;
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
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (rt)
		return routers(json);
	if (fleet_open(&c, NULL) < 0 || fleet_list(c, &l, &n) < 0) {
		fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
		return 1;
	}
	shown = all ? n : mine(l, n);
	if (json)
		r = fleet_ps_json(stdout, l, shown, time(NULL));
	else
		r = fleet_ps_table(stdout, l, shown, time(NULL));
	fleet_proc_info_free(l, n);
	fleet_close(c);
	return r < 0 || fflush(stdout) != 0 ? 1 : 0;
}
