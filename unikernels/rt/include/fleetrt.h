/*
 * fleetrt.h: the guest ABI of a fleet unikernel (docs/protocol.md).
 *
 * A program is an ordinary main(argc, argv); argv comes decoded from the
 * kernel command line. fd 0 and 1 are COM1, fd 2 is COM2; the runtime owns
 * COM3. Nothing here allocates; strings returned point into the runtime's
 * own storage and live as long as the program.
 */
#ifndef FLEETRT_H
#define FLEETRT_H

#include <stddef.h>
#include <stdint.h>

#define FLEETRT_PROTOCOL	1

/* Value of a `fleet.KEY=VALUE` setting from the command line, or NULL. */
const char	*fleetrt_setting(const char *key);

/* Nanoseconds since boot; never goes backwards. */
uint64_t	 fleetrt_clock_ns(void);

/* Sleep at least ns nanoseconds (10 ms granularity), halting the CPU. */
void		 fleetrt_sleep_ns(uint64_t ns);

/* Wait for the next interrupt (at most one 10 ms tick). */
void		 fleetrt_idle(void);

/* End the program: flush stdout, report `exit status`, power off. */
_Noreturn void	 fleetrt_exit(int status);

/* End as if killed by signal sig: report `signaled sig`, power off. */
_Noreturn void	 fleetrt_kill(int sig);

#endif
