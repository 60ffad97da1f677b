/* progs.c: the programs on the image path (FLEET_PATH or its default),
 * for completion and `help -p` */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/image.h>
#include "fsh.h"
#include "strbuf.h"

/* fn(NAME, DIR) for each file in each directory of the path, in order:
 * a name seen in an earlier directory comes again from later ones. */
void
programs_each(void (*fn)(const char *name, const char *dir, void *arg),
    void *arg)
{
	char *path = fleet_image_path(), *dir, *save = NULL;
	struct dirent *e;
	DIR *d;

	if (path == NULL)
		return;
	for (dir = strtok_r(path, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' && (e->d_type == DT_REG ||
			    e->d_type == DT_LNK || e->d_type == DT_UNKNOWN))
				fn(e->d_name, dir, arg);
		closedir(d);
	}
	free(path);
}

struct entry {
	char *line;	/* NAME, a tab, DIR/NAME */
	size_t seq;	/* the order the path gave it */
};

struct listing {
	struct entry *v;
	size_t n;
};

static void
listing_add(const char *name, const char *dir, void *arg)
{
	struct listing *l = arg;

	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (l->v == NULL || asprintf(&l->v[l->n].line, "%s\t%s/%s", name, dir,
	    name) < 0)
		abort();
	l->v[l->n].seq = l->n;
	l->n++;
}

/* By name, and for one name the earlier directory first. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t nx = strcspn(x->line, "\t"), ny = strcspn(y->line, "\t");
	int r = strncmp(x->line, y->line, nx < ny ? nx : ny);

	if (r != 0)
		return r;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* `help -p`: NAME, a tab, the image it runs; one line each. */
void
programs_print(FILE *f)
{
	struct listing l = { 0 };
	size_t i, len;

	programs_each(listing_add, &l);
	qsort(l.v, l.n, sizeof(*l.v), entry_cmp);
	for (i = 0; i < l.n; i++) {
		len = strcspn(l.v[i].line, "\t");
		if (i == 0 || strncmp(l.v[i].line, l.v[i - 1].line, len + 1))
			fprintf(f, "%s\n", l.v[i].line);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i].line);
	free(l.v);
}
