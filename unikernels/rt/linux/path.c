/*
 * The caller's tree appears at its host path (`fleet.cwd`), which is
 * also the program's first working directory: `pwd` and absolute names
 * read as on the host. Its ancestors are empty directories; all else
 * but the runtime's own files does not exist. `..` is taken by name,
 * as a shell's `cd` takes it, not through symbolic links.
 */
#include "linux.h"
#include "path.h"

static char tree[PATH_MAX] = "";	/* "": no files */
static char cwd[PATH_MAX] = "/";
static size_t tree_len;

void
path_init(void)
{
	const char *v = rt_setting("cwd");
	char err[64];

	if (v == NULL || v[0] != '/' || strlen(v) >= sizeof(tree))
		return;
	memcpy(tree, v, strlen(v) + 1);
	if (cmdline_decode(tree, 0, err, sizeof(err)) < 0 ||
	    path_join("/", tree, tree) < 0) {
		tree[0] = '\0';
		return;
	}
	tree_len = strcmp(tree, "/") == 0 ? 0 : strlen(tree);
	memcpy(cwd, tree, strlen(tree) + 1);
}

/* Where the tree is ("" for none). */
const char *
path_tree(void)
{
	return tree;
}

const char *
path_cwd(void)
{
	return cwd;
}

int
path_set_cwd(const char *abs)
{
	if (strlen(abs) >= sizeof(cwd))
		return -ENAMETOOLONG;
	memcpy(cwd, abs, strlen(abs) + 1);
	return 0;
}

/* base (absolute) and p joined into out, without `.`, `..` or `//`.
 * out may be base. */
int
path_join(const char *base, const char *p, char *out)
{
	char buf[PATH_MAX];
	size_t n = 0, k;
	const char *s, *e;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (s = pass == 0 ? (p[0] == '/' ? "" : base) : p; *s;
		    s = e) {
			while (*s == '/')
				s++;
			for (e = s; *e != '\0' && *e != '/'; e++)
				;
			k = (size_t)(e - s);
			if (k == 0 || (k == 1 && s[0] == '.'))
				continue;
			if (k == 2 && s[0] == '.' && s[1] == '.') {
				while (n > 0 && buf[--n] != '/')
					;
				continue;
			}
			if (k > NAME_MAX)
				return -ENAMETOOLONG;
			if (n + 1 + k >= sizeof(buf))
				return -ENAMETOOLONG;
			buf[n++] = '/';
			memcpy(buf + n, s, k);
			n += k;
		}
	}
	if (n == 0)
		buf[n++] = '/';
	buf[n] = '\0';
	memcpy(out, buf, n + 1);
	return 0;
}

/* Where abs is; in the tree, *rel is its path from the tree's root
 * ("" for the root itself). */
enum place
path_place(const char *abs, const char **rel)
{
	size_t n = strlen(abs);

	if (tree[0] == '\0')
		return ELSEWHERE;
	if (strncmp(abs, tree, tree_len) == 0 &&
	    (abs[tree_len] == '\0' || abs[tree_len] == '/')) {
		*rel = abs + tree_len + (abs[tree_len] == '/');
		return IN_TREE;
	}
	if (strncmp(tree, abs, n) == 0 && (n == 1 || tree[n] == '/'))
		return ABOVE_TREE;
	return ELSEWHERE;
}

const char *
path_base(const char *abs)
{
	const char *s = strrchr(abs, '/');

	return s != NULL ? s + 1 : abs;
}

int
path_parent(const char *abs, char *out)
{
	return path_join(abs, "..", out);
}

/* rel's names, split in place; how many, or -ENAMETOOLONG. */
int
path_split(char *rel, const char **names, int max)
{
	int n = 0;
	char *s = rel;

	while (*s != '\0') {
		if (n == max)
			return -ENAMETOOLONG;
		names[n++] = s;
		while (*s != '\0' && *s != '/')
			s++;
		if (*s == '/')
			*s++ = '\0';
	}
	return n;
}
