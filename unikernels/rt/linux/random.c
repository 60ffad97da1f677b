/*
 * Random bytes for AT_RANDOM and getrandom(2): a ChaCha20 stream keyed
 * by the host's `fleet.seed=HEX` (32 bytes) mixed with the time stamp
 * counter at boot; without a seed, the counter alone (say so in the
 * docs: not for keys).
 */
#include "linux.h"

static uint32_t key[8], counter, nonce[3];
static uint8_t block[64];
static size_t used = sizeof(block);

static uint32_t
rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QR(a, b, c, d) (a += b, d = rotl(d ^ a, 16), c += d, \
	b = rotl(b ^ c, 12), a += b, d = rotl(d ^ a, 8), c += d, \
	b = rotl(b ^ c, 7))

static void
chacha_block(void)
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	uint32_t x[16];
	int i;

	memcpy(in + 4, key, sizeof(key));
	in[12] = counter++;
	memcpy(in + 13, nonce, sizeof(nonce));
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		x[i] += in[i];
	memcpy(block, x, sizeof(block));
	used = 0;
}

void
random_init(void)
{
	const char *v = rt_setting("seed");
	uint8_t *k = (uint8_t *)key;
	uint32_t lo, hi;
	int i;

	for (i = 0; v != NULL && i < 32 && cmdline_hex(v[2 * i]) >= 0 &&
	    cmdline_hex(v[2 * i + 1]) >= 0; i++)
		k[i] = (uint8_t)(cmdline_hex(v[2 * i]) << 4 |
		    cmdline_hex(v[2 * i + 1]));
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	nonce[0] = lo;
	nonce[1] = hi;
	nonce[2] = (uint32_t)clock_ns();
}

void
random_fill(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		size_t k;

		if (used == sizeof(block))
			chacha_block();
		k = sizeof(block) - used;
		if (k > n)
			k = n;
		memcpy(p, block + used, k);
		used += k;
		p += k;
		n -= k;
	}
}
