/* argv.c: percent-encoding of argv for the kernel command line */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fleet/argv.h>
#include "internal.h"

static int
word_safe(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-_.~/,:=+@", c) != NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
fleet_word_encode(const char *word, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)word;
	size_t n = 0;

	if (*s == '\0') {
		if (len > 1)
			buf[n] = '%';
		n = 1;
	}
	for (; *s != '\0'; s++) {
		if (word_safe(*s)) {
			if (n + 1 < len)
				buf[n] = *s;
			n++;
			continue;
		}
		if (n + 3 < len) {
			buf[n] = '%';
			buf[n + 1] = hex[*s >> 4];
			buf[n + 2] = hex[*s & 15];
		}
		n += 3;
	}
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

int
fleet_word_decode(const char *enc, char **wordp)
{
	size_t i, n = 0;
	char *w;
	int hi, lo;

	*wordp = NULL;
	if ((w = malloc(strlen(enc) + 1)) == NULL)
		return -ENOMEM;
	if (strcmp(enc, "%") == 0)
		goto done;
	for (i = 0; enc[i] != '\0'; i++) {
		if (word_safe((unsigned char)enc[i])) {
			w[n++] = enc[i];
			continue;
		}
		if (enc[i] != '%' || (hi = hexval(enc[i + 1])) < 0 ||
		    (lo = hexval(enc[i + 2])) < 0 || (hi | lo) == 0)
			goto bad;
		w[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
done:
	w[n] = '\0';
	*wordp = w;
	return 0;
bad:
	free(w);
	return -EINVAL;
}

struct line {
	char *buf;
	size_t n, max;		/* length so far; the most it may be */
};

static int
line_add(struct line *l, const char *prefix, const char *word, int encode)
{
	size_t need, pre = strlen(prefix);

	if (l->n > 0)
		l->buf[l->n++] = ' ';
	if (l->n + pre > l->max)
		return -E2BIG;
	memcpy(l->buf + l->n, prefix, pre);
	l->n += pre;
	if (encode)
		need = fleet_word_encode(word, l->buf + l->n,
		    l->max + 1 - l->n);
	else {
		need = strlen(word);
		if (l->n + need <= l->max)
			memcpy(l->buf + l->n, word, need + 1);
	}
	if (l->n + need > l->max)
		return -E2BIG;
	l->n += need;
	return 0;
}

static int
setting_valid(const char *s)
{
	if (strncmp(s, "fleet.", 6) != 0 || strchr(s, '=') == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (!word_safe((unsigned char)*s))
			return 0;
	return 1;
}

/* Settings, each of envp as a `fleet.env=` setting, then "--" and the
 * words when argv is not NULL; at most max bytes. */
static int
encode(char *const *settings, char *const *envp, char *const *argv,
    size_t max, char **linep)
{
	struct line l = { NULL, 0, max };
	int r;

	*linep = NULL;
	if ((l.buf = malloc(max + 1)) == NULL)
		return fleet_seterr(-ENOMEM, "cmdline: out of memory");
	if ((r = line_add(&l, "", "fleet.v=1", 0)) < 0)
		goto out;
	for (; settings != NULL && *settings != NULL; settings++) {
		if (!setting_valid(*settings)) {
			r = fleet_seterr(-EINVAL, "cmdline: bad setting '%s'",
			    *settings);
			goto out;
		}
		if ((r = line_add(&l, "", *settings, 0)) < 0)
			goto out;
	}
	for (; envp != NULL && *envp != NULL; envp++)
		if ((r = line_add(&l, "fleet.env=", *envp, 1)) < 0)
			goto out;
	if (argv != NULL && (r = line_add(&l, "", "--", 0)) < 0)
		goto out;
	for (; argv != NULL && *argv != NULL; argv++)
		if ((r = line_add(&l, "", *argv, 1)) < 0)
			goto out;
	l.buf[l.n] = '\0';
	*linep = l.buf;
	return 0;
out:
	free(l.buf);
	if (r == -E2BIG)
		fleet_seterr(r, "arguments and environment longer than %zu "
		    "bytes once encoded", max);
	return r;
}

int
fleet_cmdline_encode(char *const *settings, char *const *argv, char **linep)
{
	*linep = NULL;
	if (argv == NULL || argv[0] == NULL)
		return fleet_seterr(-EINVAL, "cmdline: empty argv");
	return encode(settings, NULL, argv, FLEET_CMDLINE_MAX, linep);
}

/* With an environment, up to max bytes (a boot module's words). */
int
cmdline_encode_env(char *const *settings, char *const *envp,
    char *const *argv, size_t max, char **linep)
{
	*linep = NULL;
	if (argv == NULL || argv[0] == NULL)
		return fleet_seterr(-EINVAL, "cmdline: empty argv");
	return encode(settings, envp, argv, max, linep);
}

/* Pool mode: a command line of settings only, argv to come (2.1). */
int
cmdline_settings(char *const *settings, char **linep)
{
	return encode(settings, NULL, NULL, FLEET_CMDLINE_MAX, linep);
}
