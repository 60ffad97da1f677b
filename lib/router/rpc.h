/* rpc.h: libvirt's RPC frames (src/rpc/virnetprotocol.x): the length word,
 * the header, XDR fields; no policy here */
#ifndef FLEET_RPC_H
#define FLEET_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RPC_LEN_SIZE	4		/* the length word counts itself */
#define RPC_HDR_SIZE	24		/* prog vers proc type serial status */
#define RPC_FRAME_MIN	(RPC_LEN_SIZE + RPC_HDR_SIZE)
/* libvirt 9.0's VIR_NET_MESSAGE_MAX, not counting the length word: the
 * largest frame libvirtd sends */
#define RPC_SERVER_MAX	(RPC_LEN_SIZE + 32u * 1024 * 1024)
/* what a client may send: domain XML and 256 KiB stream packets fit */
#define RPC_CLIENT_MAX	(1u * 1024 * 1024)

#define RPC_PROG_REMOTE		0x20008086u
#define RPC_PROG_KEEPALIVE	0x6b656570u	/* "keep" */
#define RPC_VERS_REMOTE		1

enum rpc_type {
	RPC_CALL = 0,
	RPC_REPLY = 1,
	RPC_MESSAGE = 2,
	RPC_STREAM = 3,
	RPC_CALL_WITH_FDS = 4,
	RPC_REPLY_WITH_FDS = 5,
	RPC_STREAM_HOLE = 6,
};

enum rpc_status {
	RPC_OK = 0,
	RPC_ERROR = 1,
	RPC_CONTINUE = 2,
};

struct rpc_hdr {
	uint32_t len;			/* the whole frame, length word too */
	uint32_t prog, vers;
	int32_t proc;
	uint32_t type, serial, status;
};

/* A reader over XDR: every getter fails once the data runs out. */
struct rpc_rd {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

/* A growing XDR writer. */
struct rpc_out {
	uint8_t *p;
	size_t len, cap;
	bool bad;			/* out of memory */
};

#define RPC_UUID_LEN	16

/* The name, uuid and id of remote_nonnull_domain. */
struct rpc_dom {
	const char *name;		/* not NUL-terminated */
	size_t namelen;
	const uint8_t *uuid;
	int32_t id;
};

/* rpc.c */
int rpc_frame(const uint8_t *buf, size_t avail, uint32_t max,
    struct rpc_hdr *h);
void rpc_hdr_put(uint8_t *frame, const struct rpc_hdr *h);
void rpc_rd_init(struct rpc_rd *x, const uint8_t *p, size_t len);
uint32_t rpc_get_u32(struct rpc_rd *x);
const uint8_t *rpc_get_bytes(struct rpc_rd *x, size_t n);
const char *rpc_get_string(struct rpc_rd *x, size_t *len, size_t max);
bool rpc_get_dom(struct rpc_rd *x, struct rpc_dom *d);
void rpc_put_u32(struct rpc_out *o, uint32_t v);
void rpc_put_raw(struct rpc_out *o, const void *p, size_t n);
void rpc_put_bytes(struct rpc_out *o, const void *p, size_t n);
void rpc_put_string(struct rpc_out *o, const char *s, size_t len);
void rpc_put_dom(struct rpc_out *o, const struct rpc_dom *d);
void rpc_out_free(struct rpc_out *o);
int rpc_error_frame(struct rpc_out *o, const struct rpc_hdr *call,
    const char *msg);

#endif
