/* change.c: one change to flows or leases, applied whole or not at all */
#include <errno.h>
#include "core.h"
#include "router.h"

/*
 * next is a modified copy of s. Install its ruleset (one batch), then write
 * it to disk; only then does it replace s, so that a flow acknowledged to a
 * client is on disk and in the kernel. On failure the kernel keeps (or gets
 * back) s's ruleset and next is freed either way.
 */
int
change_apply(struct state *s, struct state *next)
{
	struct fw_model m;
	int r;

	if ((r = rules_build(next, &m)) < 0)
		goto out;
	r = fw_apply(&m);
	rules_free(&m);
	if (r < 0)
		goto out;
	if ((r = state_save(next)) < 0) {
		if (rules_build(s, &m) == 0) {
			fw_apply(&m);
			rules_free(&m);
		}
		goto out;
	}
	state_free(s);
	*s = *next;
	return 0;
out:
	state_free(next);
	return r;
}

/* The ruleset of s as it is (at start). */
int
change_resync(const struct state *s)
{
	struct fw_model m;
	int r;

	if ((r = rules_build(s, &m)) < 0)
		return r;
	r = fw_apply(&m);
	rules_free(&m);
	return r;
}

/* The VM ended: its lease and its set elements go, as one change. */
int
change_release_vm(struct state *s, const char *name)
{
	struct state next;
	int r;

	if (state_find_vm(s, name) == NULL)
		return fleet_seterr(-ENOENT, "no VM %s", name);
	if ((r = state_copy(&next, s)) < 0)
		return r;
	state_del_vm(&next, state_find_vm(&next, name));
	return change_apply(s, &next);
}
