/* nft.c: the rule model as fleet's two nftables tables, in one batch */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <libnftnl/set.h>
#include "core.h"
#include "nft-expr.h"
#include "nft-msg.h"
#include "router.h"

/* nft's datatype numbers, so that `nft list` names the key fields. */
#define TYPE_IPADDR	7
#define TYPE_ETHERADDR	9
#define TYPE_INET_PROTO	12
#define TYPE_INET_SVC	13
#define TYPE_IFNAME	41

enum { SET_FLOWS = 1, SET_RANGES, SET_BINDS, SET_PORTS };	/* set ids in the batch */

static const uint8_t flow_types[] = { TYPE_IPADDR, TYPE_IPADDR,
	TYPE_INET_PROTO, TYPE_INET_SVC };
static const uint8_t flow_lens[] = { 4, 4, 1, 2 };
static const uint8_t bind_types[] = { TYPE_IFNAME, TYPE_ETHERADDR,
	TYPE_IPADDR };
static const uint8_t bind_lens[] = { IFNAMSIZ, ETH_ALEN, 4 };
static const uint8_t port_types[] = { TYPE_IFNAME };
static const uint8_t port_lens[] = { IFNAMSIZ };

/* saddr . daddr . proto . dport, each field in its own 32-bit register */
struct flow_key {
	uint32_t saddr, daddr;
	uint8_t proto, pad[3];
	uint16_t port, pad2;
};

struct bind_key {
	char ifname[IFNAMSIZ];
	uint8_t mac[ETH_ALEN], pad[2];
	uint32_t ip;
};

static void
flow_key(const struct fw_elem *x, uint16_t port, struct flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->saddr = x->saddr;
	k->daddr = x->daddr;
	k->proto = x->proto;
	k->port = htons(port);
}

static void
fill_flow(size_t i, struct nftnl_set_elem *e, char *comment, size_t clen,
    const void *arg)
{
	const struct fw_elem *x = (const struct fw_elem *)arg + i;
	struct flow_key k;

	flow_key(x, x->lo, &k);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &k, sizeof(k));
	if (x->lo != x->hi) {
		flow_key(x, x->hi, &k);
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY_END, &k, sizeof(k));
	}
	snprintf(comment, clen, "flow %u", x->flow);
}

static void
fill_bind(size_t i, struct nftnl_set_elem *e, char *comment, size_t clen,
    const void *arg)
{
	const struct vm *v = (const struct vm *)arg + i;
	struct bind_key k;

	memset(&k, 0, sizeof(k));
	snprintf(k.ifname, sizeof(k.ifname), "%s", v->ifname);
	memcpy(k.mac, v->mac, ETH_ALEN);
	k.ip = v->ip;
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &k, sizeof(k));
	snprintf(comment, clen, "%s (%s)", v->name, v->program);
}

static void
fill_port(size_t i, struct nftnl_set_elem *e, char *comment, size_t clen,
    const void *arg)
{
	const struct vm *v = (const struct vm *)arg + i;
	char name[IFNAMSIZ] = { 0 };

	snprintf(name, sizeof(name), "%s", v->ifname);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, name, sizeof(name));
	snprintf(comment, clen, "%s", v->name);
}

/* meta nfproto ipv4, ip saddr . ip daddr . meta l4proto . th dport @set */
static void
match_flow(struct rb *r, const char *set, uint32_t id)
{
	uint8_t v4 = NFPROTO_IPV4;

	ex_meta(r, NFT_META_NFPROTO, NFT_REG_1);
	ex_cmp(r, NFT_CMP_EQ, &v4, sizeof(v4));
	ex_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1);
	ex_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG32_01);
	ex_meta(r, NFT_META_L4PROTO, NFT_REG32_02);
	ex_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG32_03);
	ex_lookup(r, set, id, 0);
}

/* The regular chain "flow_policy": replies, declared flows, else drop. */
static void
inet_policy(struct nft_batch *b)
{
	const uint16_t f = NFPROTO_INET;
	struct rb r;

	chain_msg(b, f, "flow_policy", -1, 0, "traffic on the fleet network");
	r = rule_new("replies to allowed connections");
	ex_ct_state(&r, NF_CT_STATE_BIT(IP_CT_ESTABLISHED) |
	    NF_CT_STATE_BIT(IP_CT_RELATED));
	ex_verdict(&r, NF_ACCEPT, NULL);
	rule_msg(b, f, "flow_policy", &r);
	r = rule_new("declared flows, one port");
	match_flow(&r, "flows", SET_FLOWS);
	ex_verdict(&r, NF_ACCEPT, NULL);
	rule_msg(b, f, "flow_policy", &r);
	r = rule_new("declared flows, port ranges and icmp");
	match_flow(&r, "flow_ranges", SET_RANGES);
	ex_verdict(&r, NF_ACCEPT, NULL);
	rule_msg(b, f, "flow_policy", &r);
	r = rule_new("default deny");
	ex_verdict(&r, NF_DROP, NULL);
	rule_msg(b, f, "flow_policy", &r);
}

/* KEY bridge udp dport 5353 accept: the router's DNS-SD on the bridge
 * (fleetd's service, and avahi's queries and answers). */
static void
mdns_rule(struct nft_batch *b, const char *bridge, const char *chain,
    uint32_t key)
{
	uint8_t udp = IPPROTO_UDP;
	uint16_t port = htons(5353);
	struct rb r = rule_new("DNS-SD between the router and the bridge");

	ex_ifname(&r, key, bridge);
	ex_meta(&r, NFT_META_L4PROTO, NFT_REG_1);
	ex_cmp(&r, NFT_CMP_EQ, &udp, sizeof(udp));
	ex_payload(&r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1);
	ex_cmp(&r, NFT_CMP_EQ, &port, sizeof(port));
	ex_verdict(&r, NF_ACCEPT, NULL);
	rule_msg(b, NFPROTO_INET, chain, &r);
}

/* A base chain sending what crosses the bridge (key IIFNAME, OIFNAME) to
 * "flow_policy"; the router's own chains (one key) let DNS-SD through. */
static void
inet_hook(struct nft_batch *b, const char *bridge, const char *name, int hook,
    const uint32_t *keys, size_t nkeys)
{
	struct rb r;
	size_t i;

	chain_msg(b, NFPROTO_INET, name, hook, 0, "fleet0 to flow_policy");
	if (nkeys == 1)
		mdns_rule(b, bridge, name, keys[0]);
	for (i = 0; i < nkeys; i++) {
		r = rule_new(NULL);
		ex_ifname(&r, keys[i], bridge);
		ex_verdict(&r, NFT_JUMP, "flow_policy");
		rule_msg(b, NFPROTO_INET, name, &r);
	}
}

static void
build_inet(struct nft_batch *b, const struct fw_model *m)
{
	static const uint32_t in[] = { NFT_META_IIFNAME };
	static const uint32_t out[] = { NFT_META_OIFNAME };
	static const uint32_t both[] = { NFT_META_IIFNAME, NFT_META_OIFNAME };
	const uint16_t f = NFPROTO_INET;

	table_reset(b, f, 1);
	set_msg(b, f, "flows", SET_FLOWS, flow_types, flow_lens, 4, 0,
	    "one element per VM pair and port of each flow");
	set_msg(b, f, "flow_ranges", SET_RANGES, flow_types, flow_lens, 4,
	    NFT_SET_INTERVAL, "port ranges and icmp, merged per VM pair");
	elems_msg(b, f, "flows", SET_FLOWS, m->nexact, fill_flow, m->exact);
	elems_msg(b, f, "flow_ranges", SET_RANGES, m->nranges, fill_flow,
	    m->ranges);
	inet_policy(b);
	inet_hook(b, m->net.bridge, "forward", NF_INET_FORWARD, both, 2);
	inet_hook(b, m->net.bridge, "input", NF_INET_LOCAL_IN, in, 1);
	inet_hook(b, m->net.bridge, "output", NF_INET_LOCAL_OUT, out, 1);
}

/* ether type T, iifname . ether saddr . (ADDR at off) @bindings return */
static void
bind_rule(struct nft_batch *b, uint16_t ethertype, uint32_t off,
    const char *comment)
{
	uint16_t et = htons(ethertype);
	struct rb r = rule_new(comment);

	ex_payload(&r, NFT_PAYLOAD_LL_HEADER, 12, 2, NFT_REG_1);
	ex_cmp(&r, NFT_CMP_EQ, &et, sizeof(et));
	ex_meta(&r, NFT_META_IIFNAME, NFT_REG_1);
	ex_payload(&r, NFT_PAYLOAD_LL_HEADER, 6, ETH_ALEN, NFT_REG_2);
	ex_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, off, 4, NFT_REG32_06);
	ex_lookup(&r, "bindings", SET_BINDS, 0);
	ex_verdict(&r, NFT_RETURN, NULL);
	rule_msg(b, NFPROTO_BRIDGE, "antispoof", &r);
}

static void
build_bridge(struct nft_batch *b, const struct fw_model *m)
{
	const uint16_t f = NFPROTO_BRIDGE;
	struct rb r;

	table_reset(b, f, 1);
	set_msg(b, f, "bindings", SET_BINDS, bind_types, bind_lens, 3, 0,
	    "tap . mac . address of each VM, as leased");
	elems_msg(b, f, "bindings", SET_BINDS, m->nbinds, fill_bind,
	    m->binds);
	chain_msg(b, f, "antispoof", -1, 0, "a VM sends only as itself");
	bind_rule(b, ETH_P_IP, 12, "IPv4 from the leased address");
	bind_rule(b, ETH_P_ARP, 14, "ARP for the leased address");
	r = rule_new("anything else from a fleet port");
	ex_verdict(&r, NF_DROP, NULL);
	rule_msg(b, f, "antispoof", &r);
	/* No nft_meta_bridge here (meta ibrname): VM ports are a set. */
	set_msg(b, f, "ports", SET_PORTS, port_types, port_lens, 1,
	    SET_F_HOST_ORDER,
	    "the taps of fleet VMs on the bridge");
	elems_msg(b, f, "ports", SET_PORTS, m->nbinds, fill_port, m->binds);
	chain_msg(b, f, "prerouting", NF_BR_PRE_ROUTING,
	    NF_BR_PRI_FILTER_BRIDGED, "frames entering the bridge from VMs");
	r = rule_new(NULL);
	ex_meta(&r, NFT_META_IIFNAME, NFT_REG_1);
	ex_lookup(&r, "ports", SET_PORTS, 0);
	ex_verdict(&r, NFT_JUMP, "antispoof");
	rule_msg(b, f, "prerouting", &r);
}

/* The whole ruleset for m, in one batch: begin, both tables reset and
 * refilled, end. *bp is the caller's: nft_batch_free() it. */
static int
build(const struct fw_model *m, uint32_t seq, struct nft_batch **bp)
{
	int r;

	if ((r = batch_new(bp, seq)) == 0) {
		if (m) {
			build_inet(*bp, m);
			build_bridge(*bp, m);
		} else {
			table_reset(*bp, NFPROTO_INET, 0);
			table_reset(*bp, NFPROTO_BRIDGE, 0);
		}
		r = batch_finish(*bp);
	}
	if (r < 0) {
		nft_batch_free(*bp);
		*bp = NULL;
		return fleet_seterr(r, "nft: out of memory");
	}
	return 0;
}

int
nft_batch_build(const struct fw_model *m, uint32_t seq, struct nft_batch **bp)
{
	return build(m, seq, bp);
}

/* Remove both of fleet's tables, whether they exist or not. */
int
nft_batch_build_delete(uint32_t seq, struct nft_batch **bp)
{
	return build(NULL, seq, bp);
}
