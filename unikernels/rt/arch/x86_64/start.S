/*
 * Entry from QEMU's multiboot loader, which refuses ELF64 files: the
 * header's a.out fields make it load the image as bytes at 1 MiB.
 * Still 32-bit here: map the first GiB twice (identity, for the jump,
 * and at KBASE, where the kernel is linked), enter long mode, go high.
 */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00010003	/* page-align modules, memory, a.out */
#define KBASE		0xffffffff80000000
#define PHYS(x)		((x) - KBASE)

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mb_header)
	.long PHYS(__image_start)
	.long PHYS(__load_end)
	.long PHYS(_end)
	.long PHYS(_start32)

	.section .boot, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	movl %eax, %esi			/* multiboot magic */
	movl %ebx, %edi			/* multiboot info */
	movl $PHYS(boot_pml4), %edx	/* three tables, zeroed */
	movl %edx, %edi
	xorl %eax, %eax
	movl $3 * 1024, %ecx
	rep stosl
	movl %ebx, %edi

	movl $PHYS(boot_pd), %edx	/* 512 x 2 MiB: the first GiB */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, 2 MiB */
	movl %eax, (%edx,%ecx,8)
	movl $0, 4(%edx,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b
	movl $PHYS(boot_pd) + 3, %eax
	movl %eax, PHYS(boot_pdpt)
	movl %eax, PHYS(boot_pdpt) + 510 * 8
	movl $PHYS(boot_pdpt) + 3, %eax
	movl %eax, PHYS(boot_pml4)
	movl %eax, PHYS(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx		/* EFER */
	rdmsr
	orl $0x901, %eax		/* SCE, LME, NXE */
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG, WP, PE */
	movl %eax, %cr0
	lgdt PHYS(boot_gdtr)
	ljmp $0x08, $PHYS(start64)

	.code64
start64:
	movabsq $high, %rax
	jmp *%rax
high:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq %rdi, %rbx
	movabsq $__bss_start, %rdi
	movabsq $_end, %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movabsq $stack_top, %rsp
	xorl %ebp, %ebp
	movl %esi, %edi
	movl %ebx, %esi
	call rt_start
1:	cli
	hlt
	jmp 1b

	.align 8
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF	/* 0x08: 64-bit code */
	.quad 0x00CF92000000FFFF	/* 0x10: data */
boot_gdtr:
	.word 23
	.long PHYS(boot_gdt)

	.section .boot.bss, "aw", @nobits
	.align 4096
boot_pml4:	.space 4096
boot_pdpt:	.space 4096
boot_pd:	.space 4096

	.bss
	.align 4096
	.global stack_guard, stack_bottom, stack_top
stack_guard:			/* unmapped: an overflow faults here */
	.space 4096
stack_bottom:
	.space 65536
stack_top:
