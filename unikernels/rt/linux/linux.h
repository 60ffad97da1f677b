/* The Linux system-call layer: what its files share. */
#ifndef FLEETRT_LINUX_H
#define FLEETRT_LINUX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "rt.h"
#include "../lib/pure.h"

/* errno values, as Linux numbers them */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ESPIPE		29
#define EROFS		30
#define EPIPE		32
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39
#define ELOOP		40
#define ENOTSUP		95

#define PAGE		4096ull
#define PAGE_DOWN(a)	((a) & ~(PAGE - 1))
#define PAGE_UP(a)	(((a) + PAGE - 1) & ~(PAGE - 1))

/* mm.c: the program's address space */
#define STACK_TOP	0x00007ffffffff000ull
#define STACK_MAX	(8ull << 20)
#define MMAP_TOP	(STACK_TOP - STACK_MAX - (1ull << 30))
void	mm_init(void);
int	mm_add(uintptr_t, uintptr_t, int);	/* a fixed anonymous range */
void	mm_set_brk(uintptr_t);
int	user_ok(uintptr_t, size_t, int);	/* 1 if mapped with prot */
int	user_str(uintptr_t, char *, size_t);	/* copy a string in */
long	sys_brk(uintptr_t);
long	sys_mmap(uintptr_t, size_t, int, int, int, int64_t);
long	sys_munmap(uintptr_t, size_t);
long	sys_mprotect(uintptr_t, size_t, int);
long	sys_mremap(uintptr_t, size_t, size_t, int, uintptr_t);
size_t	mm_resident(void);

/* elf.c: the program from its boot module */
struct loaded {
	uintptr_t entry;	/* where it starts */
	uintptr_t phdr;		/* its program headers in its memory */
	unsigned phnum;
	uintptr_t brk;		/* past its highest segment */
};
int	elf_load(const void *, size_t, struct loaded *, char *, size_t);

/* stack.c: argc, argv, envp and auxv as Linux lays them out */
uintptr_t stack_build(const struct loaded *, char **, char **);

/* random.c */
void	random_init(void);
void	random_fill(void *, size_t);

/* syscall.c */
extern int strace;
void	strace_note(const char *, ...);
extern const char *progname;

/* proc.c: identity, signals, the end */
_Noreturn void linux_exit(int);
int	proc_umask(void);
void	proc_init(void);
extern char exe_path[256];

/* time.c */
void	time_init(void);
uint64_t realtime_ns(void);

#endif
