/* share.h: a VM's view of its caller's directory (share.c) */
#ifndef FLEET_SHARE_H
#define FLEET_SHARE_H

struct loop;
struct share;

/* Serve dir (read-only if ro) on fd, the socket QEMU joined to the VM's
 * file port, from loop l (under its lock). Takes fd, even on error. */
int	share_start(struct loop *l, int fd, const char *dir, int ro,
	    struct share **sp);
void	share_free(struct share *s);	/* under the loop's lock; NULL ok */

#endif
