/* env.c: the environment a VM's program gets when its spawner names
 * none: these of the caller's, where set (docs/man/fleet-run.1). */
#include <stdlib.h>
#include <string.h>
#include "core.h"

extern char **environ;

static const char *const passed[] = {
	"PATH", "HOME", "TERM", "LANG", "LC_ALL", "TZ", "PWD", "USER",
	"LOGNAME",
};
#define NPASSED	(sizeof(passed) / sizeof(passed[0]))

static int
is_passed(const char *entry)
{
	size_t i, n = strcspn(entry, "=");

	if (entry[n] != '=')
		return 0;
	for (i = 0; i < NPASSED; i++)
		if (strlen(passed[i]) == n && strncmp(entry, passed[i], n) == 0)
			return 1;
	return 0;
}

/* A NULL-terminated array of the caller's own strings; malloc'd (free
 * the array only), or NULL. */
char **
env_default(void)
{
	char **v = calloc(NPASSED + 1, sizeof(*v));
	size_t n = 0;
	char **e;

	if (v == NULL)
		return NULL;
	for (e = environ; e != NULL && *e != NULL && n < NPASSED; e++)
		if (is_passed(*e))
			v[n++] = *e;
	return v;
}
