/*
 * worker_pool.h - the daemon's multi-threaded FUSE request loop: as many
 * workers reading /dev/fuse as the daemon has CPUs, and spare workers
 * woken only when those are all held up (see worker_pool.c).
 */
#ifndef MEMCGFS_WORKER_POOL_H
#define MEMCGFS_WORKER_POOL_H

struct fuse_session;

/*
 * Serve @se until it exits (unmount, signal, fuse_session_exit()) with
 * at most @max_workers threads, of which at most as many as the CPUs
 * this process may run on wait in read(2) for requests.  Returns 0, or
 * a negative errno (the receive error, or -ENOMEM / -EAGAIN if no
 * worker could be started).
 */
int worker_pool_run(struct fuse_session *se, unsigned int max_workers);

#endif
