/* alias.h: the shell's aliases, read by the parser in command position */
#ifndef FSH_ALIAS_H
#define FSH_ALIAS_H

/* NAME's text, or NULL: owned by the table, valid until it changes. */
const char *alias_get(const char *name);
int alias_set(const char *name, const char *value);
/* 0, or -1 if there was no such alias */
int alias_unset(const char *name);
void alias_clear(void);
/* Each as `alias` prints it: name='value', in the order of names. */
void alias_print_all(void);
int alias_print(const char *name);

#endif
