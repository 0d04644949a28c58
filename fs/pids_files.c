/*
 * pids_files.c - the pids controller's files (kernel/cgroup/pids.c
 * pids_files[], Linux 6.12: pids_max_write(), pids_max_show(),
 * __pids_events_show()).
 *
 * pids.current is real: the threads of the subtree's member processes,
 * counted from /proc.  pids.max is stored and shown but not enforced:
 * the kernel applies it only in fork()/clone() (pids_can_fork), which a
 * FUSE daemon cannot refuse; migration through cgroup.procs ignores the
 * limit in the kernel too.  So no fork is ever refused, and the "max"
 * count of pids.events stays 0, truthfully.
 */
#include <errno.h>
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "fs.h"
#include "parse.h"

int pids_max_show(struct of *of, struct strbuf *sb)
{
	int64_t max = of->cg->ctl->pids.max;

	if (max >= PIDS_MAX)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%lld\n", (long long)max);
	return 0;
}

int pids_max_write(struct of *of, char *buf)
{
	long long limit;
	int ret;

	buf = strstrip(buf);
	if (!strcmp(buf, "max"))
		return cgroup_pids_set_max(of->cg, true, 0, &of->why);
	ret = kstrtoll(buf, 0, &limit);
	if (ret)
		return of_fail(of, ret, "expected max or a number");
	return cgroup_pids_set_max(of->cg, false, limit, &of->why);
}

int pids_current_show(struct of *of, struct strbuf *sb)
{
	int64_t n = cgroup_pids_current(of->cg);

	/* Reading is a sample: the peak can only be seen when looked at. */
	cgroup_pids_update_peaks(of->cg);
	sb_printf(sb, "%lld\n", (long long)n);
	return 0;
}

int pids_peak_show(struct of *of, struct strbuf *sb)
{
	cgroup_pids_update_peaks(of->cg);
	sb_printf(sb, "%lld\n", (long long)of->cg->ctl->pids.peak);
	return 0;
}

/* Fork failures (PIDCG_MAX hierarchical, PIDCG_FORKFAIL local): memcgfs
 * refuses no fork. */
int pids_events_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	sb_puts(sb, "max 0\n");
	return 0;
}

int pids_events_local_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	sb_puts(sb, "max 0\n");
	return 0;
}
