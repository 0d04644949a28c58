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
struct snapshot;
struct psi_trigger;

/* Where a file exists (cftype flags in kernel/cgroup/cgroup.c). */
enum cft_flags {
	CFTYPE_ONLY_ON_ROOT = 1 << 0,
	CFTYPE_NOT_ON_ROOT = 1 << 1,
	CFTYPE_MEMORY = 1 << 2,	/* needs the cgroup's own memcg */
	CFTYPE_SIM = 1 << 3,	/* memcgfs's own; hidden by -o pure */
	CFTYPE_KMEM_LIMIT = 1 << 4,	/* gone with -o kmem_limit=absent */
	CFTYPE_V1 = 1 << 5,		/* a cgroup v1 file; hidden by -o pure */
	CFTYPE_PSI = 1 << 6,		/* hidden by cgroup.pressure=0 */
	/* How show() and write() hold the model (core/memcg_lock.h).  By
	 * default show() owns every CPU and write() holds cgroup_mutex for
	 * writing. */
	CFTYPE_READ_ATOMIC = 1 << 12,	/* show() loads atomics, topology */
	CFTYPE_WRITE_MEMCG = 1 << 13,	/* write() tried in MEMCG mode */
	CFTYPE_WRITE_STOPPED = 1 << 14,	/* write() in STOPPED mode */
	/* Bits 8-11: a controller's file (enum cgroup_subsys_id + 1), shown
	 * where the cgroup has that controller's css. */
};
#define CFTYPE_SS_SHIFT 8
#define CFTYPE_SS(id) ((unsigned int)((id) + 1) << CFTYPE_SS_SHIFT)
/* The controller a row belongs to, or -1. */
#define CFTYPE_SS_ID(flags) ((int)(((flags) >> CFTYPE_SS_SHIFT) & 0xf) - 1)

/* A row's handlers: render into @sb, or parse @buf and act; both return
 * 0 or a negative errno (of_fail() says why). */
typedef int cftype_show_fn(struct of *of, struct strbuf *sb);
typedef int cftype_write_fn(struct of *of, char *buf);

/*
 * One row per interface file.  show() runs under cgroup_mutex for reading
 * (owning every virtual CPU unless CFTYPE_READ_ATOMIC) and renders the
 * whole file; write() runs with the NUL-terminated bytes of one write(2)
 * under cgroup_mutex for writing, or first in the weaker mode its row
 * names (CFTYPE_WRITE_*), again under cgroup_mutex for writing if it
 * returns MEMCG_RETRY_EXCLUSIVE.  A missing show or write is the
 * kernel's EINVAL for reading a write-only file or the reverse.
 */
struct cftype {
	const char *name;
	mode_t mode;
	unsigned int flags;
	cftype_show_fn *show;
	cftype_write_fn *write;
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
	uint64_t css_serial;		/* other controllers' files: the css */
	int flags;			/* open(2) flags */
	struct cred cred;

	pthread_mutex_t lock;		/* one reader/writer per fd at once */
	struct snapshot *snap;		/* rendered at a read at offset 0,
					 * shared by equal renderings */
	size_t snap_charged;		/* bytes of it counted to cred.uid */

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

	struct list_head open_node;	/* on ops.c's open_files */

	struct memcg_peak peak;		/* memory.peak / memory.swap.peak */
	struct psi_trigger *psi_trigger;	/* a *.pressure fd's trigger */
	char *psi_path;			/* its file, for IN_MODIFY when it */
	uint64_t psi_key;		/* fires (notify_file_path()) */
	bool fsnotify_self;		/* our own kick (fsnotify.c) */
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

extern bool memcgfs_pure;	/* -o pure: hide sim.* and v1 files */
extern unsigned int memcgfs_cpus;

/* notify.c: the thread that talks to the kernel outside any handler. */
int notify_start(void *session);
void notify_stop(void);
void notify_poll_register(struct of *of, void *ph);
void notify_poll_unregister(struct of *of);
/* Drop the kernel's cached dentries of @cg's children's memory files
 * (-memory); returns a ticket for notify_wait(). */
uint64_t notify_inval_memory_files(struct cgroup *cg);
/* ... and of the controllers in @gone (a mask of cgroup_subsys ids). */
uint64_t notify_inval_ss_files(struct cgroup *cg, uint16_t gone);
/* The same for @cg's own *.pressure files (cgroup.pressure). */
uint64_t notify_inval_pressure_files(struct cgroup *cg);
/* Wake @of's poller now (a PSI trigger fired); any lock may be held
 * but poll_lock. */
void notify_poll_wake(struct of *of);
void notify_wait(uint64_t ticket, unsigned int timeout_ms);

/* Row handlers, defined in cgroup_files.c, memory_files.c, sim_files.c. */
cftype_show_fn cgroup_controllers_show;
cftype_show_fn cgroup_subtree_control_show;
cftype_write_fn cgroup_subtree_control_write;
cftype_show_fn cgroup_procs_show;
cftype_write_fn cgroup_procs_write;
cftype_show_fn cgroup_threads_show;
cftype_write_fn cgroup_threads_write;
cftype_show_fn cgroup_events_show;
cftype_show_fn cgroup_stat_show;
cftype_show_fn cgroup_max_descendants_show;
cftype_write_fn cgroup_max_descendants_write;
cftype_show_fn cgroup_max_depth_show;
cftype_write_fn cgroup_max_depth_write;
cftype_show_fn cgroup_type_show;
cftype_write_fn cgroup_type_write;
cftype_write_fn cgroup_kill_write;
cftype_show_fn cgroup_freeze_show;
cftype_write_fn cgroup_freeze_write_h;
cftype_show_fn cgroup_pressure_show;
cftype_write_fn cgroup_pressure_write;
/* {cpu,io,irq,memory}.pressure: the resource is the file name's prefix. */
cftype_show_fn pressure_show;
cftype_write_fn pressure_write;
/* pressure_files.c: a trigger's fd leaves (release). */
void pressure_release(struct of *of);
/* ops.c: poll of a *.pressure fd (psi_trigger_poll). */
bool pressure_poll_pending(struct of *of);
cftype_show_fn memory_current_show;
cftype_show_fn memory_min_show;
cftype_write_fn memory_min_write;
cftype_show_fn memory_low_show;
cftype_write_fn memory_low_write;
cftype_show_fn memory_high_show;
cftype_write_fn memory_high_write_h;
cftype_show_fn memory_max_show;
cftype_write_fn memory_max_write_h;
cftype_show_fn memory_peak_show;
cftype_write_fn memory_peak_write;
cftype_show_fn memory_events_show;
cftype_show_fn memory_events_local_show;
cftype_show_fn memory_oom_group_show;
cftype_write_fn memory_oom_group_write;
cftype_show_fn memory_stat_show;
cftype_show_fn memory_numa_stat_show;
cftype_write_fn memory_reclaim_write;
cftype_show_fn memory_swap_current_show;
cftype_show_fn memory_swap_high_show;
cftype_write_fn memory_swap_high_write;
cftype_show_fn memory_swap_max_show;
cftype_write_fn memory_swap_max_write;
cftype_show_fn memory_swap_peak_show;
cftype_write_fn memory_swap_peak_write;
cftype_show_fn memory_swap_events_show;
cftype_show_fn memory_zswap_current_show;
cftype_show_fn memory_zswap_max_show;
cftype_write_fn memory_zswap_max_write;
cftype_show_fn memory_zswap_writeback_show;
cftype_write_fn memory_zswap_writeback_write;
cftype_show_fn memory_kmem_limit_show;
cftype_write_fn memory_kmem_limit_write;
cftype_show_fn memory_kmem_usage_show;
cftype_show_fn memory_kmem_max_usage_show;
cftype_write_fn memory_kmem_max_usage_write;
cftype_show_fn memory_kmem_failcnt_show;
cftype_write_fn memory_kmem_failcnt_write;
cftype_write_fn sim_ctl_write;
cftype_show_fn sim_log_show;
cftype_show_fn sim_self_show;
cftype_show_fn sim_swaps_show;
cftype_show_fn sim_slabinfo_show;
cftype_show_fn sim_lru_show;
cftype_show_fn sim_zombies_show;
cftype_show_fn sim_zombies_json_show;
cftype_show_fn sim_ids_show;
cftype_show_fn sim_check_show;
cftype_show_fn sim_policy_show;
cftype_write_fn sim_policy_write;
cftype_show_fn memory_kmem_slabinfo_show;
/* Controllers beside memory and the core statistics: rstat_files.c,
 * cpu_files.c, pids_files.c, cpuset_files.c, io_files.c. */
cftype_show_fn cpu_stat_show;
cftype_show_fn cpu_stat_local_show;
cftype_show_fn cgroup_stat_local_show;
cftype_show_fn cpu_weight_show;
cftype_write_fn cpu_weight_write;
cftype_show_fn cpu_weight_nice_show;
cftype_write_fn cpu_weight_nice_write;
cftype_show_fn cpu_idle_show;
cftype_write_fn cpu_idle_write;
cftype_show_fn cpu_max_show;
cftype_write_fn cpu_max_write;
cftype_show_fn cpu_max_burst_show;
cftype_write_fn cpu_max_burst_write;
cftype_show_fn cpu_uclamp_min_show;
cftype_write_fn cpu_uclamp_min_write;
cftype_show_fn cpu_uclamp_max_show;
cftype_write_fn cpu_uclamp_max_write;
cftype_show_fn hugetlb_max_show;
cftype_write_fn hugetlb_max_write;
cftype_show_fn hugetlb_rsvd_max_show;
cftype_write_fn hugetlb_rsvd_max_write;
cftype_show_fn hugetlb_zero_show;
cftype_show_fn hugetlb_events_show;
cftype_show_fn hugetlb_numa_stat_show;
cftype_show_fn pids_max_show;
cftype_write_fn pids_max_write;
cftype_show_fn pids_current_show;
cftype_show_fn pids_peak_show;
cftype_show_fn pids_events_show;
cftype_show_fn pids_events_local_show;
cftype_show_fn cpuset_cpus_show;
cftype_write_fn cpuset_cpus_write;
cftype_show_fn cpuset_mems_show;
cftype_write_fn cpuset_mems_write;
cftype_show_fn cpuset_cpus_effective_show;
cftype_show_fn cpuset_mems_effective_show;
cftype_show_fn cpuset_cpus_partition_show;
cftype_write_fn cpuset_cpus_partition_write;
cftype_show_fn cpuset_cpus_exclusive_show;
cftype_write_fn cpuset_cpus_exclusive_write;
cftype_show_fn cpuset_cpus_exclusive_effective_show;
cftype_show_fn cpuset_cpus_isolated_show;
cftype_show_fn io_stat_show;
cftype_show_fn io_max_show;
cftype_write_fn io_max_write;
cftype_show_fn io_weight_show;
cftype_write_fn io_weight_write;
cftype_show_fn io_bfq_weight_show;
cftype_write_fn io_bfq_weight_write;
cftype_show_fn empty_show;	/* rdma/misc with no devices or resources */
cftype_write_fn rdma_max_write;
cftype_write_fn misc_max_write;

#endif
