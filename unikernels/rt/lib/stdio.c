/* stdio over fds 0, 1, 2: stdout fully buffered (flushed at exit and
 * before stdin blocks), stderr unbuffered, stdin read in chunks. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pure.h"
#include "rt.h"

struct fleetrt_file {
	int fd;
	int mode;		/* _IOFBF, _IOLBF, _IONBF */
	int eof, err;
	unsigned char *buf;
	size_t pos, len, cap;	/* read: buf[pos..len); write: buf[0..len) */
};

static unsigned char inbuf[BUFSIZ], outbuf[BUFSIZ];
static struct fleetrt_file files[3] = {
	{ 0, _IOFBF, 0, 0, inbuf, 0, 0, sizeof(inbuf) },
	{ 1, _IOFBF, 0, 0, outbuf, 0, 0, sizeof(outbuf) },
	{ 2, _IONBF, 0, 0, NULL, 0, 0, 0 },
};
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

int
fflush(FILE *f)
{
	if (f == NULL)
		f = stdout;
	if (f->fd == 0 || f->len == 0)
		return 0;
	write(f->fd, f->buf, f->len);
	f->len = 0;
	return 0;
}

void
rt_stdio_flush(void)
{
	fflush(stdout);
}

size_t
fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	size_t total = size * n;

	if (total == 0)
		return 0;
	if (f->mode == _IONBF || total >= f->cap) {
		fflush(f);
		write(f->fd, p, total);
		return n;
	}
	if (f->len + total > f->cap)
		fflush(f);
	memcpy(f->buf + f->len, p, total);
	f->len += total;
	if (f->mode == _IOLBF && memchr(p, '\n', total) != NULL)
		fflush(f);
	return n;
}

int
fputc(int c, FILE *f)
{
	unsigned char b = (unsigned char)c;

	if (f->mode != _IONBF && f->len < f->cap && (f->mode == _IOFBF ||
	    b != '\n')) {
		f->buf[f->len++] = b;
		return b;
	}
	fwrite(&b, 1, 1, f);
	return b;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int
fputs(const char *restrict s, FILE *restrict f)
{
	fwrite(s, 1, strlen(s), f);
	return 0;
}

int
puts(const char *s)
{
	fputs(s, stdout);
	fputc('\n', stdout);
	return 0;
}

static int
refill(FILE *f)
{
	ssize_t n;

	if (f->eof)
		return -1;
	if ((n = read(f->fd, f->buf, f->cap)) <= 0) {
		f->eof = 1;
		return -1;
	}
	f->pos = 0;
	f->len = (size_t)n;
	return 0;
}

int
fgetc(FILE *f)
{
	if (f->pos == f->len && refill(f) == -1)
		return EOF;
	return f->buf[f->pos++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

int
ungetc(int c, FILE *f)
{
	if (c == EOF || f->pos == 0)
		return EOF;
	f->buf[--f->pos] = (unsigned char)c;
	f->eof = 0;
	return c;
}

char *
fgets(char *restrict s, int size, FILE *restrict f)
{
	int i = 0, c = 0;

	while (i + 1 < size && c != '\n' && (c = fgetc(f)) != EOF)
		s[i++] = (char)c;
	if (i == 0 || size <= 0)
		return NULL;
	s[i] = '\0';
	return s;
}

size_t
fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	unsigned char *d = p;
	size_t want = size * n, got = 0, k;
	ssize_t r;

	if (want == 0)
		return 0;
	while (got < want) {
		if (f->pos < f->len) {
			k = f->len - f->pos < want - got ? f->len - f->pos :
			    want - got;
			memcpy(d + got, f->buf + f->pos, k);
			f->pos += k;
			got += k;
		} else if (want - got >= f->cap) {
			if (f->eof || (r = read(f->fd, d + got, want - got)) <= 0)
				break;
			got += (size_t)r;
		} else if (refill(f) == -1)
			break;
	}
	if (got < want)
		f->eof = 1;
	return got / size;
}

int feof(FILE *f) { return f->eof; }
int ferror(FILE *f) { return f->err; }
void clearerr(FILE *f) { f->eof = f->err = 0; }
int fileno(FILE *f) { return f->fd; }

int
setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (f->fd == 0)
		return -1;
	fflush(f);
	f->mode = f->buf == NULL ? _IONBF : mode;
	return 0;
}

static void
file_put(void *arg, const char *s, size_t n)
{
	fwrite(s, 1, n, arg);
}

int
vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	return fmt_vformat(file_put, f, fmt, ap);
}

int
fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int
vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int
printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int
vsnprintf(char *restrict buf, size_t len, const char *restrict fmt,
    va_list ap)
{
	return fmt_vsnprintf(buf, len, fmt, ap);
}

int
snprintf(char *restrict buf, size_t len, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int
vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return fmt_vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int
sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

void
perror(const char *s)
{
	extern int errno;
	extern char *strerror(int);

	if (s != NULL && *s != '\0')
		fprintf(stderr, "%s: ", s);
	fprintf(stderr, "%s\n", strerror(errno));
}
