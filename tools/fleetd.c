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
#include "config.h"
#include "log.h"
#include "services.h"
#include "xmlpolicy.h"

#define POOLS_MAX	16

struct opts {
	const char *bridge, *address, *state_dir, *socket, *libvirt;
	bool tcp;
	const char *pools[POOLS_MAX];	/* --pool IMAGE[:N] */
	int npools;
	const char *pool_max, *pool_jobs;
	const char *mdns_name;
	bool mdns;
	bool syslog;
	int proxy_port;			/* 0: none on TCP */
	const char *proxy_socket, *proxy_upstream;
	struct config conf;		/* --config: its options, services */
};

/* The state, between the poll loop and the pool's leases. */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: fleetd [options]\n"
	    "  -c, --config PATH      directives, the boot process and\n"
	    "                         services (%s)\n"
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
	    "      --syslog           messages to syslog, not stderr\n"
	    "      --proxy-port N     libvirt proxy on the router address\n"
	    "                         (16509; 0: none); needs --libvirt\n"
	    "      --proxy-socket P   libvirt proxy's unix socket\n"
	    "                         (/run/fleet/libvirt-sock; \"\": none)\n"
	    "      --proxy-upstream P libvirtd's socket\n"
	    "                         (/run/libvirt/libvirt-sock)\n"
	    "  -h, --help             this text\n"
	    "  -V, --version          fleetd's version\n", CONFIG_DEFAULT,
	    FLEET_CTL_DEFAULT);
}

static const struct option longopts[] = {
	/* the command line's only */
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
#define FILE_OPTS	3	/* longopts + FILE_OPTS: directives too */
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
	{ "syslog", no_argument, NULL, 'S' },
	{ "proxy-port", required_argument, NULL, 'X' },
	{ "proxy-socket", required_argument, NULL, 'Y' },
	{ "proxy-upstream", required_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 },
};

static int
port_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 65535)
		errx(2, "--proxy-port %s: not a port number (0-65535)", s);
	return (int)v;
}

/* One option, from the command line or the file; 0, or -1 when there
 * is no room for another --pool. */
static int
set_opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'b': o->bridge = arg; break;
	case 'a': o->address = arg; break;
	case 'd': o->state_dir = arg; break;
	case 's': o->socket = arg; break;
	case 'T': o->tcp = false; break;
	case 'L': o->libvirt = arg; break;
	case 'P':
		if (o->npools == POOLS_MAX)
			return -1;
		o->pools[o->npools++] = arg;
		break;
	case 'M': o->pool_max = arg; break;
	case 'J': o->pool_jobs = arg; break;
	case 'N': o->mdns_name = arg; break;
	case 'D': o->mdns = false; break;
	case 'S': o->syslog = true; break;
	case 'X': o->proxy_port = port_arg(arg); break;
	case 'Y': o->proxy_socket = *arg ? arg : NULL; break;
	case 'U': o->proxy_upstream = arg; break;
	}
	return 0;
}

/* The file's options, where the command line did not give them. */
static void
file_opts(struct opts *o, const bool *given)
{
	const struct config_opt *co;
	size_t i;

	for (i = 0; i < o->conf.nopts; i++) {
		co = &o->conf.opts[i];
		if (!given[co->val] && set_opt(o, co->val, co->arg) < 0)
			errx(2, "%s:%d: more than %d pool directives",
			    o->conf.path, co->line, POOLS_MAX);
	}
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	const char *conf = NULL;
	bool given[128] = { false };
	int ch;

	opterr = 0;	/* our own messages, prefixed "fleetd:" */
	while ((ch = getopt_long(argc, argv, "c:b:a:d:s:L:P:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("fleetd %s\n", FLEET_VERSION); exit(0);
		case '?':
		case ':':
			warnx("bad option or missing argument: %s",
			    argv[optind - 1]);
			usage(stderr);
			exit(2);
		default:
			if (set_opt(o, ch, optarg) < 0)
				errx(2, "more than %d --pool options",
				    POOLS_MAX);
			given[ch] = true;
		}
	}
	if (optind != argc) {
		warnx("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (config_load(&o->conf, conf ? conf : CONFIG_DEFAULT,
	    longopts + FILE_OPTS, conf == NULL) < 0)
		errx(2, "%s", fleet_last_error());
	file_opts(o, given);
	if (o->npools > 0 && o->libvirt == NULL)
		errx(2, "--pool needs --libvirt URI (the pool's VMs live "
		    "there)");
	if ((o->conf.boot != NULL || o->conf.nsvcs > 0) && o->libvirt == NULL)
		errx(2, "%s: boot and service need --libvirt URI (their VMs "
		    "live there)", o->conf.path);
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
	    .proxy_port = o->libvirt ? (uint16_t)o->proxy_port : 0 };
	struct mdns *m;

	if (!o->mdns)
		return NULL;
	if (mdns_open(&m, &c) < 0) {
		log_warnx("%s; not published", fleet_last_error());
		return NULL;
	}
	return m;
}

/* The libvirt proxy, when fleetd fronts a libvirt. */
static struct proxy *
proxy_setup(const struct opts *o, const struct net_conf *net,
    struct events *ev)
{
	struct proxy_conf cf = { .addr = net->addr, .port = o->proxy_port,
	    .path = o->proxy_socket, .upstream = o->proxy_upstream,
	    .uri = o->libvirt };
	static struct xmlpolicy pol;	/* for fleetd's life */
	struct proxy *px;

	if (o->libvirt == NULL || (cf.port == 0 && cf.path == NULL))
		return NULL;
	if (proxy_open(&px, &cf) < 0 ||
	    events_follow_domains(ev, proxy_domtab(px)) < 0 ||
	    xmlpolicy_fleet(&pol, net->bridge) < 0)
		errx(1, "%s", fleet_last_error());
	proxy_set_xmlpolicy(px, xmlpolicy_check, &pol);
	return px;
}

#define CONTROL_FDS	77
#define MDNS_FDS	16

/* Serve until SIGTERM or SIGINT, and then until the services ended
 * (their spawns and ends may ask the control socket). */
static void
serve(struct control *ctl, struct events *ev, struct mdns *md,
    struct proxy *px, struct state *s, int sigfd, struct services *svc)
{
	struct pollfd fds[3 + CONTROL_FDS + MDNS_FDS + PROXY_FDS_MAX];
	struct pollfd *pfds;
	struct signalfd_siginfo si;
	bool stopping = false;
	int n, np = 0;
	size_t nm;

	for (;;) {
		if ((n = control_fds(ctl, fds + 3, CONTROL_FDS)) < 0)
			errx(1, "too many clients");
		fds[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = events_fd(ev),
		    .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = services_fd(svc),
		    .events = POLLIN };
		nm = mdns_fds(md, fds + 3 + n, MDNS_FDS);
		pfds = fds + 3 + n + nm;
		if (px && (np = proxy_fds(px, pfds, PROXY_FDS_MAX)) < 0)
			errx(1, "%s", fleet_last_error());
		if (poll(fds, (nfds_t)n + 3 + nm + (nfds_t)np,
		    mdns_timeout(md)) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (fds[0].revents & POLLIN &&
		    read(sigfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo != SIGHUP && !stopping) {
			if (svc == NULL)
				return;
			services_stop(svc);
			stopping = true;
		}
		if (fds[2].revents & POLLIN)
			return;
		pthread_mutex_lock(&state_lock);
		if (fds[1].revents & POLLIN)
			events_read(ev, ended_vm, s);
		control_dispatch(ctl, fds + 3, (size_t)n);
		pthread_mutex_unlock(&state_lock);
		mdns_dispatch(md, fds + 3 + n, nm);
		if (px)
			proxy_dispatch(px, pfds, (size_t)np);
	}
}

int
main(int argc, char **argv)
{
	struct opts o = { .bridge = "fleet0", .state_dir = "/var/lib/fleet",
	    .tcp = true, .mdns = true, .proxy_port = PROXY_PORT,
	    .proxy_socket = PROXY_SOCKET, .proxy_upstream = PROXY_UPSTREAM };
	struct control *ctl = NULL;
	struct events *ev = NULL;
	struct mdns *md;
	struct proxy *px;
	struct pool *pool;
	struct services *svc;
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
	log_init(o.syslog);
	/* the services' spawns lease through this socket */
	if (setenv("FLEET_CTL", o.socket, 1) < 0)
		err(1, "setenv");
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
	px = proxy_setup(&o, &net, ev);
	/* last: the boot process and services find the router up */
	if (services_start(&svc, &o.conf, o.libvirt) < 0)
		errx(1, "%s", fleet_last_error());
	control_set_services(ctl, svc);
	serve(ctl, ev, md, px, &s, sigfd, svc);
	services_free(svc);
	proxy_close(px);	/* auto-destroy VMs die with their clients */
	mdns_close(md);
	control_close(ctl);	/* claims end: their VMs are doomed */
	pool_close(pool);
	events_close(ev);
	if (fw_remove() < 0)
		log_warnx("%s", fleet_last_error());
	state_free(&s);
	config_free(&o.conf);
	return 0;
}
