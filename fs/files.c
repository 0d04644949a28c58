/*
 * files.c - THE table of interface files.  Adding a file is one row.
 *
 * Order is readdir order.  Modes and root/non-root placement follow
 * cgroup_base_files[], cgroup_psi_files[], memory_files[] and swap_files[]
 * of Linux 6.18 (Documentation/admin-guide/cgroup-v2.rst).
 */
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "../core/psi.h"
#include "fs.h"

#define RO 0444
#define RW 0644
#define WO 0200
#define NONE -1
#define MEM CFTYPE_MEMORY
#define NOT_ROOT CFTYPE_NOT_ON_ROOT
#define ROOT_ONLY CFTYPE_ONLY_ON_ROOT
#define CPUSET CFTYPE_SS(SS_CPUSET)
#define CPU CFTYPE_SS(SS_CPU)
#define IO CFTYPE_SS(SS_IO)
#define PIDS CFTYPE_SS(SS_PIDS)
#define HUGETLB CFTYPE_SS(SS_HUGETLB)
#define RDMA CFTYPE_SS(SS_RDMA)
#define MISC CFTYPE_SS(SS_MISC)
#define PSI CFTYPE_PSI
#define ATOMIC CFTYPE_READ_ATOMIC
#define W_MEMCG CFTYPE_WRITE_MEMCG
#define W_STOPPED CFTYPE_WRITE_STOPPED

const struct cftype cftypes[] = {
	/* name, mode, flags, show, write, notify */
	{ "cgroup.type", RW, NOT_ROOT, cgroup_type_show, cgroup_type_write,
	  NONE },
	{ "cgroup.procs", RW, 0, cgroup_procs_show, cgroup_procs_write, NONE },
	{ "cgroup.threads", RW, 0, cgroup_threads_show, cgroup_threads_write,
	  NONE },
	{ "cgroup.controllers", RO, 0, cgroup_controllers_show, NULL, NONE },
	{ "cgroup.subtree_control", RW, 0, cgroup_subtree_control_show,
	  cgroup_subtree_control_write, NONE },
	{ "cgroup.events", RO, NOT_ROOT | ATOMIC, cgroup_events_show, NULL,
	  CGRP_NOTIFY_EVENTS },
	{ "cgroup.max.descendants", RW, 0, cgroup_max_descendants_show,
	  cgroup_max_descendants_write, NONE },
	{ "cgroup.max.depth", RW, 0, cgroup_max_depth_show,
	  cgroup_max_depth_write, NONE },
	{ "cgroup.stat", RO, ATOMIC, cgroup_stat_show, NULL, NONE },
	{ "cgroup.freeze", RW, NOT_ROOT, cgroup_freeze_show,
	  cgroup_freeze_write_h, NONE },
	{ "cgroup.kill", WO, NOT_ROOT, NULL, cgroup_kill_write, NONE },
	{ "cgroup.stat.local", RO, NOT_ROOT, cgroup_stat_local_show, NULL,
	  NONE },
	{ "cpu.stat", RO, 0, cpu_stat_show, NULL, NONE },
	{ "cpu.stat.local", RO, 0, cpu_stat_local_show, NULL, NONE },
	/* cgroup_psi_files[]: on every cgroup, the root's system-wide. */
	{ "cgroup.pressure", RW, 0, cgroup_pressure_show,
	  cgroup_pressure_write, NONE },
	{ "cpu.pressure", RW, PSI, pressure_show, pressure_write, NONE },
	{ "io.pressure", RW, PSI, pressure_show, pressure_write, NONE },
	{ "irq.pressure", RW, PSI, pressure_show, pressure_write, NONE },
	{ "memory.pressure", RW, PSI, pressure_show, pressure_write, NONE },
	{ "memory.current", RO, MEM | NOT_ROOT | ATOMIC, memory_current_show,
	  NULL,
	  NONE },
	{ "memory.min", RW, MEM | NOT_ROOT | ATOMIC | W_MEMCG, memory_min_show,
	  memory_min_write, NONE },
	{ "memory.low", RW, MEM | NOT_ROOT | ATOMIC | W_MEMCG, memory_low_show,
	  memory_low_write, NONE },
	{ "memory.high", RW, MEM | NOT_ROOT | ATOMIC | W_STOPPED,
	  memory_high_show, memory_high_write_h, NONE },
	{ "memory.max", RW, MEM | NOT_ROOT | ATOMIC | W_MEMCG, memory_max_show,
	  memory_max_write_h, NONE },
	{ "memory.peak", RW, MEM | NOT_ROOT, memory_peak_show,
	  memory_peak_write, NONE },
	{ "memory.oom.group", RW, MEM | NOT_ROOT, memory_oom_group_show,
	  memory_oom_group_write, NONE },
	{ "memory.events", RO, MEM | NOT_ROOT | ATOMIC, memory_events_show,
	  NULL,
	  CGRP_NOTIFY_MEMORY_EVENTS },
	{ "memory.events.local", RO, MEM | NOT_ROOT | ATOMIC,
	  memory_events_local_show,
	  NULL, CGRP_NOTIFY_MEMORY_EVENTS_LOCAL },
	{ "memory.stat", RO, MEM, memory_stat_show, NULL, NONE },
	{ "memory.numa_stat", RO, MEM, memory_numa_stat_show, NULL, NONE },
	{ "memory.reclaim", WO, MEM | W_STOPPED, NULL, memory_reclaim_write,
	  NONE },
	{ "memory.swap.current", RO, MEM | NOT_ROOT | ATOMIC,
	  memory_swap_current_show,
	  NULL, NONE },
	{ "memory.swap.high", RW, MEM | NOT_ROOT, memory_swap_high_show,
	  memory_swap_high_write, NONE },
	{ "memory.swap.max", RW, MEM | NOT_ROOT, memory_swap_max_show,
	  memory_swap_max_write, NONE },
	{ "memory.swap.peak", RW, MEM | NOT_ROOT, memory_swap_peak_show,
	  memory_swap_peak_write, NONE },
	{ "memory.swap.events", RO, MEM | NOT_ROOT, memory_swap_events_show,
	  NULL, CGRP_NOTIFY_SWAP_EVENTS },
	{ "memory.zswap.current", RO, MEM | NOT_ROOT,
	  memory_zswap_current_show, NULL, NONE },
	{ "memory.zswap.max", RW, MEM | NOT_ROOT, memory_zswap_max_show,
	  memory_zswap_max_write, NONE },
	{ "memory.zswap.writeback", RW, MEM, memory_zswap_writeback_show,
	  memory_zswap_writeback_write, NONE },
	/* cgroup v1's kmem files (mem_cgroup_legacy_files[]), whose limit
	 * file changed with the kernel era (-o kmem_limit=). */
	{ "memory.kmem.limit_in_bytes", RW, MEM | NOT_ROOT | CFTYPE_V1 |
	  CFTYPE_KMEM_LIMIT,
	  memory_kmem_limit_show, memory_kmem_limit_write, NONE },
	{ "memory.kmem.usage_in_bytes", RO, MEM | NOT_ROOT | CFTYPE_V1,
	  memory_kmem_usage_show, NULL, NONE },
	{ "memory.kmem.max_usage_in_bytes", RW, MEM | NOT_ROOT | CFTYPE_V1,
	  memory_kmem_max_usage_show, memory_kmem_max_usage_write, NONE },
	{ "memory.kmem.failcnt", RW, MEM | NOT_ROOT | CFTYPE_V1,
	  memory_kmem_failcnt_show, memory_kmem_failcnt_write, NONE },
	{ "memory.kmem.slabinfo", RO, MEM | NOT_ROOT | CFTYPE_V1,
	  memory_kmem_slabinfo_show, NULL, NONE },
	/* The other controllers: kernel/cgroup/cpuset.c dfl_files[],
	 * kernel/sched/core.c cpu_files[], block/blk-cgroup.c blkcg_files[],
	 * blk-throttle.c, blk-iocost.c, kernel/cgroup/{pids,rdma,misc}.c. */
	{ "cpuset.cpus", RW, CPUSET | NOT_ROOT, cpuset_cpus_show,
	  cpuset_cpus_write, NONE },
	{ "cpuset.mems", RW, CPUSET | NOT_ROOT, cpuset_mems_show,
	  cpuset_mems_write, NONE },
	{ "cpuset.cpus.effective", RO, CPUSET, cpuset_cpus_effective_show,
	  NULL, NONE },
	{ "cpuset.mems.effective", RO, CPUSET, cpuset_mems_effective_show,
	  NULL, NONE },
	{ "cpuset.cpus.partition", RW, CPUSET | NOT_ROOT,
	  cpuset_cpus_partition_show, cpuset_cpus_partition_write, NONE },
	{ "cpuset.cpus.exclusive", RW, CPUSET | NOT_ROOT,
	  cpuset_cpus_exclusive_show, cpuset_cpus_exclusive_write, NONE },
	{ "cpuset.cpus.exclusive.effective", RO, CPUSET | NOT_ROOT,
	  cpuset_cpus_exclusive_effective_show, NULL, NONE },
	{ "cpuset.cpus.isolated", RO, CPUSET | ROOT_ONLY,
	  cpuset_cpus_isolated_show, NULL, NONE },
	{ "cpu.weight", RW, CPU | NOT_ROOT, cpu_weight_show, cpu_weight_write,
	  NONE },
	{ "cpu.weight.nice", RW, CPU | NOT_ROOT, cpu_weight_nice_show,
	  cpu_weight_nice_write, NONE },
	{ "cpu.idle", RW, CPU | NOT_ROOT, cpu_idle_show, cpu_idle_write, NONE },
	{ "cpu.max", RW, CPU | NOT_ROOT, cpu_max_show, cpu_max_write, NONE },
	{ "cpu.max.burst", RW, CPU | NOT_ROOT, cpu_max_burst_show,
	  cpu_max_burst_write, NONE },
	{ "cpu.uclamp.min", RW, CPU | NOT_ROOT, cpu_uclamp_min_show,
	  cpu_uclamp_min_write, NONE },
	{ "cpu.uclamp.max", RW, CPU | NOT_ROOT, cpu_uclamp_max_show,
	  cpu_uclamp_max_write, NONE },
	{ "io.stat", RO, IO, io_stat_show, NULL, NONE },
	{ "io.max", RW, IO | NOT_ROOT, io_max_show, io_max_write, NONE },
	{ "io.weight", RW, IO | NOT_ROOT, io_weight_show, io_weight_write,
	  NONE },
	{ "io.bfq.weight", RW, IO | NOT_ROOT, io_bfq_weight_show,
	  io_bfq_weight_write, NONE },
	{ "hugetlb.2MB.max", RW, HUGETLB | NOT_ROOT, hugetlb_max_show,
	  hugetlb_max_write, NONE },
	{ "hugetlb.2MB.rsvd.max", RW, HUGETLB | NOT_ROOT,
	  hugetlb_rsvd_max_show, hugetlb_rsvd_max_write, NONE },
	{ "hugetlb.2MB.current", RO, HUGETLB | NOT_ROOT, hugetlb_zero_show,
	  NULL, NONE },
	{ "hugetlb.2MB.rsvd.current", RO, HUGETLB | NOT_ROOT,
	  hugetlb_zero_show, NULL, NONE },
	{ "hugetlb.2MB.events", RO, HUGETLB | NOT_ROOT, hugetlb_events_show,
	  NULL, NONE },
	{ "hugetlb.2MB.events.local", RO, HUGETLB | NOT_ROOT,
	  hugetlb_events_show, NULL, NONE },
	{ "hugetlb.2MB.numa_stat", RO, HUGETLB | NOT_ROOT,
	  hugetlb_numa_stat_show, NULL, NONE },
	{ "pids.max", RW, PIDS | NOT_ROOT, pids_max_show, pids_max_write,
	  NONE },
	{ "pids.current", RO, PIDS | NOT_ROOT, pids_current_show, NULL, NONE },
	{ "pids.peak", RO, PIDS | NOT_ROOT, pids_peak_show, NULL, NONE },
	{ "pids.events", RO, PIDS | NOT_ROOT, pids_events_show, NULL, NONE },
	{ "pids.events.local", RO, PIDS | NOT_ROOT, pids_events_local_show,
	  NULL, NONE },
	{ "rdma.max", RW, RDMA | NOT_ROOT, empty_show, rdma_max_write, NONE },
	{ "rdma.current", RO, RDMA | NOT_ROOT, empty_show, NULL, NONE },
	{ "misc.max", RW, MISC | NOT_ROOT, empty_show, misc_max_write, NONE },
	{ "misc.current", RO, MISC, empty_show, NULL, NONE },
	{ "misc.peak", RO, MISC, empty_show, NULL, NONE },
	{ "misc.capacity", RO, MISC | ROOT_ONLY, empty_show, NULL, NONE },
	{ "misc.events", RO, MISC | NOT_ROOT, empty_show, NULL, NONE },
	{ "misc.events.local", RO, MISC | NOT_ROOT, empty_show, NULL, NONE },
	{ "sim.ctl", WO, CFTYPE_SIM | W_MEMCG, NULL, sim_ctl_write, NONE },
	{ "sim.slabinfo", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT,
	  sim_slabinfo_show, NULL, NONE },
	{ "sim.zombies", RO, CFTYPE_SIM, sim_zombies_show, NULL, NONE },
	{ "sim.zombies.json", RO, CFTYPE_SIM, sim_zombies_json_show, NULL,
	  NONE },
	{ "sim.ids", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_ids_show, NULL,
	  NONE },
	{ "sim.check", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_check_show,
	  NULL, NONE },
	{ "sim.policy", RW, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_policy_show,
	  sim_policy_write, NONE },
	{ "sim.lru", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_lru_show, NULL,
	  NONE },
	{ "sim.log", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_log_show, NULL,
	  NONE },
	{ "sim.self", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_self_show,
	  NULL, NONE },
	{ "sim.swaps", RO, CFTYPE_SIM | CFTYPE_ONLY_ON_ROOT, sim_swaps_show,
	  NULL, NONE },
};
const unsigned int nr_cftypes = sizeof(cftypes) / sizeof(cftypes[0]);

bool memcgfs_pure;
unsigned int memcgfs_cpus;

bool cftype_visible(const struct cftype *cft, const struct cgroup *cg)
{
	bool root = !cg->parent;

	if ((cft->flags & CFTYPE_ONLY_ON_ROOT) && !root)
		return false;
	if ((cft->flags & CFTYPE_NOT_ON_ROOT) && root)
		return false;
	if ((cft->flags & CFTYPE_MEMORY) && !cg->memcg)
		return false;
	if (CFTYPE_SS_ID(cft->flags) >= 0 &&
	    !cgroup_has_css(cg, CFTYPE_SS_ID(cft->flags)))
		return false;
	if ((cft->flags & CFTYPE_V1) && memcgfs_pure)
		return false;
	/* A removed cgroup has no psi group: no pressure files either. */
	if ((cft->flags & CFTYPE_PSI) &&
	    (!cg->psi || !psi_group_enabled(cg->psi)))
		return false;
	if ((cft->flags & CFTYPE_KMEM_LIMIT) &&
	    kmem_limit_mode == KMEM_LIMIT_ABSENT)
		return false;
	return !((cft->flags & CFTYPE_SIM) && memcgfs_pure);
}

const struct cftype *cftype_lookup(const struct cgroup *cg, const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_cftypes; i++)
		if (!strcmp(cftypes[i].name, name) &&
		    cftype_visible(&cftypes[i], cg))
			return &cftypes[i];
	return NULL;
}

/*
 * A file belongs to whoever created the cgroup, memory files to whoever
 * enabled +memory (Documentation/admin-guide/cgroup-v2.rst), unless
 * chown/chmod said else.
 */
void cftype_attr(const struct cftype *cft, struct cgroup *cg, uid_t *uid,
		 gid_t *gid, mode_t *mode)
{
	const struct cgroup_file_attr *a =
		cgroup_file_attr(cg, (unsigned int)(cft - cftypes));
	bool mem = cft->flags & CFTYPE_MEMORY;
	int ss = CFTYPE_SS_ID(cft->flags);

	*uid = a ? a->uid : mem ? cg->mem_uid : cg->uid;
	*gid = a ? a->gid : mem ? cg->mem_gid : cg->gid;
	/* A controller's files belong to whoever enabled it. */
	if (!a && ss >= 0) {
		*uid = cg->ss_owners->uid[ss];
		*gid = cg->ss_owners->gid[ss];
	}
	*mode = a ? a->mode : cft->mode;
}

static bool in_groups(const struct cred *cred, gid_t gid)
{
	int i;

	if (cred->gid == gid)
		return true;
	for (i = 0; i < cred->nr_groups; i++)
		if (cred->groups[i] == gid)
			return true;
	return false;
}

bool cftype_may_write(const struct cftype *cft, struct cgroup *cg,
		      const struct cred *cred)
{
	uid_t uid;
	gid_t gid;
	mode_t mode;

	if (cred->uid == 0)
		return true;	/* CAP_DAC_OVERRIDE */
	cftype_attr(cft, cg, &uid, &gid, &mode);
	if (cred->uid == uid)
		return mode & 0200;
	if (in_groups(cred, gid))
		return mode & 0020;
	return mode & 0002;
}
