/*
 * cpuset.h - cpuset's masks on the emulated machine (CPUs 0..N-1 of
 * -o cpus=N, memory on node 0): effective masks, partitions and the
 * validity rules of writes (kernel/cgroup/cpuset.c, Linux 6.12:
 * update_cpumask(), update_nodemask(), update_exclusive_cpumask(),
 * compute_effective_exclusive_cpumask(),
 * validate_change(), update_prstate()).  Nothing is enforced on the
 * host's scheduler.  Callers hold cgroup_mutex.
 */
#ifndef MEMCGFS_CPUSET_H
#define MEMCGFS_CPUSET_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_controllers.h"

struct cgroup;

extern unsigned int cpuset_nr_cpus;	/* nr_cpu_ids */

void cpuset_effective_cpus(const struct cgroup *cg, uint64_t *mask);
void cpuset_effective_mems(const struct cgroup *cg, uint64_t *mask);
void cpuset_effective_xcpus(const struct cgroup *cg, uint64_t *mask);
/* CPUs of valid isolated partitions (cpuset.cpus.isolated). */
void cpuset_isolated_cpus(uint64_t *mask);
/* NULL if @cg is a valid partition root, else why not (perr_strings). */
const char *cpuset_partition_error(const struct cgroup *cg);

/* The writes: @mask already parsed; -errno and *why on refusal. */
int cpuset_set_cpus(struct cgroup *cg, const uint64_t *mask, const char **why);
int cpuset_set_mems(struct cgroup *cg, const uint64_t *mask, const char **why);
int cpuset_set_xcpus(struct cgroup *cg, const uint64_t *mask,
		     const char **why);
void cpuset_set_partition(struct cgroup *cg, enum cpuset_partition prs);

#endif
