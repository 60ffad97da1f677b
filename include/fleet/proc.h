/* proc.h: a unikernel VM as a process: spawn, wait, signal, list */
#ifndef FLEET_PROC_H
#define FLEET_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <fleet/conn.h>

typedef struct fleet_proc fleet_proc;

struct fleet_spawn_attr {
	const char *image;	/* name on FLEET_PATH, or a path */
	char *const *argv;	/* argv[0] is the program name; NULL-terminated */
	unsigned mem_mib;	/* 0: the default (16; 128 for Linux programs) */
	int stdin_fd;		/* host fds; -1: /dev/null */
	int stdout_fd;
	int stderr_fd;
	const char *name;	/* NULL: fleet-<program>-<id> */
	int detached;		/* 0: destroyed when the connection closes */
	char *const *envp;	/* a Linux program's environment, "NAME=VALUE"
				 * NULL-terminated; NULL: PATH, HOME, TERM,
				 * LANG, LC_ALL, TZ, PWD, USER and LOGNAME
				 * as the caller has them */
	int trace;		/* 1: a Linux program's system calls are
				 * logged to its stderr (fleet.strace=1) */
	const char *dir;	/* the directory a Linux program works in,
				 * served with the caller's rights; NULL:
				 * the caller's working directory */
	int files_ro;		/* 1: it may read dir, not change it */
	int no_files;		/* 1: no directory at all */
};

/*
 * Create the VM paused, attach its consoles, resume it. The fds are
 * duplicated; the caller may close its own. *pp is owned by the caller:
 * fleet_proc_free() it after fleet_proc_wait() (or to let a detached VM go).
 * -EINVAL, before anything is created, when mem_mib is too small for the
 * image (the message names the least it needs).
 */
int fleet_spawn(fleet_conn *c, const struct fleet_spawn_attr *a,
    fleet_proc **pp);

/*
 * Wait for the program's end and for its stdout and stderr to be drained.
 * *status is a waitpid-style status (docs/protocol.md, section 5).
 * timeout_ms < 0 waits without bound; -ETIMEDOUT when it runs out.
 * -EPROTO when the guest has not said `ready` 10 s after its start (not
 * counting while fleet_proc_kill() keeps it stopped): the VM is destroyed.
 */
int fleet_proc_wait(fleet_proc *p, int *status, int timeout_ms);

/* SIGTERM/SIGINT: control channel, ACPI after a grace period; SIGKILL:
 * destroy; SIGSTOP/SIGTSTP: suspend; SIGCONT: resume. */
int fleet_proc_kill(fleet_proc *p, int sig);

/* After a crash status: what the guest reported (`pf`, `gp`, ...), or
 * NULL (the domain stopped without a final line). Owned by p. */
const char *fleet_proc_crash(const fleet_proc *p);

/* "64", "64M", "1G" to MiB in *mib: 0, or -EINVAL. */
int fleet_mem_parse(const char *s, unsigned *mib);

/*
 * 1 once the guest has said `ready` (its runtime is up and its program
 * started: docs/protocol.md, section 4), else 0. A VM claimed from
 * fleetd's pool is ready from its spawn on. It changes as the
 * connection's loop runs (fleet_conn_dispatch(), fleet_proc_wait()).
 */
int fleet_proc_ready(const fleet_proc *p);

/* The domain name (fleet-...); owned by p. */
const char *fleet_proc_id(const fleet_proc *p);

/* Release p; a foreground VM still running is destroyed. NULL is fine. */
void fleet_proc_free(fleet_proc *p);

/* Signal a VM by domain name or id (as fleet-ps shows): -ESRCH if unknown
 * or not a fleet VM. */
int fleet_kill(fleet_conn *c, const char *id, int sig);

enum fleet_state { FLEET_RUNNING, FLEET_PAUSED, FLEET_EXITING };

struct fleet_proc_info {
	char *id;		/* domain name */
	char *program;		/* image name */
	char **argv;		/* NULL-terminated */
	enum fleet_state state;
	int64_t start_time;	/* seconds since the epoch */
	unsigned mem_mib;
	unsigned owner_uid;
	long parent_pid;
	int detached;
	char *image;		/* image path */
};

/* Every fleet VM; *listp is an array of *np entries freed with
 * fleet_proc_info_free(). */
int fleet_list(fleet_conn *c, struct fleet_proc_info **listp, size_t *np);
void fleet_proc_info_free(struct fleet_proc_info *list, size_t n);

/* "running", "paused", "exiting" */
const char *fleet_state_name(enum fleet_state s);

#endif
