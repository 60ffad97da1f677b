/* routers.c: routers found by DNS-SD, printed as a table or JSON */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <fleet/discover.h>
#include <fleet/ps.h>

/* s in a column of width w: names come from the network. */
static void
put_text(FILE *f, const char *s, int w)
{
	const unsigned char *p;
	int n = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			n += fprintf(f, "\\%03o", *p);
		else {
			fputc(*p, f);
			n++;
		}
	for (; n < w; n++)
		fputc(' ', f);
}

static int
width(const struct fleet_router *l, size_t n, size_t off, const char *head)
{
	size_t i, w = strlen(head), k;

	for (i = 0; i < n; i++)
		if ((k = strlen((const char *)&l[i] + off)) > w)
			w = k;
	return (int)w;
}

int
fleet_routers_table(FILE *f, const struct fleet_router *l, size_t n)
{
	int wn = width(l, n, offsetof(struct fleet_router, name), "NAME");
	int wh = width(l, n, offsetof(struct fleet_router, host), "HOST");
	int wa = width(l, n, offsetof(struct fleet_router, address),
	    "ADDRESS");
	int wu = width(l, n, offsetof(struct fleet_router, uri), "URI");
	size_t i;

	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", wn, "NAME", wh, "HOST",
	    wa, "ADDRESS", wu, "URI", "CTL");
	for (i = 0; i < n; i++) {
		put_text(f, l[i].name, wn + 2);
		put_text(f, l[i].host, wh + 2);
		put_text(f, l[i].address, wa + 2);
		put_text(f, l[i].uri, wu + 2);
		put_text(f, l[i].ctl, 0);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

int
fleet_routers_json(FILE *f, const struct fleet_router *l, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
		fleet_json_string(f, l[i].name);
		fputs(", \"host\": ", f);
		fleet_json_string(f, l[i].host);
		fputs(", \"address\": ", f);
		fleet_json_string(f, l[i].address);
		fputs(", \"uri\": ", f);
		fleet_json_string(f, l[i].uri);
		fputs(", \"ctl\": ", f);
		fleet_json_string(f, l[i].ctl);
		fprintf(f, ", \"version\": %d, \"local\": %s}", l[i].version,
		    l[i].local ? "true" : "false");
	}
	fputs(n ? "\n]\n" : "]\n", f);
	return ferror(f) ? -1 : 0;
}
