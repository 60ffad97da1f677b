/* lease.c: addresses and MACs for VMs on the fleet network */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core.h"
#include "router.h"

static uint32_t
netmask(unsigned prefix)
{
	return prefix ? ~0u << (32 - prefix) : 0;
}

/* 0 if ip (network order) may be leased: inside the network, not the
 * router, the network or the broadcast address, not in use. */
static int
usable(const struct state *s, uint32_t ip)
{
	uint32_t h = ntohl(ip), a = ntohl(s->net.addr);
	uint32_t m = netmask(s->net.prefix);

	if ((h & m) != (a & m) || h == a || (h & ~m) == 0 ||
	    (h & ~m) == ~m)
		return 0;
	return state_vm_by_ip(s, ip) == NULL;
}

/* The lowest free address of the network. */
int
lease_alloc(const struct state *s, uint32_t *ip)
{
	uint32_t m = netmask(s->net.prefix);
	uint32_t base = ntohl(s->net.addr) & m, h;

	for (h = base + 1; (h & m) == base && h != base + ~m; h++) {
		if (usable(s, htonl(h))) {
			*ip = htonl(h);
			return 0;
		}
	}
	return fleet_seterr(-ENOSPC, "lease: no free address on %s",
	    s->net.bridge);
}

/* 52:54:00 (QEMU's prefix) and the low 24 bits of the address. */
void
lease_mac(uint32_t ip, uint8_t mac[6])
{
	uint32_t h = ntohl(ip);

	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

/* For an explicit registration: is ip usable and mac a unicast MAC? */
int
lease_check(const struct state *s, uint32_t ip, const uint8_t mac[6])
{
	char buf[INET_ADDRSTRLEN];
	size_t i;

	inet_ntop(AF_INET, &ip, buf, sizeof(buf));
	if (!usable(s, ip))
		return fleet_seterr(state_vm_by_ip(s, ip) ? -EEXIST : -EINVAL,
		    "address %s is %s", buf, state_vm_by_ip(s, ip) ?
		    "in use" : "not a host address of the fleet network");
	if (mac[0] & 1)
		return fleet_seterr(-EINVAL, "MAC is a multicast address");
	for (i = 0; i < s->nvms; i++)
		if (memcmp(s->vms[i].mac, mac, 6) == 0)
			return fleet_seterr(-EEXIST, "MAC is in use by %s",
			    s->vms[i].name);
	return 0;
}

int
mac_parse(const char *str, uint8_t mac[6])
{
	unsigned b[6];
	int i, n = 0;

	if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5], &n) != 6 || str[n] != '\0' || n != 17)
		return fleet_seterr(-EINVAL, "\"%s\" is not a MAC address",
		    str);
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

void
mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}
