/*
 * memcg_check.h - the accounting invariant behind root sim.check: every
 * charge of every memcg, live and dying, recounted from the objects that
 * hold it and compared with the memcg's own counters and local stats.
 *
 * Recounted per memcg: page descriptors by page_memcg() (file, shmem,
 * mapped, each LRU list; and each list's length and that it holds only
 * its memcg's pages), anon pages of processes, socket pages, pages
 * in the per-CPU page stocks.  What is left of its local usage is kmem,
 * which must equal the local usage of its kmem counter.  Kmem objects
 * reach their memcg through an objcg, which offline points at the
 * nearest live ancestor while the dying group keeps the charge it had:
 * so kmem is checked per live memcg together with the dying groups whose
 * objcgs now charge it, against slab objects (found through their objcg
 * by kmem_cache_for_each_obj_ext), per-CPU areas, kernel stacks, the
 * bytes of the per-CPU byte stocks and the objcgs' sub-page remainders.
 * Finally root usage must be the sum of every memcg's local usage.
 *
 * Locking: cgroup_mutex held, reading is enough.  Every charge and
 * uncharge of the daemon runs under cgroup_mutex held for writing, and
 * so does every change to the stocks, pages, tasks and objcgs read here:
 * the read lock makes the whole recount one consistent snapshot.  Inside
 * it the walk takes stats_flush_lock (local stats) and slab_mutex ->
 * kmem_cache.lock (the slab walk), each alone and in cgroup.h's order,
 * so it cannot deadlock.  (Benchmark threads that charge on their own
 * CPU outside cgroup_mutex never run in the daemon.)
 */
#ifndef MEMCGFS_MEMCG_CHECK_H
#define MEMCGFS_MEMCG_CHECK_H

#include <stdint.h>

#include "strbuf.h"

struct mem_cgroup;
struct obj_cgroup;

/* Render the check as "key value" lines, one "mismatch ..." line per
 * difference, and "ok 1" or "ok 0" last.  0 or -ENOMEM. */
int memcg_check(struct strbuf *sb);

#endif
