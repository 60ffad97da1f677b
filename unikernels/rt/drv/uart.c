/*
 * The three 16550s. COM1 and COM2 interrupt only while someone waits on
 * them: the waiter arms IER, halts, and the IRQ handler disarms it again,
 * so a stream costs no interrupt per byte. COM3 shares IRQ4 with COM1;
 * the timer polls it, and only a wait for a control line (pool mode's
 * `args`, linger mode's `bye`) arms its interrupt.
 */
#include "rt.h"
#include "../arch/x86_64/io.h"

#define RBR	0
#define THR	0
#define IER	1
#define IIR	2
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define SCR	7
#define DLL	0
#define DLM	1

#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define IER_RX		0x01
#define IER_TX		0x02
#define FIFO_LEN	16

static const uint16_t base[3] = { 0x3f8, 0x2f8, 0x3e8 };
static int absent[3];

/* A missing port (microvm has only COM1) reads as all ones: make it
 * look idle and empty instead. */
static uint8_t
lsr(int port)
{
	return absent[port] ? LSR_THRE | LSR_TEMT : inb(base[port] + LSR);
}

static int
probe(int port)
{
	outb(base[port] + SCR, 0x5A);
	if (inb(base[port] + SCR) != 0x5A)
		return 0;
	outb(base[port] + SCR, 0xA5);
	return inb(base[port] + SCR) == 0xA5;
}

void
uart_init(void)
{
	int i;

	for (i = COM1; i <= COM3; i++) {
		if ((absent[i] = !probe(i)))
			continue;
		outb(base[i] + IER, 0);
		outb(base[i] + LCR, 0x80);
		outb(base[i] + DLL, 1);		/* 115200 baud */
		outb(base[i] + DLM, 0);
		outb(base[i] + LCR, 0x03);	/* 8N1 */
		outb(base[i] + FCR, 0xC7);	/* FIFOs on, RX trigger at 14 */
		outb(base[i] + MCR, 0x0B);	/* DTR, RTS, OUT2 (IRQ) */
	}
}

int
uart_present(int port)
{
	return !absent[port];
}

void
uart_irq(void)
{
	int i;

	for (i = COM1; i <= COM3; i++)
		if (!absent[i]) {
			(void)inb(base[i] + IIR);
			outb(base[i] + IER, 0);
		}
}

/* Sleep until LSR shows bit, arming ier (if the port has interrupts). */
static void
wait_lsr(int port, uint8_t bit, uint8_t ier)
{
	while (!(lsr(port) & bit)) {
		cli();
		if (port != COM3 && !absent[port])
			outb(base[port] + IER, ier);
		if (lsr(port) & bit) {
			sti();
			break;
		}
		cpu_idle();
	}
}

/* Counts each chunk as it goes, with interrupts off, so a signal
 * mid-write reports exactly what reached the port. */
void
uart_putn(int port, const void *buf, size_t n, uint64_t *count)
{
	const uint8_t *p = buf;
	size_t k;

	uint32_t f = eflags();

	while (n > 0) {
		wait_lsr(port, LSR_THRE, IER_TX);
		cli();
		for (k = 0; k < FIFO_LEN && k < n; k++)
			if (!absent[port])
				outb(base[port] + THR, p[k]);
		if (count != NULL)
			*count += k;
		if (f & 0x200)
			sti();
		p += k;
		n -= k;
	}
}

size_t
uart_getn(int port, void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t k = 0;

	while (k < n && (lsr(port) & LSR_DR))
		p[k++] = inb(base[port] + RBR);
	return k;
}

/* One sleep until the port has input, or any interrupt comes; none if
 * a control line came in meanwhile (it may be the `eof`). */
void
uart_wait_rx(int port)
{
	cli();
	if (ctl_poll() > 0) {
		sti();
		return;
	}
	if (!absent[port])
		outb(base[port] + IER, IER_RX);
	if (lsr(port) & LSR_DR)
		sti();
	else
		cpu_idle();
}

/* After waits with uart_wait_rx: the port stops interrupting. */
void
uart_rx_off(int port)
{
	if (!absent[port])
		outb(base[port] + IER, 0);
}

/* Until the transmitter is empty, so QEMU holds none of our bytes. */
void
uart_flush(int port)
{
	while (!(lsr(port) & LSR_TEMT)) {
		wait_lsr(port, LSR_THRE, IER_TX);
		if (!(lsr(port) & LSR_TEMT))
			cpu_idle();
	}
}

int
uart_flush_bounded(int port, uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (!(lsr(port) & LSR_TEMT)) {
		if (clock_ns() >= end)
			return -1;
		cpu_idle();
	}
	return 0;
}
