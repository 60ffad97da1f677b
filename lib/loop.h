/* loop.h: a connection's event loop: its fds, its timers, its wake-ups */
#ifndef FLEET_LOOP_H
#define FLEET_LOOP_H

#include <stdint.h>

#define LOOP_IN		0x1u
#define LOOP_OUT	0x2u
#define LOOP_HUP	0x4u	/* hangup or error: always reported */

struct loop;
typedef void loop_fn(void *arg, unsigned events);

/* A timer lives in its owner's struct; the loop links the armed ones. */
struct loop_timer {
	struct loop_timer *next;
	int64_t due;		/* CLOCK_MONOTONIC ms */
	int armed;
	void (*fn)(void *arg);
	void *arg;
};

int	loop_new(struct loop **lp);
void	loop_free(struct loop *l);

/* Pollable: readable when a dispatch has something to do. */
int	loop_fd(const struct loop *l);

/* The loop's lock guards what its callbacks touch; they run under it. */
void	loop_lock(struct loop *l);
void	loop_unlock(struct loop *l);

/* Under the lock. -EPERM when fd cannot be polled (a regular file:
 * always ready). */
int	loop_watch(struct loop *l, int fd, unsigned events, loop_fn *fn,
	    void *arg);
void	loop_rewatch(struct loop *l, int fd, unsigned events);
void	loop_unwatch(struct loop *l, int fd);
void	loop_timer_init(struct loop_timer *t, void (*fn)(void *), void *arg);
void	loop_timer_set(struct loop *l, struct loop_timer *t, int64_t ms);
void	loop_timer_stop(struct loop *l, struct loop_timer *t);

/* From any thread or a signal handler: the next dispatch runs the wake
 * handler (under the lock). */
void	loop_wake(struct loop *l);
void	loop_on_wake(struct loop *l, void (*fn)(void *), void *arg);
/* A descriptor of the wake-up of one's own (close it), for callers
 * that may outlive the loop: libvirt's stream callbacks. */
int	loop_wake_dup(struct loop *l);

/* Wait up to timeout_ms (< 0: no bound) for events and run them; the
 * caller does not hold the lock. 1 if anything ran, 0, or -errno. */
int	loop_dispatch(struct loop *l, int timeout_ms);

#endif
