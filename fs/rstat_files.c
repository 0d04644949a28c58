/*
 * rstat_files.c - the core statistics files every cgroup has:
 * cpu.stat, cpu.stat.local (kernel/cgroup/cgroup.c cgroup_base_files[],
 * kernel/cgroup/rstat.c cgroup_base_stat_cputime_show(), Linux 6.12) and
 * cgroup.stat.local (6.18).  The figures are core/cgroup_rstat.c's.
 */
#include "../core/cgroup_controllers.h"
#include "../core/task.h"
#include "fs.h"

int cpu_stat_show(struct of *of, struct strbuf *sb)
{
	struct cgroup *cg = of->cg;
	struct cgroup_bstat b;

	task_cputime_flush(cg);
	cgroup_base_stat(cg, &b);
	sb_printf(sb, "usage_usec %llu\nuser_usec %llu\nsystem_usec %llu\n"
		  "nice_usec %llu\n",
		  (unsigned long long)(b.user_us + b.system_us),
		  (unsigned long long)b.user_us,
		  (unsigned long long)b.system_us,
		  (unsigned long long)b.nice_us);
	/* cpu_extra_stat_show(): CFS bandwidth figures.  Nothing is ever
	 * throttled here: cpu.max is stored, not enforced. */
	if (cgroup_has_css(cg, SS_CPU))
		sb_puts(sb, "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n"
			    "nr_bursts 0\nburst_usec 0\n");
	return 0;
}

int cpu_stat_local_show(struct of *of, struct strbuf *sb)
{
	/* cpu_local_stat_show(): empty without the cpu controller. */
	if (cgroup_has_css(of->cg, SS_CPU))
		sb_puts(sb, "throttled_usec 0\n");
	return 0;
}

int cgroup_stat_local_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "frozen_usec %llu\n",
		  (unsigned long long)cgroup_frozen_usec(of->cg));
	return 0;
}
