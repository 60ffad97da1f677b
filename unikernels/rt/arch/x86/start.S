/* Entry points: multiboot v1 (QEMU -kernel under pc) and PVH (microvm). */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-align modules, memory info */
#define PVH_MAGIC	0x336ec578

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .note.Xen, "a"
	.align 4
	.long 4			/* name size: "Xen\0" */
	.long 4			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.align 4
	.long pvh_start

	.text
	.code32
	.global _start
_start:
	cli
	cld
	jmp common

	.global pvh_start
pvh_start:
	cli
	cld
	movl $PVH_MAGIC, %eax
common:
	movl %eax, %esi
	movl $__bss_start, %edi
	movl $_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl $stack_top, %esp
	xorl %ebp, %ebp
	pushl %ebx
	pushl %esi
	call rt_start
1:	cli
	hlt
	jmp 1b

	.bss
	.align 4096
	.global stack_guard, stack_bottom
stack_guard:			/* unmapped: an overflow faults here */
	.space 4096
stack_bottom:
	.space 65536
stack_top:
