/* router.h: what fleetd is made of, grouped by file */
#ifndef FLEET_ROUTER_H
#define FLEET_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <fleet/flow.h>

#define ROUTER_FLOW_MAX		(1u << 20)	/* flows declared at once */
#define ROUTER_TABLE		"fleet"		/* inet and bridge tables */

/* A VM (or a stand-in) on the bridge. Addresses in network byte order. */
struct vm {
	char name[FLEET_NAME_MAX];	/* domain name */
	char program[FLEET_NAME_MAX];
	char ifname[IFNAMSIZ];		/* its tap on the bridge */
	uint8_t mac[6];
	uint32_t ip;
};

struct net_conf {
	char bridge[IFNAMSIZ];		/* fleet0 */
	uint32_t addr;			/* router address, network order */
	unsigned prefix;		/* 16 */
};

struct state {
	struct net_conf net;
	char *dir;			/* state directory */
	struct fleet_flow *flows;	/* sorted by id */
	size_t nflows, capflows;
	unsigned next_id;
	struct vm *vms;
	size_t nvms, capvms;
};

/* One set element: saddr . daddr . proto . dport-range. */
struct fw_elem {
	uint32_t saddr, daddr;		/* network order */
	uint8_t proto;			/* IPPROTO_* */
	uint16_t lo, hi;		/* host order; icmp 0-65535 */
	unsigned flow;			/* the first flow id it comes from */
};

/* What fleetd installs: the rule model, apart from netlink. */
struct fw_model {
	struct fw_elem *exact;		/* lo == hi: the hash set "flows" */
	size_t nexact;
	struct fw_elem *ranges;		/* merged, disjoint: "flow_ranges" */
	size_t nranges;
	struct vm *binds;		/* tap . mac . ip: the bridge set */
	size_t nbinds;
	struct net_conf net;
};

/* state.c */
int state_init(struct state *s, const char *dir, const struct net_conf *n);
void state_free(struct state *s);
int state_load(struct state *s);
int state_save(const struct state *s);
struct fleet_flow *state_find_flow(const struct state *s,
    const struct fleet_flow *f);
struct fleet_flow *state_flow_by_id(const struct state *s, unsigned id);
int state_add_flow(struct state *s, const struct fleet_flow *f);
int state_check_dups(const struct state *s);
void state_del_flow(struct state *s, struct fleet_flow *f);
struct vm *state_find_vm(const struct state *s, const char *name);
struct vm *state_vm_by_ip(const struct state *s, uint32_t ip);
int state_add_vm(struct state *s, const struct vm *v);
void state_del_vm(struct state *s, struct vm *v);
int state_copy(struct state *dst, const struct state *src);

/* lease.c */
int lease_alloc(const struct state *s, uint32_t *ip);
void lease_mac(uint32_t ip, uint8_t mac[6]);
int lease_check(const struct state *s, uint32_t ip, const uint8_t mac[6]);
int mac_parse(const char *str, uint8_t mac[6]);
void mac_format(const uint8_t mac[6], char buf[18]);

/* rules.c */
int rules_build(const struct state *s, struct fw_model *m);
void rules_free(struct fw_model *m);

/* nft.c */
struct nft_batch;
int nft_batch_build(const struct fw_model *m, uint32_t seq,
    struct nft_batch **bp);
int nft_batch_build_delete(uint32_t seq, struct nft_batch **bp);
const void *nft_batch_data(const struct nft_batch *b);
size_t nft_batch_len(const struct nft_batch *b);
void nft_batch_free(struct nft_batch *b);

/* fw.c */
int fw_apply(const struct fw_model *m);
int fw_remove(void);
void fw_close(void);

/* net.c */
int net_conf_parse(struct net_conf *n, const char *bridge, const char *cidr);
int net_setup(const struct net_conf *n);

/* listen.c */
int listen_unix(const char *what, const char *path, int backlog, int flags);
int listen_tcp(const char *what, uint32_t addr, int port, int backlog,
    int flags);

/* control.c */
struct control;
struct pool;
int control_open(struct control **cp, struct state *s, const char *path,
    bool tcp);
void control_set_pool(struct control *c, struct pool *p);
struct services;
void control_set_services(struct control *c, struct services *s);
int control_fds(const struct control *c, struct pollfd *fds, size_t max);
void control_dispatch(struct control *c, const struct pollfd *fds, size_t n);
void control_close(struct control *c);

/* events.c */
struct events;
int events_open(struct events **ep, const char *uri);
int events_fd(const struct events *e);
int events_domain_exists(struct events *e, const char *name);
void events_read(struct events *e, void (*fn)(const char *name, void *arg),
    void *arg);
void events_close(struct events *e);
struct domtab;
int events_follow_domains(struct events *e, struct domtab *t);

/* proxy.c */
#define PROXY_PORT		16509		/* libvirtd's own TCP port */
#define PROXY_SOCKET		"/run/fleet/libvirt-sock"
#define PROXY_UPSTREAM		"/run/libvirt/libvirt-sock"
#define PROXY_CLIENTS_MAX	128
#define PROXY_FDS_MAX		(2 + 2 * PROXY_CLIENTS_MAX)
struct proxy;
struct xmlpolicy;
struct proxy_conf {
	uint32_t addr;			/* router address, network order */
	int port;			/* 0: no TCP */
	const char *path;		/* NULL: no unix socket */
	const char *upstream;		/* libvirtd's unix socket */
	const char *uri;		/* what clients' connect_open opens */
};
int proxy_open(struct proxy **pp, const struct proxy_conf *cf);
struct domtab *proxy_domtab(struct proxy *p);
void proxy_set_xmlpolicy(struct proxy *p, int (*check)(const char *xml,
    size_t len, const struct xmlpolicy *pol), const struct xmlpolicy *pol);
int proxy_fds(struct proxy *p, struct pollfd *fds, size_t max);
void proxy_dispatch(struct proxy *p, const struct pollfd *fds, size_t n);
void proxy_close(struct proxy *p);

/* ended.c */
void ended_vm(const char *name, void *state);
void ended_reconcile(struct events *ev, struct state *s);

/* pool.c, pool-claim.c (pool-boot.c, pool-refill.c, pool-sweep.c: pool.h) */
struct pool;
struct pool_stat {
	const char *path;	/* the image, as pooled */
	unsigned want, idle, booting, claimed;
	unsigned long served;
};
int pool_new(struct pool **pp);
int pool_add(struct pool *p, const char *spec);
int pool_limits(struct pool *p, const char *max, const char *jobs);
int pool_start(struct pool *p, const char *uri, struct state *s,
    pthread_mutex_t *lock);
#define POOL_FDS	5	/* a claim's consoles: 3 ptys, stdio and file
				 * sockets */
int pool_claim(struct pool *p, const char *path, uid_t uid,
    char name[FLEET_NAME_MAX], int fds[POOL_FDS]);
int pool_recycle(struct pool *p, const char *name, uid_t uid);
void pool_recycled(struct pool *p, const char *name);
int pool_resume(struct pool *p, const char *name);
int pool_adopt(struct pool *p, const char *xml, char name[FLEET_NAME_MAX]);
const char *pool_uri(const struct pool *p);
int pool_program(struct pool *p, const char *name, const char **program,
    const char **image);
int pool_set_meta(struct pool *p, const char *name, const char *xml);
void pool_release(struct pool *p, const char *name, bool destroy);
size_t pool_images(const struct pool *p);
void pool_info(struct pool *p, size_t i, struct pool_stat *ps);
void pool_idle(struct pool *p, void (*fn)(const char *name, const char *path,
    long owner, void *arg), void *arg);
void pool_close(struct pool *p);

/* change.c */
int change_apply(struct state *s, struct state *next);
int change_resync(const struct state *s);
int change_release_vm(struct state *s, const char *name);

#endif
