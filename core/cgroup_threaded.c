/*
 * cgroup_threaded.c - threaded cgroups; see cgroup_threaded.h.
 *
 * Follows kernel/cgroup/cgroup.c of 6.12: cgroup_is_threaded(),
 * cgroup_is_mixable(), cgroup_can_be_thread_root(),
 * cgroup_is_thread_root(), cgroup_is_valid_domain(), cgroup_type_show()
 * and cgroup_enable_threaded().  nr_threaded_children and
 * nr_populated_domain_children are counted from the live children when
 * asked, not kept: nothing to undo at rmdir.
 *
 * A threaded cgroup has the csses of threaded controllers only
 * (cgroup_control()); its processes are charged to the memcg of its
 * threaded domain (cgroup_effective_memcg() walks up to it).
 */
#include <errno.h>

#include "cgroup.h"
#include "cgroup_controllers.h"
#include "cgroup_threaded.h"

uint16_t cgroup_threaded_ss_mask(void)
{
	uint16_t m = 0;

	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		if (cgroup_subsys[i].flags & SS_THREADED)
			m |= SS_BIT(i);
	return m;
}

/* NULL (a cgroup as made) is itself: mkdir need not set it. */
struct cgroup *cgroup_dom_cgrp(const struct cgroup *cg)
{
	return cg->dom_cgrp ? cg->dom_cgrp : (struct cgroup *)cg;
}

bool cgroup_is_threaded(const struct cgroup *cg)
{
	return cgroup_dom_cgrp(cg) != cg;
}

bool cgroup_is_mixable(const struct cgroup *cg)
{
	return !cg->parent;
}

static bool has_threaded_children(const struct cgroup *cg)
{
	const struct cgroup *child;

	list_for_each_entry(child, &cg->children, sibling)
		if (cgroup_is_threaded(child))
			return true;
	return false;
}

static bool has_populated_domain_children(const struct cgroup *cg)
{
	const struct cgroup *child;

	list_for_each_entry(child, &cg->children, sibling)
		if (!cgroup_is_threaded(child) && cgroup_populated(child))
			return true;
	return false;
}

bool cgroup_can_be_thread_root(const struct cgroup *cg)
{
	if (cgroup_is_mixable(cg))
		return true;
	if (cgroup_is_threaded(cg))
		return false;
	if (has_populated_domain_children(cg))
		return false;
	return !(cgroup_subtree_ss_mask(cg) & ~cgroup_threaded_ss_mask());
}

bool cgroup_is_thread_root(const struct cgroup *cg)
{
	if (cgroup_is_threaded(cg))
		return false;
	if (has_threaded_children(cg))
		return true;
	return cg->nr_procs &&
	       (cgroup_subtree_ss_mask(cg) & cgroup_threaded_ss_mask());
}

bool cgroup_is_valid_domain(const struct cgroup *cg)
{
	if (cgroup_is_threaded(cg))
		return false;
	while ((cg = cg->parent)) {
		if (!cgroup_is_mixable(cg) && cgroup_is_thread_root(cg))
			return false;
		if (cgroup_is_threaded(cg))
			return false;
	}
	return true;
}

const char *cgroup_type_name(const struct cgroup *cg)
{
	if (cgroup_is_threaded(cg))
		return "threaded";
	if (!cgroup_is_valid_domain(cg))
		return "domain invalid";
	if (cgroup_is_thread_root(cg))
		return "domain threaded";
	return "domain";
}

/* cgroup_for_each_live_descendant_pre(): @cg and its threaded
 * descendants join @dom's threaded subtree. */
static void set_dom(struct cgroup *cg, struct cgroup *dom, bool top)
{
	struct cgroup *child;

	if (top || cgroup_is_threaded(cg))
		cg->dom_cgrp = dom;
	list_for_each_entry(child, &cg->children, sibling)
		set_dom(child, dom, false);
}

int cgroup_enable_threaded(struct cgroup *cg, const char **why)
{
	struct cgroup *dom;

	if (!cg->parent)
		return *why = "the root cannot be threaded", -EINVAL;
	if (cgroup_is_threaded(cg))
		return 0;
	dom = cgroup_dom_cgrp(cg->parent);
	if (cgroup_populated(cg))
		return *why = "the cgroup is populated", -EOPNOTSUPP;
	if (cgroup_subtree_ss_mask(cg) & ~cgroup_threaded_ss_mask())
		return *why = "a domain controller is enabled in cgroup.subtree_control",
		       -EOPNOTSUPP;
	if (!cgroup_is_valid_domain(dom) || !cgroup_can_be_thread_root(dom))
		return *why = "the parent's domain cannot be a thread root (it has populated domain children or domain controllers enabled, or is invalid)",
		       -EOPNOTSUPP;
	set_dom(cg, dom, true);
	/* cgroup_apply_control(): a domain controller's css goes (memory
	 * only when the parent is the root: anywhere else the parent could
	 * not have +memory and be a thread root). */
	cgroup_memcg_drop(cg);
	return 0;
}
