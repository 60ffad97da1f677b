/* avahi-poll.c: avahi's AvahiPoll on fleetd's own poll loop */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/time.h>
#include <avahi-common/timeval.h>
#include "core.h"
#include "mdns.h"

struct AvahiWatch {
	struct avpoll *owner;
	int fd;
	AvahiWatchEvent events, revents;
	AvahiWatchCallback fn;
	void *arg;
	size_t slot;		/* its pollfd in the last avpoll_fds() */
	int dead;
	struct AvahiWatch *next;
};

struct AvahiTimeout {
	struct avpoll *owner;
	struct timeval when;
	int armed, dead;
	AvahiTimeoutCallback fn;
	void *arg;
	struct AvahiTimeout *next;
};

struct avpoll {
	AvahiPoll api;
	AvahiWatch *watches;
	AvahiTimeout *timeouts;
};

static AvahiWatch *
watch_new(const AvahiPoll *api, int fd, AvahiWatchEvent ev,
    AvahiWatchCallback fn, void *arg)
{
	struct avpoll *p = api->userdata;
	AvahiWatch *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	*w = (AvahiWatch){ .owner = p, .fd = fd, .events = ev, .fn = fn,
	    .arg = arg, .slot = (size_t)-1, .next = p->watches };
	p->watches = w;
	return w;
}

static void
watch_update(AvahiWatch *w, AvahiWatchEvent ev)
{
	w->events = ev;
}

static AvahiWatchEvent
watch_get_events(AvahiWatch *w)
{
	return w->revents;
}

/* Freed at the end of a dispatch: avahi frees watches from callbacks. */
static void
watch_free(AvahiWatch *w)
{
	w->dead = 1;
}

static void
timeout_update(AvahiTimeout *t, const struct timeval *tv)
{
	t->armed = tv != NULL;
	if (tv != NULL)
		t->when = *tv;
}

static AvahiTimeout *
timeout_new(const AvahiPoll *api, const struct timeval *tv,
    AvahiTimeoutCallback fn, void *arg)
{
	struct avpoll *p = api->userdata;
	AvahiTimeout *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	*t = (AvahiTimeout){ .owner = p, .fn = fn, .arg = arg,
	    .next = p->timeouts };
	timeout_update(t, tv);
	p->timeouts = t;
	return t;
}

static void
timeout_free(AvahiTimeout *t)
{
	t->dead = 1;
}

int
avpoll_new(struct avpoll **pp)
{
	struct avpoll *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return fleet_seterr(-ENOMEM, "mdns: out of memory");
	p->api = (AvahiPoll){ .userdata = p, .watch_new = watch_new,
	    .watch_update = watch_update, .watch_get_events = watch_get_events,
	    .watch_free = watch_free, .timeout_new = timeout_new,
	    .timeout_update = timeout_update, .timeout_free = timeout_free };
	*pp = p;
	return 0;
}

const AvahiPoll *
avpoll_api(const struct avpoll *p)
{
	return &p->api;
}

static void
reap(struct avpoll *p)
{
	AvahiWatch **wp, *w;
	AvahiTimeout **tp, *t;

	for (wp = &p->watches; (w = *wp) != NULL;)
		if (w->dead) {
			*wp = w->next;
			free(w);
		} else
			wp = &w->next;
	for (tp = &p->timeouts; (t = *tp) != NULL;)
		if (t->dead) {
			*tp = t->next;
			free(t);
		} else
			tp = &t->next;
}

/* Every fd avahi watches, into fds (at most max); how many. */
size_t
avpoll_fds(struct avpoll *p, struct pollfd *fds, size_t max)
{
	AvahiWatch *w;
	size_t n = 0;

	for (w = p->watches; w != NULL; w = w->next) {
		w->slot = (size_t)-1;
		if (w->dead || n == max)
			continue;
		w->slot = n;
		fds[n++] = (struct pollfd){ .fd = w->fd,
		    .events = (short)w->events };
	}
	return n;
}

/* Milliseconds to the next timeout, or -1 for none. */
int
avpoll_timeout(const struct avpoll *p)
{
	const AvahiTimeout *t;
	AvahiUsec us, least = -1;

	for (t = p->timeouts; t != NULL; t = t->next) {
		if (t->dead || !t->armed)
			continue;
		us = avahi_age(&t->when);	/* negative: in the future */
		us = us >= 0 ? 0 : -us;
		if (least < 0 || us < least)
			least = us;
	}
	return least < 0 ? -1 : (int)((least + 999) / 1000);
}

/* Run the callbacks of what poll(2) found in fds and of due timeouts. */
void
avpoll_dispatch(struct avpoll *p, const struct pollfd *fds, size_t n)
{
	AvahiWatch *w;
	AvahiTimeout *t;

	for (w = p->watches; w != NULL; w = w->next) {
		if (w->dead || w->slot >= n || fds[w->slot].fd != w->fd ||
		    fds[w->slot].revents == 0)
			continue;
		w->revents = fds[w->slot].revents;
		w->fn(w, w->fd, w->revents, w->arg);
		w->revents = 0;
	}
	for (t = p->timeouts; t != NULL; t = t->next)
		if (!t->dead && t->armed && avahi_age(&t->when) >= 0) {
			t->armed = 0;
			t->fn(t, t->arg);
		}
	reap(p);
}

void
avpoll_free(struct avpoll *p)
{
	AvahiWatch *w;
	AvahiTimeout *t;

	if (p == NULL)
		return;
	while ((w = p->watches) != NULL) {
		p->watches = w->next;
		free(w);
	}
	while ((t = p->timeouts) != NULL) {
		p->timeouts = t->next;
		free(t);
	}
	free(p);
}
