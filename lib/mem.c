/* mem.c: memory sizes as users write them */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include "internal.h"

int
fleet_mem_parse(const char *s, unsigned *mib)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	if (strcasecmp(end, "g") == 0 || strcasecmp(end, "gib") == 0 ||
	    strcasecmp(end, "gb") == 0)
		v *= 1024;
	else if (*end != '\0' && strcasecmp(end, "m") != 0 &&
	    strcasecmp(end, "mib") != 0 && strcasecmp(end, "mb") != 0)
		return -EINVAL;
	if (v < 1 || v > 1024 * 1024)
		return -EINVAL;
	*mib = (unsigned)v;
	return 0;
}
