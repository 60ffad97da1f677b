/* Files of the caller's tree, over 9P (fs9p.c), for the calls on paths
 * and descriptors (fs.c, fsops.c). */
#ifndef FLEETRT_FS9P_H
#define FLEETRT_FS9P_H

#include "file.h"
#include "p9.h"

#define FOLLOW		1	/* a last name that is a link: its target */

int	tree_walk(char *, int, uint32_t *, struct p9_qid *,
	    struct p9_attr *);
int	tree_parent(const char *, uint32_t *, const char **);
long	tree_open(const char *, int, int);
void	tree_stat(const struct p9_attr *, struct kstat *);
long	tree_readlink(const char *, char *, size_t);
void	tree_changed(void);		/* read-ahead is stale */
uint32_t file_fid(struct file *);	/* P9_NOFID: not of the tree */
const char *file_path(struct file *);	/* NULL: no path */
extern uint64_t tree_dev;

#endif
