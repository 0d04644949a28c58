/*
 * mem_cgroup.c - the memcg object: the root, the tree walks, the pins
 * and the names of its enums; see mem_cgroup.h.
 */
#include <pthread.h>

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

/* The release queue (mem_cgroup.h), newest first. */
static pthread_mutex_t release_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mem_cgroup *release_queue;
static _Thread_local bool defer_releases;

void mem_cgroup_defer_releases(bool defer)
{
	defer_releases = defer;
}

static void release_enqueue(struct mem_cgroup *memcg)
{
	pthread_mutex_lock(&release_lock);
	if (!memcg->release_queued) {
		memcg->release_queued = true;
		memcg->release_next = release_queue;
		release_queue = memcg;
	}
	pthread_mutex_unlock(&release_lock);
}

/* Take @memcg (or, for NULL, the newest) off the queue. */
static struct mem_cgroup *release_dequeue(struct mem_cgroup *memcg)
{
	struct mem_cgroup **p;

	pthread_mutex_lock(&release_lock);
	for (p = &release_queue; *p && memcg && *p != memcg;
	     p = &(*p)->release_next)
		;
	memcg = *p;
	if (memcg) {
		*p = memcg->release_next;
		memcg->release_queued = false;
	}
	pthread_mutex_unlock(&release_lock);
	return memcg;
}

void mem_cgroup_unpin(struct mem_cgroup *memcg, int64_t nr)
{
	/* Iterative: releasing a child drops the pin it held on its parent. */
	while (memcg && atomic_fetch_sub(&memcg->refs, nr) == nr) {
		if (defer_releases) {
			release_enqueue(memcg);
			return;
		}
		if (memcg->release_queued)
			release_dequeue(memcg);
		memcg = css_free(memcg);
		nr = 1;
	}
}

bool mem_cgroup_releases_queued(void)
{
	bool queued;

	pthread_mutex_lock(&release_lock);
	queued = release_queue != NULL;
	pthread_mutex_unlock(&release_lock);
	return queued;
}

/* Caller holds cgroup_mutex for writing.  A queued memcg pinned again
 * since stays: its next last unpin releases it. */
void mem_cgroup_run_releases(void)
{
	struct mem_cgroup *memcg;

	while ((memcg = release_dequeue(NULL)))
		if (!atomic_load(&memcg->refs))
			mem_cgroup_unpin(css_free(memcg), 1);
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
