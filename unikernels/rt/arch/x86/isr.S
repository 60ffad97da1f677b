/* Interrupt stubs: push a vector number (and a dummy error code where the
 * CPU pushes none), save registers, call isr_dispatch(frame). */
	.text
.macro STUB vec, err
	.global isr\vec
isr\vec:
	.if \err == 0
	pushl $0
	.endif
	pushl $\vec
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

/* Page and double faults arrive by task gate, on a stack of their own,
 * with the error code on top: make it the C function's argument. */
	.global pf_entry, df_entry
pf_entry:
	call pf_task
df_entry:
	call df_task

isr_common:
	pushal
	cld
	pushl %esp
	call isr_dispatch
	addl $4, %esp
	popal
	addl $8, %esp
	iret

	.section .rodata
	.align 4
	.global isr_table
isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	.long isr\n
.endr
.irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long isr\n
.endr
