/* Boot sequence: copy the command line, bring up the CPU and devices,
 * decode argv (in pool mode from the host's `args` line), run main. */
#include "rt.h"
#include "../lib/pure.h"
#include "../arch/x86_64/io.h"

#define CMDLINE_MAX	4096
#define WORDS_MAX	65536	/* a boot module's words may be many */

extern int main(int, char **);

static char cmdline[CMDLINE_MAX];
static char args[CMDLINE_MAX];
static char *words[WORDS_MAX];
static struct cmdline cl;
struct bootinfo rt_boot;

/* The loader's copy sits just past _end, where the heap goes: copy it
 * first. Returns -1 when it does not fit. */
static int
copy_cmdline(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0'; i++) {
		if (i + 1 >= CMDLINE_MAX)
			return -1;
		cmdline[i] = s[i];
	}
	cmdline[i] = '\0';
	return 0;
}

static _Noreturn void
malformed(const char *what)
{
	static const char pre[] = "fleetrt: malformed command line: ";
	size_t n;

	for (n = 0; what[n] != '\0'; n++)
		;
	rt_stderr(pre, sizeof(pre) - 1);
	rt_stderr(what, n);
	rt_stderr("\n", 1);
	rt_exit(125);
}

/* The value of setting i if its key is key, else NULL. */
static char *
value(int i, const char *key)
{
	char *w = cl.set[i] + 6;	/* past "fleet." */
	size_t j;

	for (j = 0; key[j] != '\0' && w[j] == key[j]; j++)
		;
	return key[j] == '\0' && w[j] == '=' ? w + j + 1 : NULL;
}

/* The last setting of that key counts. */
const char *
rt_setting(const char *key)
{
	int i;

	for (i = cl.nset - 1; i >= 0; i--)
		if (value(i, key) != NULL)
			return value(i, key);
	return NULL;
}

/* Every setting of a key that may repeat, in order, up to max;
 * returns how many there were. */
int
rt_settings(const char *key, char **v, int max)
{
	int i, n = 0;

	for (i = 0; i < cl.nset; i++)
		if (value(i, key) != NULL && n < max)
			v[n++] = value(i, key);
	return n;
}

/* The setting's leading digits in base (8, 10), or dflt when unset. */
uint64_t
rt_setting_num(const char *key, int base, uint64_t dflt)
{
	const char *v = rt_setting(key);
	uint64_t n = 0;

	if (v == NULL)
		return dflt;
	for (; *v >= '0' && *v < '0' + base && n < (1ull << 60); v++)
		n = n * (uint64_t)base + (uint64_t)(*v - '0');
	return n;
}

/* 1 if the setting is `1`. */
int
rt_flag(const char *key)
{
	const char *v = rt_setting(key);

	return v != NULL && v[0] == '1' && v[1] == '\0';
}

/*
 * Words longer than an `args` line: `args fleet.wordlen=N` alone, and
 * N bytes of command line on the stdio port, ahead of stdin
 * (protocol.md, 2.1).
 */
#define PORT_WORDS_MAX	(128 * 1024)
static char port_words[PORT_WORDS_MAX + 1];

static char *
words_from_port(void)
{
	uint64_t n = rt_setting_num("wordlen", 10, 0), got = 0;
	size_t k;

	if (n == 0 || n > PORT_WORDS_MAX || !vport_present(VPORT_STDIO))
		return NULL;
	while (got < n) {
		if ((k = vport_getn(VPORT_STDIO, port_words + got,
		    (size_t)(n - got))) == 0)
			vport_wait_rx(VPORT_STDIO);
		got += k;
	}
	port_words[n] = '\0';
	return port_words;
}

/* Pool mode: the settings and words come in an `args` line, decoded
 * like the command line; its settings follow the kernel's. */
static void
pool_args(void)
{
	struct cmdline more;
	char err[128], *text;
	int k = cl.nset, r;

	if (ctl_args(args) == -1)
		malformed("longer than 4095 bytes");
	r = cmdline_parse(args, words + k, WORDS_MAX - k, &more, err,
	    sizeof(err));
	cl.nset = k + more.nset;
	if (r == -1 && !more.dashdash && (text = words_from_port()) != NULL) {
		k = cl.nset;
		r = cmdline_parse(text, words + k, WORDS_MAX - k, &more, err,
		    sizeof(err));
		cl.nset = k + more.nset;
	}
	if (r == -1)
		malformed(err);
	cl.argc = more.argc;
	cl.argv = more.argv;
}

/* The boot module's words (protocol.md, 2.2): decoded like the `args`
 * line, their settings after the kernel's; no limit but memory. */
static void
module_args(void)
{
	struct cmdline more;
	char err[128];
	int k = cl.nset;

	if (cmdline_parse(rt_boot.words, words + k, WORDS_MAX - k, &more,
	    err, sizeof(err)) == -1)
		malformed(err);
	cl.nset = k + more.nset;
	cl.argc = more.argc;
	cl.argv = more.argv;
}

void
rt_start(uint32_t magic, uint32_t info)
{
	char err[128];
	int toolong, r;

	boot_parse(magic, info, &rt_boot);
	toolong = copy_cmdline(rt_boot.cmdline);
	paging_init(rt_boot.memtop);
	cpu_init();
	uart_init();
	clock_init();
	acpi_init();
	sti();
	rt_memory_init(phys_to_virt(rt_boot.free),
	    rt_boot.memtop - rt_boot.free);
	if (toolong)
		malformed("longer than 4095 bytes");
	r = cmdline_parse(cmdline, words, WORDS_MAX, &cl, err, sizeof(err));
	if (r == -1 && !cl.dashdash && rt_boot.words != NULL) {
		module_args();
		r = 0;
	}
	if (r == -1) {
		if (cl.dashdash || !rt_flag("pool") || !uart_present(COM3))
			malformed(err);
		rt_console_init();
		rt_prepare();
		pool_args();
	} else {
		rt_console_init();
		ctl_ready();
	}
	rt_exit(main(cl.argc, cl.argv));
}
