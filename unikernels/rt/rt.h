/* Private interfaces between the runtime's parts (not for programs). */
#ifndef FLEETRT_PRIV_H
#define FLEETRT_PRIV_H

#include <stddef.h>
#include <stdint.h>

/* arch/x86: boot.c, cpu.c, paging.c, fault.c */
struct frame {
	uint32_t edi, esi, ebp, esp0, ebx, edx, ecx, eax;
	uint32_t vec, err;
	uint32_t eip, cs, eflags;
};
struct bootinfo {
	const char *cmdline;	/* NULL when the loader passed none */
	uint32_t memtop;	/* first byte past usable RAM above 1 MiB */
};
void	rt_start(uint32_t, uint32_t);
void	boot_parse(uint32_t, uint32_t, struct bootinfo *);
void	cpu_init(void);
void	cpu_idle(void);
void	pic_unmask(int);
void	paging_init(uint32_t);
void	isr_dispatch(struct frame *);
void	fault(struct frame *);
void	fault_report(uint32_t, uint32_t, uint32_t, uint32_t);
void	pf_task(uint32_t);
void	df_task(uint32_t);

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
int	vcons_init(void);
int	vcons_present(void);
int	vcons_irq_line(void);
void	vcons_irq(void);
void	vcons_putn(const void *, size_t, uint64_t *);
size_t	vcons_getn(void *, size_t);
void	vcons_wait_rx(void);
void	vcons_flush(void);
int	vcons_flush_bounded(uint64_t);

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
int	rt_flag(const char *);

/* lib: the libc parts the kernel calls */
void	rt_heap_init(void *, size_t);
void	rt_stdio_flush(void);

#endif
