/* claim.c: a VM from fleetd's warm pool (docs/protocol.md, 6.1) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fleet/argv.h>
#include "internal.h"
#include "relay.h"

/*
 * Pool VMs are booted the way a default spawn would be: default memory,
 * names of fleetd's choosing, TCG, on fleetd's libvirt (never the
 * embedded driver), stdio on the virtio-serial port where the
 * connection is local. FLEET_POOL=0 turns claiming off.
 */
static int
poolable(const fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image)
{
	const char *e = getenv("FLEET_POOL"), *con = getenv("FLEET_CONSOLE");

	if ((e != NULL && strcmp(e, "0") == 0) ||
	    (con != NULL && strcmp(con, "serial") == 0))
		return 0;
	return !c->embedded && a->name == NULL && (a->mem_mib == 0 ||
	    a->mem_mib == vm_mem_default(image)) && !vm_use_kvm() &&
	    strpbrk(image, " \t\r\n") == NULL &&
	    strlen(image) < FLEET_CTL_LINE_MAX - 16;
}

/*
 * The VM's consoles, from fleetd (protocol.md, 6.1): its serial ptys,
 * which fleetd held since it booted (all three or none), then its stdio
 * socket and its file port's, which fleetd connected to (QEMU's, which
 * only root may reach) when the VM has them. Ours now.
 */
static void
claim_consoles(fleet_ctl *ctl, fleet_proc *p)
{
	int fds[5], n, i, ptys;

	n = ctl_take_fds(ctl, fds, 5);
	ptys = n >= 3 ? 3 : 0;
	loop_lock(p->conn->loop);
	for (i = 0; i < n; i++) {
		if (fcntl(fds[i], F_SETFL, O_NONBLOCK) != 0 || i > ptys + 1)
			close(fds[i]);
		else if (i < ptys)
			relay_set_fd(p->relay, ST_COM1 + i, fds[i]);
		else if (i == ptys)
			relay_set_fd(p->relay, ST_VIRTIO, fds[i]);
		else
			proc_files_fd(p, fds[i]);
	}
	loop_unlock(p->conn->loop);
}

/*
 * Send req to fleetd, whose answer names a VM held for us: "ok NAME
 * URI". 1 with *ctlp (the claim: fleetd destroys the VM when it closes)
 * and *namep (malloc'd); 0 when there is no fleetd, it refused, the VM
 * is on another libvirt than ours (then it is destroyed at once), or c
 * was interrupted (then whatever fleetd gives is let go). The exchange
 * is a call of its own (call.c): fleetd's create takes as long as
 * libvirt's.
 */
struct asking {
	char *req, *uri;
	fleet_ctl *ctl;
	char *name;
};

static void *
ask_call(void *arg)
{
	struct asking *k = arg;
	char *ok = NULL, *uri;

	if (fleet_ctl_open(&k->ctl, NULL) < 0 ||
	    fleet_ctl_call(k->ctl, k->req, NULL, NULL, &ok) < 0 ||
	    (uri = strchr(ok, ' ')) == NULL || strcmp(uri + 1, k->uri) != 0) {
		free(ok);
		fleet_ctl_close(k->ctl);
		k->ctl = NULL;
		return NULL;
	}
	*uri = '\0';
	k->name = ok;
	return k;
}

static void
asking_free(struct asking *k)
{
	free(k->req);
	free(k->uri);
	free(k);
}

static void
ask_undo(void *arg, void *res)
{
	struct asking *k = arg;

	fleet_ctl_close(k->ctl);
	free(k->name);
	asking_free(k);
}

static int
ask_fleetd(fleet_conn *c, const char *req, fleet_ctl **ctlp, char **namep)
{
	struct asking *k = calloc(1, sizeof(*k));
	void *res = NULL;
	int ok;

	if (k == NULL || (k->req = strdup(req)) == NULL ||
	    (k->uri = strdup(c->uri)) == NULL) {
		if (k != NULL)
			asking_free(k);
		return 0;
	}
	if (call_run(c, ask_call, ask_undo, k, -1, &res) < 0)
		return 0;
	if ((ok = res != NULL)) {
		*ctlp = k->ctl;
		*namep = k->name;
	}
	asking_free(k);
	fleet_clearerr();
	return ok;
}

/*
 * 1: p holds a claimed VM (p->name, p->claim, its consoles in p's relay),
 * paused; 0: none to be had (no fleetd, no pool for the image, a VM on
 * another libvirt than ours): spawn cold. A failed claim is no error.
 */
int
claim_take(fleet_conn *c, const struct fleet_spawn_attr *a,
    const char *image, fleet_proc *p)
{
	char req[FLEET_CTL_LINE_MAX], *name;
	fleet_ctl *ctl;

	if (!poolable(c, a, image))
		return 0;
	snprintf(req, sizeof(req), "claim %s", image);
	if (!ask_fleetd(c, req, &ctl, &name))
		return 0;
	proc_claimed(p, ctl, name);
	claim_consoles(ctl, p);
	debug_note("%s: claimed from fleetd's pool", name);
	return 1;
}

/*
 * 1: fleetd created the VM xml describes for us, running (QEMU has
 * connected to our sockets), and holds it as our claim; 0: no fleetd
 * that would, or one on another libvirt than ours: create it ourselves.
 * This saves loading and connecting libvirt (protocol.md, 6.2).
 */
int
claim_create(fleet_conn *c, const char *xml, fleet_proc *p)
{
	char req[FLEET_CTL_LINE_MAX], *name = NULL;
	size_t len = sizeof("create ") - 1, k;
	fleet_ctl *ctl = NULL;

	if (c->embedded)
		return 0;
	memcpy(req, "create ", len);
	if ((k = fleet_word_encode(c->uri, req + len, sizeof(req) - len)) >=
	    sizeof(req) - len - 1)
		return 0;
	len += k;
	req[len++] = ' ';
	if (fleet_word_encode(xml, req + len, sizeof(req) - len) >=
	    sizeof(req) - len || !ask_fleetd(c, req, &ctl, &name))
		return 0;
	if (strcmp(name, p->name) != 0) {
		fleet_ctl_close(ctl);
		free(name);
		return 0;
	}
	proc_claimed(p, ctl, NULL);
	free(name);
	return 1;
}

/*
 * Our consoles are open: fleetd resumes the VM and gives it our metadata
 * (argv, owner, parent). A detached VM outlives this connection.
 */
int
claim_run(fleet_proc *p, char *const *argv, int detached)
{
	char req[FLEET_CTL_LINE_MAX];
	size_t len, k;
	int i, r;

	len = (size_t)snprintf(req, sizeof(req), "run %s %s", p->name,
	    detached ? "bg" : "fg");
	if (len >= sizeof(req))
		return fleet_seterr(-E2BIG, "%s: name too long for fleetd",
		    p->name);
	/* the words that fit: what fleet-ps shows of a long argv */
	for (i = 0; argv[i] != NULL; i++) {
		k = fleet_word_encode(argv[i], NULL, 0);
		if (len + 1 + k >= sizeof(req))
			break;
		req[len++] = ' ';
		len += fleet_word_encode(argv[i], req + len, sizeof(req) - len);
	}
	req[len] = '\0';
	/* fleetd's error ("fleetd: ...") is the message */
	r = fleet_ctl_call(p->claim, req, NULL, NULL, NULL);
	if (detached)
		proc_claimed(p, NULL, NULL);
	return r;
}

/*
 * The program exited and its VM was told `again`: fleetd keeps it for
 * our user's next claim instead of destroying it once we let go (its
 * choice: a refusal ends the claim as always).
 */
void
claim_recycle(fleet_proc *p)
{
	char req[FLEET_CTL_LINE_MAX];

	snprintf(req, sizeof(req), "recycle %s", p->name);
	if (fleet_ctl_call(p->claim, req, NULL, NULL, NULL) == 0) {
		debug_note("%s: recycled", p->name);
		return;
	}
	debug_note("%s: not recycled: %s", p->name, fleet_last_error());
	fleet_clearerr();
}
