/*
 * task_group.c - the cpu controller's per-cgroup settings; see
 * task_group.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "cgroup.h"
#include "cgroup_controllers.h"
#include "task_group.h"
#include "why.h"

#define MIN_SHARES 2UL
#define MAX_SHARES (1UL << 18)
#define MIN_CFS_QUOTA_PERIOD_NS 1000000ULL	/* 1 ms */
#define MAX_CFS_QUOTA_PERIOD_NS 1000000000ULL	/* 1 s */
/* MAX_BW * NSEC_PER_USEC, MAX_BW = 2^(64 - BW_SHIFT 20) - 1 us. */
#define MAX_CFS_RUNTIME_NS (((1ULL << 44) - 1) * NSEC_PER_USEC)

/* sched_prio_to_weight[] (kernel/sched/core.c): nice -20 .. 19. */
static const unsigned long prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static struct cpu_css *tg_of(const struct cgroup *cg)
{
	return &cg->ctl->cpu;
}

/* sched_group_set_shares(): clamped to [MIN_SHARES, MAX_SHARES]. */
static void set_shares(struct cgroup *cg, unsigned long weight)
{
	if (weight < MIN_SHARES)
		weight = MIN_SHARES;
	if (weight > MAX_SHARES)
		weight = MAX_SHARES;
	tg_of(cg)->shares = weight;
}

int tg_set_weight(struct cgroup *cg, uint64_t weight, const char **why)
{
	if (weight < CGROUP_WEIGHT_MIN || weight > CGROUP_WEIGHT_MAX)
		return fail_why(why, -ERANGE, "cpu.weight is 1..10000");
	/* sched_weight_from_cgroup(): DIV_ROUND_CLOSEST(w * 1024, 100). */
	set_shares(cg, (unsigned long)((weight * 1024 + CGROUP_WEIGHT_DFL / 2) /
				       CGROUP_WEIGHT_DFL));
	return 0;
}

uint64_t tg_weight(const struct cgroup *cg)
{
	/* sched_weight_to_cgroup(): DIV_ROUND_CLOSEST(w * 100, 1024),
	 * clamped to [1, 10000]. */
	uint64_t w = (tg_of(cg)->shares * CGROUP_WEIGHT_DFL + 512) / 1024;

	if (w < CGROUP_WEIGHT_MIN)
		w = CGROUP_WEIGHT_MIN;
	if (w > CGROUP_WEIGHT_MAX)
		w = CGROUP_WEIGHT_MAX;
	return w;
}

int tg_set_weight_nice(struct cgroup *cg, int64_t nice, const char **why)
{
	if (nice < -20 || nice > 19)
		return fail_why(why, -ERANGE, "cpu.weight.nice is -20..19");
	set_shares(cg, prio_to_weight[nice + 20]);
	return 0;
}

int tg_weight_nice(const struct cgroup *cg)
{
	/* cpu_weight_nice_read_s64(): the closest nice value. */
	unsigned long weight = tg_of(cg)->shares;
	long last_delta = 0x7fffffff;
	int prio;

	for (prio = 0; prio < 40; prio++) {
		long delta = labs((long)prio_to_weight[prio] - (long)weight);

		if (delta >= last_delta)
			break;
		last_delta = delta;
	}
	return prio - 1 - 20;
}

int tg_set_idle(struct cgroup *cg, int64_t idle, const char **why)
{
	/* sched_group_set_idle(): only 0 and 1. */
	if (idle < 0 || idle > 1)
		return fail_why(why, -EINVAL, "cpu.idle is 0 or 1");
	tg_of(cg)->idle = (int)idle;
	return 0;
}

int tg_set_cfs_bandwidth(struct cgroup *cg, uint64_t period_ns,
			 uint64_t quota_ns, uint64_t burst_ns,
			 const char **why)
{
	struct cpu_css *c = tg_of(cg);

	if (quota_ns < MIN_CFS_QUOTA_PERIOD_NS ||
	    period_ns < MIN_CFS_QUOTA_PERIOD_NS)
		return fail_why(why, -EINVAL,
				"quota and period must be >= 1000us");
	if (period_ns > MAX_CFS_QUOTA_PERIOD_NS)
		return fail_why(why, -EINVAL, "period must be <= 1000000us");
	if (quota_ns != RUNTIME_INF_NS && quota_ns > MAX_CFS_RUNTIME_NS)
		return fail_why(why, -EINVAL, "quota too large");
	if (quota_ns != RUNTIME_INF_NS &&
	    (burst_ns > quota_ns || burst_ns + quota_ns > MAX_CFS_RUNTIME_NS))
		return fail_why(why, -EINVAL, "burst must not exceed quota");
	c->period_ns = period_ns;
	c->quota_ns = quota_ns;
	c->burst_ns = burst_ns;
	return 0;
}

int tg_set_uclamp(struct cgroup *cg, enum uclamp_id id, int64_t pct,
		  const char **why)
{
	struct cpu_css *c = tg_of(cg);

	if (pct < 0 || pct > UCLAMP_PERCENT_SCALE)
		return fail_why(why, -ERANGE, "a percentage is 0..100");
	/* capacity_from_percent(): rounded to the closest capacity. */
	c->uclamp_util[id] = (((uint64_t)pct << 10) +
			      UCLAMP_PERCENT_SCALE / 2) / UCLAMP_PERCENT_SCALE;
	c->uclamp_pct[id] = pct;
	return 0;
}
