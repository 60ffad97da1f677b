/* proxy-calls.c URI N DOMAIN: N libvirt calls, half
 * virConnectListAllDomains, half virDomainGetInfo of DOMAIN, on one
 * connection; prints the milliseconds they took. For bench/proxy.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libvirt/libvirt.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	virConnectPtr c;
	virDomainPtr d, *doms;
	virDomainInfo info;
	double t0;
	int i, j, n;

	if (argc != 4 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: proxy-calls URI N DOMAIN\n");
		return 2;
	}
	if ((c = virConnectOpen(argv[1])) == NULL ||
	    (d = virDomainLookupByName(c, argv[3])) == NULL)
		return 1;
	t0 = now_ms();
	for (i = 0; i < n / 2; i++) {
		if ((j = virConnectListAllDomains(c, &doms, 0)) < 0 ||
		    virDomainGetInfo(d, &info) < 0)
			return 1;
		while (j > 0)
			virDomainFree(doms[--j]);
		free(doms);
	}
	printf("%.1f\n", now_ms() - t0);
	virDomainFree(d);
	virConnectClose(c);
	return 0;
}
