/*
 * cgroup.h - the cgroup v2 hierarchy (kernel/cgroup/cgroup.c).
 *
 * Lock order (outermost first; docs/locking.md has the whole story):
 *   cgroup_mutex (rwlock)
 *    -> cpu_lock[cpu] (core/smp.c: owning a virtual CPU; cpus_stop()
 *       takes them all, in CPU order, owning none before)
 *       -> mem_cgroup.lru_lock (core/memcontrol.h; one at a time)
 *          -> task.lock (core/task.c) -> tasks_lock
 *                                     -> anon_vmas_lock (core/anon.c)
 *    -> and, with or without those, the inner locks as before:
 *                          ->  sim_log_lock (core/sim_log.c)
 *                          ->  psi_lock (core/psi.c) -> poll_lock
 *                          ->  poll_lock (fs/notify.c)
 *                          ->  stats_flush_lock (core/memcg_stat.c)
 *                          ->  list_lrus_mutex -> list_lru.lock
 *                              -> shrinker_info_lock
 *                              (core/list_lru.c, core/shrinker.c)
 *                          ->  slab_mutex -> kmem_cache.lock -> pa_lock
 *                              (allocator/, through the charge hooks)
 * cgroup_mutex for writing protects the tree, every struct cgroup field
 * not marked atomic, the memcg lifecycle (offline, release), the task
 * records' membership and everything a write in a weaker mode does not
 * touch.  Writes run in one of three modes (core/memcg_lock.h):
 * EXCLUSIVE (cgroup_mutex for writing: topology, moves, policy, the OOM
 * killer, releases, and whatever is not marked), STOPPED (for reading +
 * every CPU: reclaim of a subtree with nothing dying in it) and MEMCG
 * (for reading + one CPU + the memcg's lru_lock: the charge fast path,
 * frees, limit writes that need no reclaim).  Readers hold it for
 * reading, and own every CPU unless they render atomics and topology
 * only.  No code calls into FUSE while holding any of these.
 */
#ifndef MEMCGFS_CGROUP_H
#define MEMCGFS_CGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "hashtable.h"
#include "list.h"

struct cgroup_ctl;
struct cgroup_ss_owners;
struct mem_cgroup;
struct psi_group;
struct memcg_config;

extern pthread_rwlock_t cgroup_mutex;

/* Files whose changes wake pollers (cgroup_file_notify). */
enum cgroup_notify_file {
	CGRP_NOTIFY_EVENTS,		/* cgroup.events */
	CGRP_NOTIFY_MEMORY_EVENTS,	/* memory.events */
	CGRP_NOTIFY_MEMORY_EVENTS_LOCAL,
	CGRP_NOTIFY_SWAP_EVENTS,	/* memory.swap.events */
	CGRP_NR_NOTIFY,
	CGRP_NOTIFY_REMOVED = CGRP_NR_NOTIFY,	/* the cgroup was removed */
};

/* An ownership/mode override set by chown/chmod on one interface file. */
struct cgroup_file_attr {
	unsigned int file;
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

#define CGROUP_MAX_UNLIMITED INT32_MAX

/*
 * A dying memcg pins its struct cgroup (css->cgroup), so every removed
 * group a zombie keeps costs this struct: pointers first, then the ints,
 * with no hole, to fit the 256-byte kmalloc cache (checked below).
 */
struct cgroup {
	char *name;
	struct cgroup *parent;		/* pinned by a reference */
	struct list_head children;	/* live children */
	struct list_head sibling;
	struct hnode name_node;		/* in the (parent, name) table */
	struct hnode ino_node;		/* in the serial table */
	uint64_t serial;		/* inode base; never reused */
	struct cgroup *dom_cgrp;	/* threaded domain; NULL: itself
					 * (cgroup_threaded.h) */
	struct list_head tasks;		/* member processes (core/task.c) */
	struct mem_cgroup *memcg;	/* NULL unless the parent has +memory */
	struct cgroup_ctl *ctl;		/* other controllers, core stats
					 * (cgroup_controllers.h); NULL
					 * once removed */
	struct cgroup_ss_owners *ss_owners;	/* of the controllers' files */
	struct psi_group *psi;		/* pressure (psi.c); the root's is the
					 * system's; NULL once removed */
	struct cgroup_file_attr *attrs;
	struct timespec created;

	int level;
	_Atomic int refcnt;
	int nr_frozen_ancestors;	/* self included when freeze */
	int max_descendants, max_depth;
	int nr_descendants, nr_dying_descendants;
	int nr_dying_subsys_memory;	/* dying memcgs at and below */
	int nr_css;			/* memcgs (live or dying) of this cgroup */

	/* populated: own processes, or a populated child (recursive). */
	int nr_procs, nr_populated_children;

	uid_t uid, mem_uid;		/* owners of dir+core files, memory files */
	gid_t gid, mem_gid;
	mode_t mode;			/* the directory's */
	unsigned int nr_attrs;

	/* 32 bits, as the kernel's kernfs_open_node.event: a poller only
	 * compares it with the value it saw. */
	_Atomic uint32_t notify_seq[CGRP_NR_NOTIFY];

	bool removed;			/* rmdir done */
	bool subtree_memory;		/* memory in cgroup.subtree_control */
	bool freeze;			/* cgroup.freeze */
};
_Static_assert(sizeof(struct cgroup) <= 256,
	       "struct cgroup outgrew kmalloc-256: every zombie pays double");

int cgroup_init(const struct memcg_config *cfg, uid_t uid, gid_t gid);
void cgroup_exit(void);
struct cgroup *cgroup_root(void);

void cgroup_get(struct cgroup *cg);
/* Caller holds cgroup_mutex for writing: the last reference frees the
 * struct and takes it out of the inode table. */
void cgroup_put(struct cgroup *cg);
/* Drop a reference that is not the last, with no lock (the caller's
 * reference keeps @cg); false, and nothing dropped, if it is the last. */
bool cgroup_put_not_last(struct cgroup *cg);

struct cgroup *cgroup_find_child(struct cgroup *parent, const char *name);
struct cgroup *cgroup_find_by_serial(uint64_t serial);

int cgroup_mkdir(struct cgroup *parent, const char *name, uid_t uid,
		 gid_t gid, mode_t mode, struct cgroup **out);
int cgroup_rmdir(struct cgroup *cg, const char **why);
/* @memory_op: +1 enable, -1 disable, 0 leave; @uid/@gid own new files. */
int cgroup_subtree_control(struct cgroup *cg, int memory_op, uid_t uid,
			   gid_t gid);
int cgroup_freeze_write(struct cgroup *cg, bool freeze);
/* The cgroup is frozen (itself or an ancestor asked for it). */
static inline bool cgroup_frozen(const struct cgroup *cg)
{
	return cg->nr_frozen_ancestors > 0;
}
/* cgroup.max.descendants, cgroup.max.depth: checked by later mkdirs
 * only (cgroup_mkdir), so a plain store. */
static inline void cgroup_set_max_descendants(struct cgroup *cg, int max)
{
	cg->max_descendants = max;
}
static inline void cgroup_set_max_depth(struct cgroup *cg, int max)
{
	cg->max_depth = max;
}
static inline bool cgroup_populated(const struct cgroup *cg)
{
	return cg->nr_procs || cg->nr_populated_children;
}
/* Adjust own-process count, propagating populated flips upward. */
void cgroup_update_populated(struct cgroup *cg, int delta);

/* memcontrol.c: one of @cg's memcgs (live or dying) was released. */
void cgroup_css_released(struct cgroup *cg);

/* The memcg charges made in @cg go to: its own, or the nearest ancestor's. */
struct mem_cgroup *cgroup_effective_memcg(struct cgroup *cg);
/* The memory css goes (offlined, a zombie while pages pin it): the
 * parent disabled +memory, or @cg became threaded. */
void cgroup_memcg_drop(struct cgroup *cg);
struct cgroup *cgroup_common_ancestor(struct cgroup *a, struct cgroup *b);
/* "/a/b" ("/" for the root); returns -ENOMEM or 0. */
int cgroup_path(struct cgroup *cg, char **out);
/* Live memcgs at and below (cgroup.stat nr_subsys_memory). */
int cgroup_nr_subsys_memory(struct cgroup *cg);

/* Per-file attribute overrides (chown/chmod). */
const struct cgroup_file_attr *cgroup_file_attr(struct cgroup *cg,
						 unsigned int file);
int cgroup_set_file_attr(struct cgroup *cg, const struct cgroup_file_attr *a);
/* The file was re-created (+memory): back to its creator and default mode. */
void cgroup_clear_file_attr(struct cgroup *cg, unsigned int file);

/* Wake pollers of one of @cg's files (hook installed by the fs layer). */
void cgroup_file_notify(struct cgroup *cg, enum cgroup_notify_file file);
void cgroup_set_notify_hook(void (*hook)(struct cgroup *cg,
					 enum cgroup_notify_file file));

#endif
