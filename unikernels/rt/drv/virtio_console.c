/*
 * stdin and stdout on virtio-serial port 1 (QEMU virtserialport, nr=1):
 * queues 4 (receive) and 5 (transmit). Port 0 would need no MULTIPORT
 * handshake, but QEMU reserves it for virtconsole, which drops bytes
 * when the host reads slowly; a virtserialport stalls the guest instead.
 * The handshake is three control messages sent at start; what the host
 * sends on the control queue is ignored (we give it no buffers).
 * Transmit buffers are 64 KiB, the most one write of the relay reads:
 * under TCG, QEMU writes what a notify offers to the chardev before the
 * notify returns (no ioeventfd without KVM), one write(2) per buffer.
 * Copying beats lending the caller's buffer: the program goes on while
 * the host drains four of them. Receive buffers are 4 KiB because QEMU
 * hands a chardev's input over in reads of at most that, one buffer
 * each. Neither queue interrupts but while we wait for it.
 */
#include <string.h>
#include "rt.h"
#include "virtio.h"
#include "../arch/x86_64/io.h"

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
#define TXN		4
#define TXLEN		65536

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
static volatile uint32_t tx_busy;	/* a bit per transmit descriptor */
static int rx_unkicked;		/* receive buffers offered, not notified */

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
	vq_intr(&rxq, 0);
	vq_intr(&txq, 0);
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

/* With interrupts off: sleep until the device has used another
 * transmit buffer, taking its interrupt only for this wait. */
static void
tx_sleep(void)
{
	vq_intr(&txq, 1);
	sleep_unless(vq_more(&txq));
	vq_intr(&txq, 0);
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
		tx_sleep();
	}
}

static void
tx_offer(int id, const void *p, size_t k, uint64_t *count)
{
	tx_busy |= 1u << id;
	vq_post(&txq, (uint16_t)id, (void *)p, (uint32_t)k, 0);
	vq_notify(&txq);
	*count += k;
}

/* Counts each buffer as it is offered, with interrupts off, so a
 * signal mid-write reports exactly what the device was given. */
void
vcons_putn(const void *buf, size_t n, uint64_t *count)
{
	const uint8_t *p = buf;
	uint32_t f = eflags();
	size_t k;
	int i;

	while (n > 0) {
		i = tx_slot();
		k = n < TXLEN ? n : TXLEN;
		memcpy(txbuf[i], p, k);
		tx_offer(i, txbuf[i], k, count);
		if (f & 0x200)
			sti();
		p += k;
		n -= k;
	}
}

/* The device has buffers to fill while it has not used all we gave
 * it, and reads the ring afresh as it goes: notify only when it had run
 * dry (since before), or before we wait. */
static void
rx_kick(uint16_t before)
{
	if (rx_unkicked && vq_reached(&rxq, before)) {
		vq_notify(&rxq);
		rx_unkicked = 0;
	}
}

/* What has come in, up to n bytes; 0 when nothing has. */
size_t
vcons_getn(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint16_t before = rxq.avail[1];
	size_t got = 0, k;

	while (got < n) {
		if (cur < 0 && (cur = vq_used(&rxq, &cur_len)) < 0)
			break;
		k = cur_len - cur_off;
		if (k > n - got)
			k = n - got;
		memcpy(p + got, rxbuf[cur] + cur_off, k);
		got += k;
		if ((cur_off += (uint32_t)k) < cur_len)
			break;
		vq_post(&rxq, (uint16_t)cur, rxbuf[cur], RXLEN, 1);
		rx_unkicked = 1;
		cur = -1;
		cur_off = 0;
	}
	rx_kick(before);
	return got;
}

static int
rx_pending(void)
{
	return cur >= 0 || vq_more(&rxq);
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
	if (rx_unkicked) {
		vq_notify(&rxq);
		rx_unkicked = 0;
	}
	vq_intr(&rxq, 1);
	sleep_unless(rx_pending());
	vq_intr(&rxq, 0);
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
		tx_sleep();
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
