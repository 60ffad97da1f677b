/* test_status: wait statuses, exit codes, signal names */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <fleet/status.h>
#include "check.h"

int
main(void)
{
	char buf[64];
	int s;

	s = fleet_status_exited(42);
	CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 42);
	CHECK(fleet_status_exit_code(s) == 42);
	CHECK(fleet_status_exit_code(fleet_status_exited(0)) == 0);
	s = fleet_status_signaled(SIGKILL);
	CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 9 && !WCOREDUMP(s));
	CHECK(fleet_status_exit_code(s) == 137);
	CHECK(fleet_status_exit_code(fleet_status_signaled(15)) == 143);
	CHECK(fleet_status_exit_code(fleet_status_signaled(13)) == 141);
	s = fleet_status_crashed();
	CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s));
	CHECK(fleet_status_exit_code(s) == 139);
	fleet_status_format(fleet_status_exited(1), buf, sizeof(buf));
	CHECK_STR(buf, "exited 1");
	fleet_status_format(fleet_status_signaled(9), buf, sizeof(buf));
	CHECK_STR(buf, "killed by SIGKILL");
	fleet_status_format(s, buf, sizeof(buf));
	CHECK_STR(buf, "crashed (SIGSEGV)");
	CHECK(fleet_signal_parse("TERM") == SIGTERM);
	CHECK(fleet_signal_parse("sigint") == SIGINT);
	CHECK(fleet_signal_parse("SIGKILL") == SIGKILL);
	CHECK(fleet_signal_parse("STOP") == SIGSTOP);
	CHECK(fleet_signal_parse("cont") == SIGCONT);
	CHECK(fleet_signal_parse("9") == 9);
	CHECK(fleet_signal_parse("0") == -EINVAL);
	CHECK(fleet_signal_parse("9x") == -EINVAL);
	CHECK(fleet_signal_parse("BOGUS") == -EINVAL);
	CHECK_STR(fleet_signal_name(SIGTERM), "TERM");
	CHECK(fleet_signal_name(40) == NULL);
	CHECK_DONE();
}
