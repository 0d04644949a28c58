/*
 * cgroup_threads.h - threads that live in another cgroup than their
 * process (cgroup.threads moves inside a threaded subtree).
 *
 * memcgfs tracks processes (core/task.c); a thread written to a
 * cgroup.threads file of another cgroup of its process's threaded domain
 * is recorded here, as the kernel keeps a css_set per task.  Until then,
 * and again once its process moves as a whole (cgroup.procs), a thread is
 * where its process is.  The memory of all threads is the process's (its
 * mm), charged where the process is.  Moved threads do not make a cgroup
 * populated (cgroup.events) here, but do keep it from being removed.
 *
 * Writers hold cgroup_mutex for writing; readers for reading.
 */
#ifndef MEMCGFS_CGROUP_THREADS_H
#define MEMCGFS_CGROUP_THREADS_H

#include <stdbool.h>
#include <sys/types.h>

struct cgroup;

/* Where thread @tid of process @tgid is. */
struct cgroup *cgroup_thread_cgroup(pid_t tgid, pid_t tid);
/* Where @tid moved to, or NULL if it is with its process. */
struct cgroup *cgroup_thread_moved_to(pid_t tgid, pid_t tid);
/* Move the thread to @dst (the caller vetted it): 0 or -ENOMEM. */
int cgroup_thread_attach(struct cgroup *dst, pid_t tgid, pid_t tid);
/* The process moved as a whole: its threads with it. */
void cgroup_threads_rejoin(pid_t tgid);
/* Live moved threads in @cg (dead ones are dropped first). */
bool cgroup_threads_busy(struct cgroup *cg);
/* @fn for each live thread moved into @cg. */
void cgroup_for_each_moved_thread(struct cgroup *cg,
				  void (*fn)(pid_t tid, void *arg), void *arg);

#endif
