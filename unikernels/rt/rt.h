/* Private interfaces between the runtime's parts (not for programs). */
#ifndef FLEETRT_PRIV_H
#define FLEETRT_PRIV_H

#include <stddef.h>
#include <stdint.h>

/* What a recycle leaves as it is (kern/recycle.c): state that devices
 * hold a side of, and the recycle's own. */
#define RT_KEEP		__attribute__((section(".keep")))

/* arch/x86_64: boot.c, cpu.c, paging.c, fault.c */
#define IRQ_BASE	32
struct frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vec, err;
	uint64_t rip, cs, rflags, rsp, ss;
};
#define KBASE		0xffffffff80000000ull
#define LAPIC_VA	0xffffffffc0200000ull	/* paging.c maps it */
struct bootinfo {
	const char *cmdline;	/* NULL when the loader passed none */
	uintptr_t memtop;	/* first byte past usable RAM above 1 MiB */
	uintptr_t module;	/* the first boot module's physical address */
	size_t module_len;	/* and length; 0: none */
	uintptr_t free;		/* first free physical byte past both */
	char *words;		/* the module's words (section 2.2), or NULL */
};
void	rt_start(uint32_t, uint32_t);
void	boot_parse(uint32_t, uint32_t, struct bootinfo *);
void	cpu_init(void);
void	cpu_idle(void);
void	paging_init(uintptr_t);
void	*phys_to_virt(uintptr_t);
uintptr_t virt_to_phys(const void *);
void	isr_dispatch(struct frame *);
void	fault(struct frame *);

/* arch/x86_64/paging.c: the program's page tables */
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define USER_TOP	0x0000800000000000ull
int	pt_map(uintptr_t, uintptr_t, int);
uintptr_t pt_lookup(uintptr_t);
uintptr_t pt_unmap(uintptr_t);
int	pt_protect(uintptr_t, int);
void	cpu_set_fs(uint64_t);
void	enter_user(uintptr_t, uintptr_t) __attribute__((noreturn));

/* arch/x86_64/ctx.S: a kernel context to come back to */
struct ctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
int	ctx_save(struct ctx *);		/* 0; 1 when resumed */
_Noreturn void ctx_resume(const struct ctx *);
_Noreturn void on_stack(void (*)(void), void *);
void	cpu_user_reset(void);		/* FPU, SSE, TLB as at boot */

/* kern/frames.c */
void	frames_init(uintptr_t, uintptr_t);
uintptr_t frame_alloc(void);
void	frame_free(uintptr_t);
size_t	frames_left(void);
void	frames_span(uintptr_t *, uintptr_t *);
uintptr_t frames_take_top(size_t);

/* kern/recycle.c: a pool VM made new after its program exits */
int	rt_checkpoint(void);
int	rt_recyclable(void);
void	rt_recycle(uint64_t);

/* linux/mm.c */
int	mm_fault(uintptr_t, uint64_t);

/* drv/pic.c: 8259s, local APIC, IRQ handling */
void	pic_init(void);
void	pic_unmask(int);
void	lapic_init(void);
void	irq(int);

/* drv/uart.c: the three 16550s */
enum { COM1, COM2, COM3 };
void	uart_init(void);
int	uart_present(int);
void	uart_irq(void);
void	uart_putn(int, const void *, size_t, uint64_t *);
size_t	uart_getn(int, void *, size_t);
void	uart_wait_rx(int);
void	uart_rx_off(int);
void	uart_flush(int);
int	uart_flush_bounded(int, uint64_t);

/* drv/pci.c: configuration space */
uint32_t pci_read(uint32_t, uint8_t);
void	pci_write(uint32_t, uint8_t, uint32_t);
int	pci_find(uint16_t, uint16_t, uint32_t *);

/* drv/virtio_console.c: stdin and stdout when the device is there */
#define VPORT_STDIO	0	/* virtserialport 1 */
#define VPORT_FILES	1	/* virtserialport 2: 9P */
#define VPORT_N		2
int	vcons_init(int);
int	vcons_present(void);
int	vport_present(int);
int	vcons_irq_line(void);
void	vcons_irq(void);
void	vport_putn(int, const void *, size_t, uint64_t *);
size_t	vport_getn(int, void *, size_t);
void	vport_wait_rx(int);
void	vport_flush(int);
int	vport_flush_bounded(int, uint64_t);

/* drv/clock.c: PIT tick and monotonic time */
void	clock_init(void);
void	clock_tick(void);
uint64_t clock_ns(void);

/* drv/acpi.c */
void	acpi_init(void);
int	acpi_poll(void);
_Noreturn void acpi_poweroff(void);

/* kern/ctl.c: the control channel */
int	ctl_poll(void);
void	ctl_send(const char *, ...);
void	ctl_ready(void);
void	ctl_final(const char *, ...);
void	ctl_await_bye(uint64_t);
int	ctl_args(char *);
extern volatile int ctl_sig;		/* 0, or a signal the host sent */
extern volatile int64_t ctl_eof;	/* -1 until the host sent eof N */
extern volatile int64_t ctl_again;	/* -1 until the host sent again N */

/* kern/exit.c */
extern uint64_t rt_out, rt_err, rt_in;
_Noreturn void rt_exit(int);
_Noreturn void rt_signaled(int);
_Noreturn void rt_crash(const char *, const char *, ...);
void	rt_check_signal(void);

/* kern/io.c: fds 0, 1, 2 */
void	rt_console_init(void);
void	rt_stdout_flush(void);
int	rt_stdout_flush_bounded(uint64_t);
void	rt_stderr(const void *, size_t);
void	rt_stdout(const void *, size_t);
size_t	rt_stdin(void *, size_t);

/* kern/main.c */
const char *rt_setting(const char *);
int	rt_settings(const char *, char **, int);
extern struct bootinfo rt_boot;
void	rt_prepare(void);	/* before a pool VM waits for its words */
int	rt_flag(const char *);
uint64_t rt_setting_num(const char *, int, uint64_t);

/* linux/start.c: memory for the program */
void	rt_memory_init(void *, size_t);

#endif
