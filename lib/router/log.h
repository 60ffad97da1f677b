/* log.h: fleetd's messages, to stderr or syslog(3) */
#ifndef FLEET_ROUTER_LOG_H
#define FLEET_ROUTER_LOG_H

#ifndef __GNUC__
#define __attribute__(x)
#endif

/* to_syslog: LOG_DAEMON, ident "fleetd"; else stderr, "fleetd: ". */
void	log_init(int to_syslog);
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
