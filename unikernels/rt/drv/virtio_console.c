/*
 * The virtio console's ports (QEMU virtserialports): port 1, queues 4
 * (receive) and 5 (transmit), carries stdin and stdout; port 2, queues
 * 6 and 7, the file server's 9P (when the host has one). Port 0 would
 * need no MULTIPORT handshake, but QEMU reserves it for virtconsole,
 * which drops bytes when the host reads slowly; a virtserialport stalls
 * the guest instead. The handshake is control messages sent at start
 * (a port the host has not is ignored); what the host sends on the
 * control queue is ignored (we give it no buffers).
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
#define Q_RX(nr)	(2 * (nr) + 2)
#define Q_TX(nr)	(2 * (nr) + 3)
#define DEVICE_READY	0
#define PORT_READY	3
#define PORT_OPEN	6
#define RXN		32
#define RXLEN		4096
#define TXN		4
#define TXLEN		65536

struct vport {
	uint8_t rxmem[VQ_BYTES] __attribute__((aligned(4096)));
	uint8_t txmem[VQ_BYTES] __attribute__((aligned(4096)));
	uint8_t rxbuf[RXN][RXLEN];
	uint8_t txbuf[TXN][TXLEN];
	struct vq rxq, txq;
	int cur;		/* the receive buffer being read */
	uint32_t cur_len, cur_off;
	volatile uint32_t tx_busy;	/* a bit per transmit descriptor */
	int rx_unkicked;	/* receive buffers offered, not notified */
};

struct ctl_msg {
	uint32_t id;
	uint16_t event, value;
};

/* the device's rings and where we are in them: kept by a recycle */
static struct vport ports[VPORT_N] RT_KEEP __attribute__((aligned(4096)));
static uint8_t ctlmem[VQ_BYTES] RT_KEEP __attribute__((aligned(4096)));
static struct ctl_msg hello[1 + 2 * VPORT_N] RT_KEEP;
static struct vq ctlq RT_KEEP;
static int present RT_KEEP, nports RT_KEEP, irq_line RT_KEEP;

static int
port_init(struct vport *v, uint16_t io, int nr)
{
	uint16_t i;

	v->cur = -1;
	if (vq_init(&v->rxq, io, Q_RX(nr), v->rxmem) == -1 ||
	    vq_init(&v->txq, io, Q_TX(nr), v->txmem) == -1 ||
	    v->rxq.size < RXN || v->txq.size < TXN)
		return -1;
	vq_intr(&v->rxq, 0);
	vq_intr(&v->txq, 0);
	for (i = 0; i < RXN; i++)
		vq_post(&v->rxq, i, v->rxbuf[i], RXLEN, 1);
	return 0;
}

/* Ports 1 to n (n at most VPORT_N: the host's domain has them). */
int
vcons_init(int n_ports)
{
	uint16_t io, i, n = 0;

	if (virtio_pci_open(DEVICE_CONSOLE, &io, &irq_line) == -1)
		return -1;
	if (!(inl(io + VIRTIO_HOST_FEATURES) & F_MULTIPORT))
		return -1;
	outl(io + VIRTIO_GUEST_FEATURES, F_MULTIPORT);
	nports = n_ports < VPORT_N ? n_ports : VPORT_N;
	for (i = 0; i < nports; i++)
		if (port_init(&ports[i], io, i + 1) == -1)
			break;
	if (i < nports || vq_init(&ctlq, io, Q_CTL_TX, ctlmem) == -1 ||
	    ctlq.size < 1 + 2 * VPORT_N) {
		outb(io + VIRTIO_STATUS, VIRTIO_S_FAILED);
		return -1;
	}
	outb(io + VIRTIO_STATUS,
	    VIRTIO_S_ACK | VIRTIO_S_DRIVER | VIRTIO_S_DRIVER_OK);
	hello[n++] = (struct ctl_msg){ 0, DEVICE_READY, 1 };
	for (i = 0; i < nports; i++) {
		vq_notify(&ports[i].rxq);
		hello[n++] = (struct ctl_msg){ i + 1, PORT_READY, 1 };
		hello[n++] = (struct ctl_msg){ i + 1, PORT_OPEN, 1 };
	}
	for (i = 0; i < n; i++)
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
vport_present(int port)
{
	return present && port < nports;
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
	(void)inb(ctlq.io + VIRTIO_ISR);
}

static void
tx_reclaim(struct vport *v)
{
	uint32_t len;
	int id;

	while ((id = vq_used(&v->txq, &len)) >= 0)
		v->tx_busy &= ~(1u << id);
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
tx_sleep(struct vport *v)
{
	vq_intr(&v->txq, 1);
	sleep_unless(vq_more(&v->txq));
	vq_intr(&v->txq, 0);
}

static int
tx_slot(struct vport *v)
{
	int i;

	for (;;) {
		cli();
		tx_reclaim(v);
		for (i = 0; i < TXN; i++)
			if (!(v->tx_busy & 1u << i))
				return i;	/* interrupts still off */
		tx_sleep(v);
	}
}

static void
tx_offer(struct vport *v, int id, size_t k, uint64_t *count)
{
	v->tx_busy |= 1u << id;
	vq_post(&v->txq, (uint16_t)id, v->txbuf[id], (uint32_t)k, 0);
	vq_notify(&v->txq);
	if (count != NULL)
		*count += k;
}

/* Counts each buffer as it is offered, with interrupts off, so a
 * signal mid-write reports exactly what the device was given. */
void
vport_putn(int port, const void *buf, size_t n, uint64_t *count)
{
	struct vport *v = &ports[port];
	const uint8_t *p = buf;
	uint32_t f = eflags();
	size_t k;
	int i;

	while (n > 0) {
		i = tx_slot(v);
		k = n < TXLEN ? n : TXLEN;
		memcpy(v->txbuf[i], p, k);
		tx_offer(v, i, k, count);
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
rx_kick(struct vport *v, uint16_t before)
{
	if (v->rx_unkicked && vq_reached(&v->rxq, before)) {
		vq_notify(&v->rxq);
		v->rx_unkicked = 0;
	}
}

/* What has come in, up to n bytes; 0 when nothing has. */
size_t
vport_getn(int port, void *buf, size_t n)
{
	struct vport *v = &ports[port];
	uint8_t *p = buf;
	uint16_t before = v->rxq.avail[1];
	size_t got = 0, k;

	while (got < n) {
		if (v->cur < 0 && (v->cur = vq_used(&v->rxq, &v->cur_len)) < 0)
			break;
		k = v->cur_len - v->cur_off;
		if (k > n - got)
			k = n - got;
		memcpy(p + got, v->rxbuf[v->cur] + v->cur_off, k);
		got += k;
		if ((v->cur_off += (uint32_t)k) < v->cur_len)
			break;
		vq_post(&v->rxq, (uint16_t)v->cur, v->rxbuf[v->cur], RXLEN, 1);
		v->rx_unkicked = 1;
		v->cur = -1;
		v->cur_off = 0;
	}
	rx_kick(v, before);
	return got;
}

static int
rx_pending(struct vport *v)
{
	return v->cur >= 0 || vq_more(&v->rxq);
}

/* One sleep until input comes, or any interrupt; none if a control
 * line came in meanwhile (it may be the `eof`, or a `sig`). */
void
vport_wait_rx(int port)
{
	struct vport *v = &ports[port];

	cli();
	if (ctl_poll() > 0) {
		sti();
		return;
	}
	if (v->rx_unkicked) {
		vq_notify(&v->rxq);
		v->rx_unkicked = 0;
	}
	vq_intr(&v->rxq, 1);
	sleep_unless(rx_pending(v));
	vq_intr(&v->rxq, 0);
}

/* Until the device has used every buffer we offered, or clock_ns()
 * passes end (0: no bound). */
static int
drain(struct vport *v, uint64_t end)
{
	int r = 0;

	for (;;) {
		cli();
		tx_reclaim(v);
		if (v->tx_busy == 0)
			break;
		if (end != 0 && clock_ns() >= end) {
			r = -1;
			break;
		}
		tx_sleep(v);
	}
	sti();
	return r;
}

void
vport_flush(int port)
{
	drain(&ports[port], 0);
}

int
vport_flush_bounded(int port, uint64_t ns)
{
	return drain(&ports[port], clock_ns() + ns);
}
