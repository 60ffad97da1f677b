/*
 * The program's address space: a sorted table of areas (start, end,
 * protection), each page given a frame when first touched. brk is one
 * area that grows; mmap places areas top down from MMAP_TOP, in the
 * highest gap that fits; the stack is STACK_MAX below STACK_TOP.
 */
#include "linux.h"

#define AREAS		512
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#define ENODEV		19

struct area {
	uintptr_t start, end;
	int prot;
};

static struct area area[AREAS];
static int nareas;
static uintptr_t brk_start, brk_end;	/* the brk area, when not empty */
static size_t resident;			/* frames the program holds */

/* The first area ending past a. */
static int
find(uintptr_t a)
{
	int lo = 0, hi = nareas;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (area[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
insert(uintptr_t start, uintptr_t end, int prot)
{
	int i = find(start);

	if (nareas == AREAS)
		return -ENOMEM;
	memmove(&area[i + 1], &area[i], (nareas - i) * sizeof(area[0]));
	area[i].start = start;
	area[i].end = end;
	area[i].prot = prot;
	nareas++;
	return 0;
}

static void
drop(int i)
{
	memmove(&area[i], &area[i + 1], (nareas - i - 1) * sizeof(area[0]));
	nareas--;
}

static void
free_pages(uintptr_t start, uintptr_t end)
{
	uintptr_t a, f;

	for (a = start; a < end; a += PAGE)
		if ((f = pt_unmap(a)) != 0) {
			frame_free(f);
			resident--;
		}
}

/* Split the area holding a so that a starts an area. */
static int
split(uintptr_t a)
{
	int i = find(a);

	if (i == nareas || area[i].start >= a)
		return 0;
	if (nareas == AREAS)
		return -ENOMEM;
	memmove(&area[i + 1], &area[i], (nareas - i) * sizeof(area[0]));
	nareas++;
	area[i].end = a;
	area[i + 1].start = a;
	return 0;
}

/* Nothing mapped in [start, end) afterwards. */
static int
unmap(uintptr_t start, uintptr_t end)
{
	int i;

	if (split(start) < 0 || split(end) < 0)
		return -ENOMEM;
	i = find(start);
	while (i < nareas && area[i].start < end) {
		free_pages(area[i].start, area[i].end);
		drop(i);
	}
	return 0;
}

static int
is_free(uintptr_t start, uintptr_t end)
{
	int i = find(start);

	return i == nareas || area[i].start >= end;
}

/* The highest gap of len bytes below MMAP_TOP, 0 when none. */
static uintptr_t
gap(size_t len)
{
	uintptr_t at = MMAP_TOP - len;
	int i;

	for (i = find(MMAP_TOP) - 1; i >= 0; i--) {
		if (area[i].end <= at)
			break;
		if (area[i].start < len)
			return 0;
		if (area[i].start < at + len)
			at = area[i].start - len;
	}
	return at >= brk_end + (1ull << 30) ? at : 0;
}

void
mm_init(void)
{
	(void)insert(STACK_TOP - STACK_MAX, STACK_TOP,
	    PROT_READ | PROT_WRITE);
}

int
mm_add(uintptr_t start, uintptr_t end, int prot)
{
	if (!is_free(start, end))
		return -EINVAL;
	return insert(start, end, prot);
}

void
mm_set_brk(uintptr_t a)
{
	brk_start = brk_end = PAGE_UP(a);
}

size_t
mm_resident(void)
{
	return resident * PAGE;
}

/*
 * One page for the one touched, and the absent pages of its aligned
 * block of AROUND in the same area: a program touches its memory in
 * runs, and each fault costs an exception under TCG.
 */
#define AROUND	16

static void
map_one(uintptr_t va, int prot)
{
	uintptr_t f;

	if ((f = frame_alloc()) == 0)
		rt_crash("oom", "fleetrt: out of memory (%lu KiB resident)\n",
		    (unsigned long)(resident * 4));
	if (pt_map(va, f, prot) < 0)
		rt_crash("oom", "fleetrt: out of memory for page tables\n");
	resident++;
}

int
mm_fault(uintptr_t a, uint64_t err)
{
	int i = find(a);
	uintptr_t va, lo, hi;

	if (i == nareas || area[i].start > a || area[i].prot == 0)
		return -1;
	if ((err & 1) || ((err & 2) && !(area[i].prot & PROT_WRITE)))
		return -1;
	map_one(PAGE_DOWN(a), area[i].prot);
	lo = a & ~(uintptr_t)(AROUND * PAGE - 1);
	hi = lo + AROUND * PAGE;
	if (lo < area[i].start)
		lo = area[i].start;
	if (hi > area[i].end)
		hi = area[i].end;
	for (va = lo; va < hi && frames_left() > 64; va += PAGE)
		if (va != PAGE_DOWN(a) && pt_lookup(va) == 0)
			map_one(va, area[i].prot);
	return 0;
}

int
user_ok(uintptr_t a, size_t n, int prot)
{
	uintptr_t end = a + n;
	int i;

	if (n == 0)
		return 1;
	if (end < a || end > USER_TOP)
		return 0;
	for (i = find(a); a < end; i++) {
		if (i == nareas || area[i].start > a ||
		    (area[i].prot & prot) != prot)
			return 0;
		a = area[i].end;
	}
	return 1;
}

/* Copy the program's string at a into buf; -EFAULT or -ENAMETOOLONG. */
int
user_str(uintptr_t a, char *buf, size_t len)
{
	size_t n = 0;

	for (;;) {
		if ((a + n) % PAGE == 0 || n == 0)
			if (!user_ok(a + n, 1, PROT_READ))
				return -EFAULT;
		if (n == len)
			return -ENAMETOOLONG;
		if ((buf[n] = *(const char *)(a + n)) == '\0')
			return 0;
		n++;
	}
}

long
sys_brk(uintptr_t a)
{
	uintptr_t end = PAGE_UP(a);
	int i;

	if (a < brk_start || end > MMAP_TOP)
		return (long)brk_end;
	if (end > brk_end) {
		if (!is_free(brk_end, end))
			return (long)brk_end;
		i = brk_end > brk_start ? find(brk_end - 1) : nareas;
		if (i < nareas && area[i].end == brk_end &&
		    area[i].start >= brk_start &&
		    area[i].prot == (PROT_READ | PROT_WRITE))
			area[i].end = end;
		else if (insert(brk_end, end, PROT_READ | PROT_WRITE) < 0)
			return (long)brk_end;
	} else if (end < brk_end && unmap(end, brk_end) < 0)
		return (long)brk_end;
	brk_end = end;
	return (long)a;
}

long
sys_mmap(uintptr_t a, size_t len, int prot, int flags, int fd, int64_t off)
{
	int r;

	if (len == 0 || (a & (PAGE - 1)) || (off & (int64_t)(PAGE - 1)))
		return -EINVAL;
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;
	len = PAGE_UP(len);
	if (len == 0 || len > MMAP_TOP)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (a + len > USER_TOP || a + len < a)
			return -ENOMEM;
		if (!is_free(a, a + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			if ((r = unmap(a, a + len)) < 0)
				return r;
		}
	} else if (a == 0 || a + len > MMAP_TOP || !is_free(a, a + len)) {
		if ((a = gap(len)) == 0)
			return -ENOMEM;
	}
	if ((r = insert(a, a + len, prot & 7)) < 0)
		return r;
	return (long)a;
}

long
sys_munmap(uintptr_t a, size_t len)
{
	if ((a & (PAGE - 1)) || len == 0 || a + len < a)
		return -EINVAL;
	return unmap(a, PAGE_UP(a + len));
}

long
sys_mprotect(uintptr_t a, size_t len, int prot)
{
	uintptr_t end = PAGE_UP(a + len), p;
	int i;

	if (a & (PAGE - 1))
		return -EINVAL;
	if (!user_ok(a, end - a, 0))
		return -ENOMEM;
	if (split(a) < 0 || split(end) < 0)
		return -ENOMEM;
	for (i = find(a); i < nareas && area[i].start < end; i++)
		area[i].prot = prot & 7;
	for (p = a; p < end; p += PAGE)
		(void)pt_protect(p, prot & 7);
	return 0;
}

/* Move the pages of [from, from + len) to to, without copying. */
static void
move_pages(uintptr_t from, uintptr_t to, size_t len, int prot)
{
	uintptr_t off, f;

	for (off = 0; off < len; off += PAGE)
		if ((f = pt_unmap(from + off)) != 0 &&
		    pt_map(to + off, f, prot) < 0)
			rt_crash("oom", "fleetrt: out of memory for page "
			    "tables\n");
}

long
sys_mremap(uintptr_t a, size_t old, size_t len, int flags, uintptr_t to)
{
	int i = find(a), prot, r;

	old = PAGE_UP(old);
	len = PAGE_UP(len);
	if ((a & (PAGE - 1)) || len == 0 || (flags & MREMAP_FIXED))
		return -EINVAL;
	if (i == nareas || area[i].start > a || area[i].end < a + old)
		return -EFAULT;
	prot = area[i].prot;
	if (len <= old)
		return (r = unmap(a + len, a + old)) < 0 ? r : (long)a;
	if (area[i].end == a + old && is_free(a + old, a + len) &&
	    a + len <= MMAP_TOP) {
		area[i].end = a + len;
		return (long)a;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if ((to = gap(len)) == 0)
		return -ENOMEM;
	if ((r = insert(to, to + len, prot)) < 0)
		return r;
	move_pages(a, to, old, prot);
	if ((r = unmap(a, a + old)) < 0)
		return r;
	return (long)to;
}
