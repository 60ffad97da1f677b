/* procs.c: a connection's VMs, and what libvirt says of them */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "relay.h"

void
procs_link(fleet_proc *p)
{
	fleet_conn *c = p->conn;

	loop_lock(c->loop);
	p->next = c->procs;
	c->procs = p;
	p->linked = 1;
	loop_unlock(c->loop);
	if (p->conn->embedded)
		conn_started_add(p->conn, p->name);
}

/* Under the loop's lock. */
void
procs_unlink(fleet_proc *p)
{
	fleet_proc **pp;

	if (!p->linked)
		return;
	for (pp = &p->conn->procs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	p->linked = 0;
}

/*
 * What libvirt's event thread said (conn.c queued it; that thread takes
 * no lock of the loop's), run by the loop's wake-up: domains stopped,
 * the connection lost, console streams with something to read.
 */
void
procs_woken(void *arg)
{
	fleet_conn *c = arg;
	struct conn_news news;
	fleet_proc *p;
	size_t i;

	conn_news_take(c, &news);
	for (p = c->procs; p != NULL; p = p->next) {
		for (i = 0; i < news.nstopped; i++)
			if (strcmp(p->name, news.stopped[i]) == 0)
				proc_stopped(p);
		if (news.lost)
			proc_lost(p);
		relay_kick(p->relay);
	}
	conn_news_free(&news);
}

/* fleet_close(): every foreground VM still there is destroyed. */
void
procs_kill_foreground(fleet_conn *c)
{
	fleet_proc *p, **v = NULL;
	size_t n = 0, i;

	loop_lock(c->loop);
	for (p = c->procs; p != NULL; p = p->next)
		n++;
	if (n > 0 && (v = calloc(n, sizeof(*v))) != NULL)
		for (n = 0, p = c->procs; p != NULL; p = p->next)
			if (!p->detached && !p->stopped && p->reaping == 0) {
				proc_ref(p);
				v[n++] = p;
			}
	loop_unlock(c->loop);
	for (i = 0; v != NULL && i < n; i++) {
		proc_destroy(v[i]);
		proc_unref(v[i]);
	}
	free(v);
}
