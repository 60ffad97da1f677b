/* pool.h: the warm pool's parts, shared by pool*.c (docs/protocol.md,
 * 6.1); fleetd sees only router.h */
#ifndef FLEET_POOL_H
#define FLEET_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include <libvirt/libvirt.h>
#include <fleet/fleet.h>

#define POOL_VMS_MAX	32	/* per image, grown or not */
#define POOL_JOBS_MAX	8	/* boots at once */

/* What the image file was when a VM booted it: any write changes it.
 * Not its ctime: libvirt's DAC driver changes that by giving the file to
 * QEMU's user at every start and back at every stop. */
struct ident {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* IDLE: booted, for anyone; RECYCLED: its program exited and it made
 * itself new (protocol.md 2.3), for its owner only. */
enum vm_state { VM_IDLE, VM_RECYCLED, VM_CLAIMED, VM_DOOMED };

#define ADOPTED	((size_t)-1)	/* a pool_vm's image: created for a client */

struct pool_vm {
	char name[FLEET_NAME_MAX];
	size_t image;
	enum vm_state state;
	struct ident id;
	virDomainPtr dom;
	virStreamPtr st[3];	/* its consoles, until it is `ready` */
	int pty[3];		/* then their ptys, held open (pool-boot.c) */
	char sock[108];		/* its stdio socket (QEMU's), or "" */
	char files[116];	/* its file port's, beside it */
	char module[116];	/* a Linux program's boot module, or "" */
	int link[2];		/* its stdio and file port connections, made
				 * at its first claim, kept for the next */
	char *meta;		/* its metadata while unclaimed */
	struct timespec ripe_at;	/* QEMU has seen its ptys open */
	bool again;		/* its runtime recycles (`ready ... again`) */
	bool paused;		/* suspended; `run` resumes it */
	bool pausing;		/* being suspended, or its metadata reset:
				 * not to be claimed or doomed */
	uid_t owner;		/* once recycled: who may claim it */
	struct timespec idle_at;	/* and since when it waits */
};

/*
 * An image keeps want VMs idle or booting: its floor (--pool IMAGE:N),
 * more while claims outrun the refill, back down once it is left alone
 * (pool-refill.c).
 */
struct pool_image {
	char *path;		/* absolute, as clients name it */
	char *program;
	unsigned floor, want, booting, fails;
	unsigned long served;	/* claims answered, in all */
	time_t retry_at;
	struct timespec used_at;	/* its last claim or miss, monotonic */
};

struct state;

struct pool {
	virConnectPtr conn;
	char *uri;		/* the libvirt it uses, as it names itself */
	struct state *state;	/* fleetd's, for leases; NULL: no network */
	pthread_mutex_t *state_lock;	/* fleetd holds it while it serves */
	unsigned max;		/* idle and booting VMs, all images */
	unsigned jobs;		/* boots at once */
	struct pool_image *img;
	size_t nimg;
	struct pool_vm **vms;	/* under lock, as is all that follows */
	size_t nvms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread[POOL_JOBS_MAX];
	unsigned nthreads;
	bool stop;
	struct timespec claimed_at;	/* the last claim, monotonic */
};

/* pool.c: the registry (under lock unless said) */
int ident_of(const char *path, struct ident *id);
bool ident_same(const struct ident *a, const struct ident *b);
void pvm_free(struct pool_vm *v, bool destroy);	/* no lock held */
int pvm_add(struct pool *p, struct pool_vm *v);
void pvm_remove(struct pool *p, size_t i);
struct pool_vm *pvm_new(size_t image);
bool pvm_ripe(const struct pool_vm *v);
bool pvm_free_to(const struct pool_vm *v, uid_t uid);
bool pvm_waiting(const struct pool_vm *v);
size_t pvm_count(const struct pool *p, size_t image, enum vm_state s);
size_t pvm_count_ripe(const struct pool *p, size_t image);
unsigned pvm_pooled(const struct pool *p);

/* pool-boot.c: one VM, leased, booted to `ready` and paused (no lock) */
int boot_vm(struct pool *p, size_t image, struct pool_vm **vp);

/* pool-refill.c */
int refill_start(struct pool *p);
void refill_stop(struct pool *p);
void refill_demand(struct pool *p, size_t image, bool hit, bool recycled);

/* pool-sweep.c */
void sweep_left(struct pool *p);

#endif
