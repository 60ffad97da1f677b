/* loop.c: a connection's event loop: epoll over its fds, a timerfd for
 * its timers, an eventfd that other threads ring */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include "core.h"
#include "loop.h"

#define ID_WAKE		0
#define ID_TIMER	1
#define ID_FIRST	2
#define BATCH		16

struct watch {
	int fd;
	unsigned events;
	int used, polled;
	uint32_t gen;
	loop_fn *fn;
	void *arg;
};

struct loop {
	pthread_mutex_t lock;
	int ep, tfd, efd;
	struct watch *w;
	size_t nw;
	struct loop_timer *timers;	/* armed, soonest first */
	void (*wake_fn)(void *);
	void *wake_arg;
};

static int
ep_add(int ep, int fd, uint64_t id, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = id };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

int
loop_new(struct loop **lp)
{
	struct loop *l;
	int e;

	*lp = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -ENOMEM;
	pthread_mutex_init(&l->lock, NULL);
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	l->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (l->ep < 0 || l->tfd < 0 || l->efd < 0) {
		e = -errno;
		loop_free(l);
		return e;
	}
	if ((e = ep_add(l->ep, l->efd, ID_WAKE, EPOLLIN)) < 0 ||
	    (e = ep_add(l->ep, l->tfd, ID_TIMER, EPOLLIN)) < 0) {
		loop_free(l);
		return e;
	}
	*lp = l;
	return 0;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	if (l->ep >= 0)
		close(l->ep);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->efd >= 0)
		close(l->efd);
	free(l->w);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

int
loop_fd(const struct loop *l)
{
	return l->ep;
}

void
loop_lock(struct loop *l)
{
	pthread_mutex_lock(&l->lock);
}

void
loop_unlock(struct loop *l)
{
	pthread_mutex_unlock(&l->lock);
}

static uint32_t
ep_events(unsigned events)
{
	return ((events & LOOP_IN) ? EPOLLIN : 0) |
	    ((events & LOOP_OUT) ? EPOLLOUT : 0);
}

static uint64_t
watch_id(const struct loop *l, size_t i)
{
	return (uint64_t)l->w[i].gen << 32 | (i + ID_FIRST);
}

static struct watch *
watch_find(struct loop *l, int fd, size_t *ip)
{
	size_t i;

	for (i = 0; i < l->nw; i++)
		if (l->w[i].used && l->w[i].fd == fd) {
			*ip = i;
			return &l->w[i];
		}
	return NULL;
}

static size_t
watch_slot(struct loop *l)
{
	struct watch *w;
	size_t i;

	for (i = 0; i < l->nw; i++)
		if (!l->w[i].used)
			return i;
	if ((w = realloc(l->w, (l->nw + 8) * sizeof(*w))) == NULL)
		return (size_t)-1;
	memset(w + l->nw, 0, 8 * sizeof(*w));
	l->w = w;
	l->nw += 8;
	return i;
}

/*
 * A watch asking for nothing is out of the epoll set: a hangup is
 * reported whatever one asks, and would wake the loop over and over.
 */
static int
watch_apply(struct loop *l, size_t i)
{
	struct watch *w = &l->w[i];
	struct epoll_event ev = { .events = ep_events(w->events),
	    .data.u64 = watch_id(l, i) };
	int op;

	if (w->events == 0 && !w->polled)
		return 0;
	op = w->events == 0 ? EPOLL_CTL_DEL :
	    w->polled ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(l->ep, op, w->fd, &ev) < 0)
		return -errno;
	w->polled = op != EPOLL_CTL_DEL;
	return 0;
}

int
loop_watch(struct loop *l, int fd, unsigned events, loop_fn *fn, void *arg)
{
	size_t i = watch_slot(l);
	struct epoll_event ev = { .events = 0 };
	int e;

	if (i == (size_t)-1)
		return -ENOMEM;
	/* can it be polled at all? */
	ev.data.u64 = 0;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, &ev);
	l->w[i] = (struct watch){ .fd = fd, .events = events, .used = 1,
	    .gen = l->w[i].gen + 1, .fn = fn, .arg = arg };
	if ((e = watch_apply(l, i)) < 0)
		l->w[i].used = 0;
	return e;
}

void
loop_rewatch(struct loop *l, int fd, unsigned events)
{
	struct watch *w;
	size_t i;

	if ((w = watch_find(l, fd, &i)) == NULL || w->events == events)
		return;
	w->events = events;
	watch_apply(l, i);
}

void
loop_unwatch(struct loop *l, int fd)
{
	struct watch *w;
	size_t i;

	if ((w = watch_find(l, fd, &i)) == NULL)
		return;
	w->events = 0;
	watch_apply(l, i);
	w->used = 0;
	w->gen++;
}

static void
timer_arm(struct loop *l)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	int64_t due;

	if (l->timers != NULL) {
		due = l->timers->due > 0 ? l->timers->due : 1;
		its.it_value.tv_sec = due / 1000;
		its.it_value.tv_nsec = (due % 1000) * 1000000;
	}
	timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

void
loop_timer_init(struct loop_timer *t, void (*fn)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
}

static void
timer_unlink(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **tp;

	for (tp = &l->timers; *tp != NULL; tp = &(*tp)->next)
		if (*tp == t) {
			*tp = t->next;
			break;
		}
	t->armed = 0;
}

void
loop_timer_set(struct loop *l, struct loop_timer *t, int64_t ms)
{
	struct loop_timer **tp;

	if (t->armed)
		timer_unlink(l, t);
	t->due = clock_now_ms() + (ms > 0 ? ms : 0);
	for (tp = &l->timers; *tp != NULL && (*tp)->due <= t->due;
	    tp = &(*tp)->next)
		;
	t->next = *tp;
	*tp = t;
	t->armed = 1;
	if (l->timers == t)
		timer_arm(l);
}

void
loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	if (!t->armed)
		return;
	timer_unlink(l, t);
	timer_arm(l);
}

void
loop_wake(struct loop *l)
{
	uint64_t one = 1;

	(void)!write(l->efd, &one, sizeof(one));
}

void
loop_on_wake(struct loop *l, void (*fn)(void *), void *arg)
{
	l->wake_fn = fn;
	l->wake_arg = arg;
}

int
loop_wake_dup(struct loop *l)
{
	return fcntl(l->efd, F_DUPFD_CLOEXEC, 0);
}

static void
drain(int fd)
{
	uint64_t v;

	(void)!read(fd, &v, sizeof(v));
}

static unsigned
loop_events(uint32_t ev)
{
	return ((ev & EPOLLIN) ? LOOP_IN : 0) |
	    ((ev & EPOLLOUT) ? LOOP_OUT : 0) |
	    ((ev & (EPOLLHUP | EPOLLERR)) ? LOOP_HUP | LOOP_IN : 0);
}

/* Under the lock: one event, if its watch is still the one it was for. */
static void
run_event(struct loop *l, const struct epoll_event *ev, int *woken)
{
	uint32_t id = (uint32_t)ev->data.u64, gen = ev->data.u64 >> 32;
	size_t i;

	if (id == ID_WAKE) {
		drain(l->efd);
		*woken = 1;
		return;
	}
	if (id == ID_TIMER) {
		drain(l->tfd);
		return;
	}
	i = id - ID_FIRST;
	if (i < l->nw && l->w[i].used && l->w[i].gen == gen)
		l->w[i].fn(l->w[i].arg, loop_events(ev->events));
}

static int
run_timers(struct loop *l)
{
	struct loop_timer *t;
	int64_t now = clock_now_ms();
	int ran = 0;

	while ((t = l->timers) != NULL && t->due <= now) {
		l->timers = t->next;
		t->armed = 0;
		t->fn(t->arg);
		ran = 1;
	}
	timer_arm(l);
	return ran;
}

int
loop_dispatch(struct loop *l, int timeout_ms)
{
	struct epoll_event ev[BATCH];
	int n, i, woken = 0, ran;

	n = epoll_wait(l->ep, ev, BATCH, timeout_ms);
	if (n < 0 && errno != EINTR)
		return -errno;
	pthread_mutex_lock(&l->lock);
	for (i = 0; i < n; i++)
		run_event(l, &ev[i], &woken);
	if (woken && l->wake_fn != NULL)
		l->wake_fn(l->wake_arg);
	ran = run_timers(l);
	pthread_mutex_unlock(&l->lock);
	return n > 0 || ran;
}
