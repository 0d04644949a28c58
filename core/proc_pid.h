/*
 * proc_pid.h - reading the host's /proc/PID files, the one window memcgfs
 * has on the real processes it tracks (fs/proc/array.c do_task_stat()
 * writes the stat line these parse).
 */
#ifndef MEMCGFS_PROC_PID_H
#define MEMCGFS_PROC_PID_H

#include <stddef.h>
#include <sys/types.h>

/* Read /proc/@pid/@file into @buf (NUL-terminated): its length, or
 * -ESRCH if the process is gone or the file empty. */
int proc_pid_read(pid_t pid, const char *file, char *buf, size_t size);
/* Read /proc/@pid/stat and return its fields after comm, from the state
 * (field 3) on, or NULL: comm may hold spaces and parens, so the fields
 * resume after the last ')'. */
const char *proc_pid_stat_fields(pid_t pid, char *buf, size_t size);
/* The anonymous memory of process @pid in KiB, from
 * /proc/@pid/smaps_rollup (fs/proc/task_mmu.c show_smaps_rollup()):
 * Pss_Anon, so pages a fork shares copy-on-write count once over the
 * sharers, else Anonymous.  -ESRCH if the process is gone. */
long proc_pid_anon_kb(pid_t pid);

#endif
