/*
 * memcg_reaper.c - the zombie reaper thread; see memcg_reaper.h.
 *
 * Locking: reaper_lock guards only the thread's stop flag and is never
 * held with cgroup_mutex; each tick takes cgroup_mutex for writing, as
 * every state change does, so the reaper is just another writer.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "cgroup.h"
#include "memcg_kmem_cache.h"
#include "memcg_reaper.h"
#include "memcg_stock.h"
#include "memcg_zombie.h"
#include "obj_cgroup.h"
#include "vmscan.h"

unsigned int memcg_reaper_interval;

static pthread_t reaper;
static pthread_mutex_t reaper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reaper_cond;
static bool reaper_running, reaper_stopping;
static uint64_t last_zombie_reap;

struct zombie_list {
	struct mem_cgroup **v;
	size_t n, cap;
};

/* Collect and pin: reclaim may release a zombie, and with it the list
 * node the walk stands on. */
static void collect_zombie(struct mem_cgroup *memcg, void *arg)
{
	struct zombie_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct mem_cgroup **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;		/* reap fewer this time */
		l->v = v;
		l->cap = cap;
	}
	mem_cgroup_pin(memcg, 1);
	l->v[l->n++] = memcg;
}

int64_t memcg_reap_zombies(void)
{
	struct zombie_list l = { NULL, 0, 0 };
	int64_t freed = 0;

	mem_cgroup_for_each_zombie(root_mem_cgroup(), collect_zombie, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct mem_cgroup *memcg = l.v[i];
		int64_t usage;

		drain_all_stock(memcg);
		usage = page_counter_read(&memcg->memory);
		if (usage > 0)
			freed += try_to_free_mem_cgroup_pages(memcg, usage,
							      false);
	}
	/* Children were collected after their parents: unpin in reverse,
	 * so a released child never drops a parent we still hold. */
	while (l.n)
		mem_cgroup_unpin(l.v[--l.n], 1);
	free(l.v);
	return freed;
}

int64_t memcg_reaper_tick(uint64_t now_s)
{
	int64_t freed = memcg_kmem_reap_dead_caches();

	if (memcg_reaper_interval &&
	    now_s - last_zombie_reap >= memcg_reaper_interval) {
		last_zombie_reap = now_s;
		freed += memcg_reap_zombies();
	}
	return freed;
}

static uint64_t now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* Anything for a tick to do?  Read without cgroup_mutex (the writers
 * store atomically under it), so an idle reaper never takes the lock
 * every FUSE request needs. */
static bool reaper_has_work(void)
{
	return __atomic_load_n(&memcg_reaper_interval, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&memcg_clone_policy, __ATOMIC_RELAXED) ==
	       KMEM_CLONE_REAP;
}

static void *reaper_fn(void *arg)
{
	struct timespec deadline;

	(void)arg;
	pthread_mutex_lock(&reaper_lock);
	while (!reaper_stopping) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += MEMCG_REAPER_TICK_SECONDS;
		if (pthread_cond_timedwait(&reaper_cond, &reaper_lock,
					   &deadline) != ETIMEDOUT ||
		    !reaper_has_work())
			continue;
		pthread_mutex_unlock(&reaper_lock);
		pthread_rwlock_wrlock(&cgroup_mutex);
		memcg_reaper_tick(now_seconds());
		pthread_rwlock_unlock(&cgroup_mutex);
		pthread_mutex_lock(&reaper_lock);
	}
	pthread_mutex_unlock(&reaper_lock);
	return NULL;
}

int memcg_reaper_start(void)
{
	pthread_condattr_t attr;
	int ret;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&reaper_cond, &attr);
	pthread_condattr_destroy(&attr);
	last_zombie_reap = now_seconds();
	reaper_stopping = false;
	ret = pthread_create(&reaper, NULL, reaper_fn, NULL);
	reaper_running = !ret;
	return -ret;
}

void memcg_reaper_stop(void)
{
	if (!reaper_running)
		return;
	pthread_mutex_lock(&reaper_lock);
	reaper_stopping = true;
	pthread_cond_signal(&reaper_cond);
	pthread_mutex_unlock(&reaper_lock);
	pthread_join(reaper, NULL);
	pthread_cond_destroy(&reaper_cond);
	reaper_running = false;
}
