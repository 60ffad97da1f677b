/* The runtime's pure parts: no hardware, no libc, so the host tests
 * compile the very same files (tests/rt). */
#ifndef FLEETRT_PURE_H
#define FLEETRT_PURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* fmt.c: printf-style formatting into a sink */
typedef void (*fmt_sink)(void *, const char *, size_t);
int	fmt_vformat(fmt_sink, void *, const char *, va_list);
int	fmt_vsnprintf(char *, size_t, const char *, va_list);
int	fmt_snprintf(char *, size_t, const char *, ...);

/* cmdline.c: the kernel command line (docs/protocol.md section 2) */
struct cmdline {
	int argc;
	char **argv;		/* argc words, then NULL */
	int nset;
	char **set;		/* fleet.KEY=VALUE words, undecoded */
	int dashdash;		/* 1 if the `--` was there */
};
int	cmdline_parse(char *, char **, int, struct cmdline *, char *, size_t);
int	cmdline_decode(char *, int, char *, size_t);
int	cmdline_hex(char);	/* a hex digit's value, or -1 */

/* heap.c: first-fit allocator over one arena */
void	heap_init(void *, size_t);
void	*heap_alloc(size_t);
void	heap_free(void *);
void	*heap_realloc(void *, size_t);
size_t	heap_check(void);

#endif
