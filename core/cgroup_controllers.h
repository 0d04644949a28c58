/*
 * cgroup_controllers.h - the v2 controllers beside memory: which exist,
 * how cgroup.subtree_control enables them, and the state each cgroup's
 * css holds (kernel/cgroup/cgroup.c, kernel/sched/core.c,
 * kernel/cgroup/{pids,cpuset}.c, block/blk-{throttle,iocost}.c).
 *
 * Only memory is modelled; these controllers store and show what was
 * written (docs/controllers.md says which figures are real: pids.current
 * and cpu.stat).  Everything here runs under cgroup_mutex.
 */
#ifndef MEMCGFS_CGROUP_CONTROLLERS_H
#define MEMCGFS_CGROUP_CONTROLLERS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup_rstat.h"
#include "page_counter.h"

struct cgroup;

/* In the kernel's ssid order (include/linux/cgroup_subsys.h), which is
 * the order cgroup.controllers prints. */
enum cgroup_subsys_id {
	SS_CPUSET,
	SS_CPU,
	SS_IO,
	SS_MEMORY,
	SS_PERF_EVENT,
	SS_HUGETLB,
	SS_PIDS,
	SS_RDMA,
	SS_MISC,
	CGROUP_SUBSYS_COUNT,
};

#define SS_BIT(id) ((uint16_t)(1u << (id)))

enum cgroup_subsys_flags {
	SS_THREADED = 1 << 0,	/* ss->threaded: handles internal tasks */
	SS_IMPLICIT = 1 << 1,	/* ss->implicit_on_dfl: never listed */
};

/* One row per controller. */
struct cgroup_subsys {
	const char *name;
	unsigned int flags;
};

extern const struct cgroup_subsys cgroup_subsys[CGROUP_SUBSYS_COUNT];

/* Controllers the mount offers (-o controllers=); the others behave as
 * if disabled with cgroup_disable= at boot. */
extern uint16_t cgrp_dfl_enabled_mask;
#define CGROUP_DEFAULT_CONTROLLERS \
	(SS_BIT(SS_CPUSET) | SS_BIT(SS_CPU) | SS_BIT(SS_IO) | \
	 SS_BIT(SS_MEMORY) | SS_BIT(SS_PERF_EVENT) | SS_BIT(SS_HUGETLB) | \
	 SS_BIT(SS_PIDS) | \
	 SS_BIT(SS_RDMA) | SS_BIT(SS_MISC))

/* "cpu:memory:pids" into a mask; memory is required (the model). */
int cgroup_controllers_parse(const char *list, uint16_t *mask,
			     const char **why);
/* By name among the enabled controllers: its id, or -1. */
int cgroup_subsys_find(const char *name);

/* --- per-css state ----------------------------------------------------- */

/* A v2 weight (include/linux/cgroup.h): cpu.weight, io.weight. */
#define CGROUP_WEIGHT_MIN 1
#define CGROUP_WEIGHT_DFL 100
#define CGROUP_WEIGHT_MAX 10000

#define NR_CPUS_MAX 1024
#define CPUMASK_WORDS (NR_CPUS_MAX / 64)
#define MAX_NUMNODES 1024	/* NODES_SHIFT 10 (Debian amd64) */
#define NODEMASK_WORDS (MAX_NUMNODES / 64)

struct cpu_css {
	unsigned long shares;		/* tg->shares, scale_load_down()ed */
	int idle;
	uint64_t period_ns, quota_ns, burst_ns;	/* quota UINT64_MAX: max */
	int64_t uclamp_pct[2];		/* min, max; percent * 100 */
	uint64_t uclamp_util[2];	/* 0..1024 */
};

#define PIDS_MAX (4194304LL + 1)	/* PID_MAX_LIMIT + 1, 64-bit: "max" */
struct pids_css {
	int64_t max;			/* PIDS_MAX: "max" */
	_Atomic int64_t peak;		/* highest pids.current seen (readers
					 * raise it under the read lock) */
};

/* One hstate: 2 MB pages (x86-64's default; 1 GB ones are not offered).
 * Limits in 4 KiB pages, as the kernel's page_counter. */
#define HUGETLB_PAGES_PER_HPAGE 512
#define HUGETLB_LIMIT_PAGES \
	(PAGE_COUNTER_MAX / HUGETLB_PAGES_PER_HPAGE * HUGETLB_PAGES_PER_HPAGE)
struct hugetlb_css {
	uint64_t max, rsvd_max;
};

enum cpuset_partition { PRS_MEMBER, PRS_ROOT, PRS_ISOLATED, NR_PRS };
/* As cpuset.cpus.partition spells them. */
extern const char *const cpuset_partition_names[NR_PRS];

struct cpuset_css {
	uint64_t cpus[CPUMASK_WORDS];	/* cpuset.cpus; empty: inherit */
	uint64_t mems[NODEMASK_WORDS];	/* cpuset.mems; empty: inherit */
	uint64_t xcpus[CPUMASK_WORDS];	/* cpuset.cpus.exclusive */
	enum cpuset_partition partition;
	uint64_t partition_seq;		/* when it was requested: the first
					 * of two overlapping siblings wins */
};

/* One io.max line: a disk and its four limits (U64_MAX / UINT_MAX: max). */
struct io_max_entry {
	unsigned int major, minor;
	uint64_t bps[2];
	uint64_t iops[2];
};

/* One io.bfq.weight per-disk line (0: none, "default"). */
struct io_bfq_weight {
	unsigned int major, minor;
	unsigned int weight;
};

struct io_css {
	unsigned int dfl_weight;	/* io.weight "default" */
	unsigned int bfq_weight;	/* io.bfq.weight "default" */
	struct io_max_entry *max;
	unsigned int nr_max;
	struct io_bfq_weight *bfq;
	unsigned int nr_bfq;
};

/*
 * What a live cgroup holds beyond the tree: css states and the core
 * statistics (cgroup_rstat.h).  rmdir frees it (cgroup_ctl_kill), as
 * cgroup_destroy_locked() kills every css and css_free follows: only
 * the memcg outlives its cgroup's removal, and a zombie pins the struct
 * cgroup, not this.  Nothing reads it once the cgroup is removed (an fd
 * of a removed cgroup is dead, a task cannot be in one).
 */
struct cgroup_ctl {
	uint16_t subtree_control;	/* non-memory bits; memory is
					 * cgroup->subtree_memory */
	uint64_t css_serial[CGROUP_SUBSYS_COUNT];	/* new with each css:
							 * an fd of an older
							 * one is stale */
	struct cpu_css cpu;
	struct hugetlb_css hugetlb;
	struct pids_css pids;
	struct cpuset_css cpuset;
	struct io_css io;
	struct cgroup_bstat bstat;	/* cpu.stat, this cgroup's subtree */
	struct cgroup_freezer_time freezer;
};

/* Who enabled each controller owns its files (cftype_attr).  Kept for
 * the cgroup's life: fstat() of an fd open on a removed cgroup's file
 * still shows its owner, as the kernfs node outlives the css. */
struct cgroup_ss_owners {
	uid_t uid[CGROUP_SUBSYS_COUNT];
	gid_t gid[CGROUP_SUBSYS_COUNT];
};

struct cgroup_ctl *cgroup_ctl_alloc(void);
void cgroup_ctl_free(struct cgroup_ctl *ctl);
/* rmdir: free @cg's csses (cg->ctl becomes NULL). */
void cgroup_ctl_kill(struct cgroup *cg);
struct cgroup_ss_owners *cgroup_ss_owners_alloc(uid_t uid, gid_t gid);

/* cgroup.subtree_control, with memory's bit too. */
uint16_t cgroup_subtree_ss_mask(const struct cgroup *cg);
/* cgroup.controllers: the parent's subtree_control, or every enabled
 * controller at the root. */
uint16_t cgroup_control(const struct cgroup *cg);
/* Does @cg have a css of @id (its files exist)? */
bool cgroup_has_css(const struct cgroup *cg, enum cgroup_subsys_id id);

/* cgroup.stat nr_subsys_<name>: live csses of @id at and below @cg
 * (css->nr_descendants + 1).  Not for memory (cgroup_nr_subsys_memory). */
int cgroup_nr_subsys(struct cgroup *cg, enum cgroup_subsys_id id);

/*
 * cgroup_subtree_control_write(): @enable and @disable are masks already
 * parsed.  All or nothing; on failure *why says which rule.
 */
int cgroup_apply_subtree_control(struct cgroup *cg, uint16_t enable,
				 uint16_t disable, uid_t uid, gid_t gid,
				 const char **why);
/* cgroup_migrate_vet_dst(): may processes be moved into @dst? */
int cgroup_migrate_vet_dst(struct cgroup *dst, const char **why);

/* pids.current: the threads of the subtree's member processes; raises
 * pids.peak on @cg and its ancestors as the kernel's charge would. */
int64_t cgroup_pids_current(struct cgroup *cg);
void cgroup_pids_update_peaks(struct cgroup *cg);
/* pids.max: "max" (@unlimited), or @limit 0..PIDS_MAX - 1; else -EINVAL,
 * saying why in *@why (why.h). */
int cgroup_pids_set_max(struct cgroup *cg, bool unlimited, int64_t limit,
			const char **why);
/* hugetlb.2MB.max (@rsvd: .rsvd.max), in 4 KiB pages, rounded down to
 * whole huge pages (page_counter_set_max() with no usage: no failure). */
void hugetlb_cgroup_set_max(struct cgroup *cg, bool rsvd, uint64_t pages);

#endif
