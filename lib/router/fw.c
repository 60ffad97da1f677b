/* fw.c: apply the rule model to the kernel, one netlink batch per change */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include "core.h"
#include "router.h"

#define RCVBUF	(8 << 20)

static int
open_socket(struct mnl_socket **nlp)
{
	int one = 1, rcv = RCVBUF;
	struct mnl_socket *nl;

	if ((nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		if (nl)
			mnl_socket_close(nl);
		return fleet_seterr(-e, "fw: netlink: %s", strerror(e));
	}
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcv,
	    sizeof(rcv));
	*nlp = nl;
	return 0;
}

static const char *const msg_names[] = {
	[NFT_MSG_NEWTABLE] = "add table", [NFT_MSG_DELTABLE] = "delete table",
	[NFT_MSG_NEWCHAIN] = "add chain", [NFT_MSG_NEWRULE] = "add rule",
	[NFT_MSG_NEWSET] = "add set", [NFT_MSG_NEWSETELEM] = "add elements",
};

/* An NLMSG_ERROR: keep the first failure, with the kernel's own words
 * (extended ACK) and the kind of message that failed. */
static int
on_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	const char *what = "?", *msg = NULL;
	uint16_t type;
	int *first = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return MNL_CB_ERROR;
	if (e->error == 0 || *first)
		return MNL_CB_OK;
	*first = e->error;
	type = e->msg.nlmsg_type & 0xff;
	if (type < sizeof(msg_names) / sizeof(msg_names[0]) &&
	    msg_names[type])
		what = msg_names[type];
	mnl_attr_for_each(a, nlh, sizeof(*e))
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			msg = mnl_attr_get_str(a);
	fleet_seterr(e->error, "fw: nftables refused the ruleset: %s: %s%s%s",
	    what, strerror(-e->error), msg ? ": " : "", msg ? msg : "");
	return MNL_CB_OK;
}

/* Read every reply the kernel queued for the batch; the first error wins. */
static int
read_acks(struct mnl_socket *nl, uint32_t portid)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = on_error };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int first = 0, n;

	for (;;) {
		n = (int)recv(mnl_socket_get_fd(nl), buf, sizeof(buf),
		    MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return first;
		if (n < 0)
			return fleet_seterr(-errno, "fw: netlink: %s",
			    strerror(errno));
		mnl_cb_run2(buf, (size_t)n, 0, portid, NULL, &first, ctl,
		    NLMSG_MIN_TYPE);
	}
}

/*
 * One socket for fleetd's life: closing a netfilter socket makes the
 * kernel finish destroying what earlier batches replaced, which waits
 * for an RCU grace period (10-25 ms a change here).
 */
static struct mnl_socket *fw_nl;

static int
send_batch(const struct nft_batch *b)
{
	int r, snd;

	if (fw_nl == NULL && (r = open_socket(&fw_nl)) < 0)
		return r;
	snd = (int)nft_batch_len(b) + 4096;
	setsockopt(mnl_socket_get_fd(fw_nl), SOL_SOCKET, SO_SNDBUFFORCE, &snd,
	    sizeof(snd));
	if (mnl_socket_sendto(fw_nl, nft_batch_data(b), nft_batch_len(b)) < 0)
		r = fleet_seterr(-errno, "fw: send %zu bytes: %s",
		    nft_batch_len(b), strerror(errno));
	else
		r = read_acks(fw_nl, mnl_socket_get_portid(fw_nl));
	if (r < 0)	/* a fresh socket for the next change */
		fw_close();
	return r;
}

void
fw_close(void)
{
	if (fw_nl != NULL)
		mnl_socket_close(fw_nl);
	fw_nl = NULL;
}

/* Replace fleet's tables with m's ruleset: all of it or nothing. */
int
fw_apply(const struct fw_model *m)
{
	struct nft_batch *b = NULL;
	int r;

	if ((r = nft_batch_build(m, (uint32_t)time(NULL), &b)) < 0)
		return r;
	r = send_batch(b);
	nft_batch_free(b);
	return r;
}

int
fw_remove(void)
{
	struct nft_batch *b = NULL;
	int r;

	if ((r = nft_batch_build_delete((uint32_t)time(NULL), &b)) < 0)
		return r;
	if ((r = send_batch(b)) < 0)
		fleet_seterr(r, "fw: remove tables: %s", strerror(-r));
	nft_batch_free(b);
	fw_close();
	return r;
}
