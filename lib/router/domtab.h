/* domtab.h: the fleet domains libvirt has, by UUID, as fleetd knows them */
#ifndef FLEET_DOMTAB_H
#define FLEET_DOMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOMTAB_NAME_MAX	256		/* longer fleet- names are not ours */

struct domtab_ent {
	uint8_t uuid[16];
	char name[DOMTAB_NAME_MAX];
	int id;				/* -1 when not running */
};

/*
 * A miss asks libvirt once (lookup): the table follows lifecycle events,
 * which come a moment after a domain starts.
 */
enum domtab_key { DOMTAB_UUID, DOMTAB_ID };
struct domtab {
	struct domtab_ent *v;
	size_t n, cap;
	void (*lookup)(void *arg, enum domtab_key k, const uint8_t *uuid,
	    int id);
	void *lookup_arg;
};

/* domtab.c */
bool domtab_is_fleet(const char *name, size_t len);
int domtab_put(struct domtab *t, const uint8_t *uuid, const char *name,
    size_t len, int id);
void domtab_del(struct domtab *t, const uint8_t *uuid);
const struct domtab_ent *domtab_by_uuid(struct domtab *t,
    const uint8_t *uuid);
const struct domtab_ent *domtab_by_id(struct domtab *t, int id);
void domtab_free(struct domtab *t);

#endif
