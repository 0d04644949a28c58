/*
 * cpuset_files.c - the cpuset controller's files (kernel/cgroup/cpuset.c
 * dfl_files[], Linux 6.12: cpuset_write_resmask(), sched_partition_write(),
 * cpuset_common_seq_show(), sched_partition_show()).  Lists parse with
 * bitmap_parselist() against the emulated machine: CPUs 0..N-1 of
 * -o cpus=N (nr_cpu_ids), memory on node 0 (MAX_NUMNODES 1024).  The
 * rules are core/cpuset.c's; nothing is applied to the host scheduler.
 */
#include <errno.h>
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "../core/cpuset.h"
#include "ctl_parse.h"
#include "fs.h"
#include "parse.h"

static void show_mask(struct strbuf *sb, const uint64_t *m, unsigned int n)
{
	bitmap_print_list(sb, m, n);
	sb_putc(sb, '\n');
}

/* "" is the empty mask (cpulist_parse() would refuse it).  @mask is
 * zeroed by the caller, whole. */
static int parse_list(struct of *of, char *buf, uint64_t *mask,
		      unsigned int nbits)
{
	buf = strstrip(buf);
	if (!*buf)
		return 0;
	return bitmap_parselist(buf, mask, nbits, &of->why);
}

static int check_live(struct of *of)
{
	return of->cg->removed ? of_fail(of, -ENODEV, "cgroup removed") : 0;
}

int cpuset_cpus_show(struct of *of, struct strbuf *sb)
{
	show_mask(sb, of->cg->ctl->cpuset.cpus, NR_CPUS_MAX);
	return 0;
}

int cpuset_cpus_write(struct of *of, char *buf)
{
	uint64_t m[CPUMASK_WORDS] = { 0 };
	int ret = check_live(of);

	if (!ret)
		ret = parse_list(of, buf, m, cpuset_nr_cpus);
	return ret ? ret : cpuset_set_cpus(of->cg, m, &of->why);
}

int cpuset_mems_show(struct of *of, struct strbuf *sb)
{
	show_mask(sb, of->cg->ctl->cpuset.mems, MAX_NUMNODES);
	return 0;
}

int cpuset_mems_write(struct of *of, char *buf)
{
	uint64_t m[NODEMASK_WORDS] = { 0 };
	int ret = check_live(of);

	if (!ret)
		ret = parse_list(of, buf, m, MAX_NUMNODES);
	return ret ? ret : cpuset_set_mems(of->cg, m, &of->why);
}

int cpuset_cpus_effective_show(struct of *of, struct strbuf *sb)
{
	uint64_t m[CPUMASK_WORDS];

	cpuset_effective_cpus(of->cg, m);
	show_mask(sb, m, NR_CPUS_MAX);
	return 0;
}

int cpuset_mems_effective_show(struct of *of, struct strbuf *sb)
{
	uint64_t m[NODEMASK_WORDS];

	cpuset_effective_mems(of->cg, m);
	show_mask(sb, m, MAX_NUMNODES);
	return 0;
}

int cpuset_cpus_partition_show(struct of *of, struct strbuf *sb)
{
	enum cpuset_partition prs = of->cg->ctl->cpuset.partition;
	const char *err;

	if (prs == PRS_MEMBER) {
		sb_puts(sb, "member\n");
		return 0;
	}
	err = cpuset_partition_error(of->cg);
	if (!err)
		sb_printf(sb, "%s\n", cpuset_partition_names[prs]);
	else
		sb_printf(sb, "%s invalid (%s)\n", cpuset_partition_names[prs], err);
	return 0;
}

int cpuset_cpus_partition_write(struct of *of, char *buf)
{
	unsigned int i;
	int ret = 0;

	buf = strstrip(buf);
	for (i = 0; i < NR_PRS; i++)
		if (!strcmp(buf, cpuset_partition_names[i]))
			break;
	if (i == NR_PRS)
		return of_fail(of, -EINVAL, "expected root, member or isolated");
	ret = check_live(of);
	if (!ret)
		cpuset_set_partition(of->cg, i);
	return ret;
}

int cpuset_cpus_exclusive_show(struct of *of, struct strbuf *sb)
{
	show_mask(sb, of->cg->ctl->cpuset.xcpus, NR_CPUS_MAX);
	return 0;
}

int cpuset_cpus_exclusive_write(struct of *of, char *buf)
{
	uint64_t m[CPUMASK_WORDS] = { 0 };
	int ret = check_live(of);

	if (!ret)
		ret = parse_list(of, buf, m, cpuset_nr_cpus);
	return ret ? ret : cpuset_set_xcpus(of->cg, m, &of->why);
}

int cpuset_cpus_exclusive_effective_show(struct of *of, struct strbuf *sb)
{
	uint64_t m[CPUMASK_WORDS];

	cpuset_effective_xcpus(of->cg, m);
	show_mask(sb, m, NR_CPUS_MAX);
	return 0;
}

int cpuset_cpus_isolated_show(struct of *of, struct strbuf *sb)
{
	uint64_t m[CPUMASK_WORDS];

	(void)of;
	cpuset_isolated_cpus(m);
	show_mask(sb, m, NR_CPUS_MAX);
	return 0;
}
