/* proxy.h: the libvirt RPC proxy, shared by proxy.c (sockets, relay) and
 * proxy-policy.c (what a client may call, what it sees) */
#ifndef FLEET_PROXY_H
#define FLEET_PROXY_H

#include <stdbool.h>
#include <stdint.h>
#include "rpc.h"

struct domtab;
struct xmlpolicy;

/* The replies the policy rewrites or learns from, by serial. */
#define POL_PENDING_MAX	256
struct pol_pending {
	uint32_t serial;
	int32_t proc;
	uint32_t need_results;		/* list_all_domains' own argument */
};

/* One client's side of the policy. */
struct pol_client {
	bool owner;			/* root on the unix socket: all
					 * passes */
	bool authing;			/* fleetd's AUTH_LIST not answered:
					 * the client's calls wait */
	struct pol_pending pend[POL_PENDING_MAX];
	size_t npend;
};

struct pol {
	struct domtab *dt;
	const char *uri;		/* what connect_open opens upstream */
	/* xmlpolicy_check() and its policy; NULL: no domain is created */
	int (*xml_check)(const char *xml, size_t len,
	    const struct xmlpolicy *pol);
	const struct xmlpolicy *xml;
};

/* proxy-policy.c */
int pol_call(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *up, struct rpc_out *down);
int pol_back(const struct pol *p, struct pol_client *c, const uint8_t *frame,
    const struct rpc_hdr *h, struct rpc_out *down);
char *pol_open_uri(const char *uri);
void pol_start(struct pol_client *c, struct rpc_out *up);

#endif
