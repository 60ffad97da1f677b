/* nft-msg.c: nftables batch messages (tables, chains, sets, rules, elements) */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include "core.h"
#include "nft-expr.h"
#include "nft-msg.h"
#include "router.h"

#define MSG_ROOM	(128 * 1024)	/* free space before each message */
#define TYPE_BITS	6		/* nft's concatenated datatypes */

static int
reserve(struct nft_batch *b)
{
	size_t ncap;
	char *nb;

	if (b->cap - b->len >= MSG_ROOM)
		return 0;
	ncap = b->cap ? b->cap * 2 : 4 * MSG_ROOM;
	if ((nb = realloc(b->buf, ncap)) == NULL) {
		b->err = -ENOMEM;
		return -1;
	}
	memset(nb + b->cap, 0, ncap - b->cap);
	b->buf = nb;
	b->cap = ncap;
	return 0;
}

static struct nlmsghdr *
msg_begin(struct nft_batch *b, uint16_t type, uint16_t family,
    uint16_t flags)
{
	if (b->err || reserve(b) < 0)
		return NULL;
	return nftnl_nlmsg_build_hdr(b->buf + b->len, type, family, flags,
	    b->seq++);
}

static void
msg_end(struct nft_batch *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void
put_udata(struct nft_batch *b, uint8_t type, const char *text,
    void (*set)(void *obj, const void *data, uint32_t len), void *obj)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

	if (u == NULL || !nftnl_udata_put_strz(u, type, text)) {
		b->err = -ENOMEM;
	} else {
		set(obj, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	}
	nftnl_udata_buf_free(u);
}

static void
set_table_udata(void *t, const void *d, uint32_t n)
{
	nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, d, n);
}

static void
set_chain_udata(void *c, const void *d, uint32_t n)
{
	nftnl_chain_set_data(c, NFTNL_CHAIN_USERDATA, d, n);
}

/* A set's comment and, for a string key, its byte order (for nft list). */
static void
set_udata(struct nft_batch *b, struct nftnl_set *s, int host_order,
    const char *comment)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

	if (u == NULL || (host_order && !nftnl_udata_put_u32(u,
	    NFTNL_UDATA_SET_KEYBYTEORDER, 1)) ||
	    !nftnl_udata_put_strz(u, NFTNL_UDATA_SET_COMMENT, comment))
		b->err = -ENOMEM;
	else
		nftnl_set_set_data(s, NFTNL_SET_USERDATA,
		    nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

static void
set_elem_udata(void *e, const void *d, uint32_t n)
{
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, d, n);
}

/* type: NFT_MSG_NEWTABLE or NFT_MSG_DELTABLE; comment only on the last add. */
static void
table_msg(struct nft_batch *b, uint16_t family, uint16_t type,
    const char *comment)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (t == NULL) {
		b->err = -ENOMEM;
		return;
	}
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, ROUTER_TABLE);
	if (comment)
		put_udata(b, NFTNL_UDATA_TABLE_COMMENT, comment,
		    set_table_udata, t);
	if ((nlh = msg_begin(b, type, family, type == NFT_MSG_NEWTABLE ?
	    NLM_F_CREATE | NLM_F_ACK : NLM_F_ACK)) != NULL) {
		nftnl_table_nlmsg_build_payload(nlh, t);
		msg_end(b, nlh);
	}
	nftnl_table_free(t);
}

/* Make sure the table exists, delete it, add it empty: a full resync. */
void
table_reset(struct nft_batch *b, uint16_t family, int readd)
{
	table_msg(b, family, NFT_MSG_NEWTABLE, NULL);
	table_msg(b, family, NFT_MSG_DELTABLE, NULL);
	if (readd)
		table_msg(b, family, NFT_MSG_NEWTABLE,
		    "fleetd: flows between fleet VMs; do not edit, "
		    "use fleet-allow");
}

void
chain_msg(struct nft_batch *b, uint16_t family, const char *name, int hook,
    int prio, const char *comment)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (c == NULL) {
		b->err = -ENOMEM;
		return;
	}
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, ROUTER_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	}
	put_udata(b, NFTNL_UDATA_CHAIN_COMMENT, comment, set_chain_udata, c);
	if ((nlh = msg_begin(b, NFT_MSG_NEWCHAIN, family,
	    NLM_F_CREATE | NLM_F_ACK)) != NULL) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		msg_end(b, nlh);
	}
	nftnl_chain_free(c);
}

void
set_msg(struct nft_batch *b, uint16_t family, const char *name, uint32_t id,
    const uint8_t *types, const uint8_t *lens, size_t n, uint32_t flags,
    const char *comment)
{
	struct nftnl_set *s = nftnl_set_alloc();
	uint32_t keytype = 0, keylen = 0;
	struct nlmsghdr *nlh;
	size_t i;

	if (s == NULL) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		keytype = keytype << TYPE_BITS | types[i];
		keylen += (lens[i] + 3u) & ~3u;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, ROUTER_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, keytype);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, keylen);
	if (flags & NFT_SET_INTERVAL) {	/* pipapo wants the field sizes */
		flags |= NFT_SET_CONCAT;
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, lens,
		    (uint32_t)n);
	}
	set_udata(b, s, (flags & SET_F_HOST_ORDER) != 0, comment);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags & ~SET_F_HOST_ORDER);
	if ((nlh = msg_begin(b, NFT_MSG_NEWSET, family,
	    NLM_F_CREATE | NLM_F_ACK)) != NULL) {
		nftnl_set_nlmsg_build_payload(nlh, s);
		msg_end(b, nlh);
	}
	nftnl_set_free(s);
}

void
rule_msg(struct nft_batch *b, uint16_t family, const char *chain,
    struct rb *r)
{
	struct nlmsghdr *nlh;

	if (r->r == NULL || r->err)
		b->err = -ENOMEM;
	else if ((nlh = msg_begin(b, NFT_MSG_NEWRULE, family,
	    NLM_F_APPEND | NLM_F_CREATE | NLM_F_ACK)) != NULL) {
		nftnl_rule_set_str(r->r, NFTNL_RULE_TABLE, ROUTER_TABLE);
		nftnl_rule_set_str(r->r, NFTNL_RULE_CHAIN, chain);
		nftnl_rule_nlmsg_build_payload(nlh, r->r);
		msg_end(b, nlh);
	}
	nftnl_rule_free(r->r);
	r->r = NULL;
}

struct rb
rule_new(const char *comment)
{
	struct rb r = { nftnl_rule_alloc(), 0 };

	if (r.r && comment)
		ex_comment(&r, comment);
	return r;
}

const void *
nft_batch_data(const struct nft_batch *b)
{
	return b->buf;
}

size_t
nft_batch_len(const struct nft_batch *b)
{
	return b->len;
}

void
nft_batch_free(struct nft_batch *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b);
}

int
batch_new(struct nft_batch **bp, uint32_t seq)
{
	struct nft_batch *b = calloc(1, sizeof(*b));

	*bp = b;
	if (b == NULL || reserve(b) < 0)
		return -ENOMEM;
	b->seq = seq;
	nftnl_batch_begin(b->buf, b->seq++);
	b->len = NLMSG_ALIGN(((struct nlmsghdr *)b->buf)->nlmsg_len);
	return 0;
}

int
batch_finish(struct nft_batch *b)
{
	if (b->err == 0 && reserve(b) == 0) {
		nftnl_batch_end(b->buf + b->len, b->seq++);
		b->len += NLMSG_ALIGN(
		    ((struct nlmsghdr *)(b->buf + b->len))->nlmsg_len);
	}
	return b->err ? fleet_seterr(b->err, "nft: out of memory") : 0;
}

static void
elems_chunk(struct nft_batch *b, uint16_t family, const char *set,
    uint32_t id, size_t from, size_t to, elem_fill_fn fill, const void *arg)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *e;
	struct nlmsghdr *nlh;
	char comment[64];
	size_t i;

	if (s == NULL) {
		b->err = -ENOMEM;
		return;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, ROUTER_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, set);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	for (i = from; i < to && !b->err; i++) {
		if ((e = nftnl_set_elem_alloc()) == NULL) {
			b->err = -ENOMEM;
			break;
		}
		comment[0] = '\0';
		fill(i, e, comment, sizeof(comment), arg);
		if (comment[0])
			put_udata(b, NFTNL_UDATA_SET_ELEM_COMMENT, comment,
			    set_elem_udata, e);
		nftnl_set_elem_add(s, e);
	}
	if ((nlh = msg_begin(b, NFT_MSG_NEWSETELEM, family,
	    NLM_F_CREATE | NLM_F_ACK)) != NULL) {
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		msg_end(b, nlh);
	}
	nftnl_set_free(s);
}

/* n elements into set, ELEMS_PER_MSG to a message. */
void
elems_msg(struct nft_batch *b, uint16_t family, const char *set, uint32_t id,
    size_t n, elem_fill_fn fill, const void *arg)
{
	size_t i;

	for (i = 0; i < n && !b->err; i += ELEMS_PER_MSG)
		elems_chunk(b, family, set, id, i,
		    i + ELEMS_PER_MSG < n ? i + ELEMS_PER_MSG : n, fill, arg);
}
