/*
 * task_smaps.c - reconciling unbridged processes' anon; see task_smaps.h.
 *
 * Locking: /proc is read with no lock held (a read of smaps_rollup walks
 * the process's page tables and may take a while); the walk that finds
 * the processes and each process's charge or free take cgroup_mutex for
 * writing (the exclusive mode of memcg_lock.h): the charge may reclaim
 * and OOM-kill.  The process may have exited or been OOM-killed in between:
 * task_anon_set() finds that and does nothing.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../allocator/page_alloc.h"
#include "cgroup.h"
#include "proc_pid.h"
#include "sim_log.h"
#include "task.h"
#include "task_smaps.h"

#define MAX_SMAPS_TASKS 4096
#define PAGE_KB ((long)(PAGE_SIZE / 1024))

static pthread_t smaps_thread;
static int stop_fd = -1;
static bool running;

static void reconcile(pid_t pid)
{
	long kb = proc_pid_anon_kb(pid);
	int ret;

	if (kb < 0)
		return;		/* gone: the pidfd watcher releases it */
	pthread_rwlock_wrlock(&cgroup_mutex);
	ret = task_anon_set(pid, (int64_t)(kb + PAGE_KB - 1) / PAGE_KB);
	pthread_rwlock_unlock(&cgroup_mutex);
	if (ret && ret != -ESRCH)
		sim_log("smaps: pid %d: charging its %ld KiB of anon failed "
			"(errno %d)", (int)pid, kb, -ret);
}

void task_smaps_tick(void)
{
	static pid_t pids[MAX_SMAPS_TASKS];
	unsigned int i, n;

	/* A walk of the task table excludes writes in MEMCG mode, which
	 * may add to it (core/task.c): the write lock, briefly. */
	pthread_rwlock_wrlock(&cgroup_mutex);
	n = task_smaps_pids(pids, MAX_SMAPS_TASKS);
	pthread_rwlock_unlock(&cgroup_mutex);
	for (i = 0; i < n; i++)
		reconcile(pids[i]);
}

static void *smaps_fn(void *arg)
{
	struct pollfd p = { .events = POLLIN };

	(void)arg;
	p.fd = stop_fd;
	while (poll(&p, 1, TASK_SMAPS_PERIOD_MS) >= 0 && !p.revents)
		task_smaps_tick();
	return NULL;
}

int task_smaps_start(void)
{
	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (stop_fd < 0)
		return -errno;
	if (pthread_create(&smaps_thread, NULL, smaps_fn, NULL)) {
		close(stop_fd);
		stop_fd = -1;
		return -EAGAIN;
	}
	running = true;
	return 0;
}

void task_smaps_stop(void)
{
	uint64_t one = 1;

	if (!running)
		return;
	if (write(stop_fd, &one, sizeof(one)) != sizeof(one))
		return;		/* cannot happen with a fresh eventfd */
	pthread_join(smaps_thread, NULL);
	close(stop_fd);
	stop_fd = -1;
	running = false;
}
