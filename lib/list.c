/* list.c: fleet domains as processes: list, find by id, signal by id */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "virt.h"

const char *
fleet_state_name(enum fleet_state s)
{
	switch (s) {
	case FLEET_RUNNING:
		return "running";
	case FLEET_PAUSED:
		return "paused";
	case FLEET_EXITING:
		return "exiting";
	}
	abort();
}

static enum fleet_state
dom_state(virDomainPtr dom)
{
	int state, reason;

	if (virDomainGetState(dom, &state, &reason, 0) < 0)
		return FLEET_EXITING;
	switch (state) {
	case VIR_DOMAIN_RUNNING:
		return FLEET_RUNNING;
	case VIR_DOMAIN_PAUSED:
		return reason == VIR_DOMAIN_PAUSED_SHUTTING_DOWN ?
		    FLEET_EXITING : FLEET_PAUSED;
	default:
		return FLEET_EXITING;
	}
}

static void
info_clear(struct fleet_proc_info *i)
{
	char **a;

	for (a = i->argv; a != NULL && *a != NULL; a++)
		free(*a);
	free(i->argv);
	free(i->id);
	free(i->program);
	free(i->image);
	memset(i, 0, sizeof(*i));
}

/* 0 and *info for a fleet domain, -ESRCH for any other domain (or an
 * idle one of fleetd's pool). */
static int
dom_info(virDomainPtr dom, struct fleet_proc_info *info)
{
	const char *name = virDomainGetName(dom);
	virDomainInfo di;
	char *md;
	int r;

	memset(info, 0, sizeof(*info));
	if (name == NULL || strncmp(name, FLEET_PREFIX,
	    strlen(FLEET_PREFIX)) != 0)
		return -ESRCH;
	md = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
	    FLEET_XMLNS, VIR_DOMAIN_AFFECT_LIVE);
	if (md == NULL)
		return -ESRCH;
	r = domxml_meta_parse(md, info);
	free(md);
	/* no argv: an unclaimed VM of fleetd's pool, no one's process */
	if (r == 0 && info->argv[0] == NULL)
		r = -ESRCH;
	if (r == 0 && (info->id = strdup(name)) == NULL)
		r = -ENOMEM;
	if (r < 0) {
		info_clear(info);
		return r == -ENOMEM ? r : -ESRCH;
	}
	info->state = dom_state(dom);
	if (virDomainGetInfo(dom, &di) == 0)
		info->mem_mib = (unsigned)(di.maxMem / 1024);
	return 0;
}

void
fleet_proc_info_free(struct fleet_proc_info *list, size_t n)
{
	size_t i;

	for (i = 0; list != NULL && i < n; i++)
		info_clear(&list[i]);
	free(list);
}

static int
all_domains(fleet_conn *c, virDomainPtr **domsp)
{
	int n;

	if ((n = conn_virt(c)) < 0)
		return n;
	n = virConnectListAllDomains(c->vc, domsp,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	if (n < 0)
		return fleet_seterr(-EIO, "%s: list domains: %s", c->uri,
		    virt_err());
	return n;
}

int
fleet_list(fleet_conn *c, struct fleet_proc_info **listp, size_t *np)
{
	struct fleet_proc_info *list = NULL;
	virDomainPtr *doms = NULL;
	size_t k = 0;
	int i, n, r = 0;

	fleet_clearerr();
	*listp = NULL;
	*np = 0;
	if ((n = all_domains(c, &doms)) < 0)
		return n;
	if (n > 0 && (list = calloc((size_t)n, sizeof(*list))) == NULL)
		r = fleet_seterr(-ENOMEM, "list: out of memory");
	for (i = 0; i < n; i++) {
		if (r == 0 && dom_info(doms[i], &list[k]) == 0)
			k++;
		virDomainFree(doms[i]);
	}
	free(doms);
	if (r < 0)
		return r;
	*listp = list;
	*np = k;
	return 0;
}

/* A full domain name, or the hex id after its last '-'. */
static int
id_matches(const char *name, const char *id)
{
	const char *dash = strrchr(name, '-');

	return strcmp(name, id) == 0 || (dash && strcmp(dash + 1, id) == 0);
}

int
list_find(fleet_conn *c, const char *id, virDomainPtr *domp, int *detached,
    unsigned *owner)
{
	struct fleet_proc_info info;
	virDomainPtr *doms = NULL, hit = NULL;
	int i, n;

	*domp = NULL;
	if ((n = all_domains(c, &doms)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (hit == NULL && id_matches(virDomainGetName(doms[i]), id) &&
		    dom_info(doms[i], &info) == 0) {
			hit = doms[i];
			*detached = info.detached;
			*owner = info.owner_uid;
			info_clear(&info);
			continue;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	if (hit == NULL)
		return fleet_seterr(-ESRCH, "%s: no such fleet VM", id);
	*domp = hit;
	return 0;
}
