/* fleet-ps: list fleet VMs like ps */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>
#include <fleet/discover.h>
#include <fleet/fleet.h>
#include <fleet/ps.h>
#include <fleet/ctl.h>

static const char *prog = "fleet-ps";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "routers", no_argument, NULL, 'r' },
	{ "services", no_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-a] [-o table|json]\n"
	    "       %s --routers | --services [-o table|json]\n"
	    "  -a, --all          VMs of every owner, not only yours\n"
	    "  -o, --output FMT   table (default) or json\n"
	    "  -r, --routers      the fleet routers DNS-SD finds, not VMs\n"
	    "  -s, --services     fleetd's services: their VMs, states and\n"
	    "                     restarts\n"
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

static int
width(const struct fleet_service *l, size_t n, size_t off, const char *head)
{
	size_t i, w = strlen(head), k;

	for (i = 0; i < n; i++)
		if ((k = strlen((const char *)&l[i] + off)) > w)
			w = k;
	return (int)w;
}

static void
services_table(const struct fleet_service *l, size_t n)
{
	int wn = width(l, n, offsetof(struct fleet_service, name), "SERVICE");
	int wv = width(l, n, offsetof(struct fleet_service, vm), "VM");
	size_t i;

	printf("%-*s  %-*s  %-8s  %s\n", wn, "SERVICE", wv, "VM", "STATE",
	    "RESTARTS");
	for (i = 0; i < n; i++)
		printf("%-*s  %-*s  %-8s  %u\n", wn, l[i].name, wv, l[i].vm,
		    l[i].state, l[i].restarts);
}

/* vm is null between runs */
static void
services_json(const struct fleet_service *l, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		printf("%s{\"name\":", i ? "," : "");
		fleet_json_string(stdout, l[i].name);
		printf(",\"vm\":");
		if (strcmp(l[i].vm, "-") == 0)
			printf("null");
		else
			fleet_json_string(stdout, l[i].vm);
		printf(",\"state\":");
		fleet_json_string(stdout, l[i].state);
		printf(",\"restarts\":%u}", l[i].restarts);
	}
	printf("]\n");
}

/* fleetd's services, from its control socket ($FLEET_CTL). */
static int
services(int json)
{
	struct fleet_service *l;
	fleet_ctl *c = NULL;
	size_t n;

	if (fleet_ctl_open(&c, NULL) < 0 ||
	    fleet_ctl_services(c, &l, &n) < 0) {
		fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
		fleet_ctl_close(c);
		return 1;
	}
	fleet_ctl_close(c);
	if (json)
		services_json(l, n);
	else
		services_table(l, n);
	free(l);
	return fflush(stdout) != 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct fleet_proc_info *l;
	fleet_conn *c;
	size_t n, shown;
	int ch, all = 0, json = 0, r, rt = 0, svc = 0;

	while ((ch = getopt_long(argc, argv, "ao:rshV", longopts, NULL)) != -1)
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'r':
			rt = 1;
			break;
		case 's':
			svc = 1;
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
	if (optind != argc || (rt && svc) || (all && svc)) {
		usage(stderr);
		return 2;
	}
	if (rt)
		return routers(json);
	if (svc)
		return services(json);
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
