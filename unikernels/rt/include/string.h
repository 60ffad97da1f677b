#ifndef FLEETRT_STRING_H
#define FLEETRT_STRING_H

#include <stddef.h>

void	*memcpy(void *restrict, const void *restrict, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);
void	*memrchr(const void *, int, size_t);
size_t	 strlen(const char *);
size_t	 strnlen(const char *, size_t);
int	 strcmp(const char *, const char *);
int	 strncmp(const char *, const char *, size_t);
int	 strcasecmp(const char *, const char *);
int	 strncasecmp(const char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
char	*strcpy(char *restrict, const char *restrict);
char	*strncpy(char *restrict, const char *restrict, size_t);
size_t	 strlcpy(char *restrict, const char *restrict, size_t);
char	*strcat(char *restrict, const char *restrict);
char	*strncat(char *restrict, const char *restrict, size_t);
char	*strstr(const char *, const char *);
size_t	 strspn(const char *, const char *);
size_t	 strcspn(const char *, const char *);
char	*strpbrk(const char *, const char *);
char	*strtok_r(char *restrict, const char *restrict, char **restrict);
char	*strtok(char *restrict, const char *restrict);
char	*strerror(int);

#endif
