/*
 * cpu_files.c - the cpu controller's files: cpu.weight, cpu.weight.nice,
 * cpu.idle, cpu.max, cpu.max.burst, cpu.uclamp.{min,max}
 * (kernel/sched/core.c cpu_files[], Linux 6.12: cpu_weight_write_u64(),
 * cpu_weight_nice_write_s64(), cpu_idle_write_s64() ->
 * sched_group_set_idle() in kernel/sched/fair.c, cpu_max_write() ->
 * cpu_period_quota_parse() + tg_set_cfs_bandwidth(),
 * tg_set_cfs_burst(), cpu_uclamp_write() -> capacity_from_percent()).
 * Values are stored and shown; the scheduler is the host's, so none of
 * them is enforced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "ctl_parse.h"
#include "fs.h"
#include "parse.h"

#define CGROUP_WEIGHT_MIN 1
#define CGROUP_WEIGHT_DFL 100
#define CGROUP_WEIGHT_MAX 10000
#define MIN_SHARES 2UL
#define MAX_SHARES (1UL << 18)
#define NSEC_PER_USEC 1000ULL
#define MIN_CFS_QUOTA_PERIOD_NS 1000000ULL	/* 1 ms */
#define MAX_CFS_QUOTA_PERIOD_NS 1000000000ULL	/* 1 s */
/* MAX_BW * NSEC_PER_USEC, MAX_BW = 2^(64 - BW_SHIFT 20) - 1 us. */
#define MAX_CFS_RUNTIME_NS (((1ULL << 44) - 1) * NSEC_PER_USEC)
#define RUNTIME_INF_NS UINT64_MAX

/* sched_prio_to_weight[] (kernel/sched/core.c): nice -20 .. 19. */
static const unsigned long prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static struct cpu_css *of_cpu(struct of *of)
{
	return &of->cg->ctl->cpu;
}

/* cgroup_file_write(): write_u64 / write_s64 files parse with
 * kstrtoull/kstrtoll(buf, 0), one trailing newline allowed. */
static int write_u64(struct of *of, char *buf, unsigned long long *v)
{
	int ret = kstrtoull(buf, 0, v);

	return ret ? of_fail(of, ret, "not an unsigned integer") : 0;
}

/* An integer in [@lo, @hi]; outside it, @err with @why (the scheduler's
 * parsers differ: ERANGE for cpu.weight.nice, EINVAL for cpu.idle). */
static int write_s64(struct of *of, char *buf, long long lo, long long hi,
		     int err, const char *why, long long *v)
{
	int ret = kstrtoll(buf, 0, v);

	if (ret)
		return of_fail(of, ret, "not an integer");
	return *v < lo || *v > hi ? of_fail(of, err, why) : 0;
}

/* sched_group_set_shares(): clamped to [MIN_SHARES, MAX_SHARES]. */
static void set_shares(struct of *of, unsigned long weight)
{
	if (weight < MIN_SHARES)
		weight = MIN_SHARES;
	if (weight > MAX_SHARES)
		weight = MAX_SHARES;
	of_cpu(of)->shares = weight;
}

int cpu_weight_show(struct of *of, struct strbuf *sb)
{
	/* sched_weight_to_cgroup(): DIV_ROUND_CLOSEST(w * 100, 1024),
	 * clamped to [1, 10000]. */
	unsigned long long w = (of_cpu(of)->shares * CGROUP_WEIGHT_DFL + 512) /
			       1024;

	if (w < CGROUP_WEIGHT_MIN)
		w = CGROUP_WEIGHT_MIN;
	if (w > CGROUP_WEIGHT_MAX)
		w = CGROUP_WEIGHT_MAX;
	sb_printf(sb, "%llu\n", w);
	return 0;
}

int cpu_weight_write(struct of *of, char *buf)
{
	unsigned long long v;
	int ret = write_u64(of, buf, &v);

	if (ret)
		return ret;
	if (v < CGROUP_WEIGHT_MIN || v > CGROUP_WEIGHT_MAX)
		return of_fail(of, -ERANGE, "cpu.weight is 1..10000");
	/* sched_weight_from_cgroup(): DIV_ROUND_CLOSEST(w * 1024, 100). */
	set_shares(of, (unsigned long)((v * 1024 + CGROUP_WEIGHT_DFL / 2) /
				       CGROUP_WEIGHT_DFL));
	return 0;
}

int cpu_weight_nice_show(struct of *of, struct strbuf *sb)
{
	/* cpu_weight_nice_read_s64(): the closest nice value. */
	unsigned long weight = of_cpu(of)->shares;
	long last_delta = 0x7fffffff;
	int prio;

	for (prio = 0; prio < 40; prio++) {
		long delta = labs((long)prio_to_weight[prio] - (long)weight);

		if (delta >= last_delta)
			break;
		last_delta = delta;
	}
	sb_printf(sb, "%d\n", prio - 1 - 20);
	return 0;
}

int cpu_weight_nice_write(struct of *of, char *buf)
{
	long long v;
	int ret = write_s64(of, buf, -20, 19, -ERANGE,
			    "cpu.weight.nice is -20..19", &v);

	if (ret)
		return ret;
	set_shares(of, prio_to_weight[v + 20]);
	return 0;
}

int cpu_idle_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", of_cpu(of)->idle);
	return 0;
}

int cpu_idle_write(struct of *of, char *buf)
{
	long long v;
	/* sched_group_set_idle(): only 0 and 1. */
	int ret = write_s64(of, buf, 0, 1, -EINVAL, "cpu.idle is 0 or 1", &v);

	if (ret)
		return ret;
	of_cpu(of)->idle = (int)v;
	return 0;
}

/* tg_set_cfs_bandwidth()'s checks, in nanoseconds. */
static int set_bandwidth(struct of *of, uint64_t period, uint64_t quota,
			 uint64_t burst)
{
	struct cpu_css *c = of_cpu(of);

	if (quota < MIN_CFS_QUOTA_PERIOD_NS || period < MIN_CFS_QUOTA_PERIOD_NS)
		return of_fail(of, -EINVAL, "quota and period must be >= 1000us");
	if (period > MAX_CFS_QUOTA_PERIOD_NS)
		return of_fail(of, -EINVAL, "period must be <= 1000000us");
	if (quota != RUNTIME_INF_NS && quota > MAX_CFS_RUNTIME_NS)
		return of_fail(of, -EINVAL, "quota too large");
	if (quota != RUNTIME_INF_NS &&
	    (burst > quota || burst + quota > MAX_CFS_RUNTIME_NS))
		return of_fail(of, -EINVAL, "burst must not exceed quota");
	c->period_ns = period;
	c->quota_ns = quota;
	c->burst_ns = burst;
	return 0;
}

int cpu_max_show(struct of *of, struct strbuf *sb)
{
	struct cpu_css *c = of_cpu(of);

	/* cpu_period_quota_print(): a quota of RUNTIME_INF reads -1 us. */
	if (c->quota_ns == RUNTIME_INF_NS)
		sb_puts(sb, "max");
	else
		sb_printf(sb, "%ld", (long)(c->quota_ns / NSEC_PER_USEC));
	sb_printf(sb, " %ld\n", (long)(c->period_ns / NSEC_PER_USEC));
	return 0;
}

/* cpu_period_quota_parse(): sscanf("%20s %llu"), then the token is a
 * number (leading digits; the rest ignored) or exactly "max". */
int cpu_max_write(struct of *of, char *buf)
{
	struct cpu_css *c = of_cpu(of);
	unsigned long long period = c->period_ns / NSEC_PER_USEC, quota;
	const char *p = buf, *t;
	char tok[21];

	if (!kscan_str(&p, tok, 20))
		return of_fail(of, -EINVAL, "expected \"$MAX $PERIOD\"");
	kscan_ull(&p, &period);
	period *= NSEC_PER_USEC;
	t = tok;
	if (kscan_ull(&t, &quota))
		quota *= NSEC_PER_USEC;
	else if (!strcmp(tok, "max"))
		quota = RUNTIME_INF_NS;
	else
		return of_fail(of, -EINVAL, "quota is a number of us or max");
	return set_bandwidth(of, period, quota, c->burst_ns);
}

int cpu_max_burst_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%llu\n",
		  (unsigned long long)(of_cpu(of)->burst_ns / NSEC_PER_USEC));
	return 0;
}

int cpu_max_burst_write(struct of *of, char *buf)
{
	struct cpu_css *c = of_cpu(of);
	unsigned long long v;
	int ret = write_u64(of, buf, &v);

	if (ret)
		return ret;
	/* tg_set_cfs_burst() */
	if (v > UINT64_MAX / NSEC_PER_USEC)
		return of_fail(of, -EINVAL, "burst too large");
	return set_bandwidth(of, c->period_ns, c->quota_ns, v * NSEC_PER_USEC);
}

#define UCLAMP_PERCENT_SHIFT 2
#define UCLAMP_PERCENT_SCALE 10000
#define SCHED_CAPACITY_SCALE 1024

static void uclamp_show(struct of *of, struct strbuf *sb, int id)
{
	struct cpu_css *c = of_cpu(of);
	uint64_t pct = (uint64_t)c->uclamp_pct[id];

	if (c->uclamp_util[id] == SCHED_CAPACITY_SCALE)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%llu.%02u\n", (unsigned long long)(pct / 100),
			  (unsigned int)(pct % 100));
}

/* capacity_from_percent(): "max" or a percentage with two decimals. */
static int uclamp_write(struct of *of, char *buf, int id)
{
	struct cpu_css *c = of_cpu(of);
	int64_t pct = UCLAMP_PERCENT_SCALE;
	uint64_t util = SCHED_CAPACITY_SCALE;

	buf = strstrip(buf);
	if (strcmp(buf, "max")) {
		if (cgroup_parse_float(buf, UCLAMP_PERCENT_SHIFT, &pct))
			return of_fail(of, -EINVAL, "expected a percentage or max");
		if ((uint64_t)pct > UCLAMP_PERCENT_SCALE)
			return of_fail(of, -ERANGE, "a percentage is 0..100");
		util = (((uint64_t)pct << 10) + UCLAMP_PERCENT_SCALE / 2) /
		       UCLAMP_PERCENT_SCALE;
	}
	c->uclamp_util[id] = util;
	c->uclamp_pct[id] = pct;
	return 0;
}

int cpu_uclamp_min_show(struct of *of, struct strbuf *sb)
{
	uclamp_show(of, sb, 0);
	return 0;
}

int cpu_uclamp_min_write(struct of *of, char *buf)
{
	return uclamp_write(of, buf, 0);
}

int cpu_uclamp_max_show(struct of *of, struct strbuf *sb)
{
	uclamp_show(of, sb, 1);
	return 0;
}

int cpu_uclamp_max_write(struct of *of, char *buf)
{
	return uclamp_write(of, buf, 1);
}
