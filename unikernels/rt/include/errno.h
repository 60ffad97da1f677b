#ifndef FLEETRT_ERRNO_H
#define FLEETRT_ERRNO_H

extern int errno;

#define EPERM	1
#define ENOENT	2
#define EINTR	4
#define EIO	5
#define EBADF	9
#define ENOMEM	12
#define EFAULT	14
#define EINVAL	22
#define ENOSPC	28
#define ESPIPE	29
#define EPIPE	32
#define EDOM	33
#define ERANGE	34
#define ENOSYS	38

#endif
