/* fleetd.c: the router daemon: argv, wiring, the poll loop */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <fleet/fleet.h>
#include <fleet/ctl.h>
#include "router.h"

struct opts {
	const char *bridge, *address, *state_dir, *socket;
	bool tcp;
};

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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "b:a:d:s:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b': o->bridge = optarg; break;
		case 'a': o->address = optarg; break;
		case 'd': o->state_dir = optarg; break;
		case 's': o->socket = optarg; break;
		case 'T': o->tcp = false; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("fleetd %s\n", FLEET_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc) {
		warnx("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		exit(2);
	}
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

/* Serve until SIGTERM or SIGINT. */
static void
serve(struct control *ctl, int sigfd)
{
	struct pollfd fds[80];
	struct signalfd_siginfo si;
	int n;

	for (;;) {
		if ((n = control_fds(ctl, fds + 1, 79)) < 0)
			errx(1, "too many clients");
		fds[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (poll(fds, (nfds_t)n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (fds[0].revents & POLLIN &&
		    read(sigfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo != SIGHUP)
			return;
		control_dispatch(ctl, fds + 1, (size_t)n);
	}
}

int
main(int argc, char **argv)
{
	struct opts o = { "fleet0", NULL, "/var/lib/fleet", NULL, true };
	struct control *ctl = NULL;
	struct net_conf net;
	struct state s;
	int sigfd;

	parse_args(argc, argv, &o);
	if (o.socket == NULL)
		o.socket = getenv("FLEET_CTL") ? getenv("FLEET_CTL") :
		    FLEET_CTL_DEFAULT;
	if (strncmp(o.socket, "unix:", 5) == 0)
		o.socket += 5;
	sigfd = signals();
	if (net_conf_parse(&net, o.bridge, o.address) < 0 ||
	    state_init(&s, o.state_dir, &net) < 0 || state_load(&s) < 0)
		errx(1, "%s", fleet_last_error());
	if (net_setup(&net) < 0 || change_resync(&s) < 0 ||
	    control_open(&ctl, &s, o.socket, o.tcp) < 0)
		errx(1, "%s", fleet_last_error());
	serve(ctl, sigfd);
	control_close(ctl);
	if (fw_remove() < 0)
		warnx("%s", fleet_last_error());
	state_free(&s);
	return 0;
}
