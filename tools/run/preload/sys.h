/*
 * sys.h - memcgfs-run's library: system calls without libc.
 *
 * The library wraps syscall(2) itself (for clone3), so its own system
 * calls go straight to the kernel: raw_syscall() sets errno and returns
 * -1 on failure as syscall(2) does.  x86-64 only.
 */
#ifndef MEMCGFS_RUN_SYS_H
#define MEMCGFS_RUN_SYS_H

long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
		 long a6);

#define sys0(nr) raw_syscall(nr, 0, 0, 0, 0, 0, 0)
#define SYSN(nr, a, b, c, d, e, f, ...) \
	raw_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), \
		    (long)(e), (long)(f))
/* sys(SYS_x, args...): up to six arguments. */
#define sys(nr, ...) SYSN(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)

#endif
