/* flows-connlat.c: TCP connect latency, for bench/flows.sh.
 *   connlat serve PORT          accept and close, forever
 *   connlat connect IP PORT N   N connects; prints median and mean in us */
#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
serve(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, c;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, 512) < 0)
		err(1, "listen");
	for (;;)
		if ((c = accept(fd, NULL, NULL)) >= 0)
			close(c);
}

static void
client(const char *ip, int port, int n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	double *t = calloc((size_t)n, sizeof(*t)), sum = 0, t0;
	struct linger lg = { 1, 0 };
	int i, fd;

	if (t == NULL || inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		errx(1, "bad address %s", ip);
	for (i = 0; i < n; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		/* RST on close: no TIME_WAIT piling up between runs */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		t0 = now_us();
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			err(1, "connect %s:%d", ip, port);
		t[i] = now_us() - t0;
		sum += t[i];
		close(fd);
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("median_us %.1f mean_us %.1f p99_us %.1f n %d\n", t[n / 2],
	    sum / n, t[(n * 99) / 100], n);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		serve(atoi(argv[2]));
	else if (argc == 5 && strcmp(argv[1], "connect") == 0)
		client(argv[2], atoi(argv[3]), atoi(argv[4]));
	else
		errx(2, "usage: connlat serve PORT | connect IP PORT N");
	return 0;
}
