/* nft-msg.h: building one nftables batch, message by message */
#ifndef FLEET_NFT_MSG_H
#define FLEET_NFT_MSG_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nftnl_set_elem;
struct rb;

#define ELEMS_PER_MSG	256		/* keeps a message below 64 KiB */
#define SET_F_HOST_ORDER (1u << 31)	/* set_msg(): a string key */

/* A batch in one contiguous buffer; err sticks at the first failure. */
struct nft_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq;
	int err;
};

/* Fill the i-th element's key (and key end); comment may be written. */
typedef void (*elem_fill_fn)(size_t i, struct nftnl_set_elem *e,
    char *comment, size_t clen, const void *arg);

int batch_new(struct nft_batch **bp, uint32_t seq);
int batch_finish(struct nft_batch *b);
void table_reset(struct nft_batch *b, uint16_t family, int readd);
void chain_msg(struct nft_batch *b, uint16_t family, const char *name,
    int hook, int prio, const char *comment);
void set_msg(struct nft_batch *b, uint16_t family, const char *name,
    uint32_t id, const uint8_t *types, const uint8_t *lens, size_t n,
    uint32_t flags, const char *comment);
struct rb rule_new(const char *comment);
void rule_msg(struct nft_batch *b, uint16_t family, const char *chain,
    struct rb *r);
void elems_msg(struct nft_batch *b, uint16_t family, const char *set,
    uint32_t id, size_t n, elem_fill_fn fill, const void *arg);

#endif
