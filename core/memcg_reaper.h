/*
 * memcg_reaper.h - the background thread that reclaims dying memcgs, as
 * vendor kernels ship (reaper=on[,SECONDS],
 * "not effective for non-reclaimable memory"), and that walks dead
 * caches under kmem=clone-reap (way 2 of Davydov's 2014 dead-caches thread,
 * "periodically").
 *
 * Started by the daemon after it daemonizes (threads do not fork) and
 * stopped before the model goes; unit tests call memcg_reaper_tick().
 */
#ifndef MEMCGFS_MEMCG_REAPER_H
#define MEMCGFS_MEMCG_REAPER_H

#include <stdint.h>

/* How often the thread wakes; reaper=on,N acts every N-th tick. */
#define MEMCG_REAPER_TICK_SECONDS	1

int memcg_reaper_start(void);
void memcg_reaper_stop(void);

/* One tick at @now_s (seconds, monotonic); cgroup_mutex held for
 * writing.  Returns the pages it freed. */
int64_t memcg_reaper_tick(uint64_t now_s);
/* Reclaim every dying memcg now; cgroup_mutex held for writing. */
int64_t memcg_reap_zombies(void);

/* The zombie reaper of vendor kernels: reclaim dying memcgs every
 * memcg_reaper_interval seconds (0: off; sim.policy reaper=). */
extern unsigned int memcg_reaper_interval;
#define MEMCG_REAPER_DEFAULT_INTERVAL	5
#define MEMCG_REAPER_MAX_INTERVAL	86400

#endif
