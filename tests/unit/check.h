/* check.h: the smallest test harness */
#ifndef FLEET_CHECK_H
#define FLEET_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,	\
		    __LINE__, #cond);					\
		check_failed = 1;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {		\
		fprintf(stderr, "%s:%d: '%s' != '%s'\n", __FILE__,	\
		    __LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)");	\
		check_failed = 1;					\
	}								\
} while (0)

#define CHECK_DONE() do {						\
	if (check_failed)						\
		return 1;						\
	printf("ok\n");							\
	return 0;							\
} while (0)

#endif
