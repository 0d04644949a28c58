/*
 * sim_kmem.c - kernel objects made through sim.ctl; see sim_kmem.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "../allocator/page_alloc.h"
#include "../allocator/slab.h"
#include "memcg_check.h"
#include "memcg_kmem.h"
#include "memcg_lock_mode.h"
#include "memcg_stock.h"
#include "memcg_zombie.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "why.h"

/* One command's worth of kernel objects, owned by one memcg. */
struct sim_kmem {
	struct list_head node;		/* on owner->sim_kmem, oldest first */
	uint64_t seq;			/* age: global creation order */
	enum sim_kmem_kind kind;
	struct kmem_cache *cache;	/* SLAB */
	struct obj_cgroup *objcg;	/* PERCPU: referenced by the hook */
	struct mem_cgroup *memcg;	/* SOCK: charged and pinned */
	int64_t count;			/* left: objects, bytes or pages */
	void *objs[];			/* SLAB: the objects, oldest first */
};

static uint64_t sim_kmem_seq;
static uint64_t ram_pages = UINT64_MAX;

void sim_kmem_set_ram(uint64_t bytes)
{
	ram_pages = bytes / PAGE_SIZE;
}

uint64_t sim_ram_pages(void)
{
	return ram_pages;
}

/* The emulated machine cannot hold more slab than it has RAM, whatever
 * a forced charge says: the page allocator fails first. */
bool ram_exhausted(uint64_t bytes)
{
	struct pa_stats st;

	pa_get_stats(&st);
	return st.pages_used + (bytes + PAGE_SIZE - 1) / PAGE_SIZE > ram_pages;
}

static int alloc_slab(struct sim_kmem *k, struct mem_cgroup *memcg,
		      int64_t count, enum gfp_mode gfp)
{
	for (; k->count < count; k->count++) {
		k->objs[k->count] = kmem_cache_alloc_account(k->cache,
							     memcg->objcg, gfp);
		if (!k->objs[k->count])
			goto fail;
	}
	return 0;
fail:
	/* One transaction: what this command made goes back. */
	while (k->count)
		kmem_cache_free_account(k->cache, k->objs[--k->count]);
	return -ENOMEM;
}

/* mem_cgroup_charge_skmem(): pages on the memcg, counted in sock. */
static int charge_sock(struct mem_cgroup *memcg, int64_t nr_pages,
		       enum gfp_mode gfp)
{
	int ret = try_charge_memcg(memcg, nr_pages, gfp);

	if (ret)
		return ret;
	mod_memcg_state(memcg, MEMCG_SOCK, nr_pages);
	mem_cgroup_pin(memcg, 1);	/* the socket's sk_memcg reference */
	return 0;
}

int sim_kmem_alloc(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		   struct kmem_cache *s, int64_t count, enum gfp_mode gfp,
		   const char **why)
{
	size_t nobjs = kind == SIM_KMEM_SLAB ? (size_t)count : 0;
	struct sim_kmem *k;
	int ret;

	if (kind == SIM_KMEM_SLAB &&
	    ram_exhausted((uint64_t)count * kmem_cache_stride(s)))
		return fail_why(why, -ENOMEM, "the emulated RAM is full");
	k = calloc(1, sizeof(*k) + nobjs * sizeof(void *));
	if (!k)
		return fail_why(why, -ENOMEM, "out of memory");
	k->kind = kind;
	k->cache = s;
	switch (kind) {
	case SIM_KMEM_SLAB:
		ret = alloc_slab(k, memcg, count, gfp);
		break;
	case SIM_KMEM_PERCPU:
		k->objcg = memcg->objcg;
		ret = pcpu_memcg_post_alloc_hook(k->objcg, gfp, (size_t)count);
		break;
	default:
		k->memcg = memcg;
		ret = charge_sock(memcg, count, gfp);
		break;
	}
	if (ret) {
		free(k);
		if (memcg_retry(ret))
			return ret;
		/* Sockets charge memory only; an object the slab or percpu
		 * hook could not charge or back does not say which. */
		return fail_why(why, ret, kind == SIM_KMEM_SOCK ?
				"over a memory limit, nothing reclaimable" :
				"over a memory or kmem limit, or the "
				"emulated RAM is full");
	}
	k->count = count;
	k->seq = ++sim_kmem_seq;
	list_add_tail(&k->node, &memcg->sim_kmem);
	return 0;
}

/* Free the newest @n of @k (n <= k->count); frees @k when emptied. */
static void sim_kmem_release(struct sim_kmem *k, int64_t n)
{
	bool last = n == k->count;

	switch (k->kind) {
	case SIM_KMEM_SLAB:
		for (int64_t i = 0; i < n; i++)
			kmem_cache_free_account(k->cache,
						k->objs[k->count - 1 - i]);
		break;
	case SIM_KMEM_PERCPU:
		/* The hook drops the record's reference: keep one if some
		 * of the area stays. */
		if (!last)
			obj_cgroup_get(k->objcg);
		pcpu_memcg_free_hook(k->objcg, (size_t)n);
		break;
	default:
		mod_memcg_state(k->memcg, MEMCG_SOCK, -n);
		refill_stock(k->memcg, n);
		break;
	}
	k->count -= n;
	if (!last)
		return;
	list_del(&k->node);
	if (k->kind == SIM_KMEM_SOCK)
		mem_cgroup_unpin(k->memcg, 1);	/* last: may release it */
	free(k);
}

static bool sim_kmem_match(const struct sim_kmem *k, enum sim_kmem_kind kind,
			   const struct kmem_cache *s)
{
	return k->kind == kind && (kind != SIM_KMEM_SLAB || k->cache == s);
}

static int newest_first(const void *a, const void *b)
{
	uint64_t x = (*(struct sim_kmem *const *)a)->seq;
	uint64_t y = (*(struct sim_kmem *const *)b)->seq;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The matching records of @root's subtree, newest first. */
static struct sim_kmem **collect(struct mem_cgroup *root,
				 enum sim_kmem_kind kind, struct kmem_cache *s,
				 size_t *nr, int64_t *total)
{
	struct sim_kmem **v = NULL, **nv, *k;
	struct mem_cgroup *pos = root;
	size_t cap = 0;

	*nr = 0;
	*total = 0;
	for (; pos; pos = mem_cgroup_next_descendant_pre(pos, root))
		list_for_each_entry(k, &pos->sim_kmem, node) {
			if (!sim_kmem_match(k, kind, s))
				continue;
			if (*nr == cap) {
				cap = cap ? 2 * cap : 16;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return NULL;
				}
				v = nv;
			}
			v[(*nr)++] = k;
			*total += k->count;
		}
	if (*nr)
		qsort(v, *nr, sizeof(*v), newest_first);
	return v;
}

int sim_kmem_free(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		  struct kmem_cache *s, int64_t count, const char **why)
{
	struct sim_kmem **v;
	int64_t total;
	size_t nr, i;

	v = collect(memcg, kind, s, &nr, &total);
	if (!v && nr)
		return fail_why(why, -ENOMEM, "out of memory");
	if (total < count) {
		free(v);
		return fail_why(why, -EINVAL, "fewer exist in this group and "
				"its descendants");
	}
	for (i = 0; count > 0; i++) {
		int64_t n = v[i]->count < count ? v[i]->count : count;

		count -= n;
		sim_kmem_release(v[i], n);
	}
	free(v);
	return 0;
}

int64_t sim_kmem_count(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		       struct kmem_cache *s)
{
	struct sim_kmem *k;
	int64_t n = 0;

	list_for_each_entry(k, &memcg->sim_kmem, node)
		if (sim_kmem_match(k, kind, s))
			n += k->count;
	return n;
}

/* Merge two age-ordered lists: @memcg's records into @parent's. */
void sim_kmem_reparent(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct list_head *pos = parent->sim_kmem.next;
	struct sim_kmem *k;

	while (!list_empty(&memcg->sim_kmem)) {
		k = list_entry(memcg->sim_kmem.next, struct sim_kmem, node);
		while (pos != &parent->sim_kmem &&
		       list_entry(pos, struct sim_kmem, node)->seq < k->seq)
			pos = pos->next;
		list_del(&k->node);
		list_add_tail(&k->node, pos);	/* just before pos */
	}
}

void sim_kmem_free_all(struct mem_cgroup *root)
{
	struct mem_cgroup *pos;

	/* Freeing a socket may release a dying memcg: restart the walk. */
restart:
	for (pos = root; pos; pos = mem_cgroup_next_descendant_pre(pos, root))
		if (!list_empty(&pos->sim_kmem)) {
			struct sim_kmem *k = list_entry(pos->sim_kmem.next,
							struct sim_kmem, node);

			sim_kmem_release(k, k->count);
			goto restart;
		}
}

void sim_kmem_sock_of(struct mem_cgroup *memcg, int64_t *pages, int64_t *nr)
{
	struct sim_kmem *k;

	*pages = *nr = 0;
	list_for_each_entry(k, &memcg->sim_kmem, node)
		if (k->kind == SIM_KMEM_SOCK) {
			*pages += k->count;
			++*nr;
		}
}

void sim_kmem_percpu_of(struct mem_cgroup *memcg,
			void (*fn)(struct obj_cgroup *objcg, int64_t bytes,
				   void *arg), void *arg)
{
	struct sim_kmem *k;

	list_for_each_entry(k, &memcg->sim_kmem, node)
		if (k->kind == SIM_KMEM_PERCPU)
			fn(k->objcg, k->count, arg);
}
