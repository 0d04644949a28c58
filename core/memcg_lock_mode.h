/*
 * memcg_lock_mode.h - which of the three write modes (memcg_lock.h) the
 * calling thread runs in, for the charge path to decide whether it may
 * go on or must ask for the exclusive lock.
 *
 * The charge path (memcontrol.c, anon.c, memcg_high.c, ...) only asks
 * this question; taking and dropping the modes is memcg_lock.c's, which
 * sits above the charge path and tells this file what it took.  The
 * kernel's charge path asks the same of its context (may it sleep,
 * may it reclaim: the gfp mask, preemptible()).
 */
#ifndef MEMCGFS_MEMCG_LOCK_MODE_H
#define MEMCGFS_MEMCG_LOCK_MODE_H

#include <errno.h>
#include <stdbool.h>

struct mem_cgroup;

enum memcg_lock_mode {
	MEMCG_LOCK_EXCLUSIVE,
	MEMCG_LOCK_STOPPED,
	MEMCG_LOCK_MEMCG,
};

/* "Not in this mode: run me again under cgroup_mutex for writing" and
 * "... in STOPPED mode" (memcg_lock.h says which needs which).  Returned
 * before anything changed.  Internal: never reach a reply. */
#define MEMCG_RETRY_EXCLUSIVE (-ERESTART)
#define MEMCG_RETRY_STOPPED (-ERESTART - 1000)

static inline bool memcg_retry(int err)
{
	return err == MEMCG_RETRY_EXCLUSIVE || err == MEMCG_RETRY_STOPPED;
}

/* The calling thread's mode (EXCLUSIVE unless memcg_lock.c set another),
 * and in MEMCG mode the memcg it holds (else NULL). */
enum memcg_lock_mode memcg_lock_mode(void);
struct mem_cgroup *memcg_locked(void);

/* memcg_lock.c only: the thread now runs in @mode, holding @memcg in
 * MEMCG mode. */
void memcg_lock_mode_set(enum memcg_lock_mode mode, struct mem_cgroup *memcg);

#endif
