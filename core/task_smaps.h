/*
 * task_smaps.h - the anon of processes no library bridges, taken from
 * the kernel's own count (/proc/PID/smaps_rollup).
 *
 * memcgfs-run bridges a dynamically linked program through its
 * LD_PRELOAD library, which charges each allocation as it is handed out.
 * A statically linked one (Go: runc, containerd) loads no library; for
 * it, memcgfs-run writes `smaps` to sim.ctl before exec, and this thread
 * keeps what such a process (and every process it forks) owns equal to
 * what the kernel says it uses: it charges the growth, through the
 * memcg's limits, reclaim and OOM killer, and frees the shrinkage.  The
 * kernel charges anon at the first touch of each page; this sees it up to
 * one period later, so a program can run past memory.max for that long
 * before reclaim, or the OOM kill, catches up with it.
 *
 * Started by the daemon after it daemonizes; stopped before the model.
 */
#ifndef MEMCGFS_TASK_SMAPS_H
#define MEMCGFS_TASK_SMAPS_H

/* How often the processes in smaps mode are reconciled. */
#define TASK_SMAPS_PERIOD_MS	50

int task_smaps_start(void);
void task_smaps_stop(void);
/* One pass over every process in smaps mode (takes cgroup_mutex). */
void task_smaps_tick(void);

#endif
