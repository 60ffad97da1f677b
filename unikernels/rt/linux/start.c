/*
 * main() of the x86-64 kernel: kern/main.c has decoded argv; the
 * environment comes from `fleet.env=NAME=VALUE` settings (the value
 * percent-encoded). Load the program from the boot module, lay out its
 * stack and enter it in ring 3.
 */
#include "linux.h"
#include "fs9p.h"
#include "path.h"
#include "file.h"

#define ENV_MAX		1024

const char *progname;
static char *envp[ENV_MAX + 1];

/* The free memory past the kernel and the module: the program's. */
void
rt_memory_init(void *base, size_t len)
{
	frames_init(virt_to_phys(base), virt_to_phys(base) + len);
}

static void
environment(void)
{
	char err[96];
	int i, n = rt_settings("env", envp, ENV_MAX);

	for (i = 0; i < n; i++)
		if (cmdline_decode(envp[i], i, err, sizeof(err)) < 0)
			rt_crash("exec", "fleetrt: malformed environment: "
			    "%s\n", err);
	envp[n] = NULL;
}

static void
name_exe(void)
{
	const char *v = rt_setting("exe"), *base = progname;
	const char *s;

	for (s = progname; *s != '\0'; s++)
		if (*s == '/')
			base = s + 1;
	fmt_snprintf(exe_path, sizeof(exe_path), "%s%s",
	    v != NULL ? "" : "/bin/", v != NULL ? v : base);
}

/* The module's frames, copied out of, go to the program (its words,
 * argv and envp, are on the program's stack by then); a VM that may
 * be recycled keeps them as they are. */
static void
free_module(void)
{
	uintptr_t a = (rt_boot.module + 4095) & ~(uintptr_t)4095;
	uintptr_t end = (rt_boot.module + rt_boot.module_len) &
	    ~(uintptr_t)4095;

	if (rt_recyclable())
		return;
	for (; a < end; a += 4096)
		frame_free(a);
}

/*
 * The caller's directory, when the host serves it (fleet.cwd, on the
 * port that fleet.9p=1 says is there); without it the program has only
 * the runtime's files.
 */
static void
files_init(void)
{
	int r;

	if (rt_setting("cwd") == NULL)
		return;
	if (!vport_present(VPORT_FILES))
		rt_crash("exec", "fleetrt: %s: fleet.cwd without a file "
		    "server port (fleet.9p=1)\n", progname);
	if ((r = p9_init()) < 0)
		rt_crash("exec", "fleetrt: %s: the file server: error %d\n",
		    progname, -r);
	path_init();
	tree_dev = rt_setting_num("dev", 10, tree_dev);
}

/*
 * What the program's file alone decides: its segments, loaded. A pool VM
 * does it before it waits for its words, so that a claim does not wait
 * for it; an error waits for main() to be told.
 */
static struct loaded loaded;
static char load_err[160];
static int load_state;		/* 0: not tried, 1: loaded, -1: failed */

void
rt_prepare(void)
{
	mm_init();
	if (rt_boot.module_len == 0)
		fmt_snprintf(load_err, sizeof(load_err), "no program in the "
		    "boot module");
	else if (elf_load(phys_to_virt(rt_boot.module), rt_boot.module_len,
	    &loaded, load_err, sizeof(load_err)) == 0) {
		load_state = 1;
		return;
	}
	load_state = -1;
}

int
main(int argc, char **argv)
{
	uintptr_t sp;

	progname = argv[0];
	strace = rt_flag("strace");
	time_init();
	random_init();
	console_open();
	environment();
	name_exe();
	proc_init();
	files_init();
	if (load_state == 0)
		rt_prepare();
	if (load_state < 0)
		rt_crash("exec", "fleetrt: %s: %s\n", progname, load_err);
	mm_set_brk(loaded.brk);
	sp = stack_build(&loaded, argv, envp);
	free_module();
	enter_user(loaded.entry, sp);
}
