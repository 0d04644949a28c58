/*
 * inode.c - the emulated files' inodes (fs/inode.c): the table of each
 * filesystem's files, an inode's charged dentry and inode objects
 * (iget/iput), its place on the superblock's inode list_lru while
 * unused, and its end (evict).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/kmalloc.h"
#include "dcache.h"
#include "filemap.h"
#include "inode.h"
#include "memcg_kmem.h"
#include "super.h"
#include "why.h"

static bool path_match(const struct hnode *n, const void *key)
{
	return !strcmp(container_of(n, struct sim_inode, hnode)->path, key);
}

struct sim_inode *inode_find(struct sim_fs *fs, const char *path)
{
	struct hnode *n = hashtable_find(&fs->files, hash_str(path),
					 path_match, path);

	return n ? container_of(n, struct sim_inode, hnode) : NULL;
}

/* The memcg the inode object is charged to (list_lru_add_obj's memcg):
 * its objcg's, which is the parent's once the charging group went. */
static struct mem_cgroup *inode_memcg(const struct sim_inode *ino)
{
	struct obj_cgroup *objcg = slab_objcg(ino->inode);

	return objcg ? objcg->memcg : root_mem_cgroup();
}

/*
 * inode_add_lru() / inode_lru_list_del(): a disk file's in-memory inode
 * is reclaimable while it is unused (no page cache, not mapped, still
 * linked); tmpfs inodes hold the file and never are.
 */
void inode_lru_update(struct sim_inode *ino)
{
	bool unused = !ino->fs->tmpfs && ino->inode && !ino->nr_resident &&
		      !ino->map_count && !ino->i_count && !ino->unlinked;
	int *path;

	if (unused == !list_empty(&ino->i_lru))
		return;
	path = lru_path(inode_memcg(ino));
	if (!path)		/* no memory: stays off the list, in use */
		return;
	if (unused)
		list_lru_add(&ino->fs->inode_lru, &ino->i_lru, path);
	else
		list_lru_del(&ino->fs->inode_lru, &ino->i_lru, path);
	free(path);
}

/* The file's dentry and inode objects, loaded (again) by a lookup in
 * @memcg: charged to it, as iget() and d_alloc() charge the caller. */
int inode_instantiate(struct sim_inode *ino, struct mem_cgroup *memcg,
		      enum gfp_mode gfp, const char **why)
{
	void *dentry, *inode;

	if (ino->inode)
		return 0;
	dentry = kmem_cache_alloc_account(kmem_builtin(KMEM_DENTRY),
					  memcg->objcg, gfp);
	inode = kmem_cache_alloc_account(kmem_builtin(KMEM_INODE_CACHE),
					 memcg->objcg, gfp);
	if (!dentry || !inode) {
		kfree_account(dentry);
		kfree_account(inode);
		return fail_why(why, -ENOMEM, "over a memory limit, nothing "
				"reclaimable (its dentry and inode)");
	}
	ino->dentry = dentry;
	ino->inode = inode;
	inode_lru_update(ino);
	return 0;
}

/* iget(): the objects loaded, and the inode held off the LRU while an
 * operation's charges may reclaim; inode_put() (iput) lets it go. */
int inode_get(struct sim_inode *ino, struct mem_cgroup *memcg,
	      enum gfp_mode gfp, const char **why)
{
	int ret = inode_instantiate(ino, memcg, gfp, why);

	if (ret)
		return ret;
	ino->i_count++;
	inode_lru_update(ino);
	return 0;
}

void inode_put(struct sim_inode *ino)
{
	ino->i_count--;
	inode_lru_update(ino);
}

/* NULL when out of memory or over a limit, saying which in *@why. */
struct sim_inode *inode_create(struct sim_fs *fs, const char *path,
			       struct mem_cgroup *memcg, enum gfp_mode gfp,
			       const char **why)
{
	struct sim_inode *ino = calloc(1, sizeof(*ino));

	if (!ino) {
		fail_why(why, -ENOMEM, "out of memory");
		return NULL;
	}
	ino->path = strdup(path);
	ino->fs = fs;
	INIT_LIST_HEAD(&ino->orphan);
	INIT_LIST_HEAD(&ino->i_lru);
	if (!ino->path)
		fail_why(why, -ENOMEM, "out of memory");
	if (!ino->path || inode_instantiate(ino, memcg, gfp, why)) {
		free(ino->path);
		free(ino);
		return NULL;
	}
	hashtable_add(&fs->files, &ino->hnode, hash_str(path));
	return ino;
}

/* An inode's dentry and inode objects go (evict), if it still has them. */
static void inode_free_objs(struct sim_inode *ino)
{
	if (!ino->inode)
		return;
	kmem_cache_free_account(kmem_builtin(KMEM_DENTRY), ino->dentry);
	kmem_cache_free_account(kmem_builtin(KMEM_INODE_CACHE), ino->inode);
	ino->dentry = ino->inode = NULL;
}

void inode_destroy(struct sim_inode *ino)
{
	bool linked = !ino->unlinked;

	ino->unlinked = true;		/* off the inode LRU for good */
	inode_lru_update(ino);
	truncate_pages(ino, 0);
	if (linked)
		hashtable_del(&ino->fs->files, &ino->hnode);
	list_del(&ino->orphan);
	inode_free_objs(ino);
	free(ino->pages);
	free(ino->shadows);
	free(ino->mappers);
	free(ino->path);
	free(ino);
}

/* Free an unused inode's objects (prune_icache_sb's isolate + evict):
 * its dentry goes with it, as the dentry held the inode. */
enum lru_status free_inode(struct list_head *item, struct list_lru_one *l,
			   void *arg)
{
	struct sim_inode *ino = container_of(item, struct sim_inode, i_lru);

	list_lru_isolate(l, item);
	*(int64_t *)arg +=
		(int64_t)(obj_full_size(kmem_builtin(KMEM_DENTRY)) +
			  obj_full_size(kmem_builtin(KMEM_INODE_CACHE)));
	inode_free_objs(ino);
	return LRU_REMOVED;
}
