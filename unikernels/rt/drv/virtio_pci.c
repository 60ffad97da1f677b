/* Legacy virtio-pci: find the device, reset it, set up its queues.
 * Single vCPU, x86: compiler barriers are the only ordering needed. */
#include "rt.h"
#include "virtio.h"
#include "../arch/x86_64/io.h"

#define barrier()	__asm__ volatile("" ::: "memory")
/* A store then a load of what the device writes (x86 orders all else). */
#define mb()		__asm__ volatile("lock; addl $0,(%%rsp)" ::: "memory")

#define PCI_COMMAND	0x04
#define PCI_BAR0	0x10
#define PCI_IRQ_LINE	0x3C
#define CMD_IO		0x1
#define CMD_MASTER	0x4

/*
 * SeaBIOS assigns BARs and routes the PIIX's PCI interrupts; qboot
 * does neither. Then the BAR gets IO_FREE and the device's PIRQ line
 * IRQ_FREE, level-triggered (PCI INTx), as SeaBIOS would.
 */
#define IO_FREE		0xC000
#define IRQ_FREE	11
#define PIIX_PIRQ	0x60	/* PIIX3 ISA bridge (00:01.0): PIRQA..D */
#define ELCR		0x4D0

static uint16_t
io_base(uint32_t bdf)
{
	uint32_t bar = pci_read(bdf, PCI_BAR0);

	if ((bar & ~3u) == 0) {
		pci_write(bdf, PCI_BAR0, IO_FREE);
		bar = pci_read(bdf, PCI_BAR0);
	}
	return (uint16_t)(bar & ~3u);
}

/* Pin A of a device in slot s raises PIRQ (s - 1) % 4 on QEMU's pc
 * (i440fx's pci_slot_get_pirq). */
static int
irq_line(uint32_t bdf)
{
	uint32_t isa = 1 << 3, pirq = (((bdf >> 3) & 31) + 3) & 3;
	uint32_t shift = 8 * pirq;
	uint32_t route = pci_read(isa, PIIX_PIRQ);
	uint32_t line = route >> shift & 0xFF;

	if (line & 0x80) {
		line = IRQ_FREE;
		pci_write(isa, PIIX_PIRQ, (route & ~(0xFFu << shift)) |
		    line << shift);
		outb(ELCR + 1, inb(ELCR + 1) | 1 << (line - 8));
		pci_write(bdf, PCI_IRQ_LINE,
		    (pci_read(bdf, PCI_IRQ_LINE) & ~0xFFu) | line);
	}
	return line > 2 && line < 16 ? (int)line : -1;
}

/* The transitional device's I/O base and IRQ line (-1: none). The
 * device is reset and acknowledged; no features are taken. */
int
virtio_pci_open(uint16_t device, uint16_t *io, int *irq)
{
	uint32_t bdf;

	if (pci_find(VIRTIO_VENDOR, device, &bdf) == -1)
		return -1;
	if (!(pci_read(bdf, PCI_BAR0) & 1))
		return -1;
	*io = io_base(bdf);
	*irq = irq_line(bdf);
	pci_write(bdf, PCI_COMMAND,
	    pci_read(bdf, PCI_COMMAND) | CMD_IO | CMD_MASTER);
	outb(*io + VIRTIO_STATUS, 0);
	outb(*io + VIRTIO_STATUS, VIRTIO_S_ACK | VIRTIO_S_DRIVER);
	outl(*io + VIRTIO_GUEST_FEATURES, 0);
	return 0;
}

/* Queue index on the device at io, in mem (VQ_BYTES, page-aligned). */
int
vq_init(struct vq *q, uint16_t io, uint16_t index, uint8_t *mem)
{
	uint32_t n, used;
	uint32_t i;

	outw(io + VIRTIO_QUEUE_SEL, index);
	n = inw(io + VIRTIO_QUEUE_SIZE);
	if (n == 0 || n > VQ_MAX)
		return -1;
	used = (16 * n + 6 + 2 * n + 4095) & ~4095u;
	for (i = 0; i < VQ_BYTES; i++)
		mem[i] = 0;
	q->io = io;
	q->index = index;
	q->size = (uint16_t)n;
	q->last_used = 0;
	q->mem = mem;
	q->desc = (struct vring_desc *)mem;
	q->avail = (volatile uint16_t *)(mem + 16 * n);
	q->used = (volatile uint16_t *)(mem + used);
	outl(io + VIRTIO_QUEUE_PFN, (uint32_t)(virt_to_phys(mem) >> 12));
	return 0;
}

/* Offer buffer id (descriptor id) to the device; write: device fills it. */
void
vq_post(struct vq *q, uint16_t id, void *buf, uint32_t len, int write)
{
	uint16_t idx = q->avail[1];

	q->desc[id].addr = virt_to_phys(buf);
	q->desc[id].len = len;
	q->desc[id].flags = write ? VRING_DESC_F_WRITE : 0;
	q->desc[id].next = 0;
	q->avail[2 + idx % q->size] = id;
	barrier();
	q->avail[1] = (uint16_t)(idx + 1);
	barrier();
}

void
vq_notify(struct vq *q)
{
	outw(q->io + VIRTIO_QUEUE_NOTIFY, q->index);
}

/* The next buffer the device is done with: its id, len its length;
 * -1 when there is none. */
int
vq_used(struct vq *q, uint32_t *len)
{
	const volatile struct vring_used_elem *e;

	barrier();
	if (q->used[1] == q->last_used)
		return -1;
	e = (const volatile struct vring_used_elem *)(q->used + 2) +
	    q->last_used % q->size;
	q->last_used++;
	*len = e->len;
	return (int)e->id;
}

/* Whether the device has used a buffer that vq_used has not returned. */
int
vq_more(struct vq *q)
{
	barrier();
	return q->used[1] != q->last_used;
}

/* Whether the device's used index is idx: it has used every buffer
 * offered before avail[1] was idx. */
int
vq_reached(struct vq *q, uint16_t idx)
{
	mb();
	return q->used[1] == idx;
}

/* Whether the device interrupts as it uses q's buffers (QEMU honours
 * the hint). Ordered before the caller's next look at the used ring. */
void
vq_intr(struct vq *q, int on)
{
	q->avail[0] = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
	mb();
}
