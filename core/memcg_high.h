/*
 * memcg_high.h - memory.high and memory.swap.high enforcement
 * (mm/memcontrol.c of 6.12: the over-high debt of try_charge_memcg(),
 * mem_cgroup_handle_over_high(), calculate_high_delay()).
 *
 * "current" is the thread serving one write(2): the debt is per writer,
 * as current->memcg_nr_pages_over_high.  A charge over high adds its
 * batch to the debt and, past MEMCG_CHARGE_BATCH owed, reclaims at once;
 * the end of the write (the return to user space) reclaims what is owed,
 * retries while reclaim makes progress, and computes the penalty.  The
 * penalty is not slept here (cgroup_mutex is held): it accumulates, and
 * the fs layer delays the write's reply by it after dropping every lock.
 *
 * Locking: cgroup_mutex held for writing, except the pure helpers and
 * a charge in MEMCG mode (memcg_lock.h), which only records its debt:
 * mem_cgroup_high_debt() tells the write to return to user space under
 * cgroup_mutex for writing.
 */
#ifndef MEMCGFS_MEMCG_HIGH_H
#define MEMCGFS_MEMCG_HIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "memcontrol.h"

#define MEMCG_HZ			250U	/* Debian's CONFIG_HZ */
#define MEMCG_MAX_HIGH_DELAY_JIFFIES	(2U * MEMCG_HZ)
#define MEMCG_DELAY_PRECISION_SHIFT	20
#define MEMCG_DELAY_SCALING_SHIFT	14

/* -o high_delay=SCALE: penalties are slept SCALE times as long (0: not
 * at all, 1: the kernel's).  Set once at mount. */
extern double memcg_high_delay_scale;

/* calculate_overage() and calculate_high_delay(): pure, for the tests. */
uint64_t memcg_calculate_overage(uint64_t usage, uint64_t high);
unsigned long memcg_calculate_high_delay(unsigned int nr_pages,
					 uint64_t max_overage);

/* End of try_charge_memcg() for a charge of @batch pages that
 * succeeded: the debt if @memcg or an ancestor is over a high limit,
 * and synchronous handling past a batch when @gfp may block. */
void mem_cgroup_charged_over_high(struct mem_cgroup *memcg, int64_t batch,
				  enum gfp_mode gfp);

/* Does this writer owe reclaim (its return to user space reclaims)? */
bool mem_cgroup_high_debt(void);
/* The return to user space of one write: mem_cgroup_handle_over_high()
 * for what the writer owes.  Returns the whole penalty of this write in
 * nanoseconds, already scaled by high_delay, and clears it.  *@memcg
 * (pinned; the caller unpins) is the group that throttled, or NULL;
 * *@limits names the limits that did ("memory.high", ...). */
uint64_t mem_cgroup_return_to_user(struct mem_cgroup **memcg,
				   unsigned long *jiffies,
				   const char **limits);

#endif
