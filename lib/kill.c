/* kill.c: signal a VM found by id, as fleet-kill does */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "virt.h"

/* Poll (bounded) until the domain is gone; 1 if it went. */
static int
gone_within(virDomainPtr dom, int ms)
{
	struct timespec step = { 0, 50 * 1000000L };

	for (; ms > 0; ms -= 50) {
		if (virDomainIsActive(dom) != 1)
			return 1;
		nanosleep(&step, NULL);
	}
	return virDomainIsActive(dom) != 1;
}

/* SIGTERM as the ACPI power button, which the runtime reports as
 * `signaled 15`: the control console stays with whoever holds it. */
static int
send_term(virDomainPtr dom, const char *name)
{
	if (virDomainShutdown(dom) < 0)
		return fleet_seterr(-EIO, "%s: shutdown: %s", name,
		    virt_err());
	if (!gone_within(dom, TERM_GRACE_MS))
		virDomainDestroy(dom);
	return 0;
}

/* A blocking stream only this thread uses. */
static int
stream_send_all(virStreamPtr st, const char *buf, size_t n)
{
	int k;

	while (n > 0) {
		if ((k = virStreamSend(st, buf, n)) < 0)
			return -EIO;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Steal the control console (VIR_DOMAIN_CONSOLE_FORCE) to say `sig N`;
 * only for a detached VM, whose consoles nobody reads. */
static int
send_sig(fleet_conn *c, virDomainPtr dom, const char *name, int sig)
{
	virStreamPtr st;
	char line[32];
	int r = 0;

	if ((st = virStreamNew(c->vc, 0)) == NULL)
		return fleet_seterr(-EIO, "%s: stream: %s", name, virt_err());
	snprintf(line, sizeof(line), "sig %d\n", sig);
	if (virDomainOpenConsole(dom, "serial2", st,
	    VIR_DOMAIN_CONSOLE_FORCE) < 0 ||
	    stream_send_all(st, line, strlen(line)) < 0)
		r = fleet_seterr(-EIO, "%s: control channel: %s", name,
		    virt_err());
	if (r == 0 && !gone_within(dom, TERM_GRACE_MS) &&
	    virDomainShutdown(dom) == 0 && !gone_within(dom, TERM_GRACE_MS))
		virDomainDestroy(dom);
	virStreamAbort(st);
	virStreamFree(st);
	return r;
}

static int
signal_domain(fleet_conn *c, virDomainPtr dom, const char *name, int sig,
    int detached)
{
	switch (sig_action(sig)) {
	case SIG_DESTROY:
		if (virDomainDestroy(dom) < 0)
			return fleet_seterr(-EIO, "%s: destroy: %s", name,
			    virt_err());
		return 0;
	case SIG_SUSPEND:
		if (virDomainSuspend(dom) < 0)
			return fleet_seterr(-EIO, "%s: suspend: %s", name,
			    virt_err());
		return 0;
	case SIG_RESUME:
		if (virDomainResume(dom) < 0)
			return fleet_seterr(-EIO, "%s: resume: %s", name,
			    virt_err());
		return 0;
	case SIG_BAD:
		return fleet_seterr(-EINVAL, "%s: bad signal %d", name, sig);
	default:
		if (sig == SIGTERM)
			return send_term(dom, name);
		if (!detached)
			return fleet_seterr(-EPERM, "%s: signal %d: its owner "
			    "holds its control channel; send TERM, KILL, "
			    "STOP or CONT, or signal its owner", name, sig);
		return send_sig(c, dom, name, sig);
	}
}

int
fleet_kill(fleet_conn *c, const char *id, int sig)
{
	virDomainPtr dom;
	unsigned owner;
	int r, detached;

	fleet_clearerr();
	if ((r = list_find(c, id, &dom, &detached, &owner)) < 0)
		return r;
	/* As kill(2): root signals anyone's, a user only their own. */
	if (geteuid() != 0 && owner != geteuid())
		r = fleet_seterr(-EPERM, "%s: owned by uid %u, not by you",
		    virDomainGetName(dom), owner);
	else
		r = signal_domain(c, dom, virDomainGetName(dom), sig,
		    detached);
	virDomainFree(dom);
	return r;
}
