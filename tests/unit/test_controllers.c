/*
 * test_controllers.c - the setters of the controllers beside memory
 * (task_group.h, blk_cgroup.h, cgroup_controllers.h): each refuses what
 * the kernel refuses with its errno and a reason, changing nothing, and
 * stores what it accepts as the kernel would.
 */
#include <errno.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "blk_cgroup.h"
#include "cgroup.h"
#include "cgroup_controllers.h"
#include "memcontrol.h"
#include "tap.h"
#include "task_group.h"

/* @ret is @err with a reason, and nothing about @what changed. */
#define refused(ret, err, why, what, before, after) do {		\
	tap_eq((ret), (err), "%s: errno", (what));			\
	tap_ok((why) != NULL, "%s: a reason (%s)", (what),		\
	       (why) ? (why) : "none");					\
	tap_eq((after), (before), "%s: unchanged", (what));		\
	(why) = NULL;							\
} while (0)

static void test_cpu(struct cgroup *cg)
{
	const struct cpu_css *c = &cg->ctl->cpu;
	const char *why = NULL;

	tap_eq(tg_weight(cg), 100, "cpu.weight defaults to 100");
	refused(tg_set_weight(cg, 0, &why), -ERANGE, why, "cpu.weight 0",
		1024UL, c->shares);
	refused(tg_set_weight(cg, 10001, &why), -ERANGE, why,
		"cpu.weight 10001", 1024UL, c->shares);
	tap_eq(tg_set_weight(cg, 200, &why), 0, "cpu.weight 200");
	tap_eq(c->shares, 2048, "is 2048 shares");
	tap_eq(tg_weight(cg), 200, "and reads back 200");
	tap_eq(tg_set_weight(cg, 1, &why), 0, "cpu.weight 1");
	tap_eq(c->shares, 10, "rounds to 10 shares (DIV_ROUND_CLOSEST)");

	refused(tg_set_weight_nice(cg, 20, &why), -ERANGE, why,
		"cpu.weight.nice 20", 10UL, c->shares);
	refused(tg_set_weight_nice(cg, -21, &why), -ERANGE, why,
		"cpu.weight.nice -21", 10UL, c->shares);
	tap_eq(tg_set_weight_nice(cg, -5, &why), 0, "cpu.weight.nice -5");
	tap_eq(c->shares, 3121, "is sched_prio_to_weight[15]");
	tap_eq(tg_weight_nice(cg), -5, "and reads back -5");

	refused(tg_set_idle(cg, 2, &why), -EINVAL, why, "cpu.idle 2", 0,
		c->idle);
	tap_eq(tg_set_idle(cg, 1, &why), 0, "cpu.idle 1");
	tap_eq(c->idle, 1, "stored");

	refused(tg_set_cfs_bandwidth(cg, 100000000, 999999, 0, &why), -EINVAL,
		why, "cpu.max quota < 1 ms", RUNTIME_INF_NS, c->quota_ns);
	refused(tg_set_cfs_bandwidth(cg, 2000000000ULL, 50000000, 0, &why),
		-EINVAL, why, "cpu.max period > 1 s", RUNTIME_INF_NS,
		c->quota_ns);
	refused(tg_set_cfs_bandwidth(cg, 100000000, 50000000, 60000000, &why),
		-EINVAL, why, "cpu.max.burst > quota", 0ULL, c->burst_ns);
	tap_eq(tg_set_cfs_bandwidth(cg, 100000000, 50000000, 10000000, &why),
	       0, "cpu.max 50000 100000, burst 10000");
	tap_eq(c->quota_ns, 50000000, "quota stored");
	tap_eq(c->burst_ns, 10000000, "burst stored");

	refused(tg_set_uclamp(cg, UCLAMP_MIN, 10001, &why), -ERANGE, why,
		"cpu.uclamp.min 100.01", 0, c->uclamp_pct[UCLAMP_MIN]);
	refused(tg_set_uclamp(cg, UCLAMP_MIN, -1, &why), -ERANGE, why,
		"cpu.uclamp.min -0.01", 0, c->uclamp_pct[UCLAMP_MIN]);
	tap_eq(tg_set_uclamp(cg, UCLAMP_MIN, 5000, &why), 0,
	       "cpu.uclamp.min 50.00");
	tap_eq(c->uclamp_util[UCLAMP_MIN], 512, "half the capacity");
	tap_eq(tg_set_uclamp(cg, UCLAMP_MAX, UCLAMP_PERCENT_SCALE, &why), 0,
	       "cpu.uclamp.max 100");
	tap_eq(c->uclamp_util[UCLAMP_MAX], SCHED_CAPACITY_SCALE,
	       "all of it: reads max");
}

static void test_io(struct cgroup *cg)
{
	const struct io_css *io = &cg->ctl->io;
	struct io_bfq_weight *b;
	struct io_max_entry *e;
	const char *why = NULL;

	refused(blkcg_set_weight(cg, 0, &why), -EINVAL, why, "io.weight 0",
		100U, io->dfl_weight);
	refused(blkcg_set_weight(cg, 10001, &why), -EINVAL, why,
		"io.weight 10001", 100U, io->dfl_weight);
	tap_eq(blkcg_set_weight(cg, 10000, &why), 0, "io.weight 10000");
	tap_eq(io->dfl_weight, 10000, "stored");

	refused(blkcg_set_bfq_weight(cg, 1001, &why), -ERANGE, why,
		"io.bfq.weight 1001", 100U, io->bfq_weight);
	refused(blkcg_set_bfq_weight(cg, 0, &why), -ERANGE, why,
		"io.bfq.weight 0", 100U, io->bfq_weight);
	tap_eq(blkcg_set_bfq_weight(cg, 1000, &why), 0, "io.bfq.weight 1000");
	tap_eq(io->bfq_weight, 1000, "stored");

	b = blkcg_bfq_entry(cg, 8, 0);
	tap_ok(b != NULL, "a disk's bfq entry");
	refused(blkcg_set_bfq_device_weight(b, 1001, &why), -ERANGE, why,
		"8:0 1001", 0U, b->weight);
	tap_eq(blkcg_set_bfq_device_weight(b, 7, &why), 0, "8:0 7");
	tap_eq(b->weight, 7, "stored");
	tap_eq(blkcg_set_bfq_device_weight(b, 0, &why), 0, "8:0 default");
	tap_eq(b->weight, 0, "back to the default");

	e = blkcg_max_entry(cg, 8, 0);
	tap_ok(e != NULL, "a disk's io.max entry");
	blkcg_set_max(e, (const uint64_t[2]){ 1000, IO_BPS_MAX },
		      (const uint64_t[2]){ IO_IOPS_MAX, 20 });
	tap_ok(e->bps[0] == 1000 && e->bps[1] == IO_BPS_MAX &&
	       e->iops[0] == IO_IOPS_MAX && e->iops[1] == 20,
	       "io.max rbps=1000 wiops=20 stored");
}

static void test_pids_hugetlb(struct cgroup *cg)
{
	const char *why = NULL;

	refused(cgroup_pids_set_max(cg, false, PIDS_MAX, &why), -EINVAL, why,
		"pids.max 4194305", PIDS_MAX, cg->ctl->pids.max);
	refused(cgroup_pids_set_max(cg, false, -1, &why), -EINVAL, why,
		"pids.max -1", PIDS_MAX, cg->ctl->pids.max);
	tap_eq(cgroup_pids_set_max(cg, false, 0, &why), 0, "pids.max 0");
	tap_eq(cg->ctl->pids.max, 0, "stored");
	tap_eq(cgroup_pids_set_max(cg, true, 0, &why), 0, "pids.max max");
	tap_eq(cg->ctl->pids.max, PIDS_MAX, "stored as PIDS_MAX");

	hugetlb_cgroup_set_max(cg, false, HUGETLB_PAGES_PER_HPAGE * 3 - 1);
	tap_eq(cg->ctl->hugetlb.max, HUGETLB_PAGES_PER_HPAGE * 2,
	       "hugetlb max rounds down to whole huge pages");
	tap_eq(cg->ctl->hugetlb.rsvd_max, HUGETLB_LIMIT_PAGES,
	       "rsvd.max untouched");
	hugetlb_cgroup_set_max(cg, true, HUGETLB_PAGES_PER_HPAGE);
	tap_eq(cg->ctl->hugetlb.rsvd_max, HUGETLB_PAGES_PER_HPAGE,
	       "rsvd.max set");
}

int main(void)
{
	struct memcg_config cfg = { .ids = 8, .cpus = 2,
				    .memory_bytes = 1ULL << 30 };
	struct cgroup *cg = NULL;

	if (!tap_ok(kmem_caches_init() == 0, "kmem_caches_init") ||
	    !tap_ok(cgroup_init(&cfg, 0, 0) == 0, "cgroup_init") ||
	    !tap_ok(cgroup_mkdir(cgroup_root(), "c", 0, 0, 0755, &cg) == 0,
		    "mkdir c"))
		return tap_done();
	test_cpu(cg);
	test_io(cg);
	test_pids_hugetlb(cg);
	tap_eq(cgroup_rmdir(cg, NULL), 0, "rmdir c");
	cgroup_exit();
	tap_eq(kmem_caches_exit(), 0, "every cache destroyed empty");
	return tap_done();
}
