/*
 * memcontrol.h - the emulated memory controller (mm/memcontrol.c): the
 * memcg's life (create, offline, release), charging and limits.  The
 * memcg object itself (struct mem_cgroup, the tree, pins) is
 * mem_cgroup.h's.
 *
 * A mem_cgroup is the memory css of one cgroup.  It is created when the
 * parent enables +memory (or at mkdir under such a parent), goes offline
 * at rmdir or -memory, and is released only when nothing is charged to
 * it any more: until then it is a dying ("zombie") memcg, still counted
 * in every ancestor's hierarchical counters.
 *
 * Locking: every function here expects cgroup_mutex (core/cgroup.h) held
 * for writing, except the readers marked "any lock", which only load
 * atomics, and those a write in a weaker mode (memcg_lock.h) may call:
 * try_charge_memcg(), mem_cgroup_charge() and mem_cgroup_uncharge() in
 * MEMCG mode on the memcg it holds (no reclaim: it asks for the
 * exclusive lock instead), memory_reclaim() and memory_high_write() in
 * STOPPED mode, and the limit writes in MEMCG mode while they need no
 * reclaim.
 */
#ifndef MEMCGFS_MEMCONTROL_H
#define MEMCGFS_MEMCONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "list.h"
#include "mem_cgroup.h"
#include "memcg_stat.h"
#include "page_counter.h"

/* The kernel era of memory.kmem.limit_in_bytes (-o kmem_limit=). */
enum kmem_limit_mode {
	KMEM_LIMIT_ENFORCE,	/* <= 5.15: a working hard limit */
	KMEM_LIMIT_ENOTSUPP,	/* 5.16-6.0: writes fail with errno 524 */
	KMEM_LIMIT_ABSENT,	/* 6.1-6.5: the file is gone */
	KMEM_LIMIT_NOOP,	/* 6.6+: writes succeed and do nothing */
	NR_KMEM_LIMIT_MODES
};
extern const char *const kmem_limit_mode_names[NR_KMEM_LIMIT_MODES];

/* Configuration of the emulated machine, from the mount options. */
struct memcg_config {
	unsigned int ids;		/* memcg ID space */
	unsigned int cpus;
	uint64_t memory_bytes, swap_bytes;
	enum kmem_limit_mode kmem_limit;
	enum memcg_stats_mode stats;
	int lru;			/* enum list_lru_mode */
};

extern enum kmem_limit_mode kmem_limit_mode;

int mem_cgroup_init(const struct memcg_config *cfg, struct cgroup *root_cg);
void mem_cgroup_exit(void);
/* css_alloc + css_online; -ENOSPC when the ID space is full. */
int mem_cgroup_create(struct cgroup *cg, struct mem_cgroup *parent,
		      struct mem_cgroup **out);
/* css_offline: the memcg stops being usable; released when unpinned. */
void mem_cgroup_offline(struct mem_cgroup *memcg);
/* The last swap entry of @memcg went: a dying memcg's held ID is freed
 * (ids=recycle), as mem_cgroup_id_put() does. */
void mem_cgroup_swap_id_put(struct mem_cgroup *memcg);
unsigned int mem_cgroup_ids_in_use(void);
unsigned int mem_cgroup_ids_max(void);

/* try_charge_memcg(): @nr_pages on the memory counters, through this
 * CPU's stock; 0 or -ENOMEM.  Pins nothing. */
int try_charge_memcg(struct mem_cgroup *memcg, int64_t nr_pages,
		     enum gfp_mode gfp);
/* User pages: charged and pinning @memcg one pin per page. */
int mem_cgroup_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp);
void mem_cgroup_uncharge(struct mem_cgroup *memcg, int64_t nr_pages);
/* Kernel pages (obj_cgroup_charge_pages): memory and kmem counters and
 * the kernel stat; the uncharge refills this CPU's stock. */
int memcg_kmem_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp);
void memcg_kmem_uncharge(struct mem_cgroup *memcg, int64_t nr_pages);
/* Raise @event on @memcg and its non-root ancestors, notifying pollers. */
void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event);

/* memory.kmem.limit_in_bytes: 0 or -EBUSY below usage (why in *@why,
 * why.h). */
int memcg_kmem_set_limit(struct mem_cgroup *memcg, int64_t nr_pages,
			 const char **why);
/* Limit writes, with the kernel's synchronous side effects: 0, or
 * MEMCG_RETRY_STOPPED (memcg_lock_mode.h) from MEMCG mode, which cannot do
 * them (memory.max: a reclaim, the OOM killer). */
int memory_max_write(struct mem_cgroup *memcg, int64_t nr_pages,
		     bool nonblock);
int memory_high_write(struct mem_cgroup *memcg, int64_t nr_pages,
		      bool nonblock);
/* memory.reclaim: 0, or -EAGAIN when fewer pages could be reclaimed
 * (saying so in *@why). */
int memory_reclaim(struct mem_cgroup *memcg, int64_t nr_pages,
		   const char **why);

/* memory.peak: read (any lock) and per-open reset. */
int64_t memcg_peak_read(struct page_counter *pc, struct memcg_peak *ofp);
void memcg_peak_write(struct page_counter *pc, struct list_head *watchers,
		      struct memcg_peak *ofp);
void memcg_peak_release(struct memcg_peak *ofp);

#endif
