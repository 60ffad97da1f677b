/* call.c: a blocking call that its caller may walk away from */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

/*
 * libvirt's calls block until libvirtd answers (a create under TCG can
 * take seconds, a stuck libvirtd forever) and cannot be cancelled. So a
 * call a user may interrupt runs on a thread of its own; the caller waits
 * for it, for the connection's interrupt or for a timeout. A caller that
 * walks away leaves the call to finish alone, and undo() then frees what
 * it made (destroys the domain it created, closes the connection it
 * opened). fleet_close() waits a little for those.
 */
struct call {
	pthread_mutex_t lock;
	int done_fd[2];		/* readable once fn has returned */
	void *(*fn)(void *);
	void (*undo)(void *arg, void *res);
	void *arg, *res;
	int done, abandoned, refs;
};

static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pending_cond = PTHREAD_COND_INITIALIZER;
static int pending;		/* abandoned calls not yet undone */

static void
call_unref(struct call *k)
{
	int last;

	pthread_mutex_lock(&k->lock);
	last = --k->refs == 0;
	pthread_mutex_unlock(&k->lock);
	if (!last)
		return;
	close(k->done_fd[0]);
	close(k->done_fd[1]);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

static void *
call_thread(void *arg)
{
	struct call *k = arg;
	void *res = k->fn(k->arg);
	int abandoned;

	pthread_mutex_lock(&k->lock);
	k->res = res;
	k->done = 1;
	abandoned = k->abandoned;
	pthread_mutex_unlock(&k->lock);
	(void)write(k->done_fd[1], "", 1);
	if (abandoned) {
		if (k->undo != NULL)
			k->undo(k->arg, res);
		pthread_mutex_lock(&pending_lock);
		pending--;
		pthread_cond_broadcast(&pending_cond);
		pthread_mutex_unlock(&pending_lock);
	}
	call_unref(k);
	return NULL;
}

/* Wait for k, c's interrupt or timeout_ms (< 0: none): 0, -EINTR or
 * -ETIMEDOUT. */
static int
call_wait(fleet_conn *c, struct call *k, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = k->done_fd[0], .events = POLLIN },
		{ .fd = conn_interrupt_fd(c), .events = POLLIN },
	};
	int n;

	for (;;) {
		if (conn_interrupted(c))
			return -EINTR;
		n = poll(pfd, pfd[1].fd >= 0 ? 2 : 1, timeout_ms);
		if (n == 0)
			return -ETIMEDOUT;
		if (n > 0 && (pfd[0].revents & POLLIN))
			return 0;
		if (n > 0 && (pfd[1].revents & POLLIN) && !conn_interrupted(c))
			conn_interrupt_drain(c);	/* a byte that came late */
	}
}

/*
 * fn(arg) on its own thread: 0 with *resp, or -EINTR (c was interrupted)
 * or -ETIMEDOUT. On an error the call goes on alone: arg is its own from
 * then on, and undo(arg, res) runs when fn returns; on success arg is
 * the caller's again.
 */
int
call_run(fleet_conn *c, void *(*fn)(void *), void (*undo)(void *, void *),
    void *arg, int timeout_ms, void **resp)
{
	struct call *k = calloc(1, sizeof(*k));
	int r;

	if (k == NULL || pipe2(k->done_fd, O_CLOEXEC) == -1) {
		free(k);
		return -ENOMEM;
	}
	pthread_mutex_init(&k->lock, NULL);
	k->fn = fn;
	k->undo = undo;
	k->arg = arg;
	k->refs = 2;
	if (thread_spawn(call_thread, k) < 0) {
		k->refs = 1;
		call_unref(k);
		return -EAGAIN;
	}
	r = call_wait(c, k, timeout_ms);
	pthread_mutex_lock(&k->lock);
	if (k->done)
		r = 0;		/* it made it after all: no undo needed */
	else {
		k->abandoned = 1;
		pthread_mutex_lock(&pending_lock);
		pending++;
		pthread_mutex_unlock(&pending_lock);
	}
	*resp = k->res;
	pthread_mutex_unlock(&k->lock);
	call_unref(k);
	return r;
}

/* Give abandoned calls up to ms to undo what they made. */
void
call_drain(int ms)
{
	struct timespec until;

	clock_after(&until, CLOCK_REALTIME, ms);
	pthread_mutex_lock(&pending_lock);
	while (pending > 0 && pthread_cond_timedwait(&pending_cond,
	    &pending_lock, &until) == 0)
		;
	pthread_mutex_unlock(&pending_lock);
}
