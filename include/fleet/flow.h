/* flow.h: flows between programs, the policy fleetd enforces */
#ifndef FLEET_FLOW_H
#define FLEET_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A program name: [a-z0-9][a-z0-9_.-]{0,62}, or the word "router". */
#define FLEET_NAME_MAX 64

enum fleet_proto { FLEET_TCP, FLEET_UDP, FLEET_ICMP };

/*
 * SRC may open connections to DST on PROTO/PORT; replies pass. A plain
 * struct the caller fills in (fleet_flow_parse() does it from text).
 * icmp has no port: port_lo and port_hi are 0.
 */
struct fleet_flow {
	unsigned id;			/* set by fleetd; 0 in requests */
	char src[FLEET_NAME_MAX];
	char dst[FLEET_NAME_MAX];
	enum fleet_proto proto;
	uint16_t port_lo;		/* 1..65535 */
	uint16_t port_hi;		/* port_lo..65535 */
};

/*
 * Parse "SRC DST PROTO/PORT" split in three words (spec "tcp/80",
 * "udp/5000-5010", "icmp"). 0, or -EINVAL with a message naming the bad
 * part in fleet_last_error().
 */
int fleet_flow_parse(struct fleet_flow *f, const char *src, const char *dst,
    const char *spec);

/* The same from one line of words separated by blanks. */
int fleet_flow_parse_line(struct fleet_flow *f, const char *line);

/* 0 if name may be a program name ("router" included), else -EINVAL. */
int fleet_flow_check_name(const char *name);

/* "tcp", "udp", "icmp" */
const char *fleet_proto_name(enum fleet_proto p);

/*
 * Write "SRC DST PROTO/PORT" into buf (at most len bytes, NUL included).
 * Returns the length it needed, like snprintf.
 */
int fleet_flow_format(const struct fleet_flow *f, char *buf, size_t len);

/* Same SRC, DST, PROTO and ports (ids ignored). */
int fleet_flow_equal(const struct fleet_flow *a, const struct fleet_flow *b);

/*
 * Ask fleetd (control endpoint ctl: NULL for $FLEET_CTL, else
 * /run/fleet/fleetd.sock; see fleet/ctl.h) to allow or revoke flows.
 * fleet_flow_allow_many() is one change: all flows are added, or none.
 * -EEXIST duplicate, -ENOENT revoke of an unknown flow, -EINVAL bad flow,
 * -ECONNREFUSED/-ENOENT no fleetd, -EPERM not allowed for this client.
 */
int fleet_flow_allow(const char *ctl, const struct fleet_flow *f);
int fleet_flow_allow_many(const char *ctl, const struct fleet_flow *f,
    size_t n);
int fleet_flow_revoke(const char *ctl, const struct fleet_flow *f);
int fleet_flow_revoke_id(const char *ctl, unsigned id);

/* A flow id as fleetd gives it (1..2^32-1); -EINVAL names the text. */
int fleet_flow_id_parse(const char *s, unsigned *idp);

/*
 * Every declared flow, by id. *listp is a malloc'd array of *np entries
 * the caller frees with free().
 */
int fleet_flow_list(const char *ctl, struct fleet_flow **listp, size_t *np);

/*
 * Print flows: a table (ID SRC DST PROTO/PORT, with a header) or a JSON
 * array of {id, src, dst, proto, port_lo, port_hi}. -1 on a write error.
 */
int fleet_flow_table(FILE *fp, const struct fleet_flow *v, size_t n);
int fleet_flow_json(FILE *fp, const struct fleet_flow *v, size_t n);

#endif
