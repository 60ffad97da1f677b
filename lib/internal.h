/* internal.h: libfleet's private interfaces, grouped by file */
#ifndef FLEET_INTERNAL_H
#define FLEET_INTERNAL_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <fleet/fleet.h>
#include <fleet/argv.h>
#include <fleet/ps.h>
#include <fleet/status.h>
#include <fleet/ctl.h>

#ifndef __GNUC__
#define __attribute__(x)
#endif

/* The namespace of fleet's <metadata> element in domain XML. */
#define FLEET_XMLNS	"http://fleet.local/xmlns/proc/1"
#define FLEET_PREFIX	"fleet-"

/* error.c */
/*
 * Record a message for fleet_last_error() unless this call already failed
 * (the first error wins); returns code so callers can write
 * `return fleet_seterr(-ENOENT, "image %s: not found", name);`.
 * Public calls begin with fleet_clearerr().
 */
int	fleet_seterr(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	fleet_clearerr(void);

/* clock.c */
void	clock_after(struct timespec *ts, clockid_t clock, long ms);
int64_t	clock_ms_since(const struct timespec *then,
	    const struct timespec *now);

/* call.c */
int	call_run(fleet_conn *c, void *(*fn)(void *),
	    void (*undo)(void *, void *), void *arg, int timeout_ms,
	    void **resp);
void	call_drain(int ms);

/* thread.c */
/* A detached thread with every signal blocked; 0 or a negative errno. */
int	thread_spawn(void *(*fn)(void *), void *arg);

/* ctl.c */
int	ctl_take_fds(struct fleet_ctl *c, int *fds, int max);
void	ctl_hangup(struct fleet_ctl *c);

/* bell.c */
struct bell;
struct bell *bell_new(void);
struct bell *bell_ref(struct bell *b);
void	bell_unref(void *b);
void	bell_ring(struct bell *b);
unsigned bell_rings(struct bell *b);
void	bell_wait(struct bell *b, unsigned seen, int ms);

/* argv.c */
int	cmdline_settings(char *const *settings, char **linep);

/* image.c */
int	image_is_multiboot(const unsigned char *buf, size_t n);
int	image_check_mem(const char *path, const char *name, unsigned mem_mib);

/* vmnet.c */
struct vm_net {
	char tap[16];
	char bridge[16];
	struct fleet_lease lease;
	char set_ip[40], set_gw[32], set_mac[32];	/* fleet.KEY=VALUE */
};
int	vmnet_lease(const char *ctl, const char *name, const char *program,
	    struct vm_net *v);
int	vmnet_settings(const struct vm_net *v, char **set);
void	vmnet_release(const char *ctl, const char *name);

/* domxml.c */
struct vm_spec {
	const char *name;	/* domain name */
	const char *program;	/* image name as asked for */
	const char *image;	/* absolute image path */
	char *const *argv;
	const char *cmdline;	/* encoded (argv.c) */
	const char *loader;	/* firmware ROM or NULL (SeaBIOS) */
	unsigned mem_mib;
	unsigned owner_uid;
	long parent_pid;
	int64_t start_time;
	int detached;
	int kvm;
	const struct vm_net *net;	/* NULL: no network */
	const char *serial_sock[3];	/* COM1..COM3 on unix sockets, or
					 * NULL: a pty */
	const char *console_sock;	/* stdin/stdout's virtio-serial
					 * socket, or NULL: COM1 only */
	int sock_connect;		/* QEMU connects to those sockets
					 * (their host end listens), else
					 * it listens on them */
};
const char *domxml_loader(void);
int	domxml_build(const struct vm_spec *s, char **xmlp);
int	domxml_meta(const struct vm_spec *s, char **xmlp);
int	domxml_ptys(const char *xml, char *paths[3]);
int	domxml_meta_parse(const char *xml, struct fleet_proc_info *info);

/* conn.c */
struct _virConnect;
struct fleet_conn {
	struct _virConnect *vc;	/* NULL until conn_virt() */
	pthread_mutex_t vc_lock;	/* one conn_virt() at a time */
	int vc_err;			/* how the connection failed */
	char vc_msg[256];
	char *uri;
	int embedded;
	pthread_mutex_t lock;	/* guards what follows, and procs' links */
	pthread_cond_t cond;
	int refs;		/* the owner's and one per live fleet_proc */
	struct fleet_proc *procs;
	char **started;		/* embedded: every domain name started */
	size_t nstarted;
	int lifecycle_id, reboot_id;
	struct watch *watch;		/* what libvirt's callbacks hold */
	int intr[2];			/* fleet_conn_interrupt() writes */
	volatile sig_atomic_t interrupted;
	struct fleet_conn *next_embed;
};
const char *virt_err(void);
int	conn_virt(fleet_conn *c);
int	proc_dom(fleet_proc *p);
void	conn_ref(fleet_conn *c);
void	conn_unref(fleet_conn *c);
void	conn_started_add(fleet_conn *c, const char *name);
void	conn_destroy_started(fleet_conn *c);
int	conn_interrupted(const fleet_conn *c);
int	conn_interrupt_fd(const fleet_conn *c);
void	conn_interrupt_drain(fleet_conn *c);
void	conn_interrupt_clear(fleet_conn *c);

/* sockdir.c */
#define PATH_MAX_SOCK	128
enum { ST_COM1, ST_COM2, ST_COM3, ST_VIRTIO, ST_N };
struct relay_listen {
	int fd[ST_N];
	char dir[96];
	char path[ST_N][108];
};
int	sockdir_stdio_path(const char *uri, const char *name, char *buf,
	    size_t n);
int	sockdir_connect(const char *path);
void	sockdir_listen_init(struct relay_listen *l);
int	sockdir_listen_open(struct relay_listen *l, const char *uri,
	    const char *name, int serial);
void	sockdir_listen_drain(struct relay_listen *l);
void	sockdir_listen_keep(struct relay_listen *l, char *dir, size_t n);
void	sockdir_listen_leave(struct relay_listen *l);
void	sockdir_listen_close(struct relay_listen *l);
void	sockdir_remove(const char *dir);
void	sockdir_sweep(const char *uri);
void	sockdir_remove_vm(const char *name);

/* relay.c */
enum { RELAY_IN, RELAY_OUT, RELAY_ERR, RELAY_CTL, RELAY_N };
/* A guest says `ready` about 0.1 s after its start under TCG: one that
 * has not in this long never will (too little memory, not a fleet
 * runtime), and what is sent to it is lost. */
#define READY_BOUND_S	10
struct _virStream;
struct relay {
	struct _virStream *st[ST_N];	/* serial0..2, or NULL */
	int in_fd, out_fd, err_fd;
	int fd[ST_N];			/* a console on a host fd (unix
					 * socket or pty) instead of a
					 * stream, or -1 */
	int wake[2];			/* ends the stdin thread */
	int hold[2];			/* readable: let go of the fds */
	pthread_mutex_t st_lock[ST_N];	/* one call at a time per stream */
	pthread_mutex_t send_lock;	/* control lines are whole */
	pthread_mutex_t detach_lock;	/* streams aborted once, whole */
	int detached;
	struct bell *bell;		/* rung by stream events */
	/* under the proc's lock: */
	uint64_t in_n, out_n, err_n;
	uint64_t want_out, want_err;
	int ready;
	struct timespec ready_clock;	/* since then its `ready` is awaited */
	int held;			/* suspended by us: the clock waits */
	int virtio;			/* the guest said `ready virtio` */
	int final;			/* the guest's last line came */
	int final_status;
	int out_eof, err_eof, ctl_eof;
	int epipe;
	char crash[16];
};
struct ctl_line {
	enum { CTL_READY, CTL_EXIT, CTL_SIGNALED, CTL_CRASH } kind;
	int value;		/* for CTL_READY: 1 if `virtio` was said */
	char what[16];
	uint64_t out, err;
};
int	ctl_parse(const char *line, struct ctl_line *l);
int	relay_watch(fleet_proc *p);
int	relay_start(fleet_proc *p);
void	relay_stop(fleet_proc *p);
void	relay_detach(fleet_proc *p);
void	relay_close(struct relay *r);
int	relay_send_ctl(fleet_proc *p, const char *line);
int	relay_ready_late(const fleet_proc *p, const struct timespec *now);
void	relay_ready_hold(fleet_proc *p, int held);
int	relay_listen_accept(fleet_proc *p, struct relay_listen *l);
int	stream_send_all(struct _virStream *st, const char *buf, size_t n);

/* proc.c */
#define FLEET_MEM_DEFAULT	16	/* MiB */
struct fleet_proc {
	fleet_conn *conn;
	struct fleet_proc *next;	/* on conn->procs */
	struct _virDomain *dom;		/* NULL until proc_dom() */
	pthread_mutex_t dom_lock;
	char *name;
	int detached;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	struct relay relay;
	struct timespec gone_at;
	int gone;		/* stopped, or its consoles went away */
	int stopped;		/* its domain stopped: libvirt said so */
	int destroyed;		/* by us: SIGKILL */
	int lost;		/* connection lost */
	int released;		/* fleet_proc_free() was called */
	int grace;		/* a SIGTERM grace timer runs */
	int reaping;		/* 1: asked, 2: the destroy is going out */
	fleet_ctl *claim;	/* from fleetd's pool: our hold on it */
	char sockdir[96];	/* its console sockets' directory, removed
				 * once the domain is gone, or "" */
};
void	proc_ref(fleet_proc *p);
void	proc_unref(fleet_proc *p);
void	proc_changed(fleet_proc *p);
void	proc_set_gone(fleet_proc *p);
void	proc_destroy(fleet_proc *p);
void	conn_domain_stopped(fleet_conn *c, const char *name);
void	conn_lost(fleet_conn *c, const char *why);
void	conn_kill_foreground(fleet_conn *c);
int	proc_settled(fleet_proc *p, const struct timespec *now, int *status);
char	*proc_domain_name(const char *program);
int	proc_use_kvm(void);

/* claim.c */
int	claim_take(fleet_conn *c, const struct fleet_spawn_attr *a,
	    const char *image, fleet_proc *p);
int	claim_run(fleet_proc *p, char *const *argv, int detached);
int	claim_create(fleet_conn *c, const char *xml, fleet_proc *p);

/* list.c */
int	list_find(fleet_conn *c, const char *id, struct _virDomain **domp,
	    int *detached, unsigned *owner);

#endif
