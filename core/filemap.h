/*
 * filemap.h - emulated filesystems and their page cache (mm/filemap.c,
 * mm/shmem.c, fs/namei.c in spirit).
 *
 * A filesystem is a named superblock of type disk or tmpfs holding flat
 * paths.  A file has a dentry and an inode (real objects of the dentry
 * and inode_cache slab caches, charged to the group that created the
 * file) and a page cache: one struct page per resident 4 KiB page,
 * charged to the group that brought it in (write, or a read that found
 * it absent) and kept on that memcg's LRU lists: disk pages on the file
 * lists, tmpfs pages (shmem) on the anon lists, as the kernel keeps them.
 *
 * Errors are the filesystem's: ENOENT (no such fs or file), EEXIST (a
 * mount of that name exists), ENAMETOOLONG (a component over 255 bytes or
 * a path over 4095), EINVAL (empty or "."/".." components, bad names),
 * EBUSY (umount while a file is mapped), ENOMEM (charge refused; nothing
 * stays written).
 *
 * Locking: cgroup_mutex held for writing (reads of counts: for reading),
 * or for reading with every CPU stopped: reclaim in STOPPED mode
 * (core/memcg_lock.h) evicts page cache and frees dentries and inodes.
 * Only one such write runs at a time and no other write does then, so
 * the page cache needs no lock of its own yet.
 */
#ifndef MEMCGFS_FILEMAP_H
#define MEMCGFS_FILEMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hashtable.h"
#include "inode.h"
#include "list.h"
#include "list_lru.h"
#include "memcontrol.h"
#include "page.h"
#include "shrinker.h"
#include "super.h"

#define SIM_FILE_MAX_BYTES (1ULL << 40)

int filemap_init(void);

/* FS/PATH operations on behalf of the group whose memcg is @memcg.
 * Failures say why in *@why (why.h). */
int filemap_write(struct mem_cgroup *memcg, const char *fspath,
		  uint64_t bytes, enum gfp_mode gfp, const char **why);
int filemap_read(struct mem_cgroup *memcg, const char *fspath,
		 enum gfp_mode gfp, const char **why);
/* read(2)/write(2) of [@off, @off + @len): the range's pages come in,
 * the file is created or grown to cover it. */
int filemap_access(struct mem_cgroup *memcg, const char *fspath, uint64_t off,
		   uint64_t len, enum gfp_mode gfp, const char **why);
int filemap_unmap(struct mem_cgroup *memcg, const char *fspath);
/*
 * A process's mmap (task_map): @memcg maps @fspath; *@inop is the inode
 * mapped, which lives (unlinked or not) until filemap_munmap() of each mapping.
 */
int filemap_mmap(struct mem_cgroup *memcg, const char *fspath,
		 struct sim_inode **inop, const char **why);
void filemap_munmap(struct sim_inode *ino, struct mem_cgroup *memcg);
/* Is @ino the file named @fspath (its old name, if unlinked)?  -ENOENT
 * (no such file, mapped or not) or a name's error when no file could be. */
int filemap_inode_named(const struct sim_inode *ino, const char *fspath);
int filemap_name_exists(const char *fspath, const char **why);
/* The pins @memcg's mappings hold: one per file it maps (sim.zombies). */
int64_t filemap_mapping_pins(const struct mem_cgroup *memcg);
int filemap_truncate(const char *fspath, uint64_t size, const char **why);
int filemap_unlink(const char *fspath, const char **why);
/*
 * Access of an unprivileged @uid to an existing file (docs/security.md):
 * a filesystem's directory is like /tmp (world-writable, sticky) and its
 * files 0644.  Anyone reads and maps; FILE_MODIFY (append, truncate) is
 * the owner's (EACCES, as inode_permission()), FILE_DELETE too (EPERM,
 * as the sticky bit's check_sticky()).  0 also when there is no file
 * (the operation then answers for itself).
 */
enum file_access { FILE_MODIFY, FILE_DELETE };
int filemap_permission(const char *fspath, uid_t uid, enum file_access how,
		       const char **why);
/* The file just created belongs to @uid. */
void filemap_set_owner(const char *fspath, uid_t uid);

/* Reclaim (vmscan.c): may @page be evicted now, and evict it. */
bool page_evictable(const struct page *page);
void filemap_evict(struct page *page);
/* The file/shmem/file_mapped stats of a resident page, +1 or -1. */
void page_account(struct page *page, int sign);
/* mark_page_accessed(): second-chance activation. */
void mark_page_accessed(struct page *page);

/* For the superblocks (super.c): end one mapping of @ino by @memcg. */
void unmap_inode(struct sim_inode *ino, struct mem_cgroup *memcg);
/* For the inodes (inode.c): drop @ino's pages from index @from on. */
void truncate_pages(struct sim_inode *ino, uint64_t from);

#endif
