/*
 * cgroup_threads.c - threads moved apart from their process; see
 * cgroup_threads.h.
 *
 * A short array: threaded subtrees with threads moved one by one are
 * rare, and a thread that exited is dropped at the next change (its
 * /proc/TGID/task/TID is gone; a TID reused by another process of the
 * same TGID cannot happen while the process lives).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_threads.h"
#include "task.h"

struct moved {
	pid_t tgid, tid;
	struct cgroup *cg;
};

static struct moved *moved;
static size_t nr_moved, cap_moved;

static bool alive(const struct moved *m)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)m->tgid,
		 (int)m->tid);
	return !access(path, F_OK);
}

static struct moved *find(pid_t tgid, pid_t tid)
{
	for (size_t i = 0; i < nr_moved; i++)
		if (moved[i].tgid == tgid && moved[i].tid == tid)
			return &moved[i];
	return NULL;
}

static void drop(size_t i)
{
	moved[i] = moved[--nr_moved];
}

/* Writers only. */
static void drop_dead(void)
{
	for (size_t i = nr_moved; i-- > 0;)
		if (!alive(&moved[i]))
			drop(i);
}

struct cgroup *cgroup_thread_moved_to(pid_t tgid, pid_t tid)
{
	struct moved *m = find(tgid, tid);

	return m && alive(m) ? m->cg : NULL;
}

struct cgroup *cgroup_thread_cgroup(pid_t tgid, pid_t tid)
{
	struct cgroup *cg = cgroup_thread_moved_to(tgid, tid);

	return cg ? cg : task_cgroup_of(tgid);
}

int cgroup_thread_attach(struct cgroup *dst, pid_t tgid, pid_t tid)
{
	struct moved *m;

	drop_dead();
	m = find(tgid, tid);
	if (dst == task_cgroup_of(tgid)) {
		if (m)
			drop((size_t)(m - moved));	/* back with its process */
		return 0;
	}
	if (m) {
		m->cg = dst;
		return 0;
	}
	if (nr_moved == cap_moved) {
		size_t cap = cap_moved ? 2 * cap_moved : 16;
		struct moved *n = realloc(moved, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		moved = n;
		cap_moved = cap;
	}
	moved[nr_moved++] = (struct moved){ tgid, tid, dst };
	return 0;
}

void cgroup_threads_rejoin(pid_t tgid)
{
	for (size_t i = nr_moved; i-- > 0;)
		if (moved[i].tgid == tgid)
			drop(i);
}

bool cgroup_threads_busy(struct cgroup *cg)
{
	drop_dead();
	for (size_t i = 0; i < nr_moved; i++)
		if (moved[i].cg == cg)
			return true;
	return false;
}

void cgroup_for_each_moved_thread(struct cgroup *cg,
				  void (*fn)(pid_t tid, void *arg), void *arg)
{
	for (size_t i = 0; i < nr_moved; i++)
		if (moved[i].cg == cg && alive(&moved[i]))
			fn(moved[i].tid, arg);
}
