/* core.h: what libfleet and fleetd share: errors, clocks, a VM's name
 * and spec, its domain XML, its console sockets, network leases */
#ifndef FLEET_CORE_H
#define FLEET_CORE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <fleet/fleet.h>
#include <fleet/argv.h>
#include <fleet/ps.h>
#include <fleet/status.h>
#include <fleet/ctl.h>
#include "guest.h"

#ifndef __GNUC__
#define __attribute__(x)
#endif

/* The namespace of fleet's <metadata> element in domain XML. */
#define FLEET_XMLNS	"http://fleet.local/xmlns/proc/1"
#define FLEET_PREFIX	"fleet-"
#define FLEET_MEM_DEFAULT	16	/* MiB */
#define FLEET_MEM_LINUX		128	/* MiB, for a Linux program */

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
void	debug_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* clock.c */
void	clock_after(struct timespec *ts, clockid_t clock, long ms);
int64_t	clock_now_ms(void);
int64_t	clock_ms_since(const struct timespec *then,
	    const struct timespec *now);

/* thread.c */
/* A detached thread with every signal blocked; 0 or a negative errno. */
int	thread_spawn(void *(*fn)(void *), void *arg);
/* The same, joinable. */
int	thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* argv.c */
#define FLEET_WORDS_MAX	(1u << 20)	/* a boot module's words, encoded */
int	cmdline_settings(char *const *settings, char **linep);
int	cmdline_encode_env(char *const *settings, char *const *envp,
	    char *const *argv, size_t max, char **linep);

/* elf.c: what a program file is */
enum { IMAGE_NATIVE = 1, IMAGE_LINUX = 2 };
int	image_is_multiboot(const unsigned char *buf, size_t n);
int	image_kind(const char *path, int fd, uint64_t *memp);

/* env.c */
char	**env_default(void);

/* module.c */
int	module_stage(const char *out, const char *path, const char *words);

/* image.c */
int	image_runtime(char **pathp);
int	image_classify(const char *path, uint64_t *memp);
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
	const char *kernel;	/* what boots, if not image: the runtime */
	const char *initrd;	/* its boot module (the program), or NULL */
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
	const char *files_sock;		/* the file port's (9P), or NULL */
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

/* kick.c */
struct kick;
struct _virStream;
struct kick *kick_new(int fd);
struct kick *kick_ref(struct kick *k);
void	kick_unref(void *k);
void	kick_stream(struct _virStream *st, int events, void *k);

/* ctl.c */
const char *ctl_unix_path(const char *endpoint);
void	ctl_set_found(const char *endpoint);
const char *ctl_default(void);

/* vm.c */
/* The program's name: the image path's last part. Points into image. */
const char *vm_program(const char *image);
/* fleet-PROGRAM-RANDOM, malloc'd, or NULL. */
char	*vm_name(const char *image);
int	vm_use_kvm(void);
unsigned vm_mem_default(const char *image);
void	vm_spec_init(struct vm_spec *s, const char *name,
	    const char *image_asked, const char *image);

/* sockdir.c */
#define SOCKDIR_ROOT	"/run/libvirt/fleet"	/* root's VMs' sockets */
#define PATH_MAX_SOCK	128
/* the consoles (ST_CONS of them), then the file port's socket */
enum { ST_COM1, ST_COM2, ST_COM3, ST_VIRTIO, ST_CONS, ST_FILES = ST_CONS,
    ST_N };
#define LISTEN_SERIAL	1
#define LISTEN_FILES	2
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
	    const char *name, int what);	/* LISTEN_* */
void	sockdir_listen_drain(struct relay_listen *l);
void	sockdir_listen_keep(struct relay_listen *l, char *dir, size_t n);
int	sockdir_listen_accept(struct relay_listen *l, int fd[ST_N]);
void	sockdir_listen_leave(struct relay_listen *l);
void	sockdir_listen_close(struct relay_listen *l);
void	sockdir_remove(const char *dir);
void	sockdir_sweep(const char *uri);
void	sockdir_remove_vm(const char *name);

#endif
