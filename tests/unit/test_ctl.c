/* test_ctl: control-channel lines from the guest */
#include <errno.h>
#include "internal.h"
#include "check.h"

int
main(void)
{
	struct guest_line l;
	unsigned mib = 0;

	CHECK(guest_line_parse("ready", &l) == 0 && l.kind == GL_READY &&
	    l.value == 0);
	CHECK(guest_line_parse("ready virtio", &l) == 0 && l.kind == GL_READY &&
	    l.value == 1);
	CHECK(guest_line_parse("ready later words", &l) == 0 && l.value == 0);
	CHECK(guest_line_parse("readyvirtio", &l) == -EINVAL);
	CHECK(guest_line_parse("exit 42 10 3", &l) == 0 && l.kind == GL_EXIT &&
	    l.value == 42 && l.out == 10 && l.err == 3);
	CHECK(guest_line_parse("exit 0 8589934592 0", &l) == 0 &&
	    l.out == 8589934592ULL);
	CHECK(guest_line_parse("signaled 15 0 0", &l) == 0 &&
	    l.kind == GL_SIGNALED && l.value == 15);
	CHECK(guest_line_parse("crash pf 5 77", &l) == 0 && l.kind == GL_CRASH &&
	    strcmp(l.what, "pf") == 0 && l.err == 77);
	CHECK(guest_line_parse("exit 256 0 0", &l) == -EINVAL);
	CHECK(guest_line_parse("exit 1 2", &l) == -EINVAL);
	CHECK(guest_line_parse("exit 1 2 3 4", &l) == -EINVAL);
	CHECK(guest_line_parse("signaled 0 0 0", &l) == -EINVAL);
	CHECK(guest_line_parse("want 262144", &l) == 0 && l.kind == GL_WANT &&
	    l.out == 262144);
	CHECK(guest_line_parse("want 8589934592", &l) == 0 &&
	    l.out == 8589934592ULL);
	CHECK(guest_line_parse("want -1", &l) == -EINVAL);
	CHECK(guest_line_parse("want", &l) == -EINVAL);
	CHECK(guest_line_parse("want 5 6", &l) == -EINVAL);
	CHECK(guest_line_parse("hello", &l) == -EINVAL);
	CHECK(guest_line_parse("", &l) == -EINVAL);
	CHECK(fleet_mem_parse("64", &mib) == 0 && mib == 64);
	CHECK(fleet_mem_parse("32M", &mib) == 0 && mib == 32);
	CHECK(fleet_mem_parse("1G", &mib) == 0 && mib == 1024);
	CHECK(fleet_mem_parse("0", &mib) == -EINVAL);
	CHECK(fleet_mem_parse("12k", &mib) == -EINVAL);
	CHECK(fleet_mem_parse("-1", &mib) == -EINVAL);
	CHECK_DONE();
}
