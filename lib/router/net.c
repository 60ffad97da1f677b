/* net.c: the fleet bridge and its address, over rtnetlink */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include "core.h"
#include "router.h"

#define BR_NF_SYSCTL "/proc/sys/net/bridge/bridge-nf-call-iptables"

/* bridge: a name; cidr: "A.B.C.D/N" (NULL: 10.77.0.1/16). */
int
net_conf_parse(struct net_conf *n, const char *bridge, const char *cidr)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash;
	char *end;
	long p;

	memset(n, 0, sizeof(*n));
	if (!bridge || !*bridge || strlen(bridge) >= IFNAMSIZ)
		return fleet_seterr(-EINVAL, "bridge name \"%s\" is empty or "
		    "longer than %d", bridge ? bridge : "", IFNAMSIZ - 1);
	strcpy(n->bridge, bridge);
	if (cidr == NULL)
		cidr = "10.77.0.1/16";
	slash = strchr(cidr, '/');
	if (!slash || (size_t)(slash - cidr) >= sizeof(addr))
		return fleet_seterr(-EINVAL, "address \"%s\": expected "
		    "A.B.C.D/PREFIX", cidr);
	memcpy(addr, cidr, (size_t)(slash - cidr));
	addr[slash - cidr] = '\0';
	p = strtol(slash + 1, &end, 10);
	if (inet_pton(AF_INET, addr, &n->addr) != 1 || *end || end ==
	    slash + 1 || p < 8 || p > 30)
		return fleet_seterr(-EINVAL, "address \"%s\": expected "
		    "A.B.C.D/PREFIX with PREFIX 8..30", cidr);
	n->prefix = (unsigned)p;
	return 0;
}

/* Send one request and wait for its ACK. */
static int
talk(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t portid = mnl_socket_get_portid(nl);
	int n;

	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL,
	    NULL) < 0)
		return -errno;
	return 0;
}

static int
create_bridge(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *info;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL |
	    NLM_F_ACK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	return talk(nl, nlh);
}

static int
link_up(struct mnl_socket *nl, unsigned ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return talk(nl, nlh);
}

static int
add_addr(struct mnl_socket *nl, unsigned ifindex, const struct net_conf *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    NLM_F_ACK;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)n->prefix;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, n->addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, n->addr);
	return talk(nl, nlh);
}

/* Bridged IPv4 through the inet hooks: br_netfilter, in this namespace. */
static int
bridge_nf_on(void)
{
	int fd = open(BR_NF_SYSCTL, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return fleet_seterr(-errno, "net: %s: %s (is br_netfilter "
		    "loaded?)", BR_NF_SYSCTL, strerror(errno));
	if (write(fd, "1\n", 2) != 2)
		r = fleet_seterr(-errno, "net: %s: %s", BR_NF_SYSCTL,
		    strerror(errno));
	close(fd);
	return r;
}

static int
bridge_setup(struct mnl_socket *nl, const struct net_conf *n)
{
	char ip[INET_ADDRSTRLEN];
	unsigned idx;
	int r;

	if ((idx = if_nametoindex(n->bridge)) == 0) {
		if ((r = create_bridge(nl, n->bridge)) < 0)
			return fleet_seterr(r, "net: create bridge %s: %s",
			    n->bridge, strerror(-r));
		if ((idx = if_nametoindex(n->bridge)) == 0)
			return fleet_seterr(-ENODEV, "net: bridge %s "
			    "vanished", n->bridge);
	}
	inet_ntop(AF_INET, &n->addr, ip, sizeof(ip));
	if ((r = add_addr(nl, idx, n)) < 0)
		return fleet_seterr(r, "net: address %s/%u on %s: %s", ip,
		    n->prefix, n->bridge, strerror(-r));
	if ((r = link_up(nl, idx)) < 0)
		return fleet_seterr(r, "net: %s up: %s", n->bridge,
		    strerror(-r));
	return 0;
}

/* Create (or adopt) the bridge, give it the router address, bring it up
 * and turn on bridged IPv4 filtering. */
int
net_setup(const struct net_conf *n)
{
	struct mnl_socket *nl;
	int r;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = fleet_seterr(-errno, "net: rtnetlink: %s",
		    strerror(errno));
		goto out;
	}
	if ((r = bridge_setup(nl, n)) < 0)
		goto out;
	r = bridge_nf_on();
out:
	if (nl)
		mnl_socket_close(nl);
	return r;
}
