/* spawn-wait: run one image with this process's stdio and print its status */
#include <stdio.h>
#include <stdlib.h>
#include <fleet/fleet.h>
#include <fleet/status.h>

int
main(int argc, char **argv)
{
	struct fleet_spawn_attr a = { .stdin_fd = 0, .stdout_fd = 1,
	    .stderr_fd = 2 };
	fleet_conn *c;
	fleet_proc *p;
	char what[64];
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: spawn-wait IMAGE [ARG...]\n");
		return 2;
	}
	a.image = argv[1];
	a.argv = argv + 1;
	if (fleet_open(&c, NULL) < 0 || fleet_spawn(c, &a, &p) < 0 ||
	    fleet_proc_wait(p, &status, 60000) < 0) {
		fprintf(stderr, "spawn-wait: %s\n", fleet_last_error());
		exit(1);
	}
	fleet_status_format(status, what, sizeof(what));
	fprintf(stderr, "%s: %s\n", fleet_proc_id(p), what);
	fleet_proc_free(p);
	fleet_close(c);
	return fleet_status_exit_code(status);
}
