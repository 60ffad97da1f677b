/* fleet-run: run one unikernel VM as a command */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fleet/fleet.h>
#include <fleet/status.h>

#define EXIT_RUNFAIL	125
#define EXIT_NOEXEC	126
#define EXIT_NOTFOUND	127

static const char *prog = "fleet-run";

static const struct option longopts[] = {
	{ "memory", required_argument, NULL, 'm' },
	{ "detach", no_argument, NULL, 'd' },
	{ "env", required_argument, NULL, 'e' },
	{ "strace", no_argument, NULL, 's' },
	{ "directory", required_argument, NULL, 'C' },
	{ "ro", no_argument, NULL, 'r' },
	{ "no-files", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-ds] [-C DIR] [--ro] [--no-files] "
	    "[-e NAME=VALUE]... [-m MEM]\n       IMAGE [ARG...]\n"
	    "  -m, --memory MEM  guest memory (MiB, or with M/G; default 16,\n"
	    "                    128 for a Linux program)\n"
	    "  -d, --detach      leave the VM running and print its id\n"
	    "  -e, --env NAME=VALUE  set NAME in the program's environment\n"
	    "                    (NAME alone: unset it)\n"
	    "  -s, --strace      the runtime logs each system call of a Linux\n"
	    "                    program to stderr\n"
	    "  -C, --directory DIR  the directory the program works in\n"
	    "                    (default: this one), with your rights\n"
	    "      --ro          it may read the directory, not change it\n"
	    "      --no-files    no directory at all\n"
	    "  -h, --help        this help\n"
	    "  -V, --version     print the version\n", prog);
}

static int
fail(int err)
{
	fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
	if (err == -ENOENT)
		return EXIT_NOTFOUND;
	if (err == -ENOEXEC || err == -EACCES || err == -E2BIG)
		return EXIT_NOEXEC;
	return EXIT_RUNFAIL;
}

static void
signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGCONT);
}

/*
 * What the signal thread acts on: while the VM is being made, a signal
 * interrupts the spawn (fleet-run then ends as if killed by it); once it
 * runs, signals reach the VM as a shell's would reach a process.
 */
static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;
static fleet_conn *sig_conn;
static fleet_proc *sig_proc;
static int sig_caught;

static void
deliver(int sig)
{
	pthread_mutex_lock(&sig_lock);
	if (sig_proc == NULL && sig != SIGTSTP && sig != SIGCONT &&
	    sig != SIGQUIT) {
		if (sig_caught == 0)
			sig_caught = sig;
		if (sig_conn != NULL)
			fleet_conn_interrupt(sig_conn);
		else
			_exit(128 + sig);	/* nothing made yet */
	} else if (sig_proc != NULL && sig == SIGTSTP) {
		fleet_proc_kill(sig_proc, SIGSTOP);
		kill(getpid(), SIGSTOP);
	} else if (sig_proc != NULL)
		fleet_proc_kill(sig_proc, sig);
	pthread_mutex_unlock(&sig_lock);
}

/* The one thread that takes signals (the others block them). */
static void *
signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig;

	for (;;)
		if (sigwait(set, &sig) == 0)
			deliver(sig);
	return NULL;
}

/* What the signal thread acts on from now; the signal it caught so far
 * while no VM was there, or 0. */
static int
hand_over(fleet_conn *c, fleet_proc *p)
{
	int sig;

	pthread_mutex_lock(&sig_lock);
	sig_conn = c;
	sig_proc = p;
	sig = sig_caught;
	pthread_mutex_unlock(&sig_lock);
	return sig;
}

static void
report(const char *image, fleet_proc *p, int status)
{
	const char *what = fleet_proc_crash(p);
	char buf[64];

	if (!WIFSIGNALED(status) || !WCOREDUMP(status))
		return;
	fleet_status_format(status, buf, sizeof(buf));
	if (what != NULL && (strcmp(what, "exec") == 0 ||
	    strcmp(what, "oom") == 0))
		fprintf(stderr, "%s: %s: %s: %s\n", prog, image, buf,
		    strcmp(what, "oom") == 0 ? "out of memory" :
		    "the program could not be loaded");
	else if (what != NULL)
		fprintf(stderr, "%s: %s: %s: CPU fault %s\n", prog, image, buf,
		    what);
	else
		fprintf(stderr, "%s: %s: %s: the VM stopped without an exit "
		    "status\n", prog, image, buf);
}

static int
run(fleet_conn *c, struct fleet_spawn_attr *a)
{
	fleet_proc *p;
	int r, status, sig;

	hand_over(c, NULL);
	if ((r = fleet_spawn(c, a, &p)) < 0) {
		sig = hand_over(c, NULL);
		return sig != 0 ? 128 + sig : fail(r);
	}
	if (a->detached) {
		printf("%s\n", fleet_proc_id(p));
		fleet_proc_free(p);
		return 0;
	}
	if ((sig = hand_over(c, p)) != 0)	/* it came as the spawn ended */
		fleet_proc_kill(p, sig);
	if ((r = fleet_proc_wait(p, &status, -1)) < 0)
		return fail(r);
	report(a->image, p, status);
	return fleet_status_exit_code(status);
}

int
main(int argc, char **argv)
{
	struct fleet_spawn_attr a = { .stdin_fd = 0, .stdout_fd = 1,
	    .stderr_fd = 2 };
	fleet_conn *c;
	sigset_t set;
	pthread_t t;
	char **extra = calloc((size_t)argc, sizeof(*extra)), **env = NULL;
	int ch, r, nextra = 0;

	if (extra == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_RUNFAIL;
	}
	while ((ch = getopt_long(argc, argv, "+m:de:sC:hV", longopts, NULL)) != -1)
		switch (ch) {
		case 'm':
			if (fleet_mem_parse(optarg, &a.mem_mib) < 0) {
				fprintf(stderr, "%s: bad memory size '%s'\n",
				    prog, optarg);
				return 2;
			}
			break;
		case 'd':
			a.detached = 1;
			break;
		case 'e':
			extra[nextra++] = optarg;
			break;
		case 's':
			a.trace = 1;
			break;
		case 'C':
			a.dir = optarg;
			break;
		case 'r':
			a.files_ro = 1;
			break;
		case 'n':
			a.no_files = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, FLEET_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	a.image = argv[optind];
	a.argv = argv + optind;
	if (nextra > 0) {
		if (fleet_env_with(NULL, extra, &env) < 0) {
			fprintf(stderr, "%s: %s\n", prog, fleet_last_error());
			return 2;
		}
		a.envp = env;
	}
	if (a.detached)
		a.stdin_fd = a.stdout_fd = a.stderr_fd = -1;
	signal(SIGPIPE, SIG_IGN);
	signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&t, NULL, signal_thread, &set);
	pthread_detach(t);
	if ((r = fleet_open(&c, NULL)) < 0)
		return fail(r);
	r = run(c, &a);
	hand_over(NULL, NULL);
	fflush(stdout);
	fleet_close(c);
	fleet_env_free(env);
	free(extra);
	return r;
}
