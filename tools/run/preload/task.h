/*
 * task.h - memcgfs-run's library: the process and its threads.
 *
 * At start the library opens the channel (ctl.h) and charges the main
 * thread's kernel stack ("kstack 1"); memcgfs-run marks the image it
 * starts with MEMCGFS_RUN_PID=-PID.  A process that is not the exec of
 * one already running under the library (MEMCGFS_RUN_PID names the last
 * pid that set it up) was forked without fork()'s handlers (posix_spawn,
 * vfork): it joins its parent's group ("forked"), as cgroup_post_fork
 * puts a child where its parent is.  fork() does the same in the child,
 * which owns none of its parent's charges.  pthread_create charges the
 * new thread's stack before it exists (a refusal is EAGAIN, as clone's
 * ENOMEM is) and the thread gives it back, with its anon reserve, when
 * it ends.  clone3(CLONE_INTO_CGROUP) on a directory of the mount,
 * through syscall(2), is a fork whose child moves itself into that
 * group before the parent sees the pid.
 */
#ifndef MEMCGFS_RUN_TASK_H
#define MEMCGFS_RUN_TASK_H

#define RUN_PID_ENV "MEMCGFS_RUN_PID"

#endif
