/* A kernel context saved and resumed (a recycle's way back to the pool
 * VM's wait for its words), a call on another stack, and the user's
 * CPU state as a fresh boot leaves it. */
	.text

/* ctx_save(c): returns 0; returns 1 again when ctx_resume(c) runs. */
	.global ctx_save
ctx_save:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, 48(%rdi)
	movq (%rsp), %rax
	movq %rax, 56(%rdi)
	xorl %eax, %eax
	ret

/* ctx_resume(c): back where ctx_save(c) returned, the stack as it is. */
	.global ctx_resume
ctx_resume:
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	movl $1, %eax
	jmpq *56(%rdi)

/* on_stack(fn, top): fn() on the stack that ends at top; it does not
 * return. */
	.global on_stack
on_stack:
	movq %rsi, %rsp
	xorl %ebp, %ebp
	callq *%rdi
1:	cli
	hlt
	jmp 1b

/* x87 and SSE at their reset values, every XMM register zero, FS and
 * GS bases 0, the TLB flushed of the user's mappings. */
	.global cpu_user_reset
cpu_user_reset:
	fninit
	subq $8, %rsp
	movl $0x1f80, (%rsp)
	ldmxcsr (%rsp)
	addq $8, %rsp
	pxor %xmm0, %xmm0
	pxor %xmm1, %xmm1
	pxor %xmm2, %xmm2
	pxor %xmm3, %xmm3
	pxor %xmm4, %xmm4
	pxor %xmm5, %xmm5
	pxor %xmm6, %xmm6
	pxor %xmm7, %xmm7
	pxor %xmm8, %xmm8
	pxor %xmm9, %xmm9
	pxor %xmm10, %xmm10
	pxor %xmm11, %xmm11
	pxor %xmm12, %xmm12
	pxor %xmm13, %xmm13
	pxor %xmm14, %xmm14
	pxor %xmm15, %xmm15
	xorl %eax, %eax
	xorl %edx, %edx
	movl $0xc0000100, %ecx
	wrmsr
	movl $0xc0000101, %ecx
	wrmsr
	movq %cr3, %rax
	movq %rax, %cr3
	ret
