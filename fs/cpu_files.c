/*
 * cpu_files.c - the cpu controller's files: cpu.weight, cpu.weight.nice,
 * cpu.idle, cpu.max, cpu.max.burst, cpu.uclamp.{min,max}
 * (kernel/sched/core.c cpu_files[], Linux 6.12: cpu_weight_write_u64(),
 * cpu_weight_nice_write_s64(), cpu_idle_write_s64() ->
 * sched_group_set_idle() in kernel/sched/fair.c, cpu_max_write() ->
 * cpu_period_quota_parse() + tg_set_cfs_bandwidth(),
 * tg_set_cfs_burst(), cpu_uclamp_write() -> capacity_from_percent()).
 * This file parses and renders; core/task_group.c checks, converts and
 * stores.  The scheduler is the host's, so none of them is enforced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "../core/task_group.h"
#include "ctl_parse.h"
#include "fs.h"
#include "parse.h"

static const struct cpu_css *of_cpu(const struct of *of)
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

static int write_s64(struct of *of, char *buf, long long *v)
{
	int ret = kstrtoll(buf, 0, v);

	return ret ? of_fail(of, ret, "not an integer") : 0;
}

int cpu_weight_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%llu\n", (unsigned long long)tg_weight(of->cg));
	return 0;
}

int cpu_weight_write(struct of *of, char *buf)
{
	unsigned long long v;
	int ret = write_u64(of, buf, &v);

	return ret ? ret : tg_set_weight(of->cg, v, &of->why);
}

int cpu_weight_nice_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", tg_weight_nice(of->cg));
	return 0;
}

int cpu_weight_nice_write(struct of *of, char *buf)
{
	long long v;
	int ret = write_s64(of, buf, &v);

	return ret ? ret : tg_set_weight_nice(of->cg, v, &of->why);
}

int cpu_idle_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", of_cpu(of)->idle);
	return 0;
}

int cpu_idle_write(struct of *of, char *buf)
{
	long long v;
	int ret = write_s64(of, buf, &v);

	return ret ? ret : tg_set_idle(of->cg, v, &of->why);
}

int cpu_max_show(struct of *of, struct strbuf *sb)
{
	const struct cpu_css *c = of_cpu(of);

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
	const struct cpu_css *c = of_cpu(of);
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
	return tg_set_cfs_bandwidth(of->cg, period, quota, c->burst_ns,
				    &of->why);
}

int cpu_max_burst_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%llu\n",
		  (unsigned long long)(of_cpu(of)->burst_ns / NSEC_PER_USEC));
	return 0;
}

int cpu_max_burst_write(struct of *of, char *buf)
{
	const struct cpu_css *c = of_cpu(of);
	unsigned long long v;
	int ret = write_u64(of, buf, &v);

	if (ret)
		return ret;
	/* tg_set_cfs_burst() */
	if (v > UINT64_MAX / NSEC_PER_USEC)
		return of_fail(of, -EINVAL, "burst too large");
	return tg_set_cfs_bandwidth(of->cg, c->period_ns, c->quota_ns,
				    v * NSEC_PER_USEC, &of->why);
}

#define UCLAMP_PERCENT_SHIFT 2	/* two decimals */

static void uclamp_show(struct of *of, struct strbuf *sb, enum uclamp_id id)
{
	const struct cpu_css *c = of_cpu(of);
	uint64_t pct = (uint64_t)c->uclamp_pct[id];

	if (c->uclamp_util[id] == SCHED_CAPACITY_SCALE)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%llu.%02u\n", (unsigned long long)(pct / 100),
			  (unsigned int)(pct % 100));
}

/* capacity_from_percent(): "max" or a percentage with two decimals. */
static int uclamp_write(struct of *of, char *buf, enum uclamp_id id)
{
	int64_t pct = UCLAMP_PERCENT_SCALE;

	buf = strstrip(buf);
	if (strcmp(buf, "max") &&
	    cgroup_parse_float(buf, UCLAMP_PERCENT_SHIFT, &pct))
		return of_fail(of, -EINVAL, "expected a percentage or max");
	return tg_set_uclamp(of->cg, id, pct, &of->why);
}

int cpu_uclamp_min_show(struct of *of, struct strbuf *sb)
{
	uclamp_show(of, sb, UCLAMP_MIN);
	return 0;
}

int cpu_uclamp_min_write(struct of *of, char *buf)
{
	return uclamp_write(of, buf, UCLAMP_MIN);
}

int cpu_uclamp_max_show(struct of *of, struct strbuf *sb)
{
	uclamp_show(of, sb, UCLAMP_MAX);
	return 0;
}

int cpu_uclamp_max_write(struct of *of, char *buf)
{
	return uclamp_write(of, buf, UCLAMP_MAX);
}
