/*
 * hugetlb_files.c - the hugetlb controller's files for the 2 MB hstate
 * (mm/hugetlb_cgroup.c hugetlb_dfl_tmpl[], Linux 6.12:
 * hugetlb_cgroup_write(), hugetlb_cgroup_read_u64_max(),
 * __hugetlb_events_show(), hugetlb_cgroup_read_numa_stat()).  Limits are
 * stored; memcgfs makes no huge pages, so usage and events stay 0.
 */
#include <errno.h>

#include "../core/cgroup_controllers.h"
#include "fs.h"
#include "parse.h"

static void show_limit(struct strbuf *sb, uint64_t pages)
{
	if (pages == HUGETLB_LIMIT_PAGES)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%llu\n", (unsigned long long)(pages * PAGE_SIZE));
}

/* page_counter_memparse(buf, "max"); the model rounds it down. */
static int write_limit(struct of *of, char *buf, bool rsvd)
{
	uint64_t pages;
	int ret = page_counter_memparse(strstrip(buf), "max", &pages);

	if (ret)
		return of_fail(of, ret, "expected a size or max");
	hugetlb_cgroup_set_max(of->cg, rsvd, pages);
	return 0;
}

int hugetlb_max_show(struct of *of, struct strbuf *sb)
{
	show_limit(sb, of->cg->ctl->hugetlb.max);
	return 0;
}

int hugetlb_max_write(struct of *of, char *buf)
{
	return write_limit(of, buf, false);
}

int hugetlb_rsvd_max_show(struct of *of, struct strbuf *sb)
{
	show_limit(sb, of->cg->ctl->hugetlb.rsvd_max);
	return 0;
}

int hugetlb_rsvd_max_write(struct of *of, char *buf)
{
	return write_limit(of, buf, true);
}

int hugetlb_zero_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	sb_puts(sb, "0\n");
	return 0;
}

int hugetlb_events_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	sb_puts(sb, "max 0\n");
	return 0;
}

int hugetlb_numa_stat_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	sb_puts(sb, "total=0 N0=0\n");
	return 0;
}
