/* guest.c: the lines a fleet runtime says on its control channel */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <fleet/status.h>
#include "guest.h"

static int
counts(const char *fmt, const char *line, struct guest_line *l)
{
	int n = 0;

	return sscanf(line, fmt, &l->value, &l->out, &l->err, &n) == 3 &&
	    line[n] == '\0';
}

int
guest_line_parse(const char *line, struct guest_line *l)
{
	char word[16];
	int n = 0;

	memset(l, 0, sizeof(*l));
	if (strncmp(line, "ready", 5) == 0 &&
	    (line[5] == '\0' || line[5] == ' ')) {
		l->kind = GL_READY;
		l->value = strstr(line + 5, " virtio") != NULL;
		l->again = strstr(line + 5, " again") != NULL;
		return 0;
	}
	if (counts("exit %d %" SCNu64 " %" SCNu64 "%n", line, l) &&
	    l->value >= 0 && l->value <= 255) {
		l->kind = GL_EXIT;
		return 0;
	}
	if (counts("signaled %d %" SCNu64 " %" SCNu64 "%n", line, l) &&
	    l->value > 0 && l->value < 128) {
		l->kind = GL_SIGNALED;
		return 0;
	}
	if (sscanf(line, "want %" SCNu64 "%n", &l->out, &n) == 1 &&
	    line[n] == '\0' && line[5] >= '0' && line[5] <= '9') {
		l->kind = GL_WANT;
		return 0;
	}
	if (sscanf(line, "crash %15s %" SCNu64 " %" SCNu64 "%n", word,
	    &l->out, &l->err, &n) == 3 && line[n] == '\0') {
		l->kind = GL_CRASH;
		snprintf(l->what, sizeof(l->what), "%s", word);
		return 0;
	}
	memset(l, 0, sizeof(*l));
	return -EINVAL;
}

int
guest_line_status(const struct guest_line *l)
{
	switch (l->kind) {
	case GL_EXIT:
		return fleet_status_exited(l->value);
	case GL_SIGNALED:
		return fleet_status_signaled(l->value);
	default:
		return fleet_status_crashed();
	}
}

void
guest_lines_feed(struct guest_lines *g, const char *p, size_t n,
    void (*fn)(void *, const struct guest_line *), void *arg)
{
	struct guest_line l;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (g->len <= GUEST_LINE_MAX)
				g->buf[g->len++] = p[i];
			continue;
		}
		if (g->len > 0 && g->buf[g->len - 1] == '\r')
			g->len--;
		if (g->len <= GUEST_LINE_MAX) {
			g->buf[g->len] = '\0';
			if (guest_line_parse(g->buf, &l) == 0)
				fn(arg, &l);
		}
		g->len = 0;
	}
}
