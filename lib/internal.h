/* internal.h: libfleet's private interfaces, grouped by file (what
 * fleetd shares is core.h's) */
#ifndef FLEET_INTERNAL_H
#define FLEET_INTERNAL_H

#include <pthread.h>
#include <signal.h>
#include "core.h"
#include "loop.h"

struct relay;

/* call.c */
int	call_run(fleet_conn *c, void *(*fn)(void *),
	    void (*undo)(void *, void *), void *arg, int timeout_ms,
	    void **resp);
void	call_drain(int ms);

/* ctl.c */
int	ctl_take_fds(struct fleet_ctl *c, int *fds, int max);
void	ctl_hangup(struct fleet_ctl *c);

/* resolve.c */
#define SYSTEM_URI	"qemu:///system"
int	resolve_uri(const char *uri, char **uripp, char **routerp);
void	embed_conf(const char *uri);

/* conn.c */
struct _virConnect;
/* What libvirt's event thread said, for the loop to act on. */
struct conn_news {
	char **stopped;		/* domains that stopped */
	size_t nstopped;
	int lost;		/* the connection went */
};
struct fleet_conn {
	struct _virConnect *vc;	/* NULL until conn_virt() */
	pthread_mutex_t vc_lock;	/* one conn_virt() at a time */
	int vc_err;			/* how the connection failed */
	char vc_msg[256];
	char *uri;
	char *router;		/* found by DNS-SD; NULL */
	int embedded;
	struct loop *loop;
	struct fleet_proc *procs;	/* procs.c's, under the loop's lock */
	pthread_mutex_t lock;	/* guards refs and started */
	int refs;		/* the owner's and one per live fleet_proc */
	char **started;		/* embedded: every domain name started */
	size_t nstarted;
	pthread_mutex_t news_lock;
	struct conn_news news;
	int lifecycle_id, reboot_id;
	struct watch *watch;		/* what libvirt's callbacks hold */
	int intr[2];			/* fleet_conn_interrupt() writes */
	volatile sig_atomic_t interrupted;
	int spawns;			/* in flight (atomic) */
	struct fleet_conn *next_embed;
};
const char *virt_err(void);
int	conn_virt(fleet_conn *c);
void	conn_ref(fleet_conn *c);
void	conn_unref(fleet_conn *c);
void	conn_news_take(fleet_conn *c, struct conn_news *n);
void	conn_news_free(struct conn_news *n);
void	conn_started_add(fleet_conn *c, const char *name);
void	conn_destroy_started(fleet_conn *c);
int	conn_interrupted(const fleet_conn *c);
int	conn_interrupt_fd(const fleet_conn *c);
void	conn_interrupt_drain(fleet_conn *c);
void	conn_interrupt_clear(fleet_conn *c);
void	conn_spawn_begin(fleet_conn *c);
void	conn_spawn_end(fleet_conn *c);

/* proc.c */
enum proc_state { PS_NEW, PS_BOOTING, PS_RUNNING, PS_ENDING, PS_GONE,
	PS_DONE };
enum proc_event { PE_START, PE_READY, PE_FINAL, PE_OUTPUT, PE_STOPPED,
	PE_GONE, PE_BROKEN, PE_LATE, PE_GRACE, PE_HOLD, PE_RESUME };
struct _virDomain;
/* Written by proc.c alone (its links on the connection's list by
 * procs.c); the state under the connection's loop lock. */
struct fleet_proc {
	fleet_conn *conn;
	struct fleet_proc *next;	/* on conn->procs */
	int linked;
	char *name;
	int detached;
	int refs;			/* atomic */
	enum proc_state state;
	int status;			/* once PS_DONE */
	int final_status;		/* once PS_ENDING */
	char crash[16];
	struct relay *relay;
	struct loop_timer timer;	/* READY_BOUND_S, or the gone grace */
	struct loop_timer term;		/* SIGTERM's grace */
	int term_step;
	int held;			/* suspended by us */
	int gone;			/* stopped, or its consoles closed */
	int stopped;			/* its domain stopped */
	int destroyed;			/* by us: SIGKILL */
	int lost;			/* the connection went */
	int late;			/* never said `ready` */
	int released;
	pthread_mutex_t reap_lock;
	pthread_cond_t reap_cond;
	int reaping;			/* 1: asked, 2: the destroy goes out */
	struct _virDomain *dom;		/* NULL until proc_dom() */
	pthread_mutex_t dom_lock;
	fleet_ctl *claim;	/* from fleetd's pool: our hold on it */
	int pooled;		/* a pool VM: it may be recycled */
	struct share *share;	/* its caller's directory, or NULL */
	int files_fd;		/* a claimed VM's file port, until served */
	char sockdir[96];	/* its console sockets' directory, removed
				 * once the domain is gone, or "" */
};
int	proc_new(fleet_conn *c, const struct fleet_spawn_attr *a,
	    fleet_proc **pp);
void	proc_start(fleet_proc *p, int ready);
int	proc_name(fleet_proc *p, const char *name, const char *image);
void	proc_created(fleet_proc *p, struct _virDomain *dom);
void	proc_keep_sockdir(fleet_proc *p, struct relay_listen *l);
void	proc_share(fleet_proc *p, struct share *s);
void	proc_files_fd(fleet_proc *p, int fd);
int	proc_take_files_fd(fleet_proc *p);
void	proc_claimed(fleet_proc *p, fleet_ctl *ctl, char *name);
void	proc_ref(fleet_proc *p);
void	proc_unref(fleet_proc *p);
void	proc_stopped(fleet_proc *p);
void	proc_lost(fleet_proc *p);
void	proc_destroy(fleet_proc *p);
void	proc_destroy_later(fleet_proc *p);
void	term_fired(void *arg);
int	proc_dom(fleet_proc *p);

/* sigpolicy.c */
#define TERM_GRACE_MS	3000	/* each step of an unanswered signal */
enum sig_action { SIG_DESTROY, SIG_SUSPEND, SIG_RESUME, SIG_DELIVER,
	SIG_BAD };
enum sig_action sig_action(int sig);

/* procs.c */
void	procs_link(fleet_proc *p);
void	procs_unlink(fleet_proc *p);
void	procs_woken(void *arg);
void	procs_kill_foreground(fleet_conn *c);

/* claim.c */
void	claim_recycle(fleet_proc *p);
int	claim_take(fleet_conn *c, const struct fleet_spawn_attr *a,
	    const char *image, fleet_proc *p);
int	claim_run(fleet_proc *p, char *const *argv, int detached);
int	claim_create(fleet_conn *c, const char *xml, fleet_proc *p);

/* list.c */
int	list_find(fleet_conn *c, const char *id, struct _virDomain **domp,
	    int *detached, unsigned *owner);

#endif
