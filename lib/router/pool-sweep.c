/* pool-sweep.c: the idle VMs of a fleetd that died without destroying
 * them, found by their mark (fleet metadata with an empty argv) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <fleet/fleet.h>
#include "core.h"
#include "router.h"
#include "pool.h"
#include "log.h"

static bool
unclaimed(virDomainPtr dom)
{
	struct fleet_proc_info *info;
	char *md;
	bool r = false;

	if (strncmp(virDomainGetName(dom), FLEET_PREFIX,
	    strlen(FLEET_PREFIX)) != 0 || (md = virDomainGetMetadata(dom,
	    VIR_DOMAIN_METADATA_ELEMENT, FLEET_XMLNS, 0)) == NULL)
		return false;
	if ((info = calloc(1, sizeof(*info))) != NULL &&
	    domxml_meta_parse(md, info) == 0)
		r = info->argv[0] == NULL;
	free(md);
	fleet_proc_info_free(info, 1);
	return r;
}

/* Its stdio and file sockets and boot module, beside the sockets of
 * every VM. */
static void
remove_files(struct pool *p, const char *name)
{
	char *uri = virConnectGetURI(p->conn), path[PATH_MAX_SOCK];
	size_t n;

	if (uri != NULL && sockdir_stdio_path(uri, name, path,
	    sizeof(path) - 8)) {
		(void)unlink(path);
		n = strlen(path);
		strcat(path, ".program");
		(void)unlink(path);
		strcpy(path + n, ".files");
		(void)unlink(path);
	}
	free(uri);
}

void
sweep_left(struct pool *p)
{
	virDomainPtr *doms = NULL;
	int i, n;

	n = virConnectListAllDomains(p->conn, &doms,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	for (i = 0; i < n; i++) {
		if (unclaimed(doms[i])) {
			log_info("pool: destroying %s, left by an earlier "
			    "fleetd", virDomainGetName(doms[i]));
			virDomainDestroy(doms[i]);
			remove_files(p, virDomainGetName(doms[i]));
		}
		virDomainFree(doms[i]);
	}
	free(doms);
}
