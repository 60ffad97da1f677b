#ifndef FLEETRT_STDIO_H
#define FLEETRT_STDIO_H

#include <stdarg.h>
#include "_types.h"

#define EOF	(-1)
#define BUFSIZ	4096
#define _IOFBF	0
#define _IOLBF	1
#define _IONBF	2

typedef struct fleetrt_file FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

int	 fputc(int, FILE *);
int	 putc(int, FILE *);
int	 putchar(int);
int	 fputs(const char *restrict, FILE *restrict);
int	 puts(const char *);
size_t	 fwrite(const void *restrict, size_t, size_t, FILE *restrict);
int	 fgetc(FILE *);
int	 getc(FILE *);
int	 getchar(void);
int	 ungetc(int, FILE *);
char	*fgets(char *restrict, int, FILE *restrict);
size_t	 fread(void *restrict, size_t, size_t, FILE *restrict);
int	 fflush(FILE *);
int	 feof(FILE *);
int	 ferror(FILE *);
void	 clearerr(FILE *);
int	 fileno(FILE *);
int	 setvbuf(FILE *restrict, char *restrict, int, size_t);

int	 printf(const char *restrict, ...)
	     __attribute__((format(printf, 1, 2)));
int	 fprintf(FILE *restrict, const char *restrict, ...)
	     __attribute__((format(printf, 2, 3)));
int	 sprintf(char *restrict, const char *restrict, ...)
	     __attribute__((format(printf, 2, 3)));
int	 snprintf(char *restrict, size_t, const char *restrict, ...)
	     __attribute__((format(printf, 3, 4)));
int	 vprintf(const char *restrict, va_list);
int	 vfprintf(FILE *restrict, const char *restrict, va_list);
int	 vsprintf(char *restrict, const char *restrict, va_list);
int	 vsnprintf(char *restrict, size_t, const char *restrict, va_list);
void	 perror(const char *);

#endif
