/* errno and strerror. */
#include <errno.h>
#include <string.h>

int errno;

char *
strerror(int e)
{
	switch (e) {
	case 0: return "Success";
	case EPERM: return "Operation not permitted";
	case ENOENT: return "No such file or directory";
	case EINTR: return "Interrupted system call";
	case EIO: return "Input/output error";
	case EBADF: return "Bad file descriptor";
	case ENOMEM: return "Cannot allocate memory";
	case EFAULT: return "Bad address";
	case EINVAL: return "Invalid argument";
	case ENOSPC: return "No space left on device";
	case ESPIPE: return "Illegal seek";
	case EPIPE: return "Broken pipe";
	case EDOM: return "Numerical argument out of domain";
	case ERANGE: return "Numerical result out of range";
	case ENOSYS: return "Function not implemented";
	}
	return "Unknown error";
}
