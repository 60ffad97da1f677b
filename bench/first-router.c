/* first-router: print the first fleet router DNS-SD resolves, as
 * fleet_open(NULL) finds it (bench/discover.sh) */
#include <stdio.h>
#include <fleet/discover.h>
#include <fleet/error.h>

int
main(void)
{
	struct fleet_router r;

	if (fleet_discover_one(NULL, FLEET_DISCOVER_MS, &r) < 0) {
		fprintf(stderr, "first-router: %s\n", fleet_last_error());
		return 1;
	}
	printf("%s %s %s\n", r.name, r.address, r.uri);
	return 0;
}
