/* relay.h: a VM's stdio and control channel, moved by the loop */
#ifndef FLEET_RELAY_H
#define FLEET_RELAY_H

#include <stdint.h>
#include "guest.h"
#include "loop.h"

struct relay;
struct _virStream;

/* What the relay tells its owner, from the loop (under its lock). */
struct relay_events {
	void	(*ready)(void *arg);
	void	(*final)(void *arg, const struct guest_line *l);
	void	(*changed)(void *arg);	/* output moved or ended */
	void	(*broken)(void *arg);	/* stdout's reader is gone */
};

/* host: the caller's stdin, stdout, stderr (-1: /dev/null); duplicated. */
int	relay_new(struct relay **rp, struct loop *l, const int host[3],
	    const struct relay_events *ev, void *arg);
/* Under the loop's lock from here on. */
void	relay_free(struct relay *r);

/* Consoles (ST_COM1..ST_VIRTIO): a host fd taken over, or a stream. */
void	relay_set_fd(struct relay *r, int slot, int fd);
int	relay_put_first(struct relay *r, int slot, const void *buf, size_t n);
int	relay_has_fd(const struct relay *r, int slot);
int	relay_set_stream(struct relay *r, int slot, struct _virStream *st);
void	relay_start(struct relay *r, int ready);

/* A line for the guest's control channel, sent once it is ready. */
int	relay_send_ctl(struct relay *r, const char *line);
/* After the final line: `again N`, out whole now, or -errno. */
int	relay_send_again(struct relay *r);
/* The program will read no more: let go of stdin (a pipe's writer sees
 * EPIPE, a terminal's typeahead stays for the shell). */
void	relay_stop_input(struct relay *r);
/* Stop reading the consoles, before any destroy (relay.c). */
void	relay_detach(struct relay *r);
/* Stream events came (the loop's wake-up): try the streams. */
void	relay_kick(struct relay *r);

/* The guest's `ready` was heard, with its virtio-serial port in use. */
int	relay_ready(const struct relay *r);
/* Every byte the final line counts is out, or stdout and stderr ended. */
int	relay_drained(const struct relay *r);
/* stdout, stderr and the control channel have all ended. */
int	relay_ended(const struct relay *r);
int	relay_ctl_ended(const struct relay *r);

#endif
