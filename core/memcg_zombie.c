/*
 * memcg_zombie.c - the pins of dying memcgs; see memcg_zombie.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "filemap.h"
#include "memcg_kmem_cache.h"
#include "memcg_stock.h"
#include "memcg_zombie.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "task.h"

void mem_cgroup_for_each_zombie(struct mem_cgroup *root,
				void (*fn)(struct mem_cgroup *memcg, void *arg),
				void *arg)
{
	struct mem_cgroup *m;

	for (m = root; m; m = mem_cgroup_next_descendant_pre(m, root))
		if (!m->online)
			fn(m, arg);
}

static int by_inode(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct sim_inode *const *)a;
	uintptr_t y = (uintptr_t)*(struct sim_inode *const *)b;

	return x < y ? -1 : x > y;
}

static int most_pages_first(const void *a, const void *b)
{
	int64_t x = ((const struct zombie_file *)a)->pages;
	int64_t y = ((const struct zombie_file *)b)->pages;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The files whose pages sit on @memcg's LRU lists, with page counts. */
static int collect_files(struct mem_cgroup *memcg, struct zombie_pins *p)
{
	int64_t n = 0, total = 0;
	struct sim_inode **inodes;
	struct page *page;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		total += memcg->lruvec.nr_pages[l];
	if (!total)
		return 0;
	inodes = malloc((size_t)total * sizeof(*inodes));
	p->files = calloc((size_t)total, sizeof(*p->files));
	if (!inodes || !p->files) {
		free(inodes);
		return -ENOMEM;
	}
	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry(page, &memcg->lruvec.lists[l], lru) {
			if (page->flags & PG_anon)	/* counted as anon */
				continue;
			inodes[n++] = page->mapping;
			if (page->flags & PG_swapbacked)
				p->shmem_pages++;
			else
				p->file_pages++;
		}
	qsort(inodes, (size_t)n, sizeof(*inodes), by_inode);
	for (int64_t i = 0; i < n; i++) {
		if (!p->nr_files || p->files[p->nr_files - 1].inode != inodes[i])
			p->files[p->nr_files++].inode = inodes[i];
		p->files[p->nr_files - 1].pages++;
	}
	free(inodes);
	qsort(p->files, p->nr_files, sizeof(*p->files), most_pages_first);
	return 0;
}

static void add_anon(pid_t pid, int64_t pages, void *arg)
{
	(void)pid;
	*(int64_t *)arg += pages;
}

int memcg_zombie_pins(struct mem_cgroup *memcg, struct zombie_pins *p)
{
	struct mem_cgroup *c;
	int64_t bytes;

	*p = (struct zombie_pins){ .refs = atomic_load(&memcg->refs),
		.usage_pages = page_counter_read(&memcg->memory) };
	task_for_each_owner(memcg, add_anon, &p->anon_pages);
	p->swap_pages = memcg->nr_swap_entries;
	sim_kmem_sock_of(memcg, &p->sock_pages, &p->nr_sockets);
	memcg_stock_held(memcg, &p->stock_pages, &bytes);
	list_for_each_entry(c, &memcg->children, sibling)
		p->nr_children++;
	p->stock_cpus = memcg_stock_pins(memcg);
	p->nr_mappings = filemap_mapping_pins(memcg);
	p->nr_caches = memcg_kmem_cache_pins(memcg);
	if (collect_files(memcg, p))
		return -ENOMEM;
	/* Every pin named: pages, anon, sockets, stocks, children, caches,
	 * files mapped by processes that made the mapping in it. */
	p->unexplained = p->refs - p->file_pages - p->shmem_pages -
			 p->anon_pages - p->swap_pages - p->nr_sockets -
			 p->stock_cpus - p->nr_children - p->nr_caches -
			 p->nr_mappings;
	return 0;
}
