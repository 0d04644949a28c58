/*
 * vfork.c - vfork(2) that puts the child in its parent's group.
 *
 * glibc's vfork runs no pthread_atfork handlers, so a vforked child never
 * says "forked" and stays where memcgfs puts processes it was not told
 * about, while on a kernel it starts in its parent's cgroup
 * (cgroup_post_fork).  A child that execs says so from the new image's
 * constructor; one that never execs (test_freezer's test_cgfreezer_vfork
 * sleeps forever) must say so here.
 *
 * It cannot be a C function: the child returns from it and goes on using
 * the stack the parent's frame was on, so the parent, resumed, would
 * return through a clobbered frame.  As glibc's own vfork does, the return
 * address is kept in a register across the system call.  The child runs
 * on the parent's memory: it only writes "forked" to the kept sim.ctl fd,
 * which changes nothing the parent relies on (no charge, no kstack, no
 * setenv: an image it execs charges its kernel stack itself).  x86-64.
 */
#include <errno.h>
#include <sys/syscall.h>

#include "ctl.h"

__attribute__((used)) static void vfork_in_child(void)
{
	if (ctl_ready())
		(void)ctl_cmd("forked");
}

__attribute__((used)) static long vfork_failed(long ret)
{
	errno = (int)-ret;
	return -1;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* rsp is 8 mod 16 at entry and again after the push: sub 8 before a call. */
__asm__(".text\n"
	".globl vfork\n"
	".type vfork, @function\n"
	"vfork:\n"
	"	pop %rdi\n"
	"	mov $" STR(SYS_vfork) ", %eax\n"
	"	syscall\n"
	"	push %rdi\n"
	"	cmp $-4095, %rax\n"
	"	jae 2f\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	sub $8, %rsp\n"
	"	call vfork_in_child\n"
	"	add $8, %rsp\n"
	"	xor %eax, %eax\n"
	"1:	ret\n"
	"2:	sub $8, %rsp\n"
	"	mov %rax, %rdi\n"
	"	call vfork_failed\n"
	"	add $8, %rsp\n"
	"	ret\n"
	".size vfork, .-vfork\n");
