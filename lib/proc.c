/* proc.c: a VM's life as a process, one state machine: wait, signal,
 * release */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "share.h"
#include "relay.h"
#include "virt.h"

#define GONE_GRACE_MS	2000	/* output still coming once the VM went */
#define REAP_START_MS	100

static void	proc_step(fleet_proc *p, enum proc_event ev);

void
proc_ref(fleet_proc *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_SEQ_CST);
}

/* Not under the loop's lock: the last reference takes it. */
void
proc_unref(fleet_proc *p)
{
	struct loop *l = p->conn->loop;

	if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	loop_lock(l);
	procs_unlink(p);
	loop_timer_stop(l, &p->timer);
	loop_timer_stop(l, &p->term);
	relay_free(p->relay);
	share_free(p->share);
	if (p->files_fd >= 0)
		close(p->files_fd);
	loop_unlock(l);
	if (p->stopped && p->sockdir[0] != '\0')
		sockdir_remove(p->sockdir);
	fleet_ctl_close(p->claim);
	if (p->dom != NULL)
		virDomainFree(p->dom);
	conn_unref(p->conn);
	pthread_mutex_destroy(&p->dom_lock);
	pthread_mutex_destroy(&p->reap_lock);
	pthread_cond_destroy(&p->reap_cond);
	free(p->name);
	free(p);
}

/* ---- the state machine: under the loop's lock ---- */

static void
settle(fleet_proc *p, int status)
{
	p->status = status;
	p->state = PS_DONE;
	loop_timer_stop(p->conn->loop, &p->timer);
	loop_timer_stop(p->conn->loop, &p->term);
	relay_stop_input(p->relay);
	loop_wake(p->conn->loop);	/* a waiter in another thread */
}

static void
timer_fired(void *arg)
{
	fleet_proc *p = arg;

	proc_step(p, p->state == PS_BOOTING ? PE_LATE : PE_GRACE);
}

/* The VM went (its domain stopped, or its consoles closed): what it
 * wrote may still be on its way for a while. */
static void
gone(fleet_proc *p)
{
	if (p->gone)
		return;
	p->gone = 1;
	relay_stop_input(p->relay);
	loop_timer_set(p->conn->loop, &p->timer, GONE_GRACE_MS);
	if (p->state < PS_ENDING)
		p->state = PS_GONE;
}

static int
gone_status(const fleet_proc *p)
{
	return p->destroyed ? fleet_status_signaled(SIGKILL) :
	    fleet_status_crashed();
}

/*
 * Every change of a VM's state is here. NEW: being made; BOOTING: its
 * `ready` awaited, READY_BOUND_S at most (not while we hold it
 * stopped); RUNNING; ENDING: its final line came and its output drains;
 * GONE: it went without one and what it wrote drains; DONE: its status
 * is known.
 */
static void
proc_step(fleet_proc *p, enum proc_event ev)
{
	struct loop *l = p->conn->loop;

	if (p->state == PS_DONE)
		return;
	switch (ev) {
	case PE_START:
		p->state = relay_ready(p->relay) ? PS_RUNNING : PS_BOOTING;
		if (p->state == PS_BOOTING && !p->held)
			loop_timer_set(l, &p->timer, READY_BOUND_S * 1000);
		break;
	case PE_READY:
		if (p->state == PS_BOOTING) {
			p->state = PS_RUNNING;
			loop_timer_stop(l, &p->timer);
		}
		break;
	case PE_FINAL:
		if (p->state < PS_ENDING || p->state == PS_GONE) {
			if (!p->gone)
				loop_timer_stop(l, &p->timer);
			p->state = PS_ENDING;
			relay_stop_input(p->relay);
		}
		break;
	case PE_STOPPED:
		p->stopped = 1;
		gone(p);
		break;
	case PE_GONE:
		gone(p);
		break;
	case PE_OUTPUT:
		if (relay_ctl_ended(p->relay) && p->state > PS_NEW)
			gone(p);
		break;
	case PE_BROKEN:
		settle(p, fleet_status_signaled(SIGPIPE));
		return;
	case PE_LATE:
		if (p->state == PS_BOOTING && !p->held) {
			p->late = 1;
			settle(p, fleet_status_signaled(SIGKILL));
		}
		return;
	case PE_GRACE:
		if (p->state == PS_ENDING)
			settle(p, p->final_status);
		else if (p->state == PS_GONE)
			settle(p, gone_status(p));
		return;
	case PE_HOLD:
		p->held = 1;
		if (p->state == PS_BOOTING)
			loop_timer_stop(l, &p->timer);
		break;
	case PE_RESUME:
		p->held = 0;
		if (p->state == PS_BOOTING)
			loop_timer_set(l, &p->timer, READY_BOUND_S * 1000);
		break;
	}
	if (p->state == PS_ENDING && relay_drained(p->relay))
		settle(p, p->final_status);
	else if (p->state == PS_GONE && relay_ended(p->relay))
		settle(p, gone_status(p));
}

/* ---- what the relay says ---- */

static void
on_ready(void *arg)
{
	proc_step(arg, PE_READY);
}

static void
on_final(void *arg, const struct guest_line *l)
{
	fleet_proc *p = arg;

	p->final_status = guest_line_status(l);
	if (l->kind == GL_CRASH)
		memcpy(p->crash, l->what, sizeof(p->crash));
	proc_step(p, PE_FINAL);
}

static void
on_changed(void *arg)
{
	proc_step(arg, PE_OUTPUT);
}

/* stdout's reader is gone: as a pipe's writer, the program dies of
 * SIGPIPE, and its VM with it. */
static void
on_broken(void *arg)
{
	fleet_proc *p = arg;

	proc_step(p, PE_BROKEN);
	proc_destroy_later(p);
}

static const struct relay_events relay_events = {
	on_ready, on_final, on_changed, on_broken,
};

int
proc_new(fleet_conn *c, const struct fleet_spawn_attr *a, fleet_proc **pp)
{
	int host[3] = { a->stdin_fd, a->stdout_fd, a->stderr_fd }, e;
	fleet_proc *p;

	*pp = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	pthread_mutex_init(&p->dom_lock, NULL);
	pthread_mutex_init(&p->reap_lock, NULL);
	pthread_cond_init(&p->reap_cond, NULL);
	p->refs = 1;
	p->detached = a->detached;
	p->state = PS_NEW;
	p->files_fd = -1;
	loop_timer_init(&p->timer, timer_fired, p);
	loop_timer_init(&p->term, term_fired, p);
	conn_ref(c);
	p->conn = c;
	*pp = p;
	loop_lock(c->loop);
	e = relay_new(&p->relay, c->loop, host, &relay_events, p);
	loop_unlock(c->loop);
	if (e < 0)
		return fleet_seterr(e, "spawn: %s", strerror(-e));
	return 0;
}

/* What spawn.c and claim.c learn as they make p. */
int
proc_name(fleet_proc *p, const char *name, const char *image)
{
	free(p->name);
	if ((p->name = name ? strdup(name) : vm_name(image)) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	return 0;
}

void
proc_created(fleet_proc *p, virDomainPtr dom)
{
	p->dom = dom;
}

/* The sockets stay until the domain is gone. */
void
proc_keep_sockdir(fleet_proc *p, struct relay_listen *l)
{
	sockdir_listen_keep(l, p->sockdir, sizeof(p->sockdir));
}

/* The VM's files, served until the VM is let go of (under the lock). */
void
proc_share(fleet_proc *p, struct share *s)
{
	share_free(p->share);
	p->share = s;
}

/* A claimed VM's file port, kept until the spawn serves it. */
void
proc_files_fd(fleet_proc *p, int fd)
{
	if (p->files_fd >= 0)
		close(p->files_fd);
	p->files_fd = fd;
}

int
proc_take_files_fd(fleet_proc *p)
{
	int fd = p->files_fd;

	p->files_fd = -1;
	return fd;
}

/* ctl: fleetd's hold on the VM (NULL: let go of it, a detached one
 * outlives us); name, taken, when fleetd named it. */
void
proc_claimed(fleet_proc *p, fleet_ctl *ctl, char *name)
{
	if (ctl == NULL)
		fleet_ctl_close(p->claim);
	p->claim = ctl;
	if (name != NULL) {
		free(p->name);
		p->name = name;
		p->pooled = 1;
	}
}

/* Its consoles are set: the relay runs, and its life begins. */
void
proc_start(fleet_proc *p, int ready)
{
	struct loop *l = p->conn->loop;

	loop_lock(l);
	relay_start(p->relay, ready);
	proc_step(p, PE_START);
	loop_unlock(l);
}

void
proc_stopped(fleet_proc *p)
{
	proc_step(p, PE_STOPPED);
}

/* The connection went: waiters learn it. */
void
proc_lost(fleet_proc *p)
{
	p->lost = 1;
}

/* The domain, looked up on first need (a claimed VM runs on fleetd's
 * libvirt, which libfleet may not have loaded). */
int
proc_dom(fleet_proc *p)
{
	int r = 0;

	pthread_mutex_lock(&p->dom_lock);
	if (p->dom == NULL && (r = conn_virt(p->conn)) == 0 &&
	    (p->dom = virDomainLookupByName(p->conn->vc, p->name)) == NULL)
		r = fleet_seterr(-ESRCH, "%s: %s", p->name, virt_err());
	pthread_mutex_unlock(&p->dom_lock);
	return r;
}

/* ---- destroying ---- */

/* A claimed VM dies with our claim on it: fleetd destroys it when the
 * connection goes. 1 if p was such a VM. */
static int
proc_unclaim(fleet_proc *p)
{
	if (p->claim == NULL || p->dom != NULL)
		return 0;
	ctl_hangup(p->claim);
	return 1;
}

/* Not under the loop's lock: libvirt's destroy waits for QEMU to die. */
void
proc_destroy(fleet_proc *p)
{
	struct loop *l = p->conn->loop;
	int stopped = 0;

	loop_lock(l);
	p->destroyed = 1;
	relay_detach(p->relay);		/* streams first: see relay.c */
	loop_unlock(l);
	if (proc_unclaim(p))
		stopped = -1;
	else if (proc_dom(p) == 0 && virDomainDestroy(p->dom) == 0)
		stopped = 1;
	loop_lock(l);
	if (stopped)
		proc_step(p, stopped > 0 ? PE_STOPPED : PE_GONE);
	loop_unlock(l);
	loop_wake(l);
}

static void
reap_told(fleet_proc *p)
{
	pthread_mutex_lock(&p->reap_lock);
	p->reaping = 2;
	pthread_cond_broadcast(&p->reap_cond);
	pthread_mutex_unlock(&p->reap_lock);
}

/* A thread of its own: virDomainDestroy blocks for as long as QEMU
 * takes to die (libvirtd waits on its SIGTERM). */
static void *
reap_thread(void *arg)
{
	fleet_proc *p = arg;

	reap_told(p);
	proc_destroy(p);
	proc_unref(p);
	return NULL;
}

/* Under the loop's lock or not: the destroy goes on a thread. Once. */
void
proc_destroy_later(fleet_proc *p)
{
	int go;

	pthread_mutex_lock(&p->reap_lock);
	go = !p->reaping;
	if (go)
		p->reaping = 1;
	pthread_mutex_unlock(&p->reap_lock);
	if (!go)
		return;
	if (p->claim != NULL && p->dom == NULL) {
		reap_told(p);		/* fleetd destroys it, off our path */
		ctl_hangup(p->claim);
		return;
	}
	proc_ref(p);
	if (thread_spawn(reap_thread, p) < 0) {
		reap_told(p);
		__atomic_sub_fetch(&p->refs, 1, __ATOMIC_SEQ_CST);
	}
}

/*
 * The status is known: tear the domain down off the caller's path, but
 * let the destroy leave first. A process that exits before would have
 * libvirtd auto-destroy the domain in its event loop, stalling every
 * client's calls for the 200 ms it waits on QEMU's SIGTERM; a destroy
 * call waits in one of its workers instead.
 */
static void
proc_reap(fleet_proc *p)
{
	struct timespec until;

	proc_destroy_later(p);
	clock_after(&until, CLOCK_REALTIME, REAP_START_MS);
	pthread_mutex_lock(&p->reap_lock);
	while (p->reaping < 2)
		if (pthread_cond_timedwait(&p->reap_cond, &p->reap_lock,
		    &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&p->reap_lock);
}

/*
 * Under the loop's lock, before its consoles go: a pool VM whose program
 * exited, every byte of its output read, is told `again` (protocol.md
 * 2.3), so that fleetd may keep it for our user's next claim.
 */
static int
proc_again(fleet_proc *p)
{
	int code = fleet_status_exit_code(p->status);

	if (!p->pooled || p->claim == NULL || p->detached || p->gone ||
	    p->held || p->destroyed || p->lost || p->late ||
	    p->status != p->final_status ||
	    p->status != fleet_status_exited(code))
		return 0;
	return relay_send_again(p->relay) == 0;
}

/* ---- the API ---- */

int
fleet_proc_wait(fleet_proc *p, int *status, int timeout_ms)
{
	struct loop *l = p->conn->loop;
	int64_t until = clock_now_ms() + (timeout_ms > 0 ? timeout_ms : 0), left;
	int r = 0, looked = 0, again = 0;

	fleet_clearerr();
	loop_lock(l);
	for (;;) {
		if (p->state == PS_DONE)
			break;
		if (p->lost) {
			r = fleet_seterr(-ECONNRESET, "%s: connection to "
			    "libvirt lost", p->name);
			break;
		}
		left = until - clock_now_ms();
		if (timeout_ms >= 0 && left <= 0 && looked) {
			r = fleet_seterr(-ETIMEDOUT, "%s: still running",
			    p->name);
			break;
		}
		loop_unlock(l);
		loop_dispatch(l, timeout_ms < 0 ? -1 : left > 0 ? (int)left : 0);
		looked = 1;
		loop_lock(l);
	}
	if (p->state == PS_DONE) {
		/* Consoles closed before the domain and the connection go:
		 * libvirtd 9.0 can crash on stream events that race a
		 * client's exit. */
		again = proc_again(p);
		relay_detach(p->relay);
		if (p->late)
			r = fleet_seterr(-EPROTO, "%s: the guest did not "
			    "start: no `ready` from it in %d s", p->name,
			    READY_BOUND_S);
		else if (status != NULL)
			*status = p->status;
	}
	loop_unlock(l);
	if (again)
		claim_recycle(p);
	if (p->state == PS_DONE)
		proc_reap(p);
	return r;
}

/*
 * SIGTERM unanswered: the ACPI power button, then destroy. A guest that
 * has not said `ready` has no runtime listening for the button: destroy.
 */
void
term_fired(void *arg)
{
	fleet_proc *p = arg;

	if (p->state == PS_DONE || p->gone)
		return;
	if (p->term_step++ == 0 && relay_ready(p->relay) && proc_dom(p) == 0) {
		virDomainShutdown(p->dom);
		loop_timer_set(p->conn->loop, &p->term, TERM_GRACE_MS);
		return;
	}
	proc_destroy_later(p);
}

static int
proc_term(fleet_proc *p, int sig)
{
	struct loop *l = p->conn->loop;
	char line[32];
	int r;

	snprintf(line, sizeof(line), "sig %d\n", sig);
	loop_lock(l);
	if (!p->term.armed && p->term_step == 0)
		loop_timer_set(l, &p->term, TERM_GRACE_MS);
	r = relay_send_ctl(p->relay, line);
	loop_unlock(l);
	if (r < 0 && r != -EPIPE)
		return fleet_seterr(r, "%s: control channel: %s", p->name,
		    strerror(-r));
	return 0;
}

static int
proc_hold(fleet_proc *p, int hold)
{
	struct loop *l = p->conn->loop;
	int r;

	if (proc_dom(p) < 0)
		return -ESRCH;
	r = hold ? virDomainSuspend(p->dom) : virDomainResume(p->dom);
	if (r < 0)
		return fleet_seterr(-EIO, "%s: %s: %s", p->name, hold ?
		    "suspend" : "resume", virt_err());
	loop_lock(l);
	proc_step(p, hold ? PE_HOLD : PE_RESUME);
	loop_unlock(l);
	loop_wake(l);
	return 0;
}

int
fleet_proc_kill(fleet_proc *p, int sig)
{
	fleet_clearerr();
	switch (sig_action(sig)) {
	case SIG_DESTROY:
		proc_destroy(p);
		return 0;
	case SIG_SUSPEND:
		return proc_hold(p, 1);
	case SIG_RESUME:
		return proc_hold(p, 0);
	case SIG_DELIVER:
		return proc_term(p, sig);
	default:
		return fleet_seterr(-EINVAL, "%s: bad signal %d", p->name,
		    sig);
	}
}

int
fleet_proc_ready(const fleet_proc *p)
{
	struct loop *l = p->conn->loop;
	int r;

	loop_lock(l);
	r = relay_ready(p->relay);
	loop_unlock(l);
	return r;
}

const char *
fleet_proc_id(const fleet_proc *p)
{
	return p->name;
}

void
fleet_proc_free(fleet_proc *p)
{
	struct loop *l;
	int running;

	if (p == NULL)
		return;
	l = p->conn->loop;
	loop_lock(l);
	p->released = 1;
	running = p->state != PS_DONE && !p->gone;
	relay_detach(p->relay);
	loop_unlock(l);
	if (running && !p->detached)
		proc_reap(p);
	proc_unref(p);
}

const char *
fleet_proc_crash(const fleet_proc *p)
{
	return p->crash[0] != '\0' ? p->crash : NULL;
}
