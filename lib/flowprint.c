/* flowprint.c: declared flows as a table or as JSON */
#include <stdio.h>
#include <fleet/flow.h>

static void
port_spec(const struct fleet_flow *f, char *buf, size_t len)
{
	const char *p = fleet_proto_name(f->proto);

	if (f->proto == FLEET_ICMP)
		snprintf(buf, len, "%s", p);
	else if (f->port_lo == f->port_hi)
		snprintf(buf, len, "%s/%u", p, f->port_lo);
	else
		snprintf(buf, len, "%s/%u-%u", p, f->port_lo, f->port_hi);
}

int
fleet_flow_table(FILE *fp, const struct fleet_flow *v, size_t n)
{
	char spec[32];
	size_t i;

	fprintf(fp, "%-6s %-24s %-24s %s\n", "ID", "SRC", "DST",
	    "PROTO/PORT");
	for (i = 0; i < n; i++) {
		port_spec(&v[i], spec, sizeof(spec));
		fprintf(fp, "%-6u %-24s %-24s %s\n", v[i].id, v[i].src,
		    v[i].dst, spec);
	}
	return ferror(fp) ? -1 : 0;
}

/* Names are [a-z0-9_.-]: nothing to escape. */
int
fleet_flow_json(FILE *fp, const struct fleet_flow *v, size_t n)
{
	size_t i;

	fprintf(fp, "[");
	for (i = 0; i < n; i++)
		fprintf(fp, "%s\n  {\"id\": %u, \"src\": \"%s\", \"dst\": "
		    "\"%s\", \"proto\": \"%s\", \"port_lo\": %u, "
		    "\"port_hi\": %u}", i ? "," : "", v[i].id, v[i].src,
		    v[i].dst, fleet_proto_name(v[i].proto), v[i].port_lo,
		    v[i].port_hi);
	fprintf(fp, "%s]\n", n ? "\n" : "");
	return ferror(fp) ? -1 : 0;
}
