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

static int
line_add(char *line, size_t *np, const char *word, int encode)
{
	size_t need;

	if (*np > 0)
		line[(*np)++] = ' ';
	if (*np >= FLEET_CMDLINE_MAX + 1)
		return -E2BIG;
	if (encode)
		need = fleet_word_encode(word, line + *np,
		    FLEET_CMDLINE_MAX + 1 - *np);
	else {
		need = strlen(word);
		if (*np + need <= FLEET_CMDLINE_MAX)
			memcpy(line + *np, word, need + 1);
	}
	if (*np + need > FLEET_CMDLINE_MAX)
		return -E2BIG;
	*np += need;
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

/* Settings, then "--" and the words when argv is not NULL. */
static int
encode(char *const *settings, char *const *argv, char **linep)
{
	char *line;
	size_t n = 0;
	int r;

	*linep = NULL;
	if ((line = malloc(FLEET_CMDLINE_MAX + 1)) == NULL)
		return fleet_seterr(-ENOMEM, "cmdline: out of memory");
	if ((r = line_add(line, &n, "fleet.v=1", 0)) < 0)
		goto out;
	for (; settings != NULL && *settings != NULL; settings++) {
		if (!setting_valid(*settings)) {
			r = fleet_seterr(-EINVAL, "cmdline: bad setting '%s'",
			    *settings);
			goto out;
		}
		if ((r = line_add(line, &n, *settings, 0)) < 0)
			goto out;
	}
	if (argv != NULL && (r = line_add(line, &n, "--", 0)) < 0)
		goto out;
	for (; argv != NULL && *argv != NULL; argv++)
		if ((r = line_add(line, &n, *argv, 1)) < 0)
			goto out;
	line[n] = '\0';
	*linep = line;
	return 0;
out:
	free(line);
	if (r == -E2BIG)
		fleet_seterr(r, "cmdline: arguments longer than %d bytes "
		    "once encoded", FLEET_CMDLINE_MAX);
	return r;
}

int
fleet_cmdline_encode(char *const *settings, char *const *argv, char **linep)
{
	*linep = NULL;
	if (argv == NULL || argv[0] == NULL)
		return fleet_seterr(-EINVAL, "cmdline: empty argv");
	return encode(settings, argv, linep);
}

/* Pool mode: a command line of settings only, argv to come (2.1). */
int
cmdline_settings(char *const *settings, char **linep)
{
	return encode(settings, NULL, linep);
}
