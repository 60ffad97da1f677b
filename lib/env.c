/* env.c: the environment a VM's program gets when its spawner names
 * none: these of the caller's, where set (docs/man/fleet-run.1). */
#include <errno.h>
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

static size_t
name_len(const char *entry)
{
	return strcspn(entry, "=");
}

/* The index of the entry named as entry is, or n. */
static size_t
find(char **v, size_t n, const char *entry)
{
	size_t i, k = name_len(entry);

	for (i = 0; i < n; i++)
		if (name_len(v[i]) == k && strncmp(v[i], entry, k) == 0)
			break;
	return i;
}

void
fleet_env_free(char **envp)
{
	char **e;

	for (e = envp; e != NULL && *e != NULL; e++)
		free(*e);
	free(envp);
}

/* Set (NAME=VALUE) or remove (NAME) one entry of v, n long. */
static int
env_put(char **v, size_t *n, const char *entry)
{
	size_t i = find(v, *n, entry);

	if (entry[name_len(entry)] != '=') {
		if (i < *n) {
			free(v[i]);
			memmove(&v[i], &v[i + 1], (*n - i) * sizeof(*v));
			(*n)--;
		}
		return 0;
	}
	if (i < *n)
		free(v[i]);
	if ((v[i] = strdup(entry)) == NULL)
		return -ENOMEM;
	if (i == *n)
		v[++*n] = NULL;
	return 0;
}

int
fleet_env_with(char *const *base, char *const *extra, char ***envp)
{
	char **dflt = base == NULL ? env_default() : NULL, **v;
	char *const *from = base != NULL ? base : dflt;
	size_t n = 0, max = 0, i;
	int r = 0;

	*envp = NULL;
	for (i = 0; from != NULL && from[i] != NULL; i++)
		max++;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		max++;
	if (from == NULL || (v = calloc(max + 1, sizeof(*v))) == NULL) {
		free(dflt);
		return fleet_seterr(-ENOMEM, "env: out of memory");
	}
	for (i = 0; from[i] != NULL && r == 0; i++)
		if (strchr(from[i], '=') != NULL)
			r = env_put(v, &n, from[i]);
	free(dflt);
	for (i = 0; extra != NULL && extra[i] != NULL && r == 0; i++) {
		if (name_len(extra[i]) == 0)
			r = fleet_seterr(-EINVAL, "env: '%s': no variable "
			    "name", extra[i]);
		else
			r = env_put(v, &n, extra[i]);
	}
	if (r == -ENOMEM)
		fleet_seterr(r, "env: out of memory");
	if (r < 0) {
		fleet_env_free(v);
		return r;
	}
	*envp = v;
	return 0;
}
