/* argv.h: argv on the kernel command line (docs/protocol.md, section 2) */
#ifndef FLEET_ARGV_H
#define FLEET_ARGV_H

#include <stddef.h>

/* The longest encoded command line the runtime accepts, NUL excluded. */
#define FLEET_CMDLINE_MAX 4095

/*
 * Percent-encode one word into buf (at most len bytes, NUL included).
 * Returns the length it needed, NUL excluded, like snprintf.
 */
size_t fleet_word_encode(const char *word, char *buf, size_t len);

/*
 * Decode one encoded word. On success *wordp is a malloc'd string the
 * caller frees. -EINVAL if the word is malformed or decodes to a NUL byte.
 */
int fleet_word_decode(const char *enc, char **wordp);

/*
 * Build "fleet.v=1 [SETTING ...] -- WORD0 WORD1 ...". settings (may be
 * NULL) are "fleet.KEY=VALUE" words, NULL-terminated, used as given.
 * *linep is malloc'd; the caller frees it. -E2BIG beyond
 * FLEET_CMDLINE_MAX, -EINVAL for an empty argv or a bad setting.
 */
int fleet_cmdline_encode(char *const *settings, char *const *argv,
    char **linep);

#endif
