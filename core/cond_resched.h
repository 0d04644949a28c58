/*
 * cond_resched.h - the scheduler's cond_resched(), for the model's long
 * loops.
 *
 * The kernel's long loops (reclaim's LRU scans in mm/vmscan.c, 6.12) call
 * cond_resched() so that a task woken on their CPU runs soon instead of
 * waiting out the loop.  A daemon thread is preempted by the host's
 * scheduler anyway, but only at a tick (4 ms at HZ=250) when the woken
 * task has run more than its share, as a reader in a tight loop has: a
 * reader of memory.current, or the daemon thread serving it, woken on the
 * CPU of another group's 1 GiB reclaim waited 3-8 ms for it
 * (tools/bench/reclaimreadbench.sh: p99 35-47x the idle median).
 *
 * User space cannot see need_resched(), so the loop offers its CPU
 * (sched_yield(), at once back when nobody waits) every RESCHED_SLICE_NS.
 * But EEVDF charges a yielder for its whole slice: beside two CPU hogs a
 * 1 GiB reclaim yielding every 20 us took 2-4 s instead of 30-100 ms.  So
 * a loop stops offering its CPU while it has had less than
 * RESCHED_MIN_SHARE of the wall-clock time since it began: it gives way
 * to readers, never to the point of starving.
 */
#ifndef MEMCGFS_COND_RESCHED_H
#define MEMCGFS_COND_RESCHED_H

/* How long a loop may keep its CPU before it offers it to a waiter. */
#define RESCHED_SLICE_NS 20000L
/* The share of the wall clock (percent) below which it stops offering. */
#define RESCHED_MIN_SHARE 50

/* A long loop begins on this thread (its share is counted from here). */
void cond_resched_begin(void);
/* Call once per item of the loop. */
void cond_resched(void);
/*
 * @tick runs in the loop's thread each time it may offer its CPU, as the
 * scheduler tick calls wq_worker_tick() for a running kworker: the FUSE
 * worker pool (fs/worker_pool.c) wakes a spare worker there when this
 * long loop holds the last one.  NULL: none.
 */
void cond_resched_set_tick(void (*tick)(void));

#endif
