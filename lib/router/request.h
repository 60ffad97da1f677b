/* request.h: fleetd's control requests, one file per kind (request.c
 * reads and checks them) */
#ifndef FLEET_ROUTER_REQUEST_H
#define FLEET_ROUTER_REQUEST_H

#define WORDS_MAX	1024	/* run's argv; the others take at most 5 */

struct control;
struct client;

/* An `err` reply saying code and fleet_last_error(). */
int	req_fail(struct client *cl, int code);

/* req-flows.c: a change of the state, in or out of a transaction */
struct state;
int	req_change_begin(struct control *c, struct client *cl,
	    struct state **np);
int	req_change_end(struct control *c, struct client *cl,
	    struct state *next, const char *text);
void	req_change_drop(struct client *cl, struct state *next);

int	req_abort(struct control *c, struct client *cl, char **w, int n);
int	req_allow(struct control *c, struct client *cl, char **w, int n);
int	req_begin(struct control *c, struct client *cl, char **w, int n);
int	req_claim(struct control *c, struct client *cl, char **w, int n);
int	req_commit(struct control *c, struct client *cl, char **w, int n);
int	req_create(struct control *c, struct client *cl, char **w, int n);
int	req_detach(struct control *c, struct client *cl, char **w, int n);
int	req_recycle(struct control *c, struct client *cl, char **w, int n);
int	req_lease(struct control *c, struct client *cl, char **w, int n);
int	req_list(struct control *c, struct client *cl, char **w, int n);
int	req_pool(struct control *c, struct client *cl, char **w, int n);
int	req_register(struct control *c, struct client *cl, char **w, int n);
int	req_release(struct control *c, struct client *cl, char **w, int n);
int	req_revoke(struct control *c, struct client *cl, char **w, int n);
int	req_run(struct control *c, struct client *cl, char **w, int n);
int	req_services(struct control *c, struct client *cl, char **w, int n);
int	req_vms(struct control *c, struct client *cl, char **w, int n);
int	req_ping(struct control *c, struct client *cl, char **w, int n);

#endif
