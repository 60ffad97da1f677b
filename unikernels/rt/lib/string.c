/* string.h, for the kernel */
#include <stdint.h>
#include <string.h>
#include <ctype.h>

typedef uint32_t __attribute__((may_alias, aligned(1))) word;

/* Words, 32 bytes a turn: under TCG each step of a `rep movsb` is a
 * translation block of its own; `fleet-run yes | head -c 64M` took half
 * the time once its copies went by words. */
void *
memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	word *dw;
	const word *sw;

	for (; n > 0 && ((uintptr_t)dp & 3) != 0; n--)
		*dp++ = *sp++;
	dw = (word *)dp;
	sw = (const word *)sp;
	for (; n >= 32; n -= 32, dw += 8, sw += 8) {
		dw[0] = sw[0]; dw[1] = sw[1]; dw[2] = sw[2]; dw[3] = sw[3];
		dw[4] = sw[4]; dw[5] = sw[5]; dw[6] = sw[6]; dw[7] = sw[7];
	}
	for (; n >= 4; n -= 4)
		*dw++ = *sw++;
	dp = (unsigned char *)dw;
	sp = (const unsigned char *)sw;
	while (n-- > 0)
		*dp++ = *sp++;
	return d;
}

void *
memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n-- > 0)
		dp[n] = sp[n];
	return d;
}

void *
memset(void *d, int c, size_t n)
{
	void *ret = d;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

void *
memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	while (n-- > 0)
		if (p[n] == (unsigned char)c)
			return (void *)(p + n);
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++)
		if (*a != *b || *a == '\0')
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

int
strcasecmp(const char *a, const char *b)
{
	while (*a != '\0' && tolower((unsigned char)*a) ==
	    tolower((unsigned char)*b))
		a++, b++;
	return tolower((unsigned char)*a) - tolower((unsigned char)*b);
}

int
strncasecmp(const char *a, const char *b, size_t n)
{
	int d;

	for (; n > 0; n--, a++, b++) {
		d = tolower((unsigned char)*a) - tolower((unsigned char)*b);
		if (d != 0 || *a == '\0')
			return d;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

char *
strcpy(char *restrict d, const char *restrict s)
{
	return memcpy(d, s, strlen(s) + 1);
}

char *
strncpy(char *restrict d, const char *restrict s, size_t n)
{
	size_t k = strnlen(s, n);

	memcpy(d, s, k);
	memset(d + k, 0, n - k);
	return d;
}

size_t
strlcpy(char *restrict d, const char *restrict s, size_t n)
{
	size_t len = strlen(s);

	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;
		memcpy(d, s, k);
		d[k] = '\0';
	}
	return len;
}

char *
strcat(char *restrict d, const char *restrict s)
{
	strcpy(d + strlen(d), s);
	return d;
}

char *
strncat(char *restrict d, const char *restrict s, size_t n)
{
	char *e = d + strlen(d);
	size_t k = strnlen(s, n);

	memcpy(e, s, k);
	e[k] = '\0';
	return d;
}

char *
strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h != '\0' || len == 0; h++)
		if (strncmp(h, n, len) == 0)
			return (char *)h;
	return NULL;
}

size_t
strspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] != '\0' && strchr(set, s[n]) != NULL)
		n++;
	return n;
}

size_t
strcspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] != '\0' && strchr(set, s[n]) == NULL)
		n++;
	return n;
}

char *
strpbrk(const char *s, const char *set)
{
	s += strcspn(s, set);
	return *s != '\0' ? (char *)s : NULL;
}

char *
strtok_r(char *restrict s, const char *restrict sep, char **restrict save)
{
	char *tok;

	if (s == NULL)
		s = *save;
	s += strspn(s, sep);
	if (*s == '\0') {
		*save = s;
		return NULL;
	}
	tok = s;
	s += strcspn(s, sep);
	if (*s != '\0')
		*s++ = '\0';
	*save = s;
	return tok;
}

char *
strtok(char *restrict s, const char *restrict sep)
{
	static char *save;

	return strtok_r(s, sep, &save);
}
