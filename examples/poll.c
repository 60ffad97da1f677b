/* poll: run images side by side, waiting on the connection's descriptor
 * in one's own poll loop, and print each one's status as it ends */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <fleet/fleet.h>
#include <fleet/status.h>

#define MAX	16

int
main(int argc, char **argv)
{
	struct fleet_spawn_attr a = { .stdin_fd = -1, .stdout_fd = 1,
	    .stderr_fd = 2 };
	fleet_proc *p[MAX];
	struct pollfd pfd;
	fleet_conn *c;
	char what[64];
	int i, n = argc - 1, left, status, failed = 0;

	if (n < 1 || n > MAX) {
		fprintf(stderr, "usage: poll IMAGE... (at most %d)\n", MAX);
		return 2;
	}
	if (fleet_open(&c, NULL) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		a.image = argv[i + 1];
		a.argv = NULL;		/* argv[0]: the image's name */
		if (fleet_spawn(c, &a, &p[i]) < 0)
			goto fail;
	}
	pfd.fd = fleet_conn_fd(c);
	pfd.events = POLLIN;
	for (left = n; left > 0;) {
		if (poll(&pfd, 1, 60000) <= 0 || fleet_conn_dispatch(c) < 0)
			goto fail;
		for (i = 0; i < n; i++) {
			if (p[i] == NULL || fleet_proc_wait(p[i], &status, 0) < 0)
				continue;
			fleet_status_format(status, what, sizeof(what));
			fprintf(stderr, "%s: %s\n", argv[i + 1], what);
			failed |= status != 0;
			fleet_proc_free(p[i]);
			p[i] = NULL;
			left--;
		}
	}
	fleet_close(c);
	return failed;
fail:
	fprintf(stderr, "poll: %s\n", fleet_last_error());
	return 1;
}
