/*
 * Ways into the kernel, all leaving the same frame (struct frame, in
 * rt.h): interrupt and exception stubs, which push a vector number and
 * a dummy error code where the CPU pushes none, and the `syscall`
 * instruction, whose entry builds the frame an interrupt from ring 3
 * would have. Every way out is iretq, so a handler may change where
 * the program resumes.
 */
#define USER_CS		0x23
#define USER_SS		0x1b

	.text
.macro STUB vec, err
isr\vec:
	.if \err == 0
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

STUB 0,0;  STUB 1,0;  STUB 2,0;  STUB 3,0;  STUB 4,0;  STUB 5,0
STUB 6,0;  STUB 7,0;  STUB 8,1;  STUB 9,0;  STUB 10,1; STUB 11,1
STUB 12,1; STUB 13,1; STUB 14,1; STUB 15,0; STUB 16,0; STUB 17,1
STUB 18,0; STUB 19,0; STUB 20,0; STUB 21,1; STUB 22,0; STUB 23,0
STUB 24,0; STUB 25,0; STUB 26,0; STUB 27,0; STUB 28,0; STUB 29,1
STUB 30,1; STUB 31,0
STUB 32,0; STUB 33,0; STUB 34,0; STUB 35,0; STUB 36,0; STUB 37,0
STUB 38,0; STUB 39,0; STUB 40,0; STUB 41,0; STUB 42,0; STUB 43,0
STUB 44,0; STUB 45,0; STUB 46,0; STUB 47,0

.macro SAVE
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
.endm

.macro RESTORE
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq
.endm

isr_common:
	SAVE
	movq %rsp, %rdi
	call isr_dispatch
	RESTORE

/* syscall: rcx is the program's rip, r11 its rflags; interrupts are
 * off (SFMASK) until the frame is built on the kernel stack. */
	.global syscall_entry
syscall_entry:
	movq %rsp, user_rsp(%rip)
	movabsq $stack_top, %rsp
	pushq $USER_SS
	pushq user_rsp(%rip)
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0
	pushq $-1
	SAVE
	movq %rsp, %rdi
	call syscall_dispatch
	RESTORE

/* enter_user(rip, rsp): start the program, every register zero. */
	.global enter_user
enter_user:
	pushq $USER_SS
	pushq %rsi
	pushq $0x202		/* IF */
	pushq $USER_CS
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	iretq

	.bss
	.align 8
user_rsp:
	.quad 0

	.section .rodata
	.align 8
	.global isr_table
isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	.quad isr\n
.endr
.irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad isr\n
.endr
