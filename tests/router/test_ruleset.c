/* test_ruleset: the rule model and the netlink batch fleetd would send,
 * read back through libnftnl; no kernel involved. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include "router.h"
#include "../unit/check.h"

static struct state s;

static void
vm(const char *name, const char *prog, const char *ip)
{
	struct vm v = { 0 };

	strcpy(v.name, name);
	strcpy(v.program, prog);
	snprintf(v.ifname, sizeof(v.ifname), "t-%s", name);
	inet_pton(AF_INET, ip, &v.ip);
	lease_mac(v.ip, v.mac);
	CHECK(state_add_vm(&s, &v) == 0);
}

static void
flow(const char *line)
{
	struct fleet_flow f;

	CHECK(fleet_flow_parse_line(&f, line) == 0);
	CHECK(state_add_flow(&s, &f) == 0);
}

struct counts {
	unsigned msgs[NFT_MSG_MAX], elems[4], begin, end, seq_bad;
	uint32_t seq;
	char rules[32][160];	/* "chain: expr expr ... [set]" */
	unsigned nrules;
};

static int
expr_name(struct nftnl_expr *e, void *arg)
{
	char *out = arg;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	strncat(out, " ", 159 - strlen(out));
	strncat(out, name, 159 - strlen(out));
	if (strcmp(name, "lookup") == 0) {
		strncat(out, "@", 159 - strlen(out));
		strncat(out, nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET),
		    159 - strlen(out));
	}
	if (strcmp(name, "immediate") == 0 &&
	    nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
		int v = (int)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);

		strncat(out, v == NF_ACCEPT ? ":accept" : v == NF_DROP ?
		    ":drop" : v == NFT_JUMP ? ":jump" : v == NFT_RETURN ?
		    ":return" : ":?", 159 - strlen(out));
	}
	return 0;
}

/* A NEWRULE read back through libnftnl: its chain and expressions. */
static void
read_rule(const struct nlmsghdr *nlh, struct counts *c)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	char *out = c->rules[c->nrules];

	CHECK(r && nftnl_rule_nlmsg_parse(nlh, r) == 0);
	if (c->nrules == 32 || r == NULL) {
		nftnl_rule_free(r);
		return;
	}
	snprintf(out, 160, "%s:", nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
	nftnl_expr_foreach(r, expr_name, out);
	c->nrules++;
	nftnl_rule_free(r);
}

/* NEWSETELEM: the set's name and how many NFTA_LIST_ELEM it carries. */
static void
read_elems(const struct nlmsghdr *nlh, struct counts *c)
{
	const struct nlattr *a, *e;
	const char *name = NULL;
	unsigned n = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_SET)
			name = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			mnl_attr_for_each_nested(e, a)
				n++;	/* libnftnl numbers them 1, 2, ... */
	}
	CHECK(name != NULL);
	if (name == NULL)
		return;
	if (strcmp(name, "flows") == 0)
		c->elems[0] += n;
	else if (strcmp(name, "flow_ranges") == 0)
		c->elems[1] += n;
	else if (strcmp(name, "bindings") == 0)
		c->elems[2] += n;
	else if (strcmp(name, "ports") == 0)
		c->elems[3] += n;
	CHECK(nlh->nlmsg_len < 65536);
}

static void
walk(const struct nft_batch *b, struct counts *c)
{
	const struct nlmsghdr *nlh = nft_batch_data(b);
	int len = (int)nft_batch_len(b);

	memset(c, 0, sizeof(*c));
	c->seq = nlh->nlmsg_seq;
	while (mnl_nlmsg_ok(nlh, len)) {
		if (nlh->nlmsg_seq != c->seq++)
			c->seq_bad++;
		if (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN)
			c->begin++;
		else if (nlh->nlmsg_type == NFNL_MSG_BATCH_END)
			c->end++;
		else if ((nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES)
			c->msgs[nlh->nlmsg_type & 0xff]++;
		if (nlh->nlmsg_type == (NFNL_SUBSYS_NFTABLES << 8 |
		    NFT_MSG_NEWSETELEM))
			read_elems(nlh, c);
		if (nlh->nlmsg_type == (NFNL_SUBSYS_NFTABLES << 8 |
		    NFT_MSG_NEWRULE))
			read_rule(nlh, c);
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	CHECK(len == 0);
}

static void
model(void)
{
	struct fw_model m;

	CHECK(rules_build(&s, &m) == 0);
	/* web(2) x db(2) on 5432, web(2) -> router on 8080 */
	CHECK(m.nexact == 4 + 2);
	/* 80-90 and 85-95 merge: one range per web x db pair; icmp per
	 * db -> web pair */
	CHECK(m.nranges == 4 + 4);
	CHECK(m.nbinds == 5);
	CHECK(m.ranges[0].lo == 80 || m.ranges[0].lo == 0);
	for (size_t i = 0; i < m.nranges; i++)
		CHECK(m.ranges[i].proto == IPPROTO_ICMP ?
		    m.ranges[i].lo == 0 && m.ranges[i].hi == 65535 :
		    m.ranges[i].lo == 80 && m.ranges[i].hi == 95);
	rules_free(&m);
}

/* The rules, in order: what each chain does. */
static void
rules(const struct counts *c)
{
	static const char *const want[] = {
		"flow_policy: ct bitwise cmp immediate:accept",
		"flow_policy: meta cmp payload payload meta payload "
		    "lookup@flows immediate:accept",
		"flow_policy: meta cmp payload payload meta payload "
		    "lookup@flow_ranges immediate:accept",
		"flow_policy: immediate:drop",
		"forward: meta cmp immediate:jump",
		"forward: meta cmp immediate:jump",
		"input: meta cmp meta cmp payload cmp immediate:accept",
		"input: meta cmp immediate:jump",
		"output: meta cmp meta cmp payload cmp immediate:accept",
		"output: meta cmp immediate:jump",
		"antispoof: payload cmp meta payload payload lookup@bindings "
		    "immediate:return",
		"antispoof: payload cmp meta payload payload lookup@bindings "
		    "immediate:return",
		"antispoof: immediate:drop",
		"prerouting: meta lookup@ports immediate:jump",
	};
	unsigned i;

	CHECK(c->nrules == sizeof(want) / sizeof(want[0]));
	for (i = 0; i < c->nrules && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(c->rules[i], want[i]);
}

static void
batch(void)
{
	struct nft_batch *b = NULL;
	struct fw_model m;
	struct counts c;

	CHECK(rules_build(&s, &m) == 0);
	CHECK(nft_batch_build(&m, 100, &b) == 0);
	walk(b, &c);
	CHECK(c.begin == 1 && c.end == 1 && c.seq_bad == 0);
	/* per table: ensure, delete, add */
	CHECK(c.msgs[NFT_MSG_NEWTABLE] == 4 && c.msgs[NFT_MSG_DELTABLE] == 2);
	CHECK(c.msgs[NFT_MSG_NEWSET] == 4);
	CHECK(c.msgs[NFT_MSG_NEWCHAIN] == 6);
	CHECK(c.elems[0] == 6 && c.elems[1] == 8 && c.elems[2] == 5 &&
	    c.elems[3] == 5);
	rules(&c);
	nft_batch_free(b);
	rules_free(&m);
	CHECK(nft_batch_build_delete(1, &b) == 0);
	walk(b, &c);
	CHECK(c.msgs[NFT_MSG_DELTABLE] == 2 && c.msgs[NFT_MSG_NEWTABLE] == 2);
	nft_batch_free(b);
}

/* 100,000 flows between two VMs: elements split over messages < 64 KiB. */
static void
big(void)
{
	struct nft_batch *b = NULL;
	struct fw_model m;
	struct counts c;
	char line[64];
	unsigned p;

	state_free(&s);
	CHECK(state_init(&s, "/nonexistent", &s.net) == 0);
	CHECK(net_conf_parse(&s.net, "fleet0", NULL) == 0);
	vm("a", "a", "10.77.0.2");
	vm("b", "b", "10.77.0.3");
	for (p = 1; p <= 100000; p++) {
		snprintf(line, sizeof(line), "a b %s/%u", p <= 65535 ? "tcp" :
		    "udp", p <= 65535 ? p : p - 65535);
		flow(line);
	}
	CHECK(rules_build(&s, &m) == 0 && m.nexact == 100000);
	CHECK(nft_batch_build(&m, 1, &b) == 0);
	walk(b, &c);
	CHECK(c.elems[0] == 100000);
	nft_batch_free(b);
	rules_free(&m);
}

int
main(void)
{
	struct net_conf n;

	CHECK(net_conf_parse(&n, "fleet0", NULL) == 0);
	CHECK(net_conf_parse(&n, "fleet0", "10.1.2.3/33") == -EINVAL);
	CHECK(net_conf_parse(&n, "fleet0", "10.77.0.1/16") == 0);
	CHECK(state_init(&s, "/nonexistent", &n) == 0);
	vm("w1", "web", "10.77.0.2");
	vm("w2", "web", "10.77.0.3");
	vm("d1", "db", "10.77.0.4");
	vm("d2", "db", "10.77.0.5");
	vm("o1", "other", "10.77.0.6");
	flow("web db tcp/5432");
	flow("web db tcp/80-90");
	flow("web db tcp/85-95");
	flow("db web icmp");
	flow("web router tcp/8080");
	flow("nobody db tcp/1");
	model();
	batch();
	big();
	state_free(&s);
	CHECK_DONE();
}
