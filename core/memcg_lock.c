/*
 * memcg_lock.c - the write modes; see memcg_lock.h and docs/locking.md.
 */
#include <pthread.h>

#include "cgroup.h"
#include "mem_cgroup.h"
#include "memcg_lock.h"
#include "memcg_stock.h"
#include "smp.h"

static int memcg_mode_begin(struct cgroup *cg, unsigned int cpu)
{
	struct mem_cgroup *memcg;

	pthread_rwlock_rdlock(&cgroup_mutex);
	memcg = cgroup_effective_memcg(cg);
	if (!memcg || !memcg->parent || !memcg->online)
		goto retry;
	cpu_acquire(cpu, false);
	if (!memcg_stock_drain_is_local(this_stock())) {
		cpu_release();
		goto retry;
	}
	pthread_mutex_lock(&memcg->lru_lock);
	memcg_lock_mode_set(MEMCG_LOCK_MEMCG, memcg);
	return 0;
retry:
	pthread_rwlock_unlock(&cgroup_mutex);
	return MEMCG_RETRY_STOPPED;
}

/* Writes in STOPPED mode under way or waiting (memcg_stopped_writes()). */
static _Atomic int stopped_writes;

int memcg_stopped_writes(void)
{
	return atomic_load(&stopped_writes);
}

int memcg_write_begin(enum memcg_lock_mode mode, struct cgroup *cg,
		      unsigned int cpu)
{
	switch (mode) {
	case MEMCG_LOCK_MEMCG:
		return memcg_mode_begin(cg, cpu);
	case MEMCG_LOCK_STOPPED:
		atomic_fetch_add(&stopped_writes, 1);
		pthread_rwlock_rdlock(&cgroup_mutex);
		cpus_stop();
		mem_cgroup_defer_releases(true);
		break;
	case MEMCG_LOCK_EXCLUSIVE:
		pthread_rwlock_wrlock(&cgroup_mutex);
		break;
	}
	set_this_cpu(cpu);
	memcg_lock_mode_set(mode, NULL);
	return 0;
}

void memcg_write_end(void)
{
	bool releases = false;

	switch (memcg_lock_mode()) {
	case MEMCG_LOCK_MEMCG:
		pthread_mutex_unlock(&memcg_locked()->lru_lock);
		cpu_release();
		break;
	case MEMCG_LOCK_STOPPED:
		mem_cgroup_defer_releases(false);
		releases = mem_cgroup_releases_queued();
		cpus_start();
		atomic_fetch_sub(&stopped_writes, 1);
		break;
	case MEMCG_LOCK_EXCLUSIVE:
		break;
	}
	memcg_lock_mode_set(MEMCG_LOCK_EXCLUSIVE, NULL);
	pthread_rwlock_unlock(&cgroup_mutex);
	/* What the reclaim left without a pin is released before the write
	 * returns, as css_release_work_fn() would soon after. */
	if (releases) {
		pthread_rwlock_wrlock(&cgroup_mutex);
		mem_cgroup_run_releases();
		pthread_rwlock_unlock(&cgroup_mutex);
	}
}

void memcg_read_begin(bool stop)
{
	pthread_rwlock_rdlock(&cgroup_mutex);
	if (stop)
		cpus_stop();
}

void memcg_read_end(bool stop)
{
	if (stop)
		cpus_start();
	pthread_rwlock_unlock(&cgroup_mutex);
}
