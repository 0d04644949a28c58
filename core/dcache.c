/*
 * dcache.c - negative dentries (fs/dcache.c): sim.ctl lookup's misses,
 * charged to the looking group and kept on the filesystem's dentry
 * list_lru until the superblock shrinker frees them.
 */
#include <errno.h>
#include <stdlib.h>

#include "../allocator/kmalloc.h"
#include "dcache.h"
#include "filemap.h"
#include "memcg_kmem.h"
#include "sim_kmem.h"
#include "super.h"
#include "why.h"

/* A negative dentry: the dentry object itself, its first bytes the LRU
 * link (a dentry's d_lru). */
struct neg_dentry {
	struct list_head lru;
};

/* Free one unused dentry (isolate callback; the lru lock is held). */
enum lru_status free_dentry(struct list_head *item, struct list_lru_one *l,
			    void *arg)
{
	struct kmem_cache *s = kmem_builtin(KMEM_DENTRY);

	list_lru_isolate(l, item);
	*(int64_t *)arg += (int64_t)obj_full_size(s);
	kmem_cache_free_account(s, item);
	return LRU_REMOVED;
}

/* The list_lru path of a memcg: its ID, its ancestors', then 0. */
int *lru_path(struct mem_cgroup *memcg)
{
	struct mem_cgroup *m;
	int n = 1, *path;

	for (m = memcg; m->parent; m = m->parent)
		n++;
	path = malloc((size_t)n * sizeof(*path));
	if (!path)
		return NULL;
	n = 0;
	for (m = memcg; m->parent; m = m->parent)
		path[n++] = m->id;
	path[n] = 0;
	return path;
}

int filemap_lookup(struct mem_cgroup *memcg, const char *name, long count,
		   enum gfp_mode gfp, const char **why)
{
	struct kmem_cache *s = kmem_builtin(KMEM_DENTRY);
	struct sim_fs *fs = fs_find(name);
	struct list_head made;
	int *path;
	long i;

	if (!fs)
		return check_fs_name(name, why) ?:
		       fail_why(why, -ENOENT, "no such filesystem mounted");
	if (ram_exhausted((uint64_t)count * obj_full_size(s)))
		return fail_why(why, -ENOMEM, "more than the machine's RAM");
	path = lru_path(memcg);
	if (!path)
		return fail_why(why, -ENOMEM, "out of memory");
	INIT_LIST_HEAD(&made);
	for (i = 0; i < count; i++) {
		struct neg_dentry *d = kmem_cache_alloc_account(s, memcg->objcg,
								gfp);

		if (!d)
			break;
		list_add_tail(&d->lru, &made);
	}
	/* One transaction: all of them onto the LRU, or none made. */
	while (!list_empty(&made)) {
		struct list_head *item = made.next;

		list_del(item);
		if (i == count)
			list_lru_add(&fs->dentry_lru, item, path);
		else
			kmem_cache_free_account(s, item);
	}
	free(path);
	return i == count ? 0 : fail_why(why, -ENOMEM, "over a memory limit, "
					 "nothing reclaimable");
}
