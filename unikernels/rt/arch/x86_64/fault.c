/* CPU exceptions: a program's page fault inside its memory is paged in;
 * anything else is one diagnosis line on stderr, then `crash`. */
#include "rt.h"

static const char *const names[32] = {
	[0] = "de", [1] = "db", [3] = "bp", [4] = "of", [5] = "br",
	[6] = "ud", [7] = "nm", [8] = "df", [10] = "ts", [11] = "np",
	[12] = "ss", [13] = "gp", [14] = "pf", [16] = "mf", [17] = "ac",
	[18] = "mc", [19] = "xm",
};

static const char *const words[32] = {
	[0] = "divide error", [6] = "invalid opcode", [8] = "double fault",
	[12] = "stack fault", [13] = "general protection fault",
	[14] = "page fault", [16] = "x87 floating-point error",
	[19] = "SIMD floating-point error",
};

extern char stack_guard[];

static uintptr_t
cr2(void)
{
	uintptr_t v;

	__asm__ volatile("movq %%cr2, %0" : "=r"(v));
	return v;
}

static _Noreturn void
report(const struct frame *f, uintptr_t addr)
{
	char what[8] = "vec";
	const char *name = names[f->vec], *word = words[f->vec];
	const char *who = (f->cs & 3) ? "" : " in the runtime";

	if (name == NULL) {
		what[3] = '0' + f->vec / 10;
		what[4] = '0' + f->vec % 10;
		what[5] = '\0';
		name = what;
	}
	if (word == NULL)
		word = "CPU exception";
	if (f->vec != 14)
		rt_crash(name, "fleetrt: %s (%s)%s at rip 0x%lx, error 0x%lx\n",
		    word, name, who, f->rip, f->err);
	if (addr - (uintptr_t)stack_guard < 4096)
		rt_crash(name, "fleetrt: kernel stack overflow (pf) at rip "
		    "0x%lx\n", f->rip);
	rt_crash(name, "fleetrt: page fault%s at address 0x%lx (rip 0x%lx, "
	    "%s, %s)\n", who, addr, f->rip, (f->err & 2) ? "write" : "read",
	    (f->err & 1) ? "protection" : "not mapped");
}

void
fault(struct frame *f)
{
	uintptr_t addr = f->vec == 14 ? cr2() : 0;

	if (f->vec == 14 && addr < USER_TOP && mm_fault(addr, f->err) == 0)
		return;
	report(f, addr);
}
