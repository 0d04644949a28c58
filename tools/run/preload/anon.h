/*
 * anon.h - memcgfs-run's library: anonymous memory.
 *
 * malloc and friends charge the bytes they hand out (malloc_usable_size)
 * against a per-thread reserve of charged pages, refilled and drained in
 * batches of ANON_BATCH pages, so a small allocation costs no round trip.
 * Anonymous mmap/munmap/mremap charge their pages at once, a chunk of
 * ANON_CHUNK pages per write (so memory.high throttles between chunks).  A charge the
 * daemon refuses after its reclaim and OOM killer makes the allocation
 * fail with ENOMEM (if the OOM killer chose this process, SIGKILL has
 * already arrived and it never returns).
 */
#ifndef MEMCGFS_RUN_ANON_H
#define MEMCGFS_RUN_ANON_H

#include <stdint.h>

#define ANON_BATCH 64		/* pages per refill or drain */
#define ANON_CHUNK 256		/* pages per write of a big charge */

/* Charge @bytes of this thread's new memory: 0 or -ENOMEM. */
int anon_account(uint64_t bytes);
/* Give back @bytes this thread freed (kept as reserve up to a bound). */
void anon_unaccount(uint64_t bytes);
/* Whole pages (mmap): charged at once, or given back (at most what this
 * process owns). */
int anon_charge_pages(uint64_t pages);
void anon_uncharge_pages(uint64_t pages);
/* This thread ends: its reserve goes back. */
void anon_thread_exit(void);
/* In a forked child: it owns nothing the parent charged. */
void anon_forked(void);

#endif
