/*
 * stdin and stdout on virtio-serial port 1 (QEMU virtserialport, nr=1):
 * queues 4 (receive) and 5 (transmit). Port 0 would need no MULTIPORT
 * handshake, but QEMU reserves it for virtconsole, which drops bytes
 * when the host reads slowly; a virtserialport stalls the guest instead.
 * The handshake is three control messages sent at start; what the host
 * sends on the control queue is ignored (we give it no buffers).
 * Buffers are big so that one notify or interrupt moves many KiB; the
 * 16550 path moves 16 bytes per exit. Receive buffers are 4 KiB because
 * QEMU hands a chardev's input over in reads of at most that.
 */
#include "rt.h"
#include "virtio.h"
#include "../arch/x86/io.h"

#define DEVICE_CONSOLE	0x1003	/* transitional virtio console */
#define F_MULTIPORT	(1u << 1)
#define Q_CTL_TX	3
#define Q_RX		4
#define Q_TX		5
#define PORT		1
#define DEVICE_READY	0
#define PORT_READY	3
#define PORT_OPEN	6
#define RXN		32
#define RXLEN		4096
#define TXN		16
#define TXLEN		8192

static uint8_t rxmem[VQ_BYTES] __attribute__((aligned(4096)));
static uint8_t txmem[VQ_BYTES] __attribute__((aligned(4096)));
static uint8_t ctlmem[VQ_BYTES] __attribute__((aligned(4096)));

struct ctl_msg {
	uint32_t id;
	uint16_t event, value;
};
static struct ctl_msg hello[3] = {
	{ 0, DEVICE_READY, 1 }, { PORT, PORT_READY, 1 }, { PORT, PORT_OPEN, 1 }
};
static uint8_t rxbuf[RXN][RXLEN];
static uint8_t txbuf[TXN][TXLEN];

static struct vq rxq, txq, ctlq;
static int present, irq_line = -1;
static int cur = -1;		/* the receive buffer being read */
static uint32_t cur_len, cur_off;
static volatile uint32_t tx_busy;	/* a bit per transmit buffer */

int
vcons_init(void)
{
	uint16_t io, i;

	if (virtio_pci_open(DEVICE_CONSOLE, &io, &irq_line) == -1)
		return -1;
	if (!(inl(io + VIRTIO_HOST_FEATURES) & F_MULTIPORT))
		return -1;
	outl(io + VIRTIO_GUEST_FEATURES, F_MULTIPORT);
	if (vq_init(&rxq, io, Q_RX, rxmem) == -1 ||
	    vq_init(&txq, io, Q_TX, txmem) == -1 ||
	    vq_init(&ctlq, io, Q_CTL_TX, ctlmem) == -1 ||
	    rxq.size < RXN || txq.size < TXN || ctlq.size < 3) {
		outb(io + VIRTIO_STATUS, VIRTIO_S_FAILED);
		return -1;
	}
	for (i = 0; i < RXN; i++)
		vq_post(&rxq, i, rxbuf[i], RXLEN, 1);
	outb(io + VIRTIO_STATUS,
	    VIRTIO_S_ACK | VIRTIO_S_DRIVER | VIRTIO_S_DRIVER_OK);
	vq_notify(&rxq);
	for (i = 0; i < 3; i++)
		vq_post(&ctlq, i, &hello[i], sizeof(hello[i]), 0);
	vq_notify(&ctlq);
	present = 1;	/* before the line is open: the handler checks it */
	if (irq_line >= 0)
		pic_unmask(irq_line);
	return 0;
}

int
vcons_present(void)
{
	return present;
}

int
vcons_irq_line(void)
{
	return present ? irq_line : -1;
}

/* Reading the ISR lowers the (level-triggered) line. */
void
vcons_irq(void)
{
	(void)inb(rxq.io + VIRTIO_ISR);
}

static void
tx_reclaim(void)
{
	uint32_t len;
	int id;

	while ((id = vq_used(&txq, &len)) >= 0)
		tx_busy &= ~(1u << id);
}

/* Sleep until an interrupt unless cond already holds. No IRQ line:
 * the 100 Hz timer wakes us. */
static void
sleep_unless(int cond)
{
	if (cond)
		sti();
	else
		cpu_idle();
}

static int
tx_slot(void)
{
	int i;

	for (;;) {
		cli();
		tx_reclaim();
		for (i = 0; i < TXN; i++)
			if (!(tx_busy & 1u << i))
				return i;	/* interrupts still off */
		sleep_unless(0);
	}
}

/* Counts each buffer as it is offered, with interrupts off, so a
 * signal mid-write reports exactly what the device was given. */
void
vcons_putn(const void *buf, size_t n, uint64_t *count)
{
	const uint8_t *p = buf;
	uint32_t f = eflags();
	size_t k, j;
	int i;

	while (n > 0) {
		i = tx_slot();
		k = n < TXLEN ? n : TXLEN;
		for (j = 0; j < k; j++)
			txbuf[i][j] = p[j];
		tx_busy |= 1u << i;
		vq_post(&txq, (uint16_t)i, txbuf[i], (uint32_t)k, 0);
		vq_notify(&txq);
		*count += k;
		if (f & 0x200)
			sti();
		p += k;
		n -= k;
	}
}

/* What has come in, up to n bytes; 0 when nothing has. */
size_t
vcons_getn(void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t got = 0, k;
	int reposted = 0;

	while (got < n) {
		if (cur < 0 && (cur = vq_used(&rxq, &cur_len)) < 0)
			break;
		k = cur_len - cur_off;
		if (k > n - got)
			k = n - got;
		for (size_t j = 0; j < k; j++)
			p[got + j] = rxbuf[cur][cur_off + j];
		got += k;
		if ((cur_off += (uint32_t)k) < cur_len)
			break;
		vq_post(&rxq, (uint16_t)cur, rxbuf[cur], RXLEN, 1);
		reposted = 1;
		cur = -1;
		cur_off = 0;
	}
	if (reposted)
		vq_notify(&rxq);
	return got;
}

static int
rx_pending(void)
{
	return cur >= 0 || rxq.used[1] != rxq.last_used;
}

/* One sleep until input comes, or any interrupt; none if a control
 * line came in meanwhile (it may be the `eof`). */
void
vcons_wait_rx(void)
{
	cli();
	if (ctl_poll() > 0) {
		sti();
		return;
	}
	sleep_unless(rx_pending());
}

/* Until the device has used every buffer we offered, or clock_ns()
 * passes end (0: no bound). */
static int
drain(uint64_t end)
{
	int r = 0;

	for (;;) {
		cli();
		tx_reclaim();
		if (tx_busy == 0)
			break;
		if (end != 0 && clock_ns() >= end) {
			r = -1;
			break;
		}
		sleep_unless(0);
	}
	sti();
	return r;
}

void
vcons_flush(void)
{
	drain(0);
}

int
vcons_flush_bounded(uint64_t ns)
{
	return drain(clock_ns() + ns);
}
