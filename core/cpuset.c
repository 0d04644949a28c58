/*
 * cpuset.c - cpuset's masks and partitions; see cpuset.h.
 */
#include <errno.h>
#include <string.h>

#include "cgroup.h"
#include "cgroup_controllers.h"
#include "cpuset.h"

unsigned int cpuset_nr_cpus = 1;
static uint64_t partition_seq;

#define CW CPUMASK_WORDS

static bool empty(const uint64_t *m, unsigned int words)
{
	for (unsigned int i = 0; i < words; i++)
		if (m[i])
			return false;
	return true;
}

static bool subset(const uint64_t *a, const uint64_t *b, unsigned int words)
{
	for (unsigned int i = 0; i < words; i++)
		if (a[i] & ~b[i])
			return false;
	return true;
}

static bool intersects(const uint64_t *a, const uint64_t *b)
{
	for (unsigned int i = 0; i < CW; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

static bool equal(const uint64_t *a, const uint64_t *b, unsigned int words)
{
	return !memcmp(a, b, words * sizeof(*a));
}

static void all_cpus(uint64_t *m)
{
	memset(m, 0, CW * sizeof(*m));
	for (unsigned int i = 0; i < cpuset_nr_cpus; i++)
		m[i / 64] |= 1ULL << (i % 64);
}

static const struct cpuset_css *cs(const struct cgroup *cg)
{
	return &cg->ctl->cpuset;
}

static bool has_cpuset(const struct cgroup *cg)
{
	return cgroup_has_css(cg, SS_CPUSET);
}

/* The CPUs a partition root asks for: cpus.exclusive, else cpus. */
static const uint64_t *requested_xcpus(const struct cgroup *cg)
{
	return empty(cs(cg)->xcpus, CW) ? cs(cg)->cpus : cs(cg)->xcpus;
}

static bool is_partition_root(const struct cgroup *cg)
{
	return !cg->parent ||
	       (has_cpuset(cg) && cs(cg)->partition != PRS_MEMBER &&
		!cpuset_partition_error(cg));
}

/* Earlier valid partition siblings of @cg (all of them if !@cg). */
static void sibling_partitions(const struct cgroup *parent,
			       const struct cgroup *cg, uint64_t *out)
{
	const struct cgroup *s;

	memset(out, 0, CW * sizeof(*out));
	list_for_each_entry(s, &parent->children, sibling) {
		if (s == cg || !has_cpuset(s) ||
		    cs(s)->partition == PRS_MEMBER)
			continue;
		if (cg && cs(s)->partition_seq > cs(cg)->partition_seq)
			continue;
		if (cpuset_partition_error(s))
			continue;
		for (unsigned int i = 0; i < CW; i++)
			out[i] |= requested_xcpus(s)[i];
	}
}

/* The CPUs a partition root has to hand out (before its children's
 * partitions take theirs). */
static void partition_base_cpus(const struct cgroup *cg, uint64_t *m)
{
	if (cg->parent)
		memcpy(m, requested_xcpus(cg), CW * sizeof(*m));
	else
		all_cpus(m);
}

/* What a partition root keeps for itself and its members. */
static void partition_own_cpus(const struct cgroup *cg, uint64_t *m)
{
	uint64_t taken[CW];

	partition_base_cpus(cg, m);
	sibling_partitions(cg, NULL, taken);
	for (unsigned int i = 0; i < CW; i++)
		m[i] &= ~taken[i];
}

const char *cpuset_partition_error(const struct cgroup *cg)
{
	const struct cgroup *parent = cg->parent;
	uint64_t pcpus[CW], taken[CW];
	const uint64_t *x = requested_xcpus(cg);
	bool left = false;

	if (!parent)
		return NULL;
	if (parent->parent && cs(parent)->partition != PRS_MEMBER &&
	    cpuset_partition_error(parent))
		return "Parent is an invalid partition root";
	if (!is_partition_root(parent))
		return "Parent is not a partition root";
	if (empty(x, CW))
		return "cpuset.cpus and cpuset.cpus.exclusive are empty";
	partition_base_cpus(parent, pcpus);
	sibling_partitions(parent, cg, taken);
	if (intersects(x, taken))
		return "Cpu list in cpuset.cpus not exclusive";
	if (!subset(x, pcpus, CW))
		return "Invalid cpu list in cpuset.cpus.exclusive";
	/* A parent with tasks (the root always has) keeps one CPU. */
	for (unsigned int i = 0; i < CW; i++)
		left |= pcpus[i] & ~taken[i] & ~x[i];
	if (!left && (!parent->parent || parent->nr_procs))
		return "Parent unable to distribute cpu downstream";
	return NULL;
}

void cpuset_effective_cpus(const struct cgroup *cg, uint64_t *mask)
{
	uint64_t parent[CW];

	if (is_partition_root(cg)) {
		partition_own_cpus(cg, mask);
		return;
	}
	cpuset_effective_cpus(cg->parent, parent);
	/* compute_effective_cpumask(); on v2 an empty result means the
	 * parent's. */
	for (unsigned int i = 0; i < CW; i++)
		mask[i] = cs(cg)->cpus[i] & parent[i];
	if (empty(mask, CW))
		memcpy(mask, parent, sizeof(parent));
}

void cpuset_effective_mems(const struct cgroup *cg, uint64_t *mask)
{
	uint64_t parent[NODEMASK_WORDS];

	if (!cg->parent) {
		memset(mask, 0, NODEMASK_WORDS * sizeof(*mask));
		mask[0] = 1;
		return;
	}
	cpuset_effective_mems(cg->parent, parent);
	for (unsigned int i = 0; i < NODEMASK_WORDS; i++)
		mask[i] = cs(cg)->mems[i] & parent[i];
	if (empty(mask, NODEMASK_WORDS))
		memcpy(mask, parent, sizeof(parent));
}

void cpuset_effective_xcpus(const struct cgroup *cg, uint64_t *mask)
{
	uint64_t parent[CW];

	if (is_partition_root(cg) && cg->parent) {
		memcpy(mask, requested_xcpus(cg), CW * sizeof(*mask));
		return;
	}
	cpuset_effective_cpus(cg->parent, parent);
	for (unsigned int i = 0; i < CW; i++)
		mask[i] = cs(cg)->xcpus[i] & parent[i];
}

static void collect_isolated(const struct cgroup *cg, uint64_t *out)
{
	const struct cgroup *c;

	list_for_each_entry(c, &cg->children, sibling) {
		if (!has_cpuset(c))
			continue;
		if (cs(c)->partition == PRS_ISOLATED && !cpuset_partition_error(c))
			for (unsigned int i = 0; i < CW; i++)
				out[i] |= requested_xcpus(c)[i];
		collect_isolated(c, out);
	}
}

void cpuset_isolated_cpus(uint64_t *mask)
{
	memset(mask, 0, CW * sizeof(*mask));
	collect_isolated(cgroup_root(), mask);
}

/* validate_change(): the rules a new cpus/xcpus must keep with siblings. */
static int validate_change(const struct cgroup *cg, const uint64_t *cpus,
			   const uint64_t *xcpus, const char **why)
{
	const struct cgroup *c;

	/* A populated cpuset cannot lose all its CPUs. */
	if (cgroup_populated(cg) && !empty(cs(cg)->cpus, CW) && empty(cpus, CW))
		return *why = "a populated cpuset needs CPUs", -ENOSPC;
	list_for_each_entry(c, &cg->parent->children, sibling) {
		bool txset = !empty(xcpus, CW), cxset;

		if (c == cg || !has_cpuset(c))
			continue;
		cxset = !empty(cs(c)->xcpus, CW);
		if (txset && cxset) {
			if (intersects(xcpus, cs(c)->xcpus))
				return *why = "exclusive CPUs overlap a sibling's",
				       -EINVAL;
		} else if (txset || cxset) {
			const uint64_t *x = txset ? xcpus : cs(c)->xcpus;
			const uint64_t *a = txset ? cs(c)->cpus : cpus;

			if (!empty(a, CW) && subset(a, x, CW))
				return *why = "a sibling's cpus would all be exclusive",
				       -EINVAL;
		}
	}
	return 0;
}

int cpuset_set_cpus(struct cgroup *cg, const uint64_t *mask, const char **why)
{
	uint64_t all[CW];
	int ret;

	all_cpus(all);
	if (!subset(mask, all, CW))
		return *why = "CPU not online", -EINVAL;
	if (equal(mask, cs(cg)->cpus, CW))
		return 0;
	ret = validate_change(cg, mask, cs(cg)->xcpus, why);
	if (!ret)
		memcpy(cg->ctl->cpuset.cpus, mask, CW * sizeof(*mask));
	return ret;
}

int cpuset_set_mems(struct cgroup *cg, const uint64_t *mask, const char **why)
{
	uint64_t node0[NODEMASK_WORDS] = { 1 };

	if (!subset(mask, node0, NODEMASK_WORDS))
		return *why = "only node 0 has memory", -EINVAL;
	if (equal(mask, cs(cg)->mems, NODEMASK_WORDS))
		return 0;
	if (cgroup_populated(cg) && !empty(cs(cg)->mems, NODEMASK_WORDS) &&
	    empty(mask, NODEMASK_WORDS))
		return *why = "a populated cpuset needs memory nodes", -ENOSPC;
	memcpy(cg->ctl->cpuset.mems, mask, NODEMASK_WORDS * sizeof(*mask));
	return 0;
}

int cpuset_set_xcpus(struct cgroup *cg, const uint64_t *mask,
		     const char **why)
{
	uint64_t taken[CW];
	const struct cgroup *s;
	int ret;

	if (equal(mask, cs(cg)->xcpus, CW))
		return 0;
	/* compute_effective_exclusive_cpumask(): no CPU of a sibling's
	 * exclusive set or valid partition. */
	sibling_partitions(cg->parent, cg, taken);
	list_for_each_entry(s, &cg->parent->children, sibling)
		if (s != cg && has_cpuset(s))
			for (unsigned int i = 0; i < CW; i++)
				taken[i] |= cs(s)->xcpus[i];
	if (intersects(mask, taken))
		return *why = "exclusive CPUs overlap a sibling's", -EINVAL;
	ret = validate_change(cg, cs(cg)->cpus, mask, why);
	if (!ret)
		memcpy(cg->ctl->cpuset.xcpus, mask, CW * sizeof(*mask));
	return ret;
}

void cpuset_set_partition(struct cgroup *cg, enum cpuset_partition prs)
{
	if (cs(cg)->partition == prs)
		return;
	cg->ctl->cpuset.partition = prs;
	cg->ctl->cpuset.partition_seq = ++partition_seq;
}
