/* arith.h: the arithmetic of $((...)), evaluated over intmax_t. */
#ifndef FSH_ARITH_H
#define FSH_ARITH_H

#include <stdint.h>

/* How an expression reads and assigns the shell's variables: get
 * returns NULL for an unset variable; set returns -1 if the variable
 * cannot be assigned (readonly). */
struct arith_vars {
	const char *(*get)(void *arg, const char *name);
	int (*set)(void *arg, const char *name, const char *value);
	void *arg;
};

/* 0 and *result, or -1 and *err (malloc'd, for the caller to free). */
int arith_eval(const char *expr, const struct arith_vars *v,
    intmax_t *result, char **err);

#endif
