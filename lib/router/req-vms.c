/* req-vms.c: the lease requests: lease, register, release, vms
 * (docs/protocol.md, section 6) */
#include <arpa/inet.h>
#include <errno.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fleet/fleet.h>
#include <fleet/argv.h>
#include "core.h"
#include "control.h"
#include "router.h"
#include "request.h"

/* NAME of a VM: [A-Za-z0-9_.-], 1..63 characters; IFNAME 1..15, no '/'. */
static int
check_vm_words(const char *name, const char *program, const char *ifname)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", name[i]))
			break;
	if (n == 0 || n >= FLEET_NAME_MAX || i < n)
		return fleet_seterr(-EINVAL, "VM name \"%s\": 1..%d of "
		    "[A-Za-z0-9_.-]", name, FLEET_NAME_MAX - 1);
	if (fleet_flow_check_name(program) < 0 ||
	    strcmp(program, "router") == 0) {
		fleet_clearerr();
		return fleet_seterr(-EINVAL, "program \"%s\" cannot be a "
		    "program name", program);
	}
	if (!*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/'))
		return fleet_seterr(-EINVAL, "interface name \"%s\": 1..%d "
		    "characters", ifname, IFNAMSIZ - 1);
	return 0;
}

static int
reply_lease(struct client *cl, const struct state *s, const struct vm *v)
{
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], mac[18];

	inet_ntop(AF_INET, &v->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &s->net.addr, gw, sizeof(gw));
	mac_format(v->mac, mac);
	return client_reply(cl, "ok %s/%u %s %s %s", ip, s->net.prefix, gw, mac,
	    s->net.bridge);
}

/* Bind v (its address and MAC set, or to be leased) and apply. */
static int
add_vm(struct control *c, struct client *cl, struct vm *v, bool leased)
{
	struct state *next = NULL;
	size_t i;
	int r;

	if (state_find_vm(c->s, v->name))
		return fleet_seterr(-EEXIST, "VM %s is registered already",
		    v->name);
	for (i = 0; i < c->s->nvms; i++)
		if (strcmp(c->s->vms[i].ifname, v->ifname) == 0)
			return fleet_seterr(-EEXIST, "interface %s is VM "
			    "%s's", v->ifname, c->s->vms[i].name);
	if (leased) {
		if ((r = lease_alloc(c->s, &v->ip)) < 0)
			return r;
		lease_mac(v->ip, v->mac);
	}
	if ((r = lease_check(c->s, v->ip, v->mac)) < 0 ||
	    (r = req_change_begin(c, cl, &next)) < 0)
		return r;
	if ((r = state_add_vm(next, v)) < 0) {
		req_change_drop(cl, next);
		return r;
	}
	if ((r = change_apply(c->s, next)) < 0) {
		free(next);
		return r;
	}
	free(next);
	return reply_lease(cl, c->s, state_find_vm(c->s, v->name));
}

/* NAME PROGRAM IFNAME, checked, into v. */
static int
vm_words(struct vm *v, char **w)
{
	int r;

	if ((r = check_vm_words(w[0], w[1], w[2])) < 0)
		return r;
	memset(v, 0, sizeof(*v));
	strcpy(v->name, w[0]);
	strcpy(v->program, w[1]);
	strcpy(v->ifname, w[2]);
	return 0;
}

int
req_lease(struct control *c, struct client *cl, char **w, int n)
{
	struct vm v;
	int r;

	return (r = vm_words(&v, w)) < 0 ? r : add_vm(c, cl, &v, true);
}

int
req_register(struct control *c, struct client *cl, char **w, int n)
{
	struct vm v;
	int r;

	if ((r = vm_words(&v, w)) < 0)
		return r;
	if ((r = mac_parse(w[3], v.mac)) < 0)
		return r;
	if (inet_pton(AF_INET, w[4], &v.ip) != 1)
		return fleet_seterr(-EINVAL, "\"%s\" is not an IPv4 address",
		    w[4]);
	return add_vm(c, cl, &v, false);
}

int
req_release(struct control *c, struct client *cl, char **w, int n)
{
	int r = change_release_vm(c->s, w[0]);

	return r < 0 ? r : client_reply(cl, "ok");
}

int
req_vms(struct control *c, struct client *cl, char **w, int n)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	const struct vm *v;
	size_t i;

	for (i = 0; i < c->s->nvms; i++) {
		v = &c->s->vms[i];
		inet_ntop(AF_INET, &v->ip, ip, sizeof(ip));
		mac_format(v->mac, mac);
		if (client_reply(cl, "vm %s %s %s %s %s", v->name, v->program,
		    v->ifname, mac, ip) < 0)
			return 0;
	}
	return client_reply(cl, "ok %zu", c->s->nvms);
}
