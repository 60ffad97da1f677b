/* job.h: a job is a group of VMs (a pipeline) signalled and waited as one */
#ifndef FLEET_JOB_H
#define FLEET_JOB_H

#include <stddef.h>
#include <fleet/conn.h>
#include <fleet/proc.h>

typedef struct fleet_job fleet_job;

/* An empty job; *jp is owned by the caller: fleet_job_free() it. */
int fleet_job_new(fleet_job **jp);

/* Spawn one VM as the job's next member (fleet_spawn()). */
int fleet_job_spawn(fleet_job *j, fleet_conn *c,
    const struct fleet_spawn_attr *a);

/*
 * Spawn n VMs at once (fleet_spawn() each, on threads of their own: a
 * cold spawn waits on libvirt most of its time) as the job's next
 * members, in order. res[i] is the i-th one's 0 or negative error code,
 * and msg[i] NULL or, when it failed, its message (malloc'd: the caller
 * frees it). Those that failed are not in the job. The first failure,
 * or 0.
 */
int fleet_job_spawn_all(fleet_job *j, fleet_conn *c,
    const struct fleet_spawn_attr *a, size_t n, int *res, char **msg);

/*
 * Spawn n VMs as a pipeline: the stdout of each into the stdin of the next
 * through pipe(2). a[0].stdin_fd, a[n-1].stdout_fd and every stderr_fd are
 * used as given; the other stdin_fd/stdout_fd are ignored. On failure the
 * members already spawned stay in the job (kill and free it).
 */
int fleet_job_pipeline(fleet_job *j, fleet_conn *c,
    const struct fleet_spawn_attr *a, size_t n);

/* The number of VMs, and the i-th (owned by j; NULL once it has ended,
 * when the job releases it so that its relay lets go of its fds). */
size_t fleet_job_size(const fleet_job *j);
fleet_proc *fleet_job_proc(const fleet_job *j, size_t i);

/* The i-th VM's id (its domain name), even after it ended; owned by j. */
const char *fleet_job_id(const fleet_job *j, size_t i);

/*
 * Signal every member still running (fleet_proc_kill()): SIGSTOP suspends
 * the whole job, SIGCONT resumes it, SIGINT/SIGTERM/SIGKILL end it.
 * Returns the first failure, having tried them all.
 */
int fleet_job_kill(fleet_job *j, int sig);

/*
 * Wait for every member, at most timeout_ms in all (< 0: no bound, 0: a
 * poll). 0 when all have ended, with *status the last member's
 * waitpid-style status (status may be NULL); -ETIMEDOUT while some run.
 * Members already seen to end are remembered between calls.
 */
int fleet_job_wait(fleet_job *j, int *status, int timeout_ms);

/* 0 and the i-th member's status once it has ended, else -EAGAIN. */
int fleet_job_status(const fleet_job *j, size_t i, int *status);

/* Release j and its members (a foreground VM still running is destroyed,
 * fleet_proc_free()). NULL is fine. */
void fleet_job_free(fleet_job *j);

#endif
