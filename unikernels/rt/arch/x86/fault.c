/* CPU exceptions: one diagnosis line on stderr, then `crash` on control. */
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
	[14] = "page fault",
};

extern char stack_guard[];

void
fault_report(uint32_t vec, uint32_t err, uint32_t eip, uint32_t esp)
{
	char what[8] = "vec";
	const char *name = names[vec], *word = words[vec];
	uint32_t cr2;

	if (name == NULL) {
		what[3] = '0' + vec / 10;
		what[4] = '0' + vec % 10;
		what[5] = '\0';
		name = what;
	}
	if (word == NULL)
		word = "CPU exception";
	if (vec != 14)
		rt_crash(name, "fleetrt: %s (%s) at eip 0x%08x, error 0x%x\n",
		    word, name, eip, err);
	__asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
	if (cr2 - (uint32_t)stack_guard < 4096)
		rt_crash(name, "fleetrt: stack overflow (pf) at eip 0x%08x, "
		    "esp 0x%08x\n", eip, esp);
	rt_crash(name, "fleetrt: page fault at address 0x%08x (eip 0x%08x, "
	    "error 0x%x)\n", cr2, eip, err);
}

void
fault(struct frame *f)
{
	fault_report(f->vec, f->err, f->eip, f->esp0 + 20);
}
