/* list: every fleet VM with its state and argv */
#include <stdio.h>
#include <stdlib.h>
#include <fleet/fleet.h>

int
main(void)
{
	struct fleet_proc_info *l;
	fleet_conn *c;
	size_t n, i, j;

	if (fleet_open(&c, NULL) < 0 || fleet_list(c, &l, &n) < 0) {
		fprintf(stderr, "list: %s\n", fleet_last_error());
		exit(1);
	}
	for (i = 0; i < n; i++) {
		printf("%s %s %s", l[i].id, l[i].program,
		    fleet_state_name(l[i].state));
		for (j = 0; l[i].argv[j] != NULL; j++)
			printf(" [%s]", l[i].argv[j]);
		printf("\n");
	}
	printf("%zu VM(s)\n", n);
	fleet_proc_info_free(l, n);
	fleet_close(c);
	return 0;
}
