/*
 * shrinker.h - shrinkers and the per-memcg shrinker bitmaps
 * (mm/shrinker.c; Kirill Tkhai, "Improve
 * shrink_slab() scalability (old complexity was O(n^2), new is O(n))",
 * 2018).
 *
 * Each memcg (by its list_lru ID; the root's is 0) has a bitmap with one
 * bit per shrinker ID.  list_lru_add() sets a memcg's bit for the lru's
 * shrinker when that memcg's list goes from empty to non-empty, and
 * reparenting sets the parent's; shrink_slab() visits only the shrinkers
 * whose bit is set, and clears a bit lazily when its shrinker reports
 * SHRINK_EMPTY.  So reclaim of a memcg costs O(shrinkers with items for
 * it), not O(filesystems).
 *
 * The bitmap of an ID is made on first use, in 64-bit units that never
 * move (as since 6.7): growing it copies only the unit pointers, so a
 * concurrent set_shrinker_bit() cannot be lost.  Replaced pointer arrays
 * are kept until exit (their sizes double, so they cost at most as much
 * as the live ones), which lets readers go without RCU.
 *
 * Locking: the registry (register, unregister, shrink_slab) runs under
 * cgroup_mutex held for writing, shrink_slab() also for reading with
 * every CPU stopped (reclaim in STOPPED mode, core/memcg_lock.h), which
 * excludes every other write; set_shrinker_bit() may run under a
 * list_lru's lock alone (lock order lru->lock -> shrinker_info_lock).
 */
#ifndef MEMCGFS_SHRINKER_H
#define MEMCGFS_SHRINKER_H

#include <stdbool.h>
#include <stdint.h>

struct mem_cgroup;

#define SHRINK_EMPTY	(-2L)	/* count: no objects for this memcg */
#define SHRINK_STOP	(-1L)	/* scan: cannot make progress now */
#define DEFAULT_SEEKS	2
#define SHRINK_BATCH	128

struct shrink_control {
	int memcg_id;		/* the list_lru ID being shrunk */
	long nr_to_scan;
	int64_t freed_bytes;	/* what reclaim_state counts */
};

struct shrinker {
	/* Freeable objects of the memcg, or SHRINK_EMPTY. */
	long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	/* Free up to sc->nr_to_scan; the number freed, or SHRINK_STOP. */
	long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	int seeks;
	int id;			/* set by shrinker_register() */
	void *private_data;
};

/* 0 or -ENOMEM; s->id is the shrinker's bit. */
int shrinker_register(struct shrinker *s);
void shrinker_unregister(struct shrinker *s);
/* Free every bitmap (shutdown, after the last shrinker went). */
void shrinker_exit(void);

/* Memcg list_lru ID @memcg_id has items for shrinker @shrinker_id (< 0:
 * a list_lru without a shrinker). */
void set_shrinker_bit(int memcg_id, int shrinker_id);
/* A fresh memcg took ID @memcg_id: no bit of a former owner survives. */
void shrinker_info_reset(int memcg_id);

/*
 * shrink_slab() for @memcg at @priority: each shrinker with items for it,
 * (freeable >> priority) * 4 / seeks objects in batches of SHRINK_BATCH.
 * An offline memcg has nothing left (its lists were reparented).
 * Returns the bytes of objects freed.
 */
int64_t shrink_slab(struct mem_cgroup *memcg, int priority);
/* Has any shrinker's bit still set for @memcg (items to scan)? */
bool shrinker_has_items(struct mem_cgroup *memcg);

#endif
