/* bell.c: a counter of events that sleepers wait on, kept alive by
 * whoever may still ring it (libvirt's stream callbacks outlive their
 * removal while they are being dispatched) */
#include <stdlib.h>
#include <time.h>
#include "internal.h"

struct bell {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned rings;
	int refs;
};

struct bell *
bell_new(void)
{
	struct bell *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	b->refs = 1;
	return b;
}

struct bell *
bell_ref(struct bell *b)
{
	pthread_mutex_lock(&b->lock);
	b->refs++;
	pthread_mutex_unlock(&b->lock);
	return b;
}

/* A virFreeCallback, too: it touches nothing but the bell. */
void
bell_unref(void *arg)
{
	struct bell *b = arg;
	int last;

	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	last = --b->refs == 0;
	pthread_mutex_unlock(&b->lock);
	if (!last)
		return;
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
	free(b);
}

void
bell_ring(struct bell *b)
{
	pthread_mutex_lock(&b->lock);
	b->rings++;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

unsigned
bell_rings(struct bell *b)
{
	unsigned n;

	pthread_mutex_lock(&b->lock);
	n = b->rings;
	pthread_mutex_unlock(&b->lock);
	return n;
}

/* Until a ring after seen, or ms pass. */
void
bell_wait(struct bell *b, unsigned seen, int ms)
{
	struct timespec ts;

	clock_after(&ts, CLOCK_REALTIME, ms);
	pthread_mutex_lock(&b->lock);
	while (b->rings == seen &&
	    pthread_cond_timedwait(&b->cond, &b->lock, &ts) == 0)
		;
	pthread_mutex_unlock(&b->lock);
}
