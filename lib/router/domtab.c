/* domtab.c: fleetd's table of fleet domains, kept by lifecycle events */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "domtab.h"

/* A fleet domain is one whose name starts with FLEET_PREFIX. */
bool
domtab_is_fleet(const char *name, size_t len)
{
	size_t n = strlen(FLEET_PREFIX);

	return len > n && len < DOMTAB_NAME_MAX &&
	    memcmp(name, FLEET_PREFIX, n) == 0 && memchr(name, 0, len) == NULL;
}

static struct domtab_ent *
find(const struct domtab *t, const uint8_t *uuid)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (memcmp(t->v[i].uuid, uuid, 16) == 0)
			return &t->v[i];
	return NULL;
}

/* Add or update a domain; a name that is not a fleet name is ignored. */
int
domtab_put(struct domtab *t, const uint8_t *uuid, const char *name,
    size_t len, int id)
{
	struct domtab_ent *e;

	if (!domtab_is_fleet(name, len))
		return 0;
	if ((e = find(t, uuid)) == NULL) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;

			if ((e = realloc(t->v, cap * sizeof(*e))) == NULL)
				return fleet_seterr(-ENOMEM, "domtab: out of "
				    "memory");
			t->v = e;
			t->cap = cap;
		}
		e = &t->v[t->n++];
		memcpy(e->uuid, uuid, 16);
	}
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->id = id;
	return 0;
}

void
domtab_del(struct domtab *t, const uint8_t *uuid)
{
	struct domtab_ent *e = find(t, uuid);

	if (e != NULL)
		*e = t->v[--t->n];
}

const struct domtab_ent *
domtab_by_uuid(struct domtab *t, const uint8_t *uuid)
{
	const struct domtab_ent *e = find(t, uuid);

	if (e == NULL && t->lookup != NULL) {
		t->lookup(t->lookup_arg, DOMTAB_UUID, uuid, -1);
		e = find(t, uuid);
	}
	return e;
}

static struct domtab_ent *
find_id(const struct domtab *t, int id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

const struct domtab_ent *
domtab_by_id(struct domtab *t, int id)
{
	const struct domtab_ent *e;

	if (id < 0)
		return NULL;
	if ((e = find_id(t, id)) == NULL && t->lookup != NULL) {
		t->lookup(t->lookup_arg, DOMTAB_ID, NULL, id);
		e = find_id(t, id);
	}
	return e;
}

void
domtab_free(struct domtab *t)
{
	free(t->v);
	*t = (struct domtab){ 0 };
}
