/* Legacy (transitional) virtio over PCI I/O ports, and split
 * virtqueues whose descriptor i always points at buffer i. */
#ifndef RT_VIRTIO_H
#define RT_VIRTIO_H

#include <stdint.h>

#define VIRTIO_VENDOR	0x1AF4

#define VIRTIO_HOST_FEATURES	0x00
#define VIRTIO_GUEST_FEATURES	0x04
#define VIRTIO_QUEUE_PFN	0x08
#define VIRTIO_QUEUE_SIZE	0x0C
#define VIRTIO_QUEUE_SEL	0x0E
#define VIRTIO_QUEUE_NOTIFY	0x10
#define VIRTIO_STATUS		0x12
#define VIRTIO_ISR		0x13

#define VIRTIO_S_ACK		1
#define VIRTIO_S_DRIVER		2
#define VIRTIO_S_DRIVER_OK	4
#define VIRTIO_S_FAILED		128

#define VRING_DESC_F_WRITE	2
#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VQ_MAX			256	/* the largest queue we can hold */

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vring_used_elem {
	uint32_t id, len;
};

struct vq {
	uint16_t io, index, size;
	uint16_t last_used;
	struct vring_desc *desc;
	volatile uint16_t *avail;	/* flags, idx, ring[size] */
	volatile uint16_t *used;	/* flags, idx, then elements */
	uint8_t *mem;			/* VQ_BYTES, 4096-aligned */
};

#define VQ_BYTES	(3 * 4096)

int	virtio_pci_open(uint16_t, uint16_t *, int *);
int	vq_init(struct vq *, uint16_t, uint16_t, uint8_t *);
void	vq_post(struct vq *, uint16_t, void *, uint32_t, int);
void	vq_notify(struct vq *);
int	vq_used(struct vq *, uint32_t *);
int	vq_more(struct vq *);
int	vq_reached(struct vq *, uint16_t);
void	vq_intr(struct vq *, int);

#endif
