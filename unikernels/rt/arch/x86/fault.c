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

void
fault(struct frame *f)
{
	char what[8] = "vec";
	const char *name = names[f->vec], *word = words[f->vec];
	uint32_t cr2 = 0;

	if (name == NULL) {
		what[3] = '0' + f->vec / 10;
		what[4] = '0' + f->vec % 10;
		what[5] = '\0';
		name = what;
	}
	if (word == NULL)
		word = "CPU exception";
	if (f->vec == 14) {
		__asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
		rt_crash(name, "fleetrt: %s at address 0x%08x (eip 0x%08x, "
		    "error 0x%x)\n", word, cr2, f->eip, f->err);
	}
	rt_crash(name, "fleetrt: %s (%s) at eip 0x%08x, error 0x%x\n", word,
	    name, f->eip, f->err);
}
