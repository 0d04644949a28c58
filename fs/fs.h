/*
 * fs.h - the FUSE layer's shared types: the interface-file table and the
 * per-open handle.  fs/ renders and parses; every decision about state is
 * core/'s.  Only ops.c, notify.c and main.c include FUSE headers.
 */
#ifndef MEMCGFS_FS_H
#define MEMCGFS_FS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../core/cgroup.h"
#include "../core/list.h"
#include "../core/memcontrol.h"
#include "../core/strbuf.h"

struct of;

/* Where a file exists (cftype flags in kernel/cgroup/cgroup.c). */
enum cft_flags {
	CFTYPE_ONLY_ON_ROOT = 1 << 0,
	CFTYPE_NOT_ON_ROOT = 1 << 1,
	CFTYPE_MEMORY = 1 << 2,	/* needs the cgroup's own memcg */
	CFTYPE_SIM = 1 << 3,	/* memcgfs's own; hidden by -o pure */
	CFTYPE_KMEM_LIMIT = 1 << 4,	/* gone with -o kmem_limit=absent */
};

/*
 * One row per interface file.  show() runs under cgroup_mutex for reading
 * and renders the whole file; write() runs under cgroup_mutex for writing
 * with the NUL-terminated bytes of one write(2).  A missing show or write
 * is the kernel's EINVAL for reading a write-only file or the reverse.
 */
struct cftype {
	const char *name;
	mode_t mode;
	unsigned int flags;
	int (*show)(struct of *of, struct strbuf *sb);
	int (*write)(struct of *of, char *buf);
	int notify;	/* enum cgroup_notify_file, or -1: not pollable */
};

extern const struct cftype cftypes[];
extern const unsigned int nr_cftypes;

/* The credentials of whoever opened the file (f_cred in the kernel). */
struct cred {
	uid_t uid;
	gid_t gid;
	int nr_groups;
	gid_t groups[32];
};

/* Per-open state: fi->fh.  Reads are a seq_file-like snapshot. */
struct of {
	struct cgroup *cg;		/* a reference */
	const struct cftype *cft;
	uint64_t memcg_serial;		/* memory files: the memcg opened */
	int flags;			/* open(2) flags */
	struct cred cred;

	pthread_mutex_t lock;		/* one reader/writer per fd at once */
	struct strbuf snap;		/* rendered at a read at offset 0 */
	bool have_snap;

	/* Set by the write path for handlers that act as the writer. */
	pid_t writer_pid;
	uid_t writer_uid;
	gid_t writer_gid;
	const char *why;		/* a handler's reason for failing */
	uint64_t notify_ticket;		/* notify work to wait for after it */

	_Atomic uint64_t seen_seq;	/* notify_seq at the last render; poll
					 * reads it without of->lock */
	void *ph;			/* fuse_pollhandle, under poll_lock */
	struct list_head poll_node;	/* on the poll list while ph is kept */

	struct memcg_peak peak;		/* memory.peak / memory.swap.peak */
	bool psi_trigger;		/* memory.pressure trigger set */
	bool peak_registered;
};

/* Sets of->why and returns @err, so handlers say why in one line. */
static inline int of_fail(struct of *of, int err, const char *why)
{
	of->why = why;
	return err;
}

/* The memcg this open file belongs to (memory files only). */
struct mem_cgroup *of_memcg(struct of *of);

bool cftype_visible(const struct cftype *cft, const struct cgroup *cg);
const struct cftype *cftype_lookup(const struct cgroup *cg, const char *name);
void cftype_attr(const struct cftype *cft, struct cgroup *cg, uid_t *uid,
		 gid_t *gid, mode_t *mode);
/* May the credentials write this file (DAC, as inode_permission)? */
bool cftype_may_write(const struct cftype *cft, struct cgroup *cg,
		      const struct cred *cred);

extern bool memcgfs_pure;	/* -o pure: hide sim.* */
extern unsigned int memcgfs_cpus;

/* notify.c: the thread that talks to the kernel outside any handler. */
int notify_start(void *session);
void notify_stop(void);
void notify_poll_register(struct of *of, void *ph);
void notify_poll_unregister(struct of *of);
/* Drop the kernel's cached dentries of @cg's children's memory files
 * (-memory); returns a ticket for notify_wait(). */
uint64_t notify_inval_memory_files(struct cgroup *cg);
void notify_wait(uint64_t ticket, unsigned int timeout_ms);
uint64_t cgroup_ino(const struct cgroup *cg);

/* Row handlers, defined in cgroup_files.c, memory_files.c, sim_files.c. */
#define SHOW(fn) int fn(struct of *of, struct strbuf *sb)
#define WRITE(fn) int fn(struct of *of, char *buf)
SHOW(cgroup_controllers_show);
SHOW(cgroup_subtree_control_show);
WRITE(cgroup_subtree_control_write);
SHOW(cgroup_procs_show);
WRITE(cgroup_procs_write);
SHOW(cgroup_threads_show);
WRITE(cgroup_threads_write);
SHOW(cgroup_events_show);
SHOW(cgroup_stat_show);
SHOW(cgroup_max_descendants_show);
WRITE(cgroup_max_descendants_write);
SHOW(cgroup_max_depth_show);
WRITE(cgroup_max_depth_write);
SHOW(cgroup_type_show);
WRITE(cgroup_type_write);
WRITE(cgroup_kill_write);
SHOW(cgroup_freeze_show);
WRITE(cgroup_freeze_write_h);
SHOW(pressure_show);
WRITE(pressure_write);
SHOW(memory_current_show);
SHOW(memory_min_show);
WRITE(memory_min_write);
SHOW(memory_low_show);
WRITE(memory_low_write);
SHOW(memory_high_show);
WRITE(memory_high_write_h);
SHOW(memory_max_show);
WRITE(memory_max_write_h);
SHOW(memory_peak_show);
WRITE(memory_peak_write);
SHOW(memory_events_show);
SHOW(memory_events_local_show);
SHOW(memory_oom_group_show);
WRITE(memory_oom_group_write);
SHOW(memory_stat_show);
SHOW(memory_numa_stat_show);
WRITE(memory_reclaim_write);
SHOW(memory_swap_current_show);
SHOW(memory_swap_high_show);
WRITE(memory_swap_high_write);
SHOW(memory_swap_max_show);
WRITE(memory_swap_max_write);
SHOW(memory_swap_peak_show);
WRITE(memory_swap_peak_write);
SHOW(memory_swap_events_show);
SHOW(memory_zswap_current_show);
SHOW(memory_zswap_max_show);
WRITE(memory_zswap_max_write);
SHOW(memory_zswap_writeback_show);
WRITE(memory_zswap_writeback_write);
SHOW(memory_kmem_limit_show);
WRITE(memory_kmem_limit_write);
SHOW(memory_kmem_usage_show);
SHOW(memory_kmem_max_usage_show);
WRITE(memory_kmem_max_usage_write);
SHOW(memory_kmem_failcnt_show);
WRITE(memory_kmem_failcnt_write);
WRITE(sim_ctl_write);
SHOW(sim_log_show);
SHOW(sim_self_show);
SHOW(sim_swaps_show);
SHOW(sim_slabinfo_show);
SHOW(sim_lru_show);
SHOW(sim_zombies_show);
SHOW(sim_zombies_json_show);
SHOW(sim_ids_show);
SHOW(sim_check_show);
SHOW(sim_policy_show);
WRITE(sim_policy_write);
SHOW(memory_kmem_slabinfo_show);

#endif
