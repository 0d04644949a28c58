/*
 * super.c - the emulated filesystems' superblocks (fs/super.c): the
 * mount table, sim.ctl mount/umount, the per-superblock shrinker over
 * its dentry and inode list_lrus (super_cache_count/scan), and the walk
 * of every filesystem's pages.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcache.h"
#include "filemap.h"
#include "inode.h"
#include "super.h"
#include "why.h"

static struct hashtable mounts;
static unsigned int nr_mounts;

int super_init(void)
{
	return hashtable_init(&mounts);
}

static bool name_match(const struct hnode *n, const void *key)
{
	return !strcmp(container_of(n, struct sim_fs, hnode)->name, key);
}

struct sim_fs *fs_find(const char *name)
{
	struct hnode *n = hashtable_find(&mounts, hash_str(name), name_match,
					 name);

	return n ? container_of(n, struct sim_fs, hnode) : NULL;
}

/* A mount name: 1..31 of [A-Za-z0-9_.-], not "." or "..". */
int check_fs_name(const char *name, const char **why)
{
	size_t len = strlen(name);

	if (!len || !strcmp(name, ".") || !strcmp(name, ".."))
		return fail_why(why, -EINVAL, "a filesystem name is 1..31 of "
				"[A-Za-z0-9_.-], not . or ..");
	if (len >= SIM_FS_NAME_MAX)
		return fail_why(why, -ENAMETOOLONG,
				"a filesystem name is at most 31 bytes");
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-") == len ? 0 :
	       fail_why(why, -EINVAL, "a filesystem name is 1..31 of "
			"[A-Za-z0-9_.-]");
}

/* super_cache_count(): SHRINK_EMPTY when the memcg has nothing here. */
static long super_cache_count(struct shrinker *s, struct shrink_control *sc)
{
	struct sim_fs *fs = s->private_data;
	long total = list_lru_count_one(&fs->dentry_lru, sc->memcg_id) +
		     list_lru_count_one(&fs->inode_lru, sc->memcg_id);

	return total ? total : SHRINK_EMPTY;
}

/* super_cache_scan(): dentries, then inodes, each its share of the scan. */
static long super_cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct sim_fs *fs = s->private_data;
	long dentries = list_lru_count_one(&fs->dentry_lru, sc->memcg_id);
	long inodes = list_lru_count_one(&fs->inode_lru, sc->memcg_id);
	long total = dentries + inodes, freed, nr;

	if (!total)
		return SHRINK_STOP;
	nr = sc->nr_to_scan * dentries / total + 1;
	freed = list_lru_walk_one(&fs->dentry_lru, sc->memcg_id, free_dentry,
				  &sc->freed_bytes, &nr);
	nr = sc->nr_to_scan * inodes / total + 1;
	freed += list_lru_walk_one(&fs->inode_lru, sc->memcg_id, free_inode,
				   &sc->freed_bytes, &nr);
	return freed;
}

static void inode_for_each_page(struct sim_inode *ino,
				void (*fn)(struct page *page, void *arg),
				void *arg)
{
	for (uint64_t i = 0; i < ino->nr_slots; i++)
		if (ino->pages[i])
			fn(ino->pages[i], arg);
}

void filemap_for_each_page(void (*fn)(struct page *page, void *arg),
			   void *arg)
{
	struct sim_inode *ino;
	size_t b, f;

	for (b = 0; b < mounts.nr_buckets; b++) {
		struct hnode *n;

		for (n = mounts.buckets[b]; n; n = n->next) {
			struct sim_fs *fs = container_of(n, struct sim_fs, hnode);
			struct hnode *m;

			for (f = 0; f < fs->files.nr_buckets; f++)
				for (m = fs->files.buckets[f]; m; m = m->next)
					inode_for_each_page(container_of(m,
						struct sim_inode, hnode), fn, arg);
			list_for_each_entry(ino, &fs->orphans, orphan)
				inode_for_each_page(ino, fn, arg);
		}
	}
}

int sim_fs_mount(const char *name, const char *type, const char **why)
{
	char lru_name[SIM_FS_NAME_MAX + 8];
	struct sim_fs *fs;
	int ret = check_fs_name(name, why);

	if (ret)
		return ret;
	if (strcmp(type, "disk") && strcmp(type, "tmpfs"))
		return fail_why(why, -EINVAL, "TYPE is disk or tmpfs");
	if (fs_find(name))
		return fail_why(why, -EEXIST,
				"a filesystem of that name is mounted");
	if (nr_mounts >= SIM_FS_MAX)
		return fail_why(why, -ENOSPC, "too many filesystems mounted");
	fs = calloc(1, sizeof(*fs));
	if (!fs || hashtable_init(&fs->files)) {
		free(fs);
		return fail_why(why, -ENOMEM, "out of memory");
	}
	strcpy(fs->name, name);
	INIT_LIST_HEAD(&fs->orphans);
	/* A superblock's shrinker, then its dentry and inode list_lrus
	 * (alloc_super()); undone in reverse on failure. */
	fs->shrinker = (struct shrinker){ .count_objects = super_cache_count,
		.scan_objects = super_cache_scan, .seeks = DEFAULT_SEEKS,
		.private_data = fs };
	if (shrinker_register(&fs->shrinker))
		goto no_shrinker;
	snprintf(lru_name, sizeof(lru_name), "%s.dentry", name);
	if (list_lru_init_memcg(&fs->dentry_lru, lru_name, fs->shrinker.id))
		goto no_dentry_lru;
	snprintf(lru_name, sizeof(lru_name), "%s.inode", name);
	if (list_lru_init_memcg(&fs->inode_lru, lru_name, fs->shrinker.id))
		goto no_inode_lru;
	fs->tmpfs = !strcmp(type, "tmpfs");
	hashtable_add(&mounts, &fs->hnode, hash_str(name));
	nr_mounts++;
	return 0;
no_inode_lru:
	list_lru_destroy(&fs->dentry_lru);
no_dentry_lru:
	shrinker_unregister(&fs->shrinker);
no_shrinker:
	hashtable_destroy(&fs->files);
	free(fs);
	return fail_why(why, -ENOMEM, "out of memory for its shrinker or lists");
}

static void fs_destroy(struct sim_fs *fs)
{
	long nr = LONG_MAX;
	int64_t freed = 0;
	size_t b;

	list_lru_walk(&fs->dentry_lru, free_dentry, &freed, &nr);
	list_lru_destroy(&fs->dentry_lru);

	for (b = 0; b < fs->files.nr_buckets; b++)
		while (fs->files.buckets[b])
			inode_destroy(container_of(fs->files.buckets[b],
						   struct sim_inode, hnode));
	list_lru_destroy(&fs->inode_lru);	/* emptied by the destroys */
	shrinker_unregister(&fs->shrinker);
	hashtable_destroy(&fs->files);
	hashtable_del(&mounts, &fs->hnode);
	nr_mounts--;
	free(fs);
}

int sim_fs_umount(const char *name, const char **why)
{
	struct sim_fs *fs = fs_find(name);

	if (!fs)	/* umount(2) of a non-mount point */
		return fail_why(why, -EINVAL, "no filesystem of that name is mounted");
	if (fs->nr_mapped)
		return fail_why(why, -EBUSY, "a file of it is mapped");
	fs_destroy(fs);
	return 0;
}

/* Shutdown: unmap what groups still map (orphans go with their last
 * unmap), then drop every filesystem (sim_fs_umount_all). */
static void fs_unmap_all(struct sim_fs *fs)
{
	struct sim_inode *ino;
	size_t b;

	while (!list_empty(&fs->orphans)) {
		ino = list_entry(fs->orphans.next, struct sim_inode, orphan);
		while (ino->nr_mappers > 1 || (ino->nr_mappers &&
					       ino->mappers[0].count > 1))
			unmap_inode(ino, ino->mappers[0].memcg);
		unmap_inode(ino, ino->mappers[0].memcg);	/* frees it */
	}
	for (b = 0; b < fs->files.nr_buckets; b++) {
		struct hnode *n;

		for (n = fs->files.buckets[b]; n; n = n->next) {
			ino = container_of(n, struct sim_inode, hnode);
			while (ino->nr_mappers)
				unmap_inode(ino, ino->mappers[0].memcg);
		}
	}
}

void sim_fs_umount_all(void)
{
	size_t b;

	for (b = 0; b < mounts.nr_buckets; b++)
		while (mounts.buckets[b]) {
			struct sim_fs *fs = container_of(mounts.buckets[b],
							 struct sim_fs, hnode);

			fs_unmap_all(fs);
			fs_destroy(fs);
		}
	hashtable_destroy(&mounts);
	shrinker_exit();
}
