/*
 * memcg_lock_mode.c - the calling thread's write mode; see
 * memcg_lock_mode.h.
 */
#include <stddef.h>

#include "memcg_lock_mode.h"

static _Thread_local enum memcg_lock_mode cur_mode;
static _Thread_local struct mem_cgroup *cur_memcg;

enum memcg_lock_mode memcg_lock_mode(void)
{
	return cur_mode;
}

struct mem_cgroup *memcg_locked(void)
{
	return cur_mode == MEMCG_LOCK_MEMCG ? cur_memcg : NULL;
}

void memcg_lock_mode_set(enum memcg_lock_mode mode, struct mem_cgroup *memcg)
{
	cur_mode = mode;
	cur_memcg = mode == MEMCG_LOCK_MEMCG ? memcg : NULL;
}
