/*
 * task_group.h - the cpu controller's state of a cgroup (struct
 * task_group in kernel/sched/sched.h): its weight, idle flag, CFS
 * bandwidth and utilisation clamps, set with the scheduler's checks
 * (kernel/sched/core.c cpu_weight_write_u64(),
 * cpu_weight_nice_write_s64(), tg_set_cfs_bandwidth(),
 * cpu_uclamp_write(); kernel/sched/fair.c sched_group_set_shares(),
 * sched_group_set_idle(), Linux 6.12).  The scheduler is the host's:
 * nothing here is enforced.  Callers hold cgroup_mutex for writing;
 * fs/ parses, these decide and store.  Failures say why in *@why
 * (why.h) and change nothing.
 */
#ifndef MEMCGFS_TASK_GROUP_H
#define MEMCGFS_TASK_GROUP_H

#include <stdint.h>

struct cgroup;

#define NSEC_PER_USEC 1000ULL
#define RUNTIME_INF_NS UINT64_MAX	/* cpu.max "max" */
#define UCLAMP_PERCENT_SCALE 10000	/* 100.00 %, in hundredths */
#define SCHED_CAPACITY_SCALE 1024
enum uclamp_id { UCLAMP_MIN, UCLAMP_MAX };

/* cpu.weight 1..10000 (else -ERANGE), stored as shares; read back as
 * the closest weight (sched_weight_to_cgroup()). */
int tg_set_weight(struct cgroup *cg, uint64_t weight, const char **why);
uint64_t tg_weight(const struct cgroup *cg);
/* cpu.weight.nice -20..19 (else -ERANGE); read back as the nice value
 * whose weight is closest to the shares. */
int tg_set_weight_nice(struct cgroup *cg, int64_t nice, const char **why);
int tg_weight_nice(const struct cgroup *cg);
/* cpu.idle 0 or 1 (else -EINVAL). */
int tg_set_idle(struct cgroup *cg, int64_t idle, const char **why);
/* cpu.max and cpu.max.burst, in ns: tg_set_cfs_bandwidth()'s checks
 * (-EINVAL). */
int tg_set_cfs_bandwidth(struct cgroup *cg, uint64_t period_ns,
			 uint64_t quota_ns, uint64_t burst_ns,
			 const char **why);
/* cpu.uclamp.min/max: @pct in hundredths of a percent, 0..10000 (else
 * -ERANGE); 10000 is "max". */
int tg_set_uclamp(struct cgroup *cg, enum uclamp_id id, int64_t pct,
		  const char **why);

#endif
