/* thread.c: detached helper threads that never take the process's signals */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include "internal.h"

static int
start(pthread_t *t, int detached, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	pthread_attr_t attr;
	int e;

	sigfillset(&all);
	pthread_attr_init(&attr);
	if (detached)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(t, &attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return -e;
}

int
thread_spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	return start(&t, 1, fn, arg);
}

int
thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	return start(t, 0, fn, arg);
}
