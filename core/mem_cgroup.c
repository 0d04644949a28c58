/*
 * mem_cgroup.c - the memcg object: the root, the tree walks, the pins
 * and the names of its enums; see mem_cgroup.h.
 */
#include "mem_cgroup.h"

struct mem_cgroup *root_memcg;
/* The controller's css_free (memcontrol.c), as cgroup core calls a
 * subsystem's: the object below knows its controller only through it. */
static struct mem_cgroup *(*css_free)(struct mem_cgroup *memcg);

void mem_cgroup_set_css_free(struct mem_cgroup *(*fn)(struct mem_cgroup *))
{
	css_free = fn;
}

const char *const memcg_memory_event_names[MEMCG_NR_MEMORY_EVENTS] = {
	"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};

const char *const memcg_swap_event_names[MEMCG_NR_SWAP_EVENTS] = {
	"high", "max", "fail",
};

const char *const gfp_mode_names[NR_GFP_MODES] = {
	[GFP_KERNEL] = "kernel", [GFP_NOWAIT] = "nowait",
	[GFP_ATOMIC] = "atomic", [GFP_NOFAIL] = "nofail",
};

struct mem_cgroup *root_mem_cgroup(void)
{
	return root_memcg;
}

void mem_cgroup_pin(struct mem_cgroup *memcg, int64_t nr)
{
	atomic_fetch_add(&memcg->refs, nr);
}

void mem_cgroup_unpin(struct mem_cgroup *memcg, int64_t nr)
{
	/* Iterative: releasing a child drops the pin it held on its parent. */
	while (memcg && atomic_fetch_sub(&memcg->refs, nr) == nr) {
		memcg = css_free(memcg);
		nr = 1;
	}
}

struct mem_cgroup *mem_cgroup_next_descendant_pre(struct mem_cgroup *pos,
						  struct mem_cgroup *root)
{
	if (!list_empty(&pos->children))
		return list_entry(pos->children.next, struct mem_cgroup,
				  sibling);
	for (; pos != root; pos = pos->parent)
		if (pos->sibling.next != &pos->parent->children)
			return list_entry(pos->sibling.next, struct mem_cgroup,
					  sibling);
	return NULL;
}

bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
			      struct mem_cgroup *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return false;
}

struct mem_cgroup *mem_cgroup_from_id(int id)
{
	struct mem_cgroup *m;

	for (m = root_memcg; m; m = mem_cgroup_next_descendant_pre(m, root_memcg))
		if (m->id == id && m->online)
			return m;
	return NULL;
}
