/*
 * The initial stack, as Linux's binfmt_elf lays it out: from the top,
 * the strings (argv, envp, the platform, 16 random bytes), then, 16-byte
 * aligned, argc, argv[], NULL, envp[], NULL, the auxiliary vector.
 */
#include "linux.h"
#include "sys.h"

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define AUXV		19	/* pairs, AT_NULL included */

static uintptr_t
push_bytes(uintptr_t sp, const void *p, size_t n)
{
	sp -= n;
	memcpy((void *)sp, p, n);
	return sp;
}

static int
count(char **v)
{
	int n = 0;

	while (v[n] != NULL)
		n++;
	return n;
}

static uint32_t
hwcap(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
	return d;
}

/* Strings of v, pushed below sp in order, as one block; returns its
 * start, which is where the first one is. */
static uintptr_t
push_strings(uintptr_t sp, char **v, int n)
{
	size_t len = 0;
	uintptr_t at;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	at = sp -= len;
	for (i = 0; i < n; i++) {
		len = strlen(v[i]) + 1;
		memcpy((void *)at, v[i], len);
		at += len;
	}
	return sp;
}

/* The pointers to n strings laid end to end from s. */
static uintptr_t *
put_pointers(uintptr_t *v, uintptr_t s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		*v++ = s;
		s += strlen((const char *)s) + 1;
	}
	*v++ = 0;
	return v;
}

uintptr_t
stack_build(const struct loaded *l, char **argv, char **envp)
{
	int argc = count(argv), envc = count(envp), n = 0;
	uintptr_t sp = STACK_TOP, rnd, plat, execfn, astr, estr, *v;
	uint64_t aux[2 * AUXV];
	uint8_t bytes[16];

	random_fill(bytes, sizeof(bytes));
	rnd = sp = push_bytes(sp, bytes, sizeof(bytes));
	plat = sp = push_bytes(sp, "x86_64", 7);
	execfn = sp = push_bytes(sp, exe_path, strlen(exe_path) + 1);
	estr = sp = push_strings(sp, envp, envc);
	astr = sp = push_strings(sp, argv, argc);

#define AUX(k, val)	(aux[n++] = (k), aux[n++] = (val))
	AUX(AT_PHDR, l->phdr);
	AUX(AT_PHENT, 56);
	AUX(AT_PHNUM, l->phnum);
	AUX(AT_PAGESZ, PAGE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, l->entry);
	AUX(AT_UID, sys_getuid());
	AUX(AT_EUID, sys_geteuid());
	AUX(AT_GID, sys_getgid());
	AUX(AT_EGID, sys_getegid());
	AUX(AT_PLATFORM, plat);
	AUX(AT_HWCAP, hwcap());
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, rnd);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX

	sp -= (size_t)n * 8 + (size_t)(envc + 1) * 8 + (size_t)(argc + 1) * 8 +
	    8;
	sp &= ~(uintptr_t)15;
	v = (uintptr_t *)sp;
	*v++ = (uintptr_t)argc;
	v = put_pointers(v, astr, argc);
	v = put_pointers(v, estr, envc);
	memcpy(v, aux, (size_t)n * 8);
	return sp;
}
