/* job.c: pipelines of VMs, signalled and waited as one job */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fleet/job.h>
#include "internal.h"

struct member {
	fleet_proc *proc;	/* NULL once ended and released */
	char *id;
	bool done;
	int status;
};

struct fleet_job {
	struct member *m;
	size_t n;
};

int
fleet_job_new(fleet_job **jp)
{
	*jp = calloc(1, sizeof(**jp));
	return *jp ? 0 : -ENOMEM;
}

static int
job_grow(fleet_job *j)
{
	struct member *m = realloc(j->m, (j->n + 1) * sizeof(*m));

	if (m == NULL)
		return -ENOMEM;
	j->m = m;
	return 0;
}

/* Each cold create waits on libvirt for most of its time: a thread of
 * its own for each, joined. */
struct spawning {
	fleet_conn *c;
	const struct fleet_spawn_attr *a;
	fleet_proc *p;
	int r;
	char *msg;
	pthread_t t;
	int started;
};

static void *
spawn_one(void *arg)
{
	struct spawning *s = arg;

	if ((s->r = fleet_spawn(s->c, s->a, &s->p)) < 0)
		s->msg = strdup(fleet_last_error());
	return NULL;
}

static int
job_add(fleet_job *j, fleet_proc *p)
{
	if (job_grow(j) < 0 || (j->m[j->n].id = strdup(fleet_proc_id(p))) ==
	    NULL) {
		fleet_proc_free(p);
		return -ENOMEM;
	}
	j->m[j->n].proc = p;
	j->m[j->n].done = false;
	j->m[j->n].status = 0;
	j->n++;
	return 0;
}

int
fleet_job_spawn(fleet_job *j, fleet_conn *c, const struct fleet_spawn_attr *a)
{
	fleet_proc *p;
	int r;

	if ((r = fleet_spawn(c, a, &p)) < 0)
		return r;
	return job_add(j, p);
}

int
fleet_job_spawn_all(fleet_job *j, fleet_conn *c,
    const struct fleet_spawn_attr *a, size_t n, int *res, char **msg)
{
	struct spawning *s = calloc(n ? n : 1, sizeof(*s));
	size_t i;
	int r = 0;

	if (s == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		s[i].c = c;
		s[i].a = &a[i];
		s[i].started = i > 0 && thread_start(&s[i].t, spawn_one,
		    &s[i]) == 0;
	}
	for (i = 0; i < n; i++)
		if (!s[i].started)
			spawn_one(&s[i]);
	for (i = 0; i < n; i++) {
		if (s[i].started)
			pthread_join(s[i].t, NULL);
		if (s[i].r == 0 && (s[i].r = job_add(j, s[i].p)) < 0)
			s[i].msg = strdup("out of memory");
		res[i] = s[i].r;
		msg[i] = s[i].msg;
		if (r == 0)
			r = s[i].r;
	}
	free(s);
	return r;
}

int
fleet_job_pipeline(fleet_job *j, fleet_conn *c,
    const struct fleet_spawn_attr *a, size_t n)
{
	struct fleet_spawn_attr at;
	int in = -1, p[2] = { -1, -1 }, r = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		at = a[i];
		if (i > 0)
			at.stdin_fd = in;
		if (i + 1 < n) {
			if (pipe2(p, O_CLOEXEC) < 0) {
				r = -errno;
				break;
			}
			at.stdout_fd = p[1];
		}
		r = fleet_job_spawn(j, c, &at);
		if (i > 0)
			close(in);
		if (i + 1 < n) {
			close(p[1]);
			in = p[0];
		}
		if (r < 0)
			break;
	}
	if (r < 0 && i + 1 < n && in >= 0)
		close(in);
	return r;
}

size_t
fleet_job_size(const fleet_job *j)
{
	return j->n;
}

fleet_proc *
fleet_job_proc(const fleet_job *j, size_t i)
{
	return i < j->n ? j->m[i].proc : NULL;
}

const char *
fleet_job_id(const fleet_job *j, size_t i)
{
	return i < j->n ? j->m[i].id : NULL;
}

int
fleet_job_kill(fleet_job *j, int sig)
{
	int r, ret = 0;
	size_t i;

	for (i = 0; i < j->n; i++) {
		if (j->m[i].done)
			continue;
		r = fleet_proc_kill(j->m[i].proc, sig);
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}


int
fleet_job_wait(fleet_job *j, int *status, int timeout_ms)
{
	long long deadline = clock_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int left, r, ret = 0;
	size_t i;

	for (i = 0; i < j->n; i++) {
		if (j->m[i].done)
			continue;
		left = timeout_ms < 0 ? -1 : (int)(deadline - clock_now_ms());
		if (timeout_ms >= 0 && left < 0)
			left = 0;
		r = fleet_proc_wait(j->m[i].proc, &j->m[i].status, left);
		if (r == -ETIMEDOUT) {
			ret = r;
			continue;
		}
		if (r < 0)	/* lost: report it as killed */
			j->m[i].status = 9;
		j->m[i].done = true;
		/* Release it now: its relay lets go of its fds, so the next
		 * member of the pipeline sees end of file. */
		fleet_proc_free(j->m[i].proc);
		j->m[i].proc = NULL;
	}
	if (ret == 0 && status != NULL && j->n > 0)
		*status = j->m[j->n - 1].status;
	return ret;
}

int
fleet_job_status(const fleet_job *j, size_t i, int *status)
{
	if (i >= j->n)
		return -EINVAL;
	if (!j->m[i].done)
		return -EAGAIN;
	*status = j->m[i].status;
	return 0;
}

void
fleet_job_free(fleet_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->n; i++) {
		fleet_proc_free(j->m[i].proc);
		free(j->m[i].id);
	}
	free(j->m);
	free(j);
}
