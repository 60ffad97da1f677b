/* guest.h: what a fleet runtime says on its control channel */
#ifndef FLEET_GUEST_H
#define FLEET_GUEST_H

#include <stdint.h>

/* A guest says `ready` about 0.1 s after its start under TCG: one that
 * has not in this long never will (too little memory, not a fleet
 * runtime), and what is sent to it is lost. */
#define READY_BOUND_S	10
#define GUEST_LINE_MAX	256

/* docs/protocol.md, section 4 */
struct guest_line {
	enum { GL_READY, GL_EXIT, GL_SIGNALED, GL_CRASH, GL_WANT } kind;
	int value;		/* GL_READY: 1 if `virtio` was said */
	int again;		/* GL_READY: `again` was said (recyclable) */
	char what[16];
	uint64_t out, err;	/* GL_WANT: out, the stdin it may take */
};

int	guest_line_parse(const char *line, struct guest_line *l);
/* The waitpid-style status a final line means. */
int	guest_line_status(const struct guest_line *l);

/* Lines split out of a byte stream, longer ones dropped. */
struct guest_lines {
	char buf[GUEST_LINE_MAX + 1];
	size_t len;
};
/* Feed n bytes; for each whole line that parses, fn(arg, line). */
void	guest_lines_feed(struct guest_lines *g, const char *p, size_t n,
	    void (*fn)(void *, const struct guest_line *), void *arg);

#endif
