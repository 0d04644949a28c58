/*
 * memcg_lock.h - how a write holds the model: the three modes a write
 * through the mount (or any thread) runs in, and the readers' side.
 *
 * The kernel takes cgroup_mutex only for topology; charges run on
 * atomics, per-CPU stocks and the lruvec's lru_lock, reclaim walks the
 * subtree, and nobody waits for anybody else's reclaim.  memcgfs has the
 * same three layers (lock order in core/cgroup.h, the full story in
 * docs/locking.md):
 *
 *   EXCLUSIVE  cgroup_mutex for writing: topology, task moves, the OOM
 *              killer, releases of dying memcgs, and every write not
 *              marked for a weaker mode.  The default of every thread.
 *   STOPPED    cgroup_mutex for reading + every virtual CPU (cpus_stop):
 *              no charge is under way, readers go on.  Proactive and
 *              memory.high reclaim.  A memcg it leaves without a pin is
 *              queued and released under cgroup_mutex for writing when
 *              the write ends (mem_cgroup_defer_releases()).
 *   MEMCG      cgroup_mutex for reading + one virtual CPU + the memcg's
 *              lru_lock: the charge fast path (stock or counters, no
 *              reclaim), frees, and limit writes that need no reclaim.
 *              Writers of unrelated memcgs (and on other CPUs) run in
 *              parallel.
 *
 * A write tried in STOPPED or MEMCG mode that finds it needs more returns
 * before it changes anything, and is run again in a stronger mode:
 * MEMCG_RETRY_STOPPED when all it needs is every CPU (a reclaim, an OOM
 * kill, another memcg's stock), MEMCG_RETRY_EXCLUSIVE for anything else
 * (topology, the page cache and slab commands not audited for weaker
 * modes).  The OOM killer may run in STOPPED mode: it signals and zaps
 * its victims' anon, which owning every CPU covers, and their exits and
 * releases come later under cgroup_mutex for writing.  The charge path
 * decides that from memcg_lock_mode.h alone: it never calls into this
 * file, which sits above it (the kernel takes these locks around the
 * charge path, in its callers).
 *
 * Readers hold cgroup_mutex for reading, and own every CPU too unless
 * what they render is atomics and topology only (memcg_read_begin).
 */
#ifndef MEMCGFS_MEMCG_LOCK_H
#define MEMCGFS_MEMCG_LOCK_H

#include <stdbool.h>

#include "memcg_lock_mode.h"

struct cgroup;

/*
 * Take what @mode needs to write to @cg, running on virtual CPU @cpu (a
 * preference in MEMCG mode, exact otherwise).  MEMCG mode returns
 * MEMCG_RETRY_STOPPED, holding nothing, when @cg's memcg cannot be
 * written on its own: no memcg of its own or the root's, offline, or
 * this CPU's stock caches a dying memcg whose drain could release it.
 */
int memcg_write_begin(enum memcg_lock_mode mode, struct cgroup *cg,
		      unsigned int cpu);
void memcg_write_end(void);
/* How many writes hold or wait for STOPPED mode (a reclaim): background
 * work that would compete with them for the CPUs may wait. */
int memcg_stopped_writes(void);

/* Readers: cgroup_mutex for reading; @stop: every CPU too, for what
 * reads per-CPU state, LRU lists, task records or the page cache. */
void memcg_read_begin(bool stop);
void memcg_read_end(bool stop);

#endif
