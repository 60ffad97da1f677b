/* nft-expr.h: expression builders shared by nft.c's rules */
#ifndef FLEET_NFT_EXPR_H
#define FLEET_NFT_EXPR_H

#include <stdint.h>

struct nftnl_rule;

/* A rule being built: err turns -1 when an allocation failed. */
struct rb {
	struct nftnl_rule *r;
	int err;
};

void ex_payload(struct rb *b, uint32_t base, uint32_t off,
    uint32_t len, uint32_t dreg);
void ex_meta(struct rb *b, uint32_t key, uint32_t dreg);
void ex_cmp(struct rb *b, uint32_t op, const void *data,
    uint32_t len);
void ex_ifname(struct rb *b, uint32_t key, const char *name);
void ex_lookup(struct rb *b, const char *set, uint32_t set_id,
    int inv);
void ex_ct_state(struct rb *b, uint32_t mask);
void ex_verdict(struct rb *b, int verdict, const char *chain);
void ex_comment(struct rb *b, const char *text);

#endif
