/*
 * cond_resched.h - the scheduler's cond_resched(), for the model's long
 * loops.
 *
 * The kernel's long loops (reclaim's LRU scans in mm/vmscan.c, 6.12) call
 * cond_resched() so that a task woken on their CPU runs soon instead of
 * waiting out the loop.  A daemon thread is preempted by the host's
 * scheduler anyway, but only when its time slice ends (milliseconds): a
 * reader of memory.current, or the daemon thread serving it, woken on the
 * CPU of another group's 1 GiB reclaim waited 3-8 ms for it
 * (tools/bench/reclaimreadbench.sh, p99 35-47x the idle median).
 *
 * User space cannot see need_resched(), so the loop offers its CPU
 * (sched_yield(), which returns at once when nobody waits) every
 * RESCHED_SLICE_NS: about 2 us of every 20 on this machine when it does
 * switch, nothing more when it does not.
 */
#ifndef MEMCGFS_COND_RESCHED_H
#define MEMCGFS_COND_RESCHED_H

/* How long a loop may keep its CPU before it offers it to a waiter. */
#define RESCHED_SLICE_NS 20000L

/* Call once per item of a long loop. */
void cond_resched(void);

#endif
