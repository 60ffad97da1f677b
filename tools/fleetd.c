/* fleetd.c: the router daemon: argv, wiring, the poll loop */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <fleet/fleet.h>
#include <fleet/ctl.h>
#include "core.h"
#include "mdns.h"
#include "router.h"

#define POOLS_MAX	16

struct opts {
	const char *bridge, *address, *state_dir, *socket, *libvirt;
	bool tcp;
	const char *pools[POOLS_MAX];	/* --pool IMAGE[:N] */
	int npools;
	const char *pool_max, *pool_jobs;
	const char *mdns_name;
	bool mdns;
};

/* The state, between the poll loop and the pool's leases. */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: fleetd [options]\n"
	    "  -b, --bridge NAME      the fleet bridge (fleet0)\n"
	    "  -a, --address A/N      router address and prefix (10.77.0.1/16)\n"
	    "  -d, --state-dir DIR    flows and leases (/var/lib/fleet)\n"
	    "  -s, --socket PATH      control socket ($FLEET_CTL or %s)\n"
	    "      --no-tcp           no control port on the router address\n"
	    "  -L, --libvirt URI      follow this libvirt: a fleet-* VM's lease\n"
	    "                         ends with the VM\n"
	    "  -P, --pool IMAGE[:N]   keep N (2) VMs of IMAGE booted and paused\n"
	    "                         for clients to claim, more while claims\n"
	    "                         outrun the refill; repeatable; needs\n"
	    "                         --libvirt\n"
	    "      --pool-max N       N (32) pool VMs at most, idle or booting\n"
	    "      --pool-jobs N      boot N (2) pool VMs at once\n"
	    "      --mdns-name NAME   publish as NAME (\"fleet on HOST\")\n"
	    "      --no-mdns          no DNS-SD service\n"
	    "  -h, --help             this text\n"
	    "  -V, --version          fleetd's version\n", FLEET_CTL_DEFAULT);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "bridge", required_argument, NULL, 'b' },
		{ "address", required_argument, NULL, 'a' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "no-tcp", no_argument, NULL, 'T' },
		{ "libvirt", required_argument, NULL, 'L' },
		{ "pool", required_argument, NULL, 'P' },
		{ "pool-max", required_argument, NULL, 'M' },
		{ "pool-jobs", required_argument, NULL, 'J' },
		{ "mdns-name", required_argument, NULL, 'N' },
		{ "no-mdns", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	opterr = 0;	/* our own messages, prefixed "fleetd:" */
	while ((ch = getopt_long(argc, argv, "b:a:d:s:L:P:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b': o->bridge = optarg; break;
		case 'a': o->address = optarg; break;
		case 'd': o->state_dir = optarg; break;
		case 's': o->socket = optarg; break;
		case 'T': o->tcp = false; break;
		case 'L': o->libvirt = optarg; break;
		case 'P':
			if (o->npools == POOLS_MAX)
				errx(2, "more than %d --pool options",
				    POOLS_MAX);
			o->pools[o->npools++] = optarg;
			break;
		case 'M': o->pool_max = optarg; break;
		case 'J': o->pool_jobs = optarg; break;
		case 'N': o->mdns_name = optarg; break;
		case 'D': o->mdns = false; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("fleetd %s\n", FLEET_VERSION); exit(0);
		default:
			warnx("bad option or missing argument: %s",
			    argv[optind - 1]);
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc) {
		warnx("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (o->npools > 0 && o->libvirt == NULL)
		errx(2, "--pool needs --libvirt URI (the pool's VMs live "
		    "there)");
}

static int
signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (fd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		err(1, "signalfd");
	signal(SIGPIPE, SIG_IGN);
	return fd;
}

/* The warm pool's images, checked before anything is set up. */
static struct pool *
pool_setup(const struct opts *o)
{
	struct pool *p;
	int i;

	/* with libvirt and no --pool, an empty one: it creates VMs for
	 * local clients (`create`) */
	if (o->npools == 0 && o->libvirt == NULL)
		return NULL;
	if (pool_new(&p) < 0)
		errx(1, "%s", fleet_last_error());
	for (i = 0; i < o->npools; i++)
		if (pool_add(p, o->pools[i]) < 0)
			errx(1, "--pool %s: %s", o->pools[i],
			    fleet_last_error());
	if (pool_limits(p, o->pool_max, o->pool_jobs) < 0)
		errx(1, "--pool-max, --pool-jobs: %s", fleet_last_error());
	return p;
}

/* The DNS-SD service: without avahi (no D-Bus), fleetd goes on. */
static struct mdns *
mdns_setup(const struct opts *o, const struct net_conf *net)
{
	struct mdns_conf c = { .name = o->mdns_name, .bridge = net->bridge,
	    .addr = net->addr, .ctl_port = o->tcp ? FLEET_CTL_PORT : 0,
	    .proxy_port = 16509 };
	struct mdns *m;

	if (!o->mdns)
		return NULL;
	if (mdns_open(&m, &c) < 0) {
		warnx("%s; not published", fleet_last_error());
		return NULL;
	}
	return m;
}

/* Serve until SIGTERM or SIGINT. */
static void
serve(struct control *ctl, struct events *ev, struct mdns *md,
    struct state *s, int sigfd)
{
	struct pollfd fds[96];
	struct signalfd_siginfo si;
	int n;
	size_t nm;

	for (;;) {
		if ((n = control_fds(ctl, fds + 2, 78)) < 0)
			errx(1, "too many clients");
		fds[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = events_fd(ev),
		    .events = POLLIN };
		nm = mdns_fds(md, fds + 2 + n, 16);
		if (poll(fds, (nfds_t)n + 2 + nm, mdns_timeout(md)) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (fds[0].revents & POLLIN &&
		    read(sigfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo != SIGHUP)
			return;
		pthread_mutex_lock(&state_lock);
		if (fds[1].revents & POLLIN)
			events_read(ev, ended_vm, s);
		control_dispatch(ctl, fds + 2, (size_t)n);
		pthread_mutex_unlock(&state_lock);
		mdns_dispatch(md, fds + 2 + n, nm);
	}
}

int
main(int argc, char **argv)
{
	struct opts o = { .bridge = "fleet0", .state_dir = "/var/lib/fleet",
	    .tcp = true, .mdns = true };
	struct control *ctl = NULL;
	struct events *ev = NULL;
	struct mdns *md;
	struct pool *pool;
	struct net_conf net;
	struct state s;
	int sigfd;

	parse_args(argc, argv, &o);
	/* $FLEET_CTL only when it names a unix socket (it may be a client's
	 * tcp:HOST:PORT) */
	if (o.socket == NULL && (o.socket = getenv("FLEET_CTL")) != NULL)
		o.socket = ctl_unix_path(o.socket);
	if (o.socket == NULL)
		o.socket = FLEET_CTL_DEFAULT;
	else if (ctl_unix_path(o.socket) != NULL)
		o.socket = ctl_unix_path(o.socket);
	sigfd = signals();
	pool = pool_setup(&o);
	if (net_conf_parse(&net, o.bridge, o.address) < 0 ||
	    state_init(&s, o.state_dir, &net) < 0 || state_load(&s) < 0)
		errx(1, "%s", fleet_last_error());
	if (net_setup(&net) < 0 || change_resync(&s) < 0 ||
	    control_open(&ctl, &s, o.socket, o.tcp) < 0)
		errx(1, "%s", fleet_last_error());
	if (o.libvirt) {
		if (events_open(&ev, o.libvirt) < 0)
			errx(1, "%s", fleet_last_error());
		ended_reconcile(ev, &s);
	}
	if (pool != NULL && pool_start(pool, o.libvirt, &s, &state_lock) < 0)
		errx(1, "%s", fleet_last_error());
	control_set_pool(ctl, pool);
	md = mdns_setup(&o, &net);
	serve(ctl, ev, md, &s, sigfd);
	mdns_close(md);
	control_close(ctl);	/* claims end: their VMs are doomed */
	pool_close(pool);
	events_close(ev);
	if (fw_remove() < 0)
		warnx("%s", fleet_last_error());
	state_free(&s);
	return 0;
}
