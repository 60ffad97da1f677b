/* config.h: fleetd's configuration file (fleetd.8, CONFIGURATION) */
#ifndef FLEET_ROUTER_CONFIG_H
#define FLEET_ROUTER_CONFIG_H

#include <stddef.h>
#include <getopt.h>

#define CONFIG_DEFAULT	"/etc/fleet/fleetd.conf"

/* An option's directive: `bridge fleet0` as --bridge fleet0. */
struct config_opt {
	int val;		/* the option's getopt value */
	char *arg;		/* NULL for one without an argument */
	int line;
};

/* `service NAME COMMAND [ARG...]` and `boot COMMAND [ARG...]` */
struct config_svc {
	char *name;		/* NULL for the boot process */
	char **argv;		/* NULL-terminated; argv[0] is the image */
	int line;
};

struct config {
	char *path;
	struct config_opt *opts;	/* in the file's order */
	size_t nopts;
	struct config_svc *boot;	/* NULL: none */
	struct config_svc *svcs;
	size_t nsvcs;
};

/*
 * Read path into c. opts (NULL-terminated) are the options that may be
 * directives. missing_ok: a file that does not exist is an empty one.
 * -EINVAL naming "path:line: what" for a bad file, -errno when it cannot
 * be read. c is the caller's: config_free() it, also after a failure.
 */
int	config_load(struct config *c, const char *path,
	    const struct option *opts, int missing_ok);
/* The same from text in memory (tests). */
int	config_parse(struct config *c, const char *path, const char *text,
	    size_t len, const struct option *opts);
void	config_free(struct config *c);

/* Service names: 1..63 of [A-Za-z0-9_.-]. */
int	config_check_name(const char *name);

#endif
