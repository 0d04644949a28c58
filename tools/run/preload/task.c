/*
 * task.c - the process and its threads (see task.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sys.h"
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "anon.h"
#include "ctl.h"
#include "pagecache.h"
#include "task.h"

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

static pthread_key_t thread_key;

/* This process's pid in the environment, for the exec'd image. */
static void mark_pid(void)
{
	char buf[24];

	*ctl_put_u64(buf, buf + sizeof(buf) - 1, (uint64_t)getpid()) = '\0';
	setenv(RUN_PID_ENV, buf, 1);
}

/* A child: into the parent's group, with its own kernel stack. */
static void join_parent(void)
{
	(void)ctl_cmd("forked");
	(void)ctl_cmd("kstack 1 in=self");
	mark_pid();
}

static void thread_end(void *arg)
{
	(void)arg;
	pagecache_flush();
	anon_thread_exit();
	(void)ctl_cmd("free kstack 1 in=self");
}

static void before_fork(void)
{
	pagecache_flush();
}

static void in_child(void)
{
	anon_forked();
	join_parent();
}

__attribute__((constructor)) static void run_init(void)
{
	const char *marked = getenv(RUN_PID_ENV);

	if (!ctl_init())
		return;
	pthread_key_create(&thread_key, thread_end);
	pthread_atfork(before_fork, NULL, in_child);
	if (marked && atol(marked) == getpid()) {
		/* An exec: same process, same group, same kernel stack. */
		return;
	}
	if (marked && atol(marked) == -getpid()) {
		/* memcgfs-run's own exec: it put itself in the group. */
		(void)ctl_cmd("kstack 1 in=self");
		mark_pid();
		return;
	}
	join_parent();
}

__attribute__((destructor)) static void run_exit(void)
{
	if (ctl_ready())
		pagecache_flush();
}

/* --- threads --------------------------------------------------------------- */

struct start {
	void *(*fn)(void *);
	void *arg;
};

static void *thread_start(void *p)
{
	struct start s = *(struct start *)p;

	__libc_free(p);
	pthread_setspecific(thread_key, (void *)1);
	return s.fn(s.arg);
}

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *,
			   void *(*)(void *), void *);
	struct start *s;
	int ret;

	if (!real)
		real = (int (*)(pthread_t *, const pthread_attr_t *,
				void *(*)(void *), void *))
			dlsym(RTLD_NEXT, "pthread_create");
	if (!ctl_ready())
		return real(t, attr, fn, arg);
	s = __libc_malloc(sizeof(*s));
	if (!s)
		return EAGAIN;
	*s = (struct start){ fn, arg };
	if (ctl_cmd("kstack 1 in=self")) {
		__libc_free(s);
		return EAGAIN;
	}
	ret = real(t, attr, thread_start, s);
	if (ret) {
		__libc_free(s);
		(void)ctl_cmd("free kstack 1 in=self");
	}
	return ret;
}

/* --- wait ------------------------------------------------------------------- */

/* A child's exit was collected: on a kernel it left its cgroup before
 * (cgroup_exit), so the daemon releases exited processes now rather than
 * when its watcher gets to them. */
static void reaped(void)
{
	if (ctl_ready())
		(void)ctl_cmd("reap");
}

EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	int st = 0;
	pid_t ret = (pid_t)sys(SYS_wait4, pid, &st, options, ru);

	if (ret > 0 && (WIFEXITED(st) || WIFSIGNALED(st)))
		reaped();
	if (ret > 0 && status)
		*status = st;
	return ret;
}

EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

EXPORT pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

EXPORT pid_t wait3(int *status, int options, struct rusage *ru)
{
	return wait4(-1, status, options, ru);
}

EXPORT int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	int ret = (int)sys(SYS_waitid, type, id, info, options, NULL);

	if (!ret && info && info->si_pid && (options & WEXITED) &&
	    (info->si_code == CLD_EXITED || info->si_code == CLD_KILLED ||
	     info->si_code == CLD_DUMPED))
		reaped();
	return ret;
}

/* --- clone3(CLONE_INTO_CGROUP) ---------------------------------------------- */

static bool on_mount(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISDIR(st.st_mode) &&
	       st.st_dev == ctl_root_dev();
}

/* The parent moves the child (with its own credentials, as the kernel
 * checks the caller's) once fork's handlers have put the child in the
 * parent's group (ready), while the child waits on a pipe (go): the child
 * runs nothing of the caller's before it is in the group, and a frozen
 * group stops it there.  If the move fails the child is killed unseen and
 * the clone fails. */
static long clone_into(int cgroup_fd)
{
	char pid_text[24], c;
	int p[2], r[2], err = 0, fd, status;
	pid_t pid = -1;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	if (pipe2(r, O_CLOEXEC)) {
		err = errno;
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		sys(SYS_write, r[1], "r", 1);
		if (sys(SYS_read, p[0], &c, 1) != 1)
			_exit(127);
		sys(SYS_close, p[0]);
		sys(SYS_close, p[1]);
		sys(SYS_close, r[0]);
		sys(SYS_close, r[1]);
		return 0;
	}
	if (pid < 0 || sys(SYS_read, r[0], &c, 1) != 1) {
		err = pid < 0 ? errno : ECHILD;
		goto out_r;
	}
	*ctl_put_u64(pid_text, pid_text + sizeof(pid_text) - 1,
		     (uint64_t)pid) = '\0';
	fd = (int)sys(SYS_openat, cgroup_fd, "cgroup.procs",
		      O_WRONLY | O_CLOEXEC);
	if (fd < 0 || sys(SYS_write, fd, pid_text, strlen(pid_text)) < 0)
		err = errno;
	if (fd >= 0)
		sys(SYS_close, fd);
	if (err) {
		kill(pid, SIGKILL);
		sys(SYS_wait4, pid, &status, __WALL, NULL);
	} else if (sys(SYS_write, p[1], "g", 1) != 1) {
		err = errno;
	}
out_r:
	sys(SYS_close, r[0]);
	sys(SYS_close, r[1]);
out:
	sys(SYS_close, p[0]);
	sys(SYS_close, p[1]);
	if (err) {
		errno = err;
		return -1;
	}
	return pid;
}

EXPORT long syscall(long nr, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_clone3 && ctl_ready() && a[0]) {
		struct clone_args *ca = (struct clone_args *)a[0];

		/* Plain fork semantics only: anything else is ENOSYS, the
		 * answer the kernel's callers fall back on. */
		if ((ca->flags & CLONE_INTO_CGROUP) &&
		    on_mount((int)ca->cgroup)) {
			if ((ca->flags & ~(uint64_t)CLONE_INTO_CGROUP) ||
			    ca->exit_signal != SIGCHLD) {
				errno = ENOSYS;
				return -1;
			}
			return clone_into((int)ca->cgroup);
		}
	}
	return raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
