/* Paths as the program names them, made absolute and plain, and where
 * the caller's tree is in them. */
#ifndef FLEETRT_PATH_H
#define FLEETRT_PATH_H

#define PATH_MAX	4096
#define NAME_MAX	255

enum place { IN_TREE, ABOVE_TREE, ELSEWHERE };

void	path_init(void);
const char *path_cwd(void);
const char *path_tree(void);
int	path_set_cwd(const char *);
int	path_join(const char *, const char *, char *);
enum place path_place(const char *, const char **);
const char *path_base(const char *);
int	path_parent(const char *, char *);
int	path_split(char *, const char **, int);

#endif
