/*
 * cgroup_rstat.h - the core statistics every cgroup has whatever its
 * controllers: cpu.stat's CPU time (kernel/cgroup/rstat.c) and
 * cgroup.stat.local's frozen time (kernel/cgroup/freezer.c, 6.18).
 *
 * CPU time is the real time of the member processes, read from
 * /proc/PID/stat: each process's growth since its last sample goes to
 * the cgroup it was in and every ancestor, so the figures never drop
 * when a process exits or moves (as rstat's propagation to the parent).
 * Samples are taken when a process joins, moves or exits and whenever
 * cpu.stat is read.  The root shows the machine's time (/proc/stat), as
 * root_cgroup_cputime() shows kcpustat.
 */
#ifndef MEMCGFS_CGROUP_RSTAT_H
#define MEMCGFS_CGROUP_RSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cgroup;

/* cgroup_base_stat: microseconds. */
struct cgroup_bstat {
	uint64_t user_us;	/* includes nice time, as CPUTIME_USER+NICE */
	uint64_t system_us;
	uint64_t nice_us;
};

/* A process's CPU time at its last sample (clock ticks). */
struct task_cputime {
	uint64_t utime, stime;
	bool valid;
};

/* The fields of /proc/PID/stat memcgfs uses. */
struct proc_pid_stat {
	uint64_t utime, stime;	/* clock ticks, the whole thread group */
	long nice;
	long num_threads;
};

int proc_pid_stat_read(pid_t pid, struct proc_pid_stat *st);

/* A process starts being accounted: its time so far is not the group's. */
void task_cputime_start(pid_t pid, struct task_cputime *last);
/* Add what @pid ran since @last to @cg and its ancestors. */
void cgroup_rstat_account(struct cgroup *cg, pid_t pid,
			  struct task_cputime *last);
/* cpu.stat's figures for @cg (the caller flushed its members first). */
void cgroup_base_stat(struct cgroup *cg, struct cgroup_bstat *out);

/* cgroup.stat.local frozen_usec: time from freeze request to thaw. */
struct cgroup_freezer_time {
	uint64_t frozen_nsec;
	uint64_t freeze_start_nsec;
	bool freezing;
};

/* The effective freeze of @cg turned on or off (cgroup_do_freeze()). */
void cgroup_freezer_time_update(struct cgroup *cg, bool freezing);
uint64_t cgroup_frozen_usec(struct cgroup *cg);

#endif
