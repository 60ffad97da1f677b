/* words.h: what a spawn tells the guest (words.c), for spawn.c */
#ifndef FLEET_WORDS_H
#define FLEET_WORDS_H

#include "internal.h"

/* What a spawn tells the guest; written by words.c only. */
struct words {
	int kind;		/* IMAGE_NATIVE or IMAGE_LINUX */
	char *runtime;		/* fleetrt, for IMAGE_LINUX */
	char *const *env;	/* a->envp, or env_default()'s */
	char **env_own;		/* env_default()'s array */
	char module[PATH_MAX_SOCK];	/* the staged program */
	char uid[32], gid[32];	/* fleet.uid=, fleet.gid=: the caller's */
	char user[64], group[64];	/* fleet.user=, fleet.group=, or "" */
	char seed[80];		/* fleet.seed=: the guest's random key */
	char *files;		/* the directory the VM sees, or NULL */
	int files_ro;
	char *cwd;		/* fleet.cwd=: where it appears, encoded */
	char dev[40], umask[24];	/* fleet.dev=, fleet.umask= */
	char updir[160];		/* fleet.updir=: its parent's stat */
	int claimed;		/* the words go in an `args` line or ahead
				 * of stdin, not on a kernel command line */
};

#define ARGS_LINE_MAX	FLEET_CMDLINE_MAX	/* an `args` line's words */
#define PORT_WORDS_MAX	(128 * 1024)		/* words on the stdio port */

int	words_init(struct words *w, const struct fleet_spawn_attr *a,
	    const char *image);
void	words_free(struct words *w);
void	words_no_files(struct words *w);
void	words_claimed(struct words *w);
int	words_spec(const struct fleet_spawn_attr *a, const char *image,
	    const char *name, const struct vm_net *net, struct words *w,
	    const char *moddir, struct vm_spec *s, char *dflt[2]);

#endif
