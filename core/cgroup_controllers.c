/*
 * cgroup_controllers.c - the controller table, the rules of
 * cgroup.subtree_control and the no-internal-process rule for them, css
 * state resets, and pids counting; see cgroup_controllers.h.
 *
 * Rules from Linux kernel/cgroup/cgroup.c (6.12 source, unchanged in
 * 6.18 in what is modelled): cgroup_subtree_control_write(),
 * cgroup_vet_subtree_control_enable(), cgroup_migrate_vet_dst(),
 * cgroup_can_be_thread_root().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cgroup_controllers.h"
#include "cgroup_threaded.h"
#include "task.h"
#include "why.h"

const char *const cpuset_partition_names[NR_PRS] = {
	[PRS_MEMBER] = "member", [PRS_ROOT] = "root",
	[PRS_ISOLATED] = "isolated",
};

const struct cgroup_subsys cgroup_subsys[CGROUP_SUBSYS_COUNT] = {
	[SS_CPUSET] = { "cpuset", SS_THREADED },
	[SS_CPU] = { "cpu", SS_THREADED },
	[SS_IO] = { "io", 0 },
	[SS_MEMORY] = { "memory", 0 },
	[SS_PERF_EVENT] = { "perf_event", SS_THREADED | SS_IMPLICIT },
	[SS_HUGETLB] = { "hugetlb", 0 },
	[SS_PIDS] = { "pids", SS_THREADED },
	[SS_RDMA] = { "rdma", 0 },
	[SS_MISC] = { "misc", 0 },
};

uint16_t cgrp_dfl_enabled_mask = CGROUP_DEFAULT_CONTROLLERS;
static uint64_t css_serial_next;

int cgroup_subsys_find(const char *name)
{
	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		if ((cgrp_dfl_enabled_mask & SS_BIT(i)) &&
		    !strcmp(cgroup_subsys[i].name, name))
			return i;
	return -1;
}

int cgroup_controllers_parse(const char *list, uint16_t *mask,
			     const char **why)
{
	char buf[256], *p = buf, *tok;
	uint16_t m = 0;

	if (strlen(list) >= sizeof(buf))
		return *why = "controllers= list too long", -EINVAL;
	strcpy(buf, list);
	while ((tok = strsep(&p, ":"))) {
		int i;

		for (i = 0; i < CGROUP_SUBSYS_COUNT; i++)
			if (!(cgroup_subsys[i].flags & SS_IMPLICIT) &&
			    !strcmp(cgroup_subsys[i].name, tok))
				break;
		if (i == CGROUP_SUBSYS_COUNT)
			return *why = "controllers= takes names from: cpuset cpu io memory hugetlb pids rdma misc",
			       -EINVAL;
		m |= SS_BIT(i);
	}
	if (!(m & SS_BIT(SS_MEMORY)))
		return *why = "controllers= must include memory (memcgfs models it)",
		       -EINVAL;
	/* An explicit list has no perf_event, as a kernel built without
	 * CONFIG_CGROUP_PERF: -o controllers=memory is the memory-only tree,
	 * cgroup.stat included. */
	*mask = m;
	return 0;
}

/* --- per-css state ----------------------------------------------------- */

/* css_alloc of each controller: its defaults. */
static void css_reset(struct cgroup_ctl *ctl, enum cgroup_subsys_id id)
{
	switch (id) {
	case SS_CPU:
		ctl->cpu = (struct cpu_css){
			.shares = 1024, .period_ns = 100000000,
			.quota_ns = UINT64_MAX,
			.uclamp_pct = { 0, 10000 }, .uclamp_util = { 0, 1024 },
		};
		break;
	case SS_HUGETLB:
		/* round_down(PAGE_COUNTER_MAX, pages_per_huge_page) */
		ctl->hugetlb.max = ctl->hugetlb.rsvd_max =
			HUGETLB_LIMIT_PAGES;
		break;
	case SS_PIDS:
		ctl->pids.max = PIDS_MAX;
		atomic_store(&ctl->pids.peak, 0);
		break;
	case SS_CPUSET:
		memset(&ctl->cpuset, 0, sizeof(ctl->cpuset));
		break;
	case SS_IO:
		free(ctl->io.max);
		free(ctl->io.bfq);
		ctl->io = (struct io_css){ .dfl_weight = 100, .bfq_weight = 100 };
		break;
	default:
		break;
	}
}

struct cgroup_ctl *cgroup_ctl_alloc(void)
{
	struct cgroup_ctl *ctl = calloc(1, sizeof(*ctl));

	if (!ctl)
		return NULL;
	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		css_reset(ctl, i);
	return ctl;
}

struct cgroup_ss_owners *cgroup_ss_owners_alloc(uid_t uid, gid_t gid)
{
	struct cgroup_ss_owners *o = malloc(sizeof(*o));

	if (!o)
		return NULL;
	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		o->uid[i] = uid;
		o->gid[i] = gid;
	}
	return o;
}

void cgroup_ctl_free(struct cgroup_ctl *ctl)
{
	if (ctl) {
		free(ctl->io.max);
		free(ctl->io.bfq);
	}
	free(ctl);
}

void cgroup_ctl_kill(struct cgroup *cg)
{
	cgroup_ctl_free(cg->ctl);
	cg->ctl = NULL;
}

/* --- masks --------------------------------------------------------------- */

uint16_t cgroup_subtree_ss_mask(const struct cgroup *cg)
{
	return cg->ctl->subtree_control |
	       (cg->subtree_memory ? SS_BIT(SS_MEMORY) : 0);
}

uint16_t cgroup_control(const struct cgroup *cg)
{
	if (!cg->parent)
		return cgrp_dfl_enabled_mask & ~SS_BIT(SS_PERF_EVENT);
	/* Threaded cgroups can only have threaded controllers. */
	if (cgroup_is_threaded(cg))
		return cgroup_subtree_ss_mask(cg->parent) &
		       cgroup_threaded_ss_mask();
	return cgroup_subtree_ss_mask(cg->parent);
}

bool cgroup_has_css(const struct cgroup *cg, enum cgroup_subsys_id id)
{
	/* Implicit controllers (perf_event) are on in every cgroup. */
	if (!cg->parent || (cgroup_subsys[id].flags & SS_IMPLICIT))
		return cgrp_dfl_enabled_mask & SS_BIT(id);
	return cgroup_control(cg) & SS_BIT(id);
}

/* --- cgroup.subtree_control ---------------------------------------------- */

/* The per-controller checks, in ssid order; drops no-op bits. */
static int check_subtree_control(struct cgroup *cg, uint16_t *enable,
				 uint16_t *disable, const char **why)
{
	uint16_t cur = cgroup_subtree_ss_mask(cg), ctrl = cgroup_control(cg);
	struct cgroup *child;

	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		uint16_t bit = SS_BIT(i);

		if (*enable & bit) {
			if (cur & bit) {
				*enable &= ~bit;
				continue;
			}
			if (!(ctrl & bit))
				return *why = "the controller is not in this cgroup's cgroup.controllers",
				       -ENOENT;
		} else if (*disable & bit) {
			if (!(cur & bit)) {
				*disable &= ~bit;
				continue;
			}
			list_for_each_entry(child, &cg->children, sibling)
				if (cgroup_subtree_ss_mask(child) & bit)
					return *why = "a child still has the controller in cgroup.subtree_control",
					       -EBUSY;
		}
	}
	return 0;
}

/* cgroup_vet_subtree_control_enable(): the root is mixable; threaded
 * controllers tolerate internal processes, and only they may be enabled
 * inside a threaded subtree; domain ones do not. */
static int vet_enable(struct cgroup *cg, uint16_t enable, const char **why)
{
	bool domain_enable = enable & ~cgroup_threaded_ss_mask();

	if (!enable)
		return 0;
	if (!cgroup_is_valid_domain(cgroup_dom_cgrp(cg)))
		return *why = "the cgroup is an invalid domain", -EOPNOTSUPP;
	if (cgroup_is_mixable(cg))
		return 0;
	if (domain_enable &&
	    (cgroup_is_thread_root(cg) || cgroup_is_threaded(cg)))
		return *why = "a domain controller cannot be enabled inside a threaded subtree",
		       -EOPNOTSUPP;
	/* A (prospective) thread subtree takes threaded ones. */
	if (!domain_enable &&
	    (cgroup_can_be_thread_root(cg) || cgroup_is_threaded(cg)))
		return 0;
	if (cg->nr_procs)
		return *why = "the cgroup has processes (no internal processes for domain controllers)",
		       -EBUSY;
	return 0;
}

int cgroup_apply_subtree_control(struct cgroup *cg, uint16_t enable,
				 uint16_t disable, uid_t uid, gid_t gid,
				 const char **why)
{
	uint16_t mem = SS_BIT(SS_MEMORY), others;
	struct cgroup *child;
	int ret;

	if (cg->removed)
		return *why = "the cgroup was removed", -ENODEV;
	ret = check_subtree_control(cg, &enable, &disable, why);
	if (!ret)
		ret = vet_enable(cg, enable, why);
	if (ret || (!enable && !disable))
		return ret;
	/* Memory first: the only step that can fail (memcg IDs), and it is
	 * all or nothing itself, so nothing else has changed yet. */
	if ((enable | disable) & mem) {
		ret = cgroup_subtree_control(cg, (enable & mem) ? 1 : -1, uid,
					     gid);
		if (ret)
			return *why = "memcg ID space exhausted (-o ids)", ret;
	}
	others = enable & ~mem;
	list_for_each_entry(child, &cg->children, sibling)
		for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
			/* A new css, or none: open files of the old go stale. */
			if ((enable | disable) & ~mem & SS_BIT(i))
				child->ctl->css_serial[i] = ++css_serial_next;
			if (others & SS_BIT(i)) {
				css_reset(child->ctl, i);
				child->ss_owners->uid[i] = uid;
				child->ss_owners->gid[i] = gid;
			}
		}
	cg->ctl->subtree_control =
		(cg->ctl->subtree_control | others) & ~disable & ~mem;
	return 0;
}

int cgroup_migrate_vet_dst(struct cgroup *dst, const char **why)
{
	if (!cgroup_is_valid_domain(cgroup_dom_cgrp(dst)))
		return *why = "the cgroup is an invalid domain (below a threaded cgroup or thread root)",
		       -EOPNOTSUPP;
	if (cgroup_is_mixable(dst))
		return 0;
	/* Already, or able to become, a thread root; or threaded. */
	if (cgroup_can_be_thread_root(dst) || cgroup_is_threaded(dst))
		return 0;
	if (!cgroup_subtree_ss_mask(dst))
		return 0;
	return *why = "a domain controller is enabled in cgroup.subtree_control (no internal processes)",
	       -EBUSY;
}

int cgroup_nr_subsys(struct cgroup *cg, enum cgroup_subsys_id id)
{
	struct cgroup *child;
	int n;

	if (!cgroup_has_css(cg, id))
		return 0;
	n = 1;
	list_for_each_entry(child, &cg->children, sibling)
		n += cgroup_nr_subsys(child, id);
	return n;
}

/* --- pids ---------------------------------------------------------------- */

static void count_threads(pid_t pid, void *arg)
{
	struct proc_pid_stat st;

	/* An exiting process the watcher has not dropped yet counts as
	 * one task, as it does until release in the kernel. */
	*(int64_t *)arg += proc_pid_stat_read(pid, &st) ? 1 : st.num_threads;
}

int64_t cgroup_pids_current(struct cgroup *cg)
{
	struct cgroup *child;
	int64_t n = 0;

	task_for_each(cg, count_threads, &n);
	list_for_each_entry(child, &cg->children, sibling)
		n += cgroup_pids_current(child);
	return n;
}

void cgroup_pids_update_peaks(struct cgroup *cg)
{
	for (; cg && cg->parent; cg = cg->parent) {
		int64_t cur = cgroup_pids_current(cg);
		int64_t old = atomic_load(&cg->ctl->pids.peak);

		while (cur > old &&
		       !atomic_compare_exchange_weak(&cg->ctl->pids.peak, &old,
						     cur))
			;
	}
}

int cgroup_pids_set_max(struct cgroup *cg, bool unlimited, int64_t limit,
			const char **why)
{
	if (!unlimited && (limit < 0 || limit >= PIDS_MAX))
		return fail_why(why, -EINVAL, "pids.max is 0..4194304 or max");
	cg->ctl->pids.max = unlimited ? PIDS_MAX : limit;
	return 0;
}

void hugetlb_cgroup_set_max(struct cgroup *cg, bool rsvd, uint64_t pages)
{
	struct hugetlb_css *h = &cg->ctl->hugetlb;

	pages = pages / HUGETLB_PAGES_PER_HPAGE * HUGETLB_PAGES_PER_HPAGE;
	if (rsvd)
		h->rsvd_max = pages;
	else
		h->max = pages;
}
