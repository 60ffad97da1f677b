/* state.c: declared flows and leases, in memory and on disk */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core.h"
#include "router.h"

#define STATE_FILE	"fleetd.state"
#define STATE_MAGIC	"# fleetd state v1"

int
state_init(struct state *s, const char *dir, const struct net_conf *n)
{
	memset(s, 0, sizeof(*s));
	s->net = *n;
	s->next_id = 1;
	if ((s->dir = strdup(dir)) == NULL)
		return fleet_seterr(-ENOMEM, "state: out of memory");
	return 0;
}

void
state_free(struct state *s)
{
	free(s->dir);
	free(s->flows);
	free(s->vms);
	memset(s, 0, sizeof(*s));
}

int
state_copy(struct state *dst, const struct state *src)
{
	*dst = *src;
	dst->dir = strdup(src->dir);
	dst->flows = malloc((src->nflows + 1) * sizeof(*src->flows));
	dst->vms = malloc((src->nvms + 1) * sizeof(*src->vms));
	dst->capflows = src->nflows + 1;
	dst->capvms = src->nvms + 1;
	if (!dst->dir || !dst->flows || !dst->vms) {
		state_free(dst);
		return fleet_seterr(-ENOMEM, "state: out of memory");
	}
	if (src->nflows)
		memcpy(dst->flows, src->flows,
		    src->nflows * sizeof(*src->flows));
	if (src->nvms)
		memcpy(dst->vms, src->vms, src->nvms * sizeof(*src->vms));
	return 0;
}

struct fleet_flow *
state_find_flow(const struct state *s, const struct fleet_flow *f)
{
	size_t i;

	for (i = 0; i < s->nflows; i++)
		if (fleet_flow_equal(&s->flows[i], f))
			return &s->flows[i];
	return NULL;
}

struct fleet_flow *
state_flow_by_id(const struct state *s, unsigned id)
{
	size_t i;

	for (i = 0; i < s->nflows; i++)
		if (s->flows[i].id == id)
			return &s->flows[i];
	return NULL;
}

static int
cmp_flow(const void *a, const void *b)
{
	const struct fleet_flow *x = *(const struct fleet_flow *const *)a;
	const struct fleet_flow *y = *(const struct fleet_flow *const *)b;
	int c;

	if ((c = strcmp(x->src, y->src)) != 0 ||
	    (c = strcmp(x->dst, y->dst)) != 0)
		return c;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port_lo != y->port_lo)
		return x->port_lo < y->port_lo ? -1 : 1;
	if (x->port_hi != y->port_hi)
		return x->port_hi < y->port_hi ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* 0, or -EEXIST naming a flow declared twice: O(n log n), for the many
 * flows of one transaction. */
int
state_check_dups(const struct state *s)
{
	const struct fleet_flow **v;
	char buf[3 * FLEET_NAME_MAX + 32];
	size_t i;
	int r = 0;

	if (s->nflows < 2)
		return 0;
	if ((v = calloc(s->nflows, sizeof(*v))) == NULL)
		return fleet_seterr(-ENOMEM, "state: out of memory");
	for (i = 0; i < s->nflows; i++)
		v[i] = &s->flows[i];
	qsort(v, s->nflows, sizeof(*v), cmp_flow);
	for (i = 1; i < s->nflows && r == 0; i++) {
		if (!fleet_flow_equal(v[i - 1], v[i]))
			continue;
		fleet_flow_format(v[i], buf, sizeof(buf));
		r = fleet_seterr(-EEXIST, "flow \"%s\" exists (id %u)", buf,
		    v[i - 1]->id);
	}
	free(v);
	return r;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if ((np = reallocarray(*p, ncap, size)) == NULL)
		return fleet_seterr(-ENOMEM, "state: out of memory");
	*p = np;
	*cap = ncap;
	return 0;
}

/* Appends f; a zero id takes the next one. Ids only grow. */
int
state_add_flow(struct state *s, const struct fleet_flow *f)
{
	int r;

	if (s->nflows >= ROUTER_FLOW_MAX)
		return fleet_seterr(-ENOSPC, "more than %u flows",
		    ROUTER_FLOW_MAX);
	if ((r = grow((void **)&s->flows, &s->capflows, s->nflows,
	    sizeof(*f))) < 0)
		return r;
	s->flows[s->nflows] = *f;
	if (f->id == 0)
		s->flows[s->nflows].id = s->next_id;
	if (s->flows[s->nflows].id >= s->next_id)
		s->next_id = s->flows[s->nflows].id + 1;
	s->nflows++;
	return 0;
}

void
state_del_flow(struct state *s, struct fleet_flow *f)
{
	size_t i = (size_t)(f - s->flows);

	memmove(f, f + 1, (s->nflows - i - 1) * sizeof(*f));
	s->nflows--;
}

struct vm *
state_find_vm(const struct state *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nvms; i++)
		if (strcmp(s->vms[i].name, name) == 0)
			return &s->vms[i];
	return NULL;
}

struct vm *
state_vm_by_ip(const struct state *s, uint32_t ip)
{
	size_t i;

	for (i = 0; i < s->nvms; i++)
		if (s->vms[i].ip == ip)
			return &s->vms[i];
	return NULL;
}

int
state_add_vm(struct state *s, const struct vm *v)
{
	int r;

	if ((r = grow((void **)&s->vms, &s->capvms, s->nvms,
	    sizeof(*v))) < 0)
		return r;
	s->vms[s->nvms++] = *v;
	return 0;
}

void
state_del_vm(struct state *s, struct vm *v)
{
	size_t i = (size_t)(v - s->vms);

	memmove(v, v + 1, (s->nvms - i - 1) * sizeof(*v));
	s->nvms--;
}

static int
write_all(FILE *fp, const struct state *s)
{
	char buf[256], mac[18], ip[INET_ADDRSTRLEN];
	size_t i;

	fprintf(fp, "%s\nnext %u\n", STATE_MAGIC, s->next_id);
	for (i = 0; i < s->nflows; i++) {
		fleet_flow_format(&s->flows[i], buf, sizeof(buf));
		fprintf(fp, "flow %u %s\n", s->flows[i].id, buf);
	}
	for (i = 0; i < s->nvms; i++) {
		const struct vm *v = &s->vms[i];

		mac_format(v->mac, mac);
		inet_ntop(AF_INET, &v->ip, ip, sizeof(ip));
		fprintf(fp, "vm %s %s %s %s %s\n", v->name, v->program,
		    v->ifname, mac, ip);
	}
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -errno;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), r = 0;

	if (fd < 0 || fsync(fd) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	return r;
}

/* Write a temporary file, fsync it, rename it over the old, fsync the dir. */
int
state_save(const struct state *s)
{
	char *tmp = NULL, *path = NULL;
	FILE *fp = NULL;
	int fd = -1, r = -ENOMEM;

	if (asprintf(&tmp, "%s/.%s.XXXXXX", s->dir, STATE_FILE) < 0 ||
	    asprintf(&path, "%s/%s", s->dir, STATE_FILE) < 0) {
		tmp = path = NULL;
		goto out;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		r = fleet_seterr(-errno, "state: %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if ((r = write_all(fp, s)) < 0 || fsync(fileno(fp)) < 0 ||
	    rename(tmp, path) < 0) {
		r = fleet_seterr(r < 0 ? r : -errno, "state: write %s: %s",
		    path, strerror(r < 0 ? -r : errno));
		unlink(tmp);
		goto out;
	}
	if ((r = sync_dir(s->dir)) < 0)
		fleet_seterr(r, "state: fsync %s: %s", s->dir, strerror(-r));
out:
	if (fp)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(path);
	return r;
}

static int
load_vm(struct state *s, char *args)
{
	char name[FLEET_NAME_MAX], prog[FLEET_NAME_MAX], ifn[IFNAMSIZ];
	char mac[18], ip[16];
	struct vm v;

	memset(&v, 0, sizeof(v));
	if (sscanf(args, "%63s %63s %15s %17s %15s", name, prog, ifn, mac,
	    ip) != 5 || mac_parse(mac, v.mac) < 0 ||
	    inet_pton(AF_INET, ip, &v.ip) != 1)
		return -EINVAL;
	strcpy(v.name, name);
	strcpy(v.program, prog);
	strcpy(v.ifname, ifn);
	return state_add_vm(s, &v);
}

static int
load_line(struct state *s, char *line)
{
	struct fleet_flow f;
	unsigned id;
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (sscanf(line, "next %u", &s->next_id) == 1)
		return 0;
	if (sscanf(line, "flow %u %n", &id, &n) == 1 && n > 0) {
		if (fleet_flow_parse_line(&f, line + n) < 0 || id == 0)
			return -EINVAL;
		f.id = id;
		return state_add_flow(s, &f);
	}
	if (strncmp(line, "vm ", 3) == 0)
		return load_vm(s, line + 3);
	return -EINVAL;
}

/* Read the state file, if there is one, into an empty s; make the
 * directory (not its parents) if it is missing. */
int
state_load(struct state *s)
{
	char *path = NULL, *line = NULL;
	size_t cap = 0, lineno = 0;
	FILE *fp;
	int r = 0;

	if (mkdir(s->dir, 0700) < 0 && errno != EEXIST)
		return fleet_seterr(-errno, "state: %s: %s", s->dir,
		    strerror(errno));
	if (asprintf(&path, "%s/%s", s->dir, STATE_FILE) < 0)
		return fleet_seterr(-ENOMEM, "state: out of memory");
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			r = fleet_seterr(-errno, "state: %s: %s", path,
			    strerror(errno));
		goto out;
	}
	while (getline(&line, &cap, fp) > 0) {
		lineno++;
		if ((r = load_line(s, line)) < 0) {
			r = fleet_seterr(r, "state: %s:%zu: unreadable line",
			    path, lineno);
			break;
		}
	}
	fclose(fp);
out:
	free(line);
	free(path);
	return r;
}
