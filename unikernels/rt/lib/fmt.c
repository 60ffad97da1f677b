/* The printf family's engine: conversions d i u x X o c s p %, flags
 * - + space # 0, width and precision (also *), lengths hh h l ll z j t. */
#include "pure.h"

enum {
	F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_HASH = 8, F_ZERO = 16,
};

enum len { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

struct spec {
	int flags;
	int width;
	int prec;		/* -1: none */
	enum len len;
	char conv;
};

struct out {
	fmt_sink sink;
	void *arg;
	int n;
};

static void
emit(struct out *o, const char *s, size_t n)
{
	if (n > 0)
		o->sink(o->arg, s, n);
	o->n += (int)n;
}

static void
pad(struct out *o, char c, int n)
{
	char buf[16];
	int i;

	for (i = 0; i < 16; i++)
		buf[i] = c;
	for (; n > 0; n -= 16)
		emit(o, buf, n < 16 ? (size_t)n : 16);
}

static size_t
slen(const char *s, int max)
{
	size_t n = 0;

	while ((max < 0 || n < (size_t)max) && s[n] != '\0')
		n++;
	return n;
}

/* Print body (with a sign or prefix) padded to the spec's width. */
static void
field(struct out *o, const struct spec *sp, const char *pre, size_t npre,
    int zeros, const char *body, size_t nbody)
{
	int len = (int)(npre + nbody) + zeros;
	int fill = sp->width > len ? sp->width - len : 0;

	if (!(sp->flags & F_MINUS) && !(sp->flags & F_ZERO))
		pad(o, ' ', fill);
	emit(o, pre, npre);
	if (!(sp->flags & F_MINUS) && (sp->flags & F_ZERO))
		pad(o, '0', fill);
	pad(o, '0', zeros);
	emit(o, body, nbody);
	if (sp->flags & F_MINUS)
		pad(o, ' ', fill);
}

static void
integer(struct out *o, struct spec *sp, unsigned long long v, int neg)
{
	const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" :
	    "0123456789abcdef";
	unsigned base = 10;
	char buf[24], pre[3];
	size_t n = 0, npre = 0;
	int zeros = 0;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	while (v != 0) {
		buf[sizeof(buf) - ++n] = digits[v % base];
		v /= base;
	}
	if (sp->prec < 0 && n == 0)
		buf[sizeof(buf) - ++n] = '0';
	if (sp->prec >= 0) {
		sp->flags &= ~F_ZERO;
		if ((size_t)sp->prec > n)
			zeros = sp->prec - (int)n;
	}
	if (neg)
		pre[npre++] = '-';
	else if (sp->flags & F_PLUS)
		pre[npre++] = '+';
	else if (sp->flags & F_SPACE)
		pre[npre++] = ' ';
	if (sp->flags & F_HASH) {
		if (base == 8 && zeros == 0 &&
		    (n == 0 || buf[sizeof(buf) - n] != '0'))
			zeros = 1;
		else if (base == 16 && n > 0 && buf[sizeof(buf) - n] != '0') {
			pre[npre++] = '0';
			pre[npre++] = sp->conv == 'X' ? 'X' : 'x';
		}
	}
	field(o, sp, pre, npre, zeros, buf + sizeof(buf) - n, n);
}

static long long
sarg(enum len len, va_list *ap)
{
	switch (len) {
	case L_CHAR:
		return (signed char)va_arg(*ap, int);
	case L_SHORT:
		return (short)va_arg(*ap, int);
	case L_LONG:
		return va_arg(*ap, long);
	case L_LLONG:
		return va_arg(*ap, long long);
	case L_SIZE:
	case L_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case L_MAX:
		return va_arg(*ap, intmax_t);
	case L_INT:
		break;
	}
	return va_arg(*ap, int);
}

static unsigned long long
uarg(enum len len, va_list *ap)
{
	switch (len) {
	case L_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case L_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case L_LONG:
		return va_arg(*ap, unsigned long);
	case L_LLONG:
		return va_arg(*ap, unsigned long long);
	case L_SIZE:
	case L_PTRDIFF:
		return va_arg(*ap, size_t);
	case L_MAX:
		return va_arg(*ap, uintmax_t);
	case L_INT:
		break;
	}
	return va_arg(*ap, unsigned);
}

static void
convert(struct out *o, struct spec *sp, va_list *ap)
{
	long long s;
	const char *str;
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		s = sarg(sp->len, ap);
		integer(o, sp, s < 0 ? 0ull - (unsigned long long)s :
		    (unsigned long long)s, s < 0);
		return;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		sp->flags &= ~(F_PLUS | F_SPACE);
		integer(o, sp, uarg(sp->len, ap), 0);
		return;
	case 'p':
		s = (long long)(uintptr_t)va_arg(*ap, void *);
		if (s == 0) {
			sp->prec = -1;
			field(o, sp, "", 0, 0, "(nil)", 5);
			return;
		}
		sp->flags |= F_HASH;
		sp->len = L_SIZE;
		integer(o, sp, (uintptr_t)s, 0);
		return;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->flags &= ~F_ZERO;
		field(o, sp, "", 0, 0, &c, 1);
		return;
	case '%':
		emit(o, "%", 1);
		return;
	case 's':
		str = va_arg(*ap, const char *);
		if (str == NULL)
			str = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
		sp->flags &= ~F_ZERO;
		field(o, sp, "", 0, 0, str, slen(str, sp->prec));
		return;
	}
}

static const char *
flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-': sp->flags |= F_MINUS; break;
		case '+': sp->flags |= F_PLUS; break;
		case ' ': sp->flags |= F_SPACE; break;
		case '#': sp->flags |= F_HASH; break;
		case '0': sp->flags |= F_ZERO; break;
		default: return f;
		}
	}
}

static const char *
number(const char *f, int *v, va_list *ap)
{
	if (*f == '*') {
		*v = va_arg(*ap, int);
		return f + 1;
	}
	*v = 0;
	while (*f >= '0' && *f <= '9')
		*v = *v * 10 + (*f++ - '0');
	return f;
}

static const char *
length(const char *f, enum len *len)
{
	*len = L_INT;
	switch (*f) {
	case 'h':
		*len = f[1] == 'h' ? L_CHAR : L_SHORT;
		return f + (f[1] == 'h' ? 2 : 1);
	case 'l':
		*len = f[1] == 'l' ? L_LLONG : L_LONG;
		return f + (f[1] == 'l' ? 2 : 1);
	case 'z': *len = L_SIZE; return f + 1;
	case 'j': *len = L_MAX; return f + 1;
	case 't': *len = L_PTRDIFF; return f + 1;
	case 'L': *len = L_LLONG; return f + 1;
	}
	return f;
}

static int
known(char c)
{
	const char *p;

	for (p = "diuxXocsp%"; *p != '\0'; p++)
		if (*p == c)
			return 1;
	return 0;
}

/* Parse one %-spec after the '%'; NULL when it is not one we know. */
static const char *
parse(const char *f, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->prec = -1;
	f = flags(f, sp);
	f = number(f, &sp->width, ap);
	if (sp->width < 0) {
		sp->flags |= F_MINUS;
		sp->width = -sp->width;
	}
	if (*f == '.') {
		f = number(f + 1, &sp->prec, ap);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	f = length(f, &sp->len);
	sp->conv = *f;
	if (*f == '\0' || !known(*f))
		return NULL;
	return f + 1;
}

int
fmt_vformat(fmt_sink sink, void *arg, const char *f, va_list ap0)
{
	struct out o = { sink, arg, 0 };
	struct spec sp;
	const char *p, *next;
	va_list ap;

	va_copy(ap, ap0);
	while (*f != '\0') {
		for (p = f; *p != '\0' && *p != '%'; p++)
			;
		emit(&o, f, (size_t)(p - f));
		if (*p == '\0')
			break;
		if (p[1] == '%') {
			emit(&o, "%", 1);
			f = p + 2;
			continue;
		}
		if ((next = parse(p + 1, &sp, &ap)) == NULL) {
			emit(&o, p, 1);
			f = p + 1;
			continue;
		}
		convert(&o, &sp, &ap);
		f = next;
	}
	va_end(ap);
	return o.n;
}

struct sbuf {
	char *buf;
	size_t len, n;
};

static void
sbuf_put(void *arg, const char *s, size_t n)
{
	struct sbuf *b = arg;

	while (n-- > 0) {
		if (b->n + 1 < b->len)
			b->buf[b->n] = *s;
		b->n++;
		s++;
	}
}

int
fmt_vsnprintf(char *buf, size_t len, const char *f, va_list ap)
{
	struct sbuf b = { buf, len, 0 };
	int n;

	n = fmt_vformat(sbuf_put, &b, f, ap);
	if (len > 0)
		buf[b.n < len ? b.n : len - 1] = '\0';
	return n;
}

int
fmt_snprintf(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_vsnprintf(buf, len, f, ap);
	va_end(ap);
	return n;
}
