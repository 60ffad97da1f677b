#ifndef FLEETRT_STDLIB_H
#define FLEETRT_STDLIB_H

#include "_types.h"

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1

void	*malloc(size_t);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);
void	 free(void *);

long	 strtol(const char *restrict, char **restrict, int);
unsigned long strtoul(const char *restrict, char **restrict, int);
long long strtoll(const char *restrict, char **restrict, int);
unsigned long long strtoull(const char *restrict, char **restrict, int);
int	 atoi(const char *);
long	 atol(const char *);
long long atoll(const char *);
int	 abs(int);
long	 labs(long);
long long llabs(long long);

void	 qsort(void *, size_t, size_t, int (*)(const void *, const void *));
char	*getenv(const char *);

_Noreturn void exit(int);
_Noreturn void _Exit(int);
_Noreturn void abort(void);

#endif
