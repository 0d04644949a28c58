/*
 * task.h - processes: cgroup membership and the memory they own.
 *
 * A process becomes known to memcgfs when it is written to a cgroup.procs
 * or charges anon through sim.ctl.  Each known process has a pidfd; a
 * watcher thread notices its exit, drops its membership and uncharges its
 * anon, as exit_mm() and cgroup_exit() do.  Processes memcgfs has never
 * seen are, as on a fresh boot, in the root cgroup.
 *
 * Locking: all functions expect cgroup_mutex held for writing, except the
 * iterators (read is enough, with every CPU owned: cpus_stop), the
 * lookups (task_known, task_cgroup_of: read is enough; the table has a
 * lock of its own, tasks_lock) and task_charge() / task_uncharge(),
 * which a write in MEMCG mode (memcg_lock.h) calls on the memcg it holds,
 * under the process's own lock.  Records are freed only under
 * cgroup_mutex for writing: the watcher takes it itself, so a process's
 * record and what it owns stay until a command made for it has finished:
 * a charge path must never drop cgroup_mutex (task_charge holds the
 * record and its slot across the charge, OOM kill of that very process
 * included).
 */
#ifndef MEMCGFS_TASK_H
#define MEMCGFS_TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "memcontrol.h"

struct cgroup;

int task_init(void);
/* Stop the watcher and forget every process (uncharging their anon). */
void task_exit(void);

/* The process owning thread @tid: -ESRCH if none, -EINVAL for a kthread
 * or for the daemon itself (it emulates the kernel: moving, freezing or
 * killing it would take the whole filesystem down); why in *@why. */
pid_t task_tgid(pid_t tid, const char **why);
struct cgroup *task_cgroup_of(pid_t tgid);
/* Has @tgid been placed or charged (is it tracked)? */
bool task_known(pid_t tgid);
/* The parent process of @tgid, or -ESRCH (why in *@why, as below). */
pid_t task_parent(pid_t tgid, const char **why);
/* Move process @tgid into @dst (cgroup_attach_task). */
int task_attach(struct cgroup *dst, pid_t tgid, const char **why);
/* Memory a process owns, uncharged when it exits. */
enum task_charge_kind {
	TASK_ANON,	/* anon pages */
	TASK_KSTACK,	/* kernel stacks: kmem pages */
};

/* Charge @nr_pages of @kind owned by @tgid to @memcg.  These four say
 * why they failed in *@why (why.h). */
int task_charge(pid_t tgid, struct mem_cgroup *memcg,
		enum task_charge_kind kind, int64_t nr_pages,
		enum gfp_mode gfp, const char **why);
/* Free some of it: -EINVAL (nothing freed) if it owns less. */
int task_uncharge(pid_t tgid, struct mem_cgroup *memcg,
		  enum task_charge_kind kind, int64_t nr_pages, const char **why);

/*
 * File mappings are the process's too (an mm's VMAs): task_map maps
 * @fspath for @tgid in @memcg (filemap_mmap: the group is pinned, the
 * pages count as mapped); the mapping ends with task_unmap or when the
 * process exits.  task_unmap ends one mapping of @fspath @tgid made in
 * @memcg or, if none, in a group below it (so a mapping of a removed
 * group can be ended from an ancestor): -EINVAL if it has none there,
 * -ENOENT if no file has that name.
 */
int task_map(pid_t tgid, struct mem_cgroup *memcg, const char *fspath,
	     const char **why);
int task_unmap(pid_t tgid, struct mem_cgroup *memcg, const char *fspath,
	       const char **why);
/* The mappings of files made in @memcg: fn(pid, inode) (sim.zombies). */
struct sim_inode;
void task_for_each_mapping(struct mem_cgroup *memcg,
			   void (*fn)(pid_t pid, struct sim_inode *ino,
				      void *arg),
			   void *arg);
/* The same, from @memcg's slot first and then wherever else @tgid owns
 * memory of @kind (a process moved since it charged it): -EINVAL, and
 * nothing freed, if it owns less in all. */
int task_uncharge_any(pid_t tgid, struct mem_cgroup *memcg,
		      enum task_charge_kind kind, int64_t nr_pages,
		      const char **why);

/* Touch @nr_pages of @tgid's anon made in @memcg: swapped pages come
 * back first (anon_touch); -EINVAL if it owns less there. */
int task_touch_anon(pid_t tgid, struct mem_cgroup *memcg, int64_t nr_pages,
		    enum gfp_mode gfp, const char **why);

/*
 * The memcg OOM killer: SIGKILL the member process of @domain's subtree
 * that owns the most (or, with memory.oom.group, every member of that
 * group), counting oom_kill / oom_group_kill, and uncharge the victims'
 * anon at once as the oom_reaper would.  False if there is no victim.
 */
bool mem_cgroup_out_of_memory(struct mem_cgroup *domain);

/* Release now every process that has exited, instead of waiting for the
 * watcher: cgroup_exit() comes before a parent's wait() returns. */
void task_reap_pending(void);

void task_freeze_cgroup(struct cgroup *cg, bool frozen);

/*
 * Processes no library bridges (statically linked programs): their anon
 * is what the kernel counts for them (task_smaps.c).  task_anon_from_smaps
 * puts @tgid in that mode (its forks inherit it); task_smaps_pids collects
 * up to @max such processes; task_anon_set charges or frees the
 * difference so that @tgid owns @pages of anon in its group (-ESRCH if it
 * is gone or no longer in that mode).  task_anon_bridged ends the mode
 * when the process charges through the library (it exec'd a dynamically
 * linked program): what smaps charged was the old image's, now gone.
 */
int task_anon_from_smaps(pid_t tgid, const char **why);
unsigned int task_smaps_pids(pid_t *pids, unsigned int max);
int task_anon_set(pid_t tgid, int64_t pages);
void task_anon_bridged(pid_t tgid);

/* Does a fork by process @tgid concern us (a member, or one that left
 * moments ago)?  cgroup_mutex held for reading is enough. */
bool task_followed(pid_t tgid);
/* cgroup_post_fork(): process @child of @parent joins its parent's group;
 * if cgroup.kill killed the parent, the child is killed too (CGRP_KILL). */
void task_fork(pid_t parent, pid_t child);
/* cgroup.kill: SIGKILL every process in @cg's subtree. */
void task_kill_subtree(struct cgroup *cg);
/* Sample the CPU time of @cg's subtree's processes into cpu.stat
 * (cgroup_rstat.h); cgroup_mutex held for reading is enough. */
void task_cputime_flush(struct cgroup *cg);
/* Does the model still hold process @tgid (the watcher has not yet seen
 * it exit)?  cgroup_mutex held, reading is enough. */
bool task_tracked(pid_t tgid);
/* Visit @cg's member processes. */
void task_for_each(struct cgroup *cg, void (*fn)(pid_t pid, void *arg),
		   void *arg);

/* Processes owning anon charged to @memcg: fn(pid, pages)
 * (memory zombies). */
void task_for_each_owner(struct mem_cgroup *memcg,
			 void (*fn)(pid_t pid, int64_t pages, void *arg),
			 void *arg);
/* Every process's kernel stack charge (memcg_check). */
void task_for_each_kstack(void (*fn)(struct obj_cgroup *objcg, int64_t pages,
				     void *arg), void *arg);

#endif
