/* control.h: control clients, shared by control.c (sockets) and request.c
 * (what each request does) */
#ifndef FLEET_CONTROL_H
#define FLEET_CONTROL_H

#include <stdbool.h>
#include <sys/types.h>
#include <fleet/ctl.h>
#include <fleet/flow.h>

struct state;
struct pool;
struct services;

struct client {
	int fd;
	bool local;			/* unix socket, else TCP */
	bool dead;			/* close after this round */
	bool draining;			/* told off: its input is dropped
					 * until it closes, or drain_until */
	struct timespec drain_until;	/* monotonic */
	uid_t uid;			/* SO_PEERCRED, local only */
	pid_t pid;
	char in[FLEET_CTL_LINE_MAX];
	size_t len;
	char out[64 * 1024];		/* replies of the current request */
	size_t outlen;
	struct state *tx;		/* between begin and commit */
	size_t txline;
	int txerr;			/* first failure inside the tx */
	char txmsg[256];
	char (*claims)[FLEET_NAME_MAX];	/* pool VMs that die with us */
	size_t nclaims;
};

struct control {
	struct state *s;
	struct pool *pool;		/* NULL: no warm pool */
	struct services *svc;		/* NULL: none configured */
	int unix_fd, tcp_fd;
	char *path;
	struct client *clients[64];
	size_t nclients;
};

/* control.c */
int client_reply(struct client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int client_flush(struct client *cl);
#define CLIENT_FDS_MAX	5
int client_flush_fds(struct client *cl, const int *fds, size_t nfds);

/* request.c */
void control_request(struct control *c, struct client *cl, char *line);

#endif
