#ifndef FLEETRT_UNISTD_H
#define FLEETRT_UNISTD_H

#include "_types.h"

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

ssize_t	 read(int, void *, size_t);
ssize_t	 write(int, const void *, size_t);
unsigned sleep(unsigned);
int	 usleep(unsigned);
int	 isatty(int);
_Noreturn void _exit(int);

#endif
