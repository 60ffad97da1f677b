/* services.c: the boot process and services: fleet VMs started once the
 * router is up, services restarted when they fail (fleetd.8, SERVICES) */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core.h"
#include "config.h"
#include "log.h"
#include "services.h"

#define QUICK_MS	10000	/* a failure this soon after its start */
#define STEADY_MS	10000	/* a run this long after `ready` resets */
#define GIVE_UP		5	/* consecutive quick failures */
#define BACKOFF_MAX_S	30
#define STOP_WAIT_MS	15000	/* past the library's SIGTERM grace */
#define OPEN_RETRY_MS	5000	/* libvirt not there yet */

enum svc_state { SV_WAITING, SV_STARTING, SV_READY, SV_DONE, SV_FAILED,
    SV_STOPPING };

static const char *const state_names[] = {
	"waiting", "starting", "ready", "done", "failed", "stopping",
};

struct svc {
	char name[FLEET_NAME_MAX];	/* "boot" for the boot process */
	char *const *argv;		/* the config's */
	bool boot;			/* run once */
	fleet_proc *proc;
	enum svc_state state;		/* under the lock, with vm, restarts */
	char vm[FLEET_NAME_MAX];
	unsigned restarts;		/* since fleetd started */
	unsigned streak;		/* consecutive restarts: the backoff */
	unsigned quick;			/* consecutive quick failures */
	int64_t started, ready_at;	/* ms, monotonic; 0: not yet */
	int64_t due;			/* next start, while waiting */
};

/*
 * One supervisor thread runs every VM here, with a poll loop of its own
 * (the connection's fd, a timerfd for restarts, an eventfd to stop).
 * Not fleetd's main thread: a spawn makes blocking libvirt calls, and
 * it may ask fleetd's own control socket (lease, claim, create), which
 * only the main thread answers.
 */
struct services {
	pthread_mutex_t lock;
	pthread_t thread;
	char *uri;
	fleet_conn *conn;
	struct svc *all;		/* the boot process first, if any */
	size_t n, first;		/* all[first..n): the services */
	int timer_fd, stop_fd, done_fd;
	bool joined;
};

static void
set_state(struct services *s, struct svc *v, enum svc_state st)
{
	pthread_mutex_lock(&s->lock);
	v->state = st;
	if (v->proc != NULL)
		snprintf(v->vm, sizeof(v->vm), "%s", fleet_proc_id(v->proc));
	else
		strcpy(v->vm, "-");
	pthread_mutex_unlock(&s->lock);
}

/* The boot process as "boot", a service as "service NAME". */
static const char *
who(const struct svc *v, char *buf, size_t n)
{
	snprintf(buf, n, v->boot ? "boot" : "service %s", v->name);
	return buf;
}

/* Backoff before the n-th consecutive restart: 1, 2, 4, ... 30 s. */
static int64_t
backoff_ms(unsigned n)
{
	int64_t secs = n > 5 ? BACKOFF_MAX_S : 1 << (n - 1);

	return (secs < BACKOFF_MAX_S ? secs : BACKOFF_MAX_S) * 1000;
}

/* A run ended (status) or never began (status -1): again, or not. */
static void
ended(struct services *s, struct svc *v, int status)
{
	int64_t now = clock_now_ms();
	char buf[64], w[FLEET_NAME_MAX + 16];

	who(v, w, sizeof(w));
	if (status != -1 && WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
	    WEXITSTATUS(status) == SVC_EXIT_NORESTART)) {
		log_info("%s: exited %d%s", w, WEXITSTATUS(status),
		    v->boot || WEXITSTATUS(status) == 0 ? "" :
		    ": not restarted");
		set_state(s, v, SV_DONE);
		return;
	}
	if (status != -1) {
		fleet_status_format(status, buf, sizeof(buf));
		log_warnx("%s: %s", w, buf);
	}
	if (v->boot) {
		set_state(s, v, SV_DONE);
		return;
	}
	if (v->ready_at != 0 && now - v->ready_at >= STEADY_MS)
		v->streak = v->quick = 0;
	v->quick = v->started != 0 && now - v->started < QUICK_MS ?
	    v->quick + 1 : 0;
	if (v->quick >= GIVE_UP) {
		log_warnx("%s: given up after %d failures", w, GIVE_UP);
		set_state(s, v, SV_FAILED);
		return;
	}
	v->streak++;
	v->due = now + backoff_ms(v->streak);
	log_info("%s: restart in %lld s", w,
	    (long long)backoff_ms(v->streak) / 1000);
	set_state(s, v, SV_WAITING);
}

static void
start(struct services *s, struct svc *v)
{
	struct fleet_spawn_attr a = { .image = v->argv[0], .argv = v->argv,
	    .stdin_fd = -1, .stdout_fd = 2, .stderr_fd = 2,
	    .no_files = 1 };
	char w[FLEET_NAME_MAX + 16];
	int r;

	who(v, w, sizeof(w));
	if (v->state == SV_WAITING && v->started != 0) {
		pthread_mutex_lock(&s->lock);
		v->restarts++;
		pthread_mutex_unlock(&s->lock);
	}
	v->started = clock_now_ms();
	v->ready_at = 0;
	if ((r = fleet_spawn(s->conn, &a, &v->proc)) < 0) {
		log_warnx("%s: %s", w, fleet_last_error());
		v->proc = NULL;
		ended(s, v, -1);
		return;
	}
	log_info("%s: started %s", w, fleet_proc_id(v->proc));
	set_state(s, v, SV_STARTING);
}

/* What the loop moved: readiness, ends. */
static void
check(struct services *s, struct svc *v)
{
	char w[FLEET_NAME_MAX + 16];
	int r, status = -1;

	if (v->proc == NULL)
		return;
	/* the wait runs the loop, which may read the `ready` line: look
	 * after it, or a ready that came in it goes unseen until the
	 * next event */
	r = fleet_proc_wait(v->proc, &status, 0);
	if (v->state == SV_STARTING && fleet_proc_ready(v->proc)) {
		v->ready_at = clock_now_ms();
		if (!v->boot)
			log_info("%s: ready", who(v, w, sizeof(w)));
		set_state(s, v, SV_READY);
	}
	if (r == -ETIMEDOUT)
		return;
	if (r < 0) {
		log_warnx("%s: %s", who(v, w, sizeof(w)), fleet_last_error());
		status = -1;
	}
	fleet_proc_free(v->proc);
	v->proc = NULL;
	ended(s, v, status);
}

/* The timerfd set for the next restart due, or disarmed. */
static void
arm(struct services *s)
{
	struct itimerspec it = { { 0, 0 }, { 0, 0 } };
	int64_t due = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->all[i].state == SV_WAITING &&
		    (due == 0 || s->all[i].due < due))
			due = s->all[i].due;
	if (due != 0) {
		it.it_value.tv_sec = due / 1000;
		it.it_value.tv_nsec = (due % 1000) * 1000000 + 1;
	}
	timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &it, NULL);
}

/* SIGTERM to each VM, then each waited for with the library's grace. */
static void
stop_all(struct services *s)
{
	char w[FLEET_NAME_MAX + 16], buf[64];
	struct svc *v;
	int status;
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((v = &s->all[i])->proc != NULL) {
			set_state(s, v, SV_STOPPING);
			fleet_proc_kill(v->proc, SIGTERM);
		}
	for (i = 0; i < s->n; i++) {
		if ((v = &s->all[i])->proc == NULL)
			continue;
		who(v, w, sizeof(w));
		if (fleet_proc_wait(v->proc, &status, STOP_WAIT_MS) < 0) {
			log_warnx("%s: %s: destroyed", w, fleet_last_error());
			fleet_proc_kill(v->proc, SIGKILL);
			status = -1;
		}
		if (status != -1) {
			fleet_status_format(status, buf, sizeof(buf));
			log_info("%s: stopped: %s", w, buf);
		}
		fleet_proc_free(v->proc);
		v->proc = NULL;
		set_state(s, v, SV_DONE);
	}
}

/* Waits, ringing no one; false when told to stop meanwhile. */
static bool
open_conn(struct services *s)
{
	struct pollfd p = { .fd = s->stop_fd, .events = POLLIN };

	while (fleet_open(&s->conn, s->uri) < 0) {
		s->conn = NULL;
		log_warnx("services: %s; again in %d s", fleet_last_error(),
		    OPEN_RETRY_MS / 1000);
		if (poll(&p, 1, OPEN_RETRY_MS) != 0)
			return false;
	}
	return true;
}

static void
run(struct services *s)
{
	struct pollfd fds[3];
	uint64_t u;
	int64_t now;
	size_t i;

	/* the boot process first, then the services */
	for (i = 0; i < s->n; i++)
		start(s, &s->all[i]);
	for (;;) {
		for (i = 0; i < s->n; i++)
			check(s, &s->all[i]);
		now = clock_now_ms();
		for (i = 0; i < s->n; i++)
			if (s->all[i].state == SV_WAITING &&
			    s->all[i].due <= now) {
				start(s, &s->all[i]);
				check(s, &s->all[i]);
			}
		arm(s);
		fds[0] = (struct pollfd){ .fd = fleet_conn_fd(s->conn),
		    .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = s->timer_fd, .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = s->stop_fd, .events = POLLIN };
		if (poll(fds, 3, -1) < 0 && errno != EINTR) {
			log_warnx("services: poll: %s", strerror(errno));
			return;
		}
		if (fds[2].revents & POLLIN)
			return;
		if (fds[1].revents & POLLIN)
			(void)read(s->timer_fd, &u, sizeof(u));
		if (fds[0].revents & POLLIN)
			fleet_conn_dispatch(s->conn);
	}
}

static void *
supervise(void *arg)
{
	struct services *s = arg;
	uint64_t one = 1;

	if (open_conn(s)) {
		run(s);
		stop_all(s);
		fleet_close(s->conn);
		s->conn = NULL;
	}
	(void)write(s->done_fd, &one, sizeof(one));
	return NULL;
}

static void
svc_init(struct svc *v, const struct config_svc *c)
{
	memset(v, 0, sizeof(*v));
	v->boot = c->name == NULL;
	snprintf(v->name, sizeof(v->name), "%s", v->boot ? "boot" : c->name);
	v->argv = c->argv;
	v->state = SV_WAITING;
	strcpy(v->vm, "-");
}

int
services_start(struct services **sp, const struct config *c,
    const char *uri)
{
	struct services *s;
	size_t i;
	int r;

	*sp = NULL;
	if (c->boot == NULL && c->nsvcs == 0)
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->all = calloc(c->nsvcs + 1, sizeof(*s->all))) == NULL ||
	    (uri != NULL && (s->uri = strdup(uri)) == NULL)) {
		if (s != NULL)
			free(s->all);
		free(s);
		return fleet_seterr(-ENOMEM, "services: out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	s->done_fd = eventfd(0, EFD_CLOEXEC);
	if (c->boot != NULL)
		svc_init(&s->all[s->n++], c->boot);
	s->first = s->n;
	for (i = 0; i < c->nsvcs; i++)
		svc_init(&s->all[s->n++], &c->svcs[i]);
	if (s->timer_fd < 0 || s->stop_fd < 0 || s->done_fd < 0) {
		r = fleet_seterr(-errno, "services: %s", strerror(errno));
		s->joined = true;
		services_free(s);
		return r;
	}
	if ((r = thread_start(&s->thread, supervise, s)) < 0) {
		s->joined = true;
		services_free(s);
		return fleet_seterr(r, "services: thread: %s", strerror(-r));
	}
	*sp = s;
	return 0;
}

void
services_stop(struct services *s)
{
	uint64_t one = 1;

	if (s != NULL)
		(void)write(s->stop_fd, &one, sizeof(one));
}

int
services_fd(const struct services *s)
{
	return s != NULL ? s->done_fd : -1;
}

void
services_free(struct services *s)
{
	if (s == NULL)
		return;
	if (!s->joined) {
		services_stop(s);
		pthread_join(s->thread, NULL);
	}
	if (s->timer_fd >= 0)
		close(s->timer_fd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->done_fd >= 0)
		close(s->done_fd);
	pthread_mutex_destroy(&s->lock);
	free(s->all);
	free(s->uri);
	free(s);
}

size_t
services_count(const struct services *s)
{
	return s != NULL ? s->n - s->first : 0;
}

void
services_info(struct services *s, size_t i, struct service_stat *st)
{
	const struct svc *v = &s->all[s->first + i];

	pthread_mutex_lock(&s->lock);
	snprintf(st->name, sizeof(st->name), "%s", v->name);
	snprintf(st->vm, sizeof(st->vm), "%s", v->vm);
	st->state = state_names[v->state];
	st->restarts = v->restarts;
	pthread_mutex_unlock(&s->lock);
}
