/* bi.h: the builtins that are programs elsewhere (echo, printf, test),
 * run in the shell for speed; each as POSIX and dash define it. */
#ifndef FSH_BI_H
#define FSH_BI_H

struct shell;

int bi_echo(struct shell *sh, int argc, char **argv);
int bi_printf(struct shell *sh, int argc, char **argv);
int bi_test(struct shell *sh, int argc, char **argv);

#endif
