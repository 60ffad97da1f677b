/* env.h: the environment a Linux program in a VM gets */
#ifndef FLEET_ENV_H
#define FLEET_ENV_H

/*
 * base (NULL: the default set, PATH, HOME, TERM, LANG, LC_ALL, TZ, PWD,
 * USER and LOGNAME where the caller has them) with each NAME=VALUE of
 * extra set over it, in that order; an entry NAME without '=' removes
 * NAME. Both NULL-terminated; extra may be NULL. On success *envp is a
 * NULL-terminated array of strings, all of it malloc'd:
 * fleet_env_free() it. -EINVAL names a malformed entry (no NAME).
 */
int fleet_env_with(char *const *base, char *const *extra, char ***envp);

void fleet_env_free(char **envp);

#endif
