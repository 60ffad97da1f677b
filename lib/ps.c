/* ps.c: a list of fleet VMs as a table or JSON */
#include <ctype.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <fleet/ps.h>

void
fleet_ps_uptime(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRId64 ":%02" PRId64, s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRId64 ":%02" PRId64 ":%02" PRId64,
		    s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    s / 3600 % 24);
}

static void
owner_name(unsigned uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", uid);
}

static void
print_args(FILE *f, char *const *argv)
{
	const unsigned char *s;
	size_t i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			fputc(' ', f);
		for (s = (const unsigned char *)argv[i]; *s != '\0'; s++)
			if (isprint(*s) && *s != '\\')
				fputc(*s, f);
			else
				fprintf(f, "\\%03o", *s);
	}
}

int
fleet_ps_table(FILE *f, const struct fleet_proc_info *l, size_t n,
    int64_t now)
{
	char up[32], owner[64], mem[32];
	size_t i;

	fprintf(f, "%-24s %-10s %-8s %8s %5s %-8s %7s %s\n", "ID", "PROGRAM",
	    "STATE", "UPTIME", "MEM", "OWNER", "PARENT", "ARGS");
	for (i = 0; i < n; i++) {
		fleet_ps_uptime(now - l[i].start_time, up, sizeof(up));
		owner_name(l[i].owner_uid, owner, sizeof(owner));
		snprintf(mem, sizeof(mem), "%uM", l[i].mem_mib);
		fprintf(f, "%-24s %-10s %-8s %8s %5s %-8s %7ld ", l[i].id,
		    l[i].program, fleet_state_name(l[i].state), up, mem, owner,
		    l[i].parent_pid);
		print_args(f, l[i].argv);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (*s < 0x80)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void
fleet_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k;

	fputc('"', f);
	while (*s != '\0') {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s < 0x20 || *s == 0x7f || (k = utf8_len(s)) == 0)
			fprintf(f, "\\u%04x", *s);
		else {
			fwrite(s, 1, k, f);
			s += k;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

static void
json_argv(FILE *f, char *const *argv)
{
	size_t i;

	fputc('[', f);
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			fputs(", ", f);
		fleet_json_string(f, argv[i]);
	}
	fputc(']', f);
}

static void
json_one(FILE *f, const struct fleet_proc_info *p, int64_t now)
{
	fputs("  {\"id\": ", f);
	fleet_json_string(f, p->id);
	fputs(", \"program\": ", f);
	fleet_json_string(f, p->program);
	fprintf(f, ", \"state\": \"%s\", \"start_time\": %" PRId64
	    ", \"uptime\": %" PRId64 ", \"mem_mib\": %u, \"owner_uid\": %u"
	    ", \"parent_pid\": %ld, \"detached\": %s, \"image\": ",
	    fleet_state_name(p->state), p->start_time, now - p->start_time,
	    p->mem_mib, p->owner_uid, p->parent_pid,
	    p->detached ? "true" : "false");
	if (p->image != NULL)
		fleet_json_string(f, p->image);
	else
		fputs("null", f);
	fputs(", \"argv\": ", f);
	json_argv(f, p->argv);
	fputc('}', f);
}

int
fleet_ps_json(FILE *f, const struct fleet_proc_info *l, size_t n,
    int64_t now)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n" : "\n", f);
		json_one(f, &l[i], now);
	}
	fputs(n > 0 ? "\n]\n" : "]\n", f);
	return ferror(f) ? -1 : 0;
}
