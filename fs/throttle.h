/*
 * throttle.h - the memory.high penalty sleep of a write(2), taken after
 * every lock is dropped and without holding a FUSE worker thread.
 *
 * The kernel puts the writer to sleep on its return to user space
 * (schedule_timeout_killable in mem_cgroup_handle_over_high()).  Over
 * FUSE the writer is blocked in write(2) until the daemon replies, so a
 * reply that comes later is the same sleep: the request is handed to one
 * timer thread, which replies at the deadline.  Workers go straight back
 * to serving other readers and writers, whatever max_threads is.
 */
#ifndef MEMCGFS_THROTTLE_H
#define MEMCGFS_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct psi_group;

int throttle_start(void);
/* Replies to everything still asleep, then ends the thread. */
void throttle_stop(void);
/* Reply to the write @req (@err, or @size bytes written) after @delay_ns.
 * @psi (a reference, given to us) is in a memstall and has the writer as
 * a task: both end at the reply.  A fatal signal to the writer ends the
 * sleep early, as with TASK_KILLABLE; other signals do not. */
void throttle_defer_write(void *req, int err, size_t size, uint64_t delay_ns,
			  struct psi_group *psi);

#endif
