/* kick.c: what a libvirt stream callback holds: a descriptor to ring */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "core.h"

/*
 * libvirt frees a callback's argument in its event thread some time
 * after the removal, maybe after we exit: kicks stay on a list of the
 * process's until then.
 */
struct kick {
	struct kick *next;
	int fd, refs;
};

static pthread_mutex_t kicks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kick *kicks;

/* Takes fd (an eventfd or a pipe's write end), closed with the kick. */
struct kick *
kick_new(int fd)
{
	struct kick *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	k->fd = fd;
	k->refs = 1;
	pthread_mutex_lock(&kicks_lock);
	k->next = kicks;
	kicks = k;
	pthread_mutex_unlock(&kicks_lock);
	return k;
}

struct kick *
kick_ref(struct kick *k)
{
	pthread_mutex_lock(&kicks_lock);
	k->refs++;
	pthread_mutex_unlock(&kicks_lock);
	return k;
}

void
kick_unref(void *arg)
{
	struct kick *k = arg, **kp;

	pthread_mutex_lock(&kicks_lock);
	if (--k->refs > 0) {
		pthread_mutex_unlock(&kicks_lock);
		return;
	}
	for (kp = &kicks; *kp != NULL; kp = &(*kp)->next)
		if (*kp == k) {
			*kp = k->next;
			break;
		}
	pthread_mutex_unlock(&kicks_lock);
	close(k->fd);
	free(k);
}

/* A stream's event callback (libvirt's event thread): it takes no lock
 * but the write's. */
void
kick_stream(struct _virStream *st, int events, void *arg)
{
	struct kick *k = arg;
	uint64_t one = 1;

	(void)!write(k->fd, &one, sizeof(one));
}
