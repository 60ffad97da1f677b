/*
 * words.c: what a spawn tells the guest besides the program: settings
 * (linger, the caller's ids and names, tracing, the network, the
 * directory and its place), the random key, argv and the environment,
 * and where they go (command line, boot module, claim).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "words.h"

#define SETTINGS_MAX		18
#define DETACHED_LINGER_MS	"3000"

/* The caller's user and group names, which the guest's /etc/passwd and
 * /etc/group give (as they are: a name that needs encoding is left out). */
static void
names(struct words *w)
{
	struct passwd *pw = getpwuid(geteuid());
	struct group *gr = getgrgid(getegid());
	char enc[40];

	w->user[0] = w->group[0] = '\0';
	if (pw != NULL && fleet_word_encode(pw->pw_name, enc, sizeof(enc)) ==
	    strlen(pw->pw_name) && strlen(pw->pw_name) < sizeof(enc))
		snprintf(w->user, sizeof(w->user), "fleet.user=%s", enc);
	if (gr != NULL && fleet_word_encode(gr->gr_name, enc, sizeof(enc)) ==
	    strlen(gr->gr_name) && strlen(gr->gr_name) < sizeof(enc))
		snprintf(w->group, sizeof(w->group), "fleet.group=%s", enc);
}

/*
 * fleet.KEY=VALUE settings for the guest: linger, the caller's ids (what
 * getuid() says), tracing, then the network. A detached VM lingers too,
 * for an owner that still reads it (fsh's background jobs), but for a
 * bounded time: its owner may be gone.
 */
static void
guest_settings(const struct fleet_spawn_attr *a, const struct vm_net *net,
    struct words *w, char *set[SETTINGS_MAX])
{
	int n = 0;

	set[n++] = "fleet.linger=1";
	if (a->detached)
		set[n++] = "fleet.lingerms=" DETACHED_LINGER_MS;
	snprintf(w->uid, sizeof(w->uid), "fleet.uid=%u", (unsigned)geteuid());
	snprintf(w->gid, sizeof(w->gid), "fleet.gid=%u", (unsigned)getegid());
	set[n++] = w->uid;
	set[n++] = w->gid;
	if (w->user[0] != '\0')
		set[n++] = w->user;
	if (w->group[0] != '\0')
		set[n++] = w->group;
	if (a->trace)
		set[n++] = "fleet.strace=1";
	if (w->files != NULL)
		set[n++] = "fleet.9p=1";
	n += vmnet_settings(net, set + n);
	set[n] = NULL;
}

/* The caller's umask, which the guest's new files honour. */
static unsigned
caller_umask(void)
{
	char line[64];
	unsigned m = 022;
	FILE *f = fopen("/proc/self/status", "re");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return m & 0777;
}

/* What `..` of the directory is on the host, for `ls -la`. */
static void
updir_setting(struct words *w)
{
	char *parent = malloc(strlen(w->files) + 4);
	struct stat st;

	w->updir[0] = '\0';
	if (parent == NULL)
		return;
	sprintf(parent, "%s/..", w->files);
	if (strcmp(w->files, "/") != 0 && stat(parent, &st) == 0)
		snprintf(w->updir, sizeof(w->updir), "fleet.updir=%o,%u,%u,"
		    "%llu,%lld,%lld,%llu", (unsigned)st.st_mode,
		    (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned long long)st.st_nlink, (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec,
		    (unsigned long long)st.st_ino);
	free(parent);
}

/*
 * The directory the VM works in (a->dir, else ours), as the host names
 * it: the guest shows it at that path, on that device.
 */
static int
files_init(struct words *w, const struct fleet_spawn_attr *a)
{
	const char *dir = a->dir != NULL ? a->dir : ".";
	struct stat st;
	size_t n;

	/* -EINVAL: a bad argument, not a program that is not there */
	if ((w->files = realpath(dir, NULL)) == NULL)
		return fleet_seterr(-EINVAL, "directory %s: %s", dir,
		    strerror(errno));
	if (stat(w->files, &st) == -1 || !S_ISDIR(st.st_mode))
		return fleet_seterr(-EINVAL, "directory %s: not a directory",
		    dir);
	w->files_ro = a->files_ro;
	n = fleet_word_encode(w->files, NULL, 0) + sizeof("fleet.cwd=");
	if ((w->cwd = malloc(n)) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	memcpy(w->cwd, "fleet.cwd=", 10);
	fleet_word_encode(w->files, w->cwd + 10, n - 10);
	snprintf(w->dev, sizeof(w->dev), "fleet.dev=%llu",
	    (unsigned long long)st.st_dev);
	snprintf(w->umask, sizeof(w->umask), "fleet.umask=%03o",
	    caller_umask());
	updir_setting(w);
	return 0;
}

int
words_init(struct words *w, const struct fleet_spawn_attr *a,
    const char *image)
{
	uint64_t span;
	int r;

	memset(w, 0, sizeof(*w));
	if ((r = image_classify(image, &span)) < 0)
		return r;
	w->kind = r;
	if (w->kind == IMAGE_NATIVE)
		return 0;
	names(w);
	if ((r = image_runtime(&w->runtime)) < 0)
		return r;
	if (a->envp != NULL)
		w->env = a->envp;
	else if ((w->env = w->env_own = env_default()) == NULL)
		return fleet_seterr(-ENOMEM, "spawn: out of memory");
	return a->no_files ? 0 : files_init(w, a);
}

void
words_free(struct words *w)
{
	free(w->runtime);
	free(w->env_own);
	free(w->files);
	free(w->cwd);
}

/* The VM gets no directory after all (no socket for its file port). */
void
words_no_files(struct words *w)
{
	free(w->files);
	w->files = NULL;
}

/* The words go in a claim's `args` line or ahead of its stdin, not on a
 * kernel command line: longer ones fit. */
void
words_claimed(struct words *w)
{
	w->claimed = 1;
}

/*
 * The key of the guest's random numbers (AT_RANDOM, getrandom), from
 * ours. It goes where only the VM's owner and QEMU read it: the boot
 * module or the claim's `args` line, never the domain XML.
 */
static int
seed_setting(struct words *w)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char key[32];
	size_t i, n = strlen("fleet.seed=");

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return fleet_seterr(-EIO, "spawn: getrandom: %s",
		    strerror(errno));
	memcpy(w->seed, "fleet.seed=", n);
	for (i = 0; i < sizeof(key); i++) {
		w->seed[n++] = hex[key[i] >> 4];
		w->seed[n++] = hex[key[i] & 15];
	}
	w->seed[n] = '\0';
	return 0;
}

/*
 * What the guest is told: settings (linger, the network), argv and the
 * environment. Linger: after its last line the guest halts instead of
 * powering off (runtimes that know `fleet.linger`); libfleet destroys
 * it once it has read everything (a detached VM's owner may not: it
 * powers off by itself after DETACHED_LINGER_MS). A native program has
 * it all on its command line; a Linux program staged in moddir (its
 * VM's directory) has its words after its copy in the boot module, the
 * command line only settings; with no moddir, the program itself is
 * the module and the command line holds everything.
 */
int
words_spec(const struct fleet_spawn_attr *a, const char *image,
    const char *name, const struct vm_net *net, struct words *w,
    const char *moddir, struct vm_spec *s, char *dflt[2])
{
	char *set[SETTINGS_MAX], *secret[6] = { w->seed, w->cwd, w->dev,
	    w->umask, w->updir[0] != '\0' ? w->updir : NULL, NULL };
	char *words = NULL;
	int i, k, r;

	dflt[0] = (char *)a->image;
	dflt[1] = NULL;
	vm_spec_init(s, name, a->image, image);
	s->argv = a->argv != NULL && a->argv[0] != NULL ? a->argv : dflt;
	if (a->mem_mib)
		s->mem_mib = a->mem_mib;
	s->owner_uid = geteuid();
	s->parent_pid = getpid();
	s->detached = a->detached;
	s->net = net;
	guest_settings(a, net, w, set);
	if (w->kind == IMAGE_NATIVE)
		return fleet_cmdline_encode(set, s->argv,
		    (char **)&s->cmdline);
	s->kernel = w->runtime;
	if ((r = seed_setting(w)) < 0)
		return r;
	if (w->files == NULL)
		secret[1] = NULL;
	if (moddir == NULL) {
		for (i = 0; set[i] != NULL; i++)
			;
		for (k = 0; secret[k] != NULL && i + 1 < SETTINGS_MAX; k++)
			set[i++] = secret[k];
		set[i] = NULL;
		s->initrd = image;
		return cmdline_encode_env(set, w->env, s->argv, w->claimed ?
		    PORT_WORDS_MAX : FLEET_CMDLINE_MAX, (char **)&s->cmdline);
	}
	snprintf(w->module, sizeof(w->module), "%s/program", moddir);
	s->initrd = w->module;
	if ((r = cmdline_settings(set, (char **)&s->cmdline)) < 0 ||
	    (r = cmdline_encode_env(secret, w->env, s->argv, FLEET_WORDS_MAX,
	    &words)) < 0)
		return r;
	r = module_stage(w->module, image, words);
	free(words);
	return r;
}

