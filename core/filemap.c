/*
 * filemap.c - the emulated filesystems' files: path lookup, page cache,
 * inodes and mappings; see filemap.h.  Superblocks are super.c's,
 * negative dentries dcache.c's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/kmalloc.h"
#include "dcache.h"
#include "filemap.h"
#include "inode.h"
#include "lruvec.h"
#include "memcg_kmem.h"
#include "memcg_pages.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "super.h"
#include "why.h"
#include "workingset.h"

/* Pages charged at once by a write or read: small enough that reclaim
 * run by the charge can evict this file's own older pages, as a kernel
 * charging folio by folio does. */
#define CHARGE_CHUNK 32

/* Resident page-cache pages of every filesystem: never more than the
 * emulated RAM, whatever a forced charge allows. */
static uint64_t nr_file_pages;
static struct kmem_cache *page_cachep;	/* our struct page descriptors */
/* Every mapped inode: the few a zombie's mapping pins are counted from. */
static struct list_head mapped_inodes = LIST_HEAD_INIT(mapped_inodes);


int filemap_init(void)
{
	int ret = super_init();

	if (ret)
		return ret;
	page_cachep = kmem_cache_find("sim_page");
	if (!page_cachep)
		page_cachep = kmem_cache_create("sim_page", sizeof(struct page),
						0, 0, NULL);
	return page_cachep ? 0 : -ENOMEM;
}

/* --- names ------------------------------------------------------------ */

/* A path inside a filesystem: components of 1..255 bytes, no "." or "..",
 * at most 4095 bytes in all. */
static int check_path(const char *path, const char **why)
{
	const char *p = path, *slash;
	size_t len;

	if (!*path)
		return fail_why(why, -EINVAL, "no path after FS/");
	if (strlen(path) > 4095)
		return fail_why(why, -ENAMETOOLONG, "a path over 4095 bytes");
	for (;;) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (!len || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return fail_why(why, -EINVAL, "an empty, . or .. "
					"path component");
		if (len > 255)
			return fail_why(why, -ENAMETOOLONG,
					"a name over 255 bytes");
		if (!slash)
			return 0;
		p = slash + 1;
	}
}

/* Split "FS/PATH": the filesystem (ENOENT if not mounted) and the path. */
static int resolve(const char *fspath, struct sim_fs **fsp, const char **path,
		   const char **why)
{
	const char *slash = strchr(fspath, '/');
	char name[SIM_FS_NAME_MAX];
	size_t len;
	int ret;

	if (!slash || slash == fspath)
		return fail_why(why, -EINVAL, "expected FS/PATH");
	len = (size_t)(slash - fspath);
	if (len >= SIM_FS_NAME_MAX)
		return fail_why(why, -ENAMETOOLONG,
				"a filesystem name is at most 31 bytes");
	memcpy(name, fspath, len);
	name[len] = '\0';
	ret = check_path(slash + 1, why);
	if (ret)
		return ret;
	*fsp = fs_find(name);
	*path = slash + 1;
	return *fsp ? 0 : fail_why(why, -ENOENT, "no such filesystem mounted");
}

/* Resolve to an existing file: ENOENT if there is none. */
static int lookup(const char *fspath, struct sim_inode **out, const char **why)
{
	struct sim_fs *fs;
	const char *path;
	int ret = resolve(fspath, &fs, &path, why);

	if (ret)
		return ret;
	*out = inode_find(fs, path);
	return *out ? 0 : fail_why(why, -ENOENT, "no such file");
}

/* --- pages ------------------------------------------------------------ */

static bool inode_mapped(const struct sim_inode *ino)
{
	return ino->map_count > 0;
}

/* The stats a resident page stands in, with @sign. */
void page_account(struct page *page, int sign)
{
	struct mem_cgroup *memcg = page_memcg(page);

	if (page->flags & PG_anon) {	/* anon.c's pages move too */
		mod_memcg_state(memcg, NR_ANON, sign);
		if (page->flags & PG_swapcache)
			mod_memcg_state(memcg, NR_SWAPCACHE, sign);
		return;
	}
	mod_memcg_state(memcg, NR_FILE, sign);
	if (page->flags & PG_swapbacked)
		mod_memcg_state(memcg, NR_SHMEM, sign);
	if (inode_mapped(page->mapping))
		mod_memcg_state(memcg, NR_FILE_MAPPED, sign);
}

static enum lru_list page_lru_base(const struct page *page)
{
	return page->flags & PG_swapbacked ? LRU_INACTIVE_ANON
					   : LRU_INACTIVE_FILE;
}

/* Room for index @last in the page array. */
static int grow_slots(struct sim_inode *ino, uint64_t last)
{
	uint64_t n = ino->nr_slots ? ino->nr_slots : 16;
	struct page **v;
	uint64_t *sh;

	if (last < ino->nr_slots)
		return 0;
	while (n <= last)
		n *= 2;
	/* Shadows first: a failure leaves both arrays as they were. */
	sh = realloc(ino->shadows, n * sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	ino->shadows = sh;
	memset(sh + ino->nr_slots, 0, (n - ino->nr_slots) * sizeof(*sh));
	v = realloc(ino->pages, n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v + ino->nr_slots, 0, (n - ino->nr_slots) * sizeof(*v));
	ino->pages = v;
	ino->nr_slots = n;
	return 0;
}

static void page_insert(struct sim_inode *ino, uint64_t idx,
			struct mem_cgroup *memcg, struct page *page)
{
	/* Charged to a live group: its objcg references the page's owner. */
	*page = (struct page){ .objcg = memcg->objcg, .mapping = ino,
			       .index = idx };
	obj_cgroup_get(page->objcg);
	if (ino->fs->tmpfs)
		page->flags |= PG_swapbacked;
	ino->pages[idx] = page;
	if (!ino->nr_resident++)
		inode_lru_update(ino);		/* in use again */
	nr_file_pages++;
	lru_add(page, page_lru_base(page));
	page_account(page, 1);
}

/* Remove a resident page from the cache and uncharge it. */
static void page_remove(struct page *page)
{
	struct sim_inode *ino = page->mapping;
	struct mem_cgroup *memcg = page_memcg(page);
	struct obj_cgroup *objcg = page->objcg;

	page_account(page, -1);
	lru_del(page);
	ino->pages[page->index] = NULL;
	if (!--ino->nr_resident)
		inode_lru_update(ino);		/* unused: reclaimable */
	nr_file_pages--;
	kmem_cache_free(page_cachep, page);
	obj_cgroup_put(objcg);
	mem_cgroup_uncharge(memcg, 1);	/* last: may release a zombie */
}

/* End of a populate(): keep the new pages, or drop them all. */
static void populate_end(struct sim_inode *ino, uint64_t first, uint64_t last,
			 bool keep)
{
	for (uint64_t i = first; i <= last && i < ino->nr_slots; i++) {
		struct page *page = ino->pages[i];

		if (!page || !(page->flags & PG_new))
			continue;
		if (keep)
			page->flags &= (uint8_t)~PG_new;
		else
			page_remove(page);
	}
}

/* A page read in where an evicted one left its shadow. */
static void refault(struct sim_inode *ino, uint64_t idx)
{
	uint64_t shadow = ino->shadows[idx];

	if (!shadow)
		return;
	ino->shadows[idx] = 0;
	workingset_refault(ino->pages[idx], shadow);
}

/*
 * Bring pages [first, last] in, charged to @memcg a chunk at a time, and
 * mark those already there as accessed.  One transaction: on -ENOMEM the
 * pages this call brought in are gone again (reclaim may have taken some
 * already).
 */
static int populate(struct sim_inode *ino, uint64_t first, uint64_t last,
		    struct mem_cgroup *memcg, enum gfp_mode gfp,
		    const char **why)
{
	struct page *batch[CHARGE_CHUNK];
	uint64_t idx = first;
	int n, i, ret = 0;

	/* More than the machine's RAM cannot be resident (nor its slots
	 * allocated): refuse before growing anything. */
	if (last - first + 1 > sim_ram_pages() - nr_file_pages)
		return fail_why(why, -ENOMEM, "more than the machine's RAM");
	if (grow_slots(ino, last))
		return fail_why(why, -ENOMEM, "out of memory for the page array");
	while (idx <= last && !ret) {
		uint64_t start = idx;

		for (n = 0; idx <= last && n < CHARGE_CHUNK; idx++)
			if (!ino->pages[idx])
				n++;
			else if (!(ino->pages[idx]->flags & PG_new))
				mark_page_accessed(ino->pages[idx]);
		for (i = 0; i < n; i++)
			if (!(batch[i] = kmem_cache_alloc(page_cachep)))
				break;
		/* The charge may reclaim, even this file's older pages. */
		if (n && (i < n || mem_cgroup_charge(memcg, n, gfp))) {
			while (i--)
				kmem_cache_free(page_cachep, batch[i]);
			ret = fail_why(why, -ENOMEM, "over a memory limit, "
				       "nothing reclaimable");
			break;
		}
		for (i = 0; start < idx; start++)
			if (!ino->pages[start]) {
				page_insert(ino, start, memcg, batch[i++]);
				ino->pages[start]->flags |= PG_new;
				refault(ino, start);
			}
	}
	populate_end(ino, first, last, !ret);
	return ret;
}

void mark_page_accessed(struct page *page)
{
	if (page->lru_list == LRU_INACTIVE_FILE ||
	    page->lru_list == LRU_INACTIVE_ANON) {
		if (page->flags & PG_referenced) {
			/* Second access: promote (folio_activate). */
			lru_del(page);
			page->flags = (uint8_t)((page->flags & ~PG_referenced) |
						PG_active);
			lru_add(page, page_lru_base(page) + 1);
			mod_memcg_state(page_memcg(page), PGACTIVATE, 1);
			workingset_activation(page);
			return;
		}
	}
	page->flags |= PG_referenced;
}

bool page_evictable(const struct page *page)
{
	/* Mapped pages stay; shmem and anon (swap-backed) are not page
	 * cache to drop: anon goes to swap (anon.c), shmem stays. */
	return !(page->flags & PG_swapbacked) && !inode_mapped(page->mapping);
}

void filemap_evict(struct page *page)
{
	struct sim_inode *ino = page->mapping;
	uint64_t idx = page->index;
	uint64_t shadow = workingset_eviction(page);

	page_remove(page);
	ino->shadows[idx] = shadow;
}

/* Drop every page at or beyond index @from. */
void truncate_pages(struct sim_inode *ino, uint64_t from)
{
	for (uint64_t i = from; i < ino->nr_slots && ino->nr_resident; i++)
		if (ino->pages[i])
			page_remove(ino->pages[i]);
	/* Truncation drops the shadows too. */
	for (uint64_t i = from; i < ino->nr_slots; i++)
		ino->shadows[i] = 0;
}

/* --- file operations ---------------------------------------------------- */

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Drop everything past @size bytes (a failed write's rollback too). */
static void inode_truncate(struct sim_inode *ino, uint64_t size)
{
	truncate_pages(ino, pages_of(size));
	ino->size = size;
}

/*
 * The pages of bytes [@off, @off + @len) come into the page cache charged
 * to @memcg (those already resident are marked accessed), the file made
 * and grown to cover them; @append: @off is the file's end.  A charge
 * refused leaves the file as it was (populate() drops the range's new
 * pages, and a file made for it goes).
 */
static int file_range(struct mem_cgroup *memcg, struct sim_fs *fs,
		      const char *path, bool append, uint64_t off,
		      uint64_t len, enum gfp_mode gfp, const char **why)
{
	struct sim_inode *ino = inode_find(fs, path);
	bool created = false;
	uint64_t old;
	int ret;

	if (!ino) {
		ino = inode_create(fs, path, memcg, gfp, why);
		if (!ino)
			return -ENOMEM;
		created = true;
	}
	ret = inode_get(ino, memcg, gfp, why);
	if (ret)
		return ret;
	old = ino->size;
	if (append)
		off = old;
	/* A write of 0 bytes creates the file and touches no page. */
	ret = len > SIM_FILE_MAX_BYTES - off ?
		fail_why(why, -EFBIG, "files stop at 1T") :
	      !len ? 0 :
	      populate(ino, off / PAGE_SIZE, (off + len - 1) / PAGE_SIZE,
		       memcg, gfp, why);
	if (!ret) {
		if (off + len > old)
			ino->size = off + len;
		memcg_pages_touch(memcg, ino);
	}
	inode_put(ino);
	if (ret && created)
		inode_destroy(ino);
	return ret;
}

/* write(2) at the end: appends @bytes. */
int filemap_write(struct mem_cgroup *memcg, const char *fspath,
		  uint64_t bytes, enum gfp_mode gfp, const char **why)
{
	struct sim_fs *fs;
	const char *path;
	int ret = resolve(fspath, &fs, &path, why);

	return ret ? ret : file_range(memcg, fs, path, true, 0, bytes, gfp, why);
}

int filemap_read(struct mem_cgroup *memcg, const char *fspath,
		 enum gfp_mode gfp, const char **why)
{
	struct sim_inode *ino;
	int ret = lookup(fspath, &ino, why);

	if (ret || !ino->size)
		return ret;
	ret = inode_get(ino, memcg, gfp, why);
	if (ret)
		return ret;
	ret = populate(ino, 0, pages_of(ino->size) - 1, memcg, gfp, why);
	if (!ret)
		memcg_pages_touch(memcg, ino);
	inode_put(ino);
	return ret;
}

/* read(2)/write(2) of bytes [@off, @off + @len) (file_range()). */
int filemap_access(struct mem_cgroup *memcg, const char *fspath, uint64_t off,
		   uint64_t len, enum gfp_mode gfp, const char **why)
{
	struct sim_fs *fs;
	const char *path;
	int ret = resolve(fspath, &fs, &path, why);

	if (ret)
		return ret;
	if (!len || off > SIM_FILE_MAX_BYTES || len > SIM_FILE_MAX_BYTES - off)
		return len ? fail_why(why, -EFBIG, "files stop at 1T") : 0;
	return file_range(memcg, fs, path, false, off, len, gfp, why);
}

/* The resident pages start or stop counting as mapped. */
static void account_mapped(struct sim_inode *ino, int sign)
{
	for (uint64_t i = 0; i < ino->nr_slots; i++)
		if (ino->pages[i])
			mod_memcg_state(page_memcg(ino->pages[i]),
					NR_FILE_MAPPED, sign);
}

int filemap_mmap(struct mem_cgroup *memcg, const char *fspath,
		 struct sim_inode **inop, const char **why)
{
	struct sim_mapper *m;
	struct sim_inode *ino;
	unsigned int i;
	int ret = lookup(fspath, &ino, why);

	if (!ret)
		ret = inode_instantiate(ino, memcg, GFP_KERNEL, why);
	if (ret)
		return ret;
	for (i = 0; i < ino->nr_mappers; i++)
		if (ino->mappers[i].memcg == memcg)
			break;
	if (i == ino->nr_mappers) {
		m = realloc(ino->mappers, (i + 1) * sizeof(*m));
		if (!m)
			return fail_why(why, -ENOMEM, "out of memory");
		ino->mappers = m;
		m[i] = (struct sim_mapper){ memcg, 0 };
		ino->nr_mappers++;
		mem_cgroup_pin(memcg, 1);	/* a user keeps its memcg */
	}
	ino->mappers[i].count++;
	if (!ino->map_count++) {
		account_mapped(ino, 1);
		ino->fs->nr_mapped++;
		list_add(&ino->mapped, &mapped_inodes);
		inode_lru_update(ino);
	}
	memcg_pages_touch(memcg, ino);
	*inop = ino;
	return 0;
}

void unmap_inode(struct sim_inode *ino, struct mem_cgroup *memcg)
{
	unsigned int i;

	for (i = 0; ino->mappers[i].memcg != memcg; i++)
		;
	if (!--ino->mappers[i].count) {
		ino->mappers[i] = ino->mappers[--ino->nr_mappers];
		mem_cgroup_unpin(memcg, 1);
	}
	if (--ino->map_count)
		return;
	account_mapped(ino, -1);
	ino->fs->nr_mapped--;
	list_del(&ino->mapped);
	if (ino->unlinked)
		inode_destroy(ino);
	else
		inode_lru_update(ino);
}

/* A mapped file that was unlinked is still unmapped by its old name. */
static struct sim_inode *orphan_find(const char *fspath,
				     struct mem_cgroup *memcg)
{
	struct sim_inode *ino;
	struct sim_fs *fs;
	const char *path;

	if (resolve(fspath, &fs, &path, NULL))
		return NULL;
	list_for_each_entry(ino, &fs->orphans, orphan)
		for (unsigned int i = 0; i < ino->nr_mappers; i++)
			if (!strcmp(ino->path, path) &&
			    ino->mappers[i].memcg == memcg)
				return ino;
	return NULL;
}

int filemap_unmap(struct mem_cgroup *memcg, const char *fspath)
{
	struct sim_inode *ino;
	unsigned int i;
	int ret = lookup(fspath, &ino, NULL);

	if (ret == -ENOENT && (ino = orphan_find(fspath, memcg)))
		ret = 0;
	if (ret)
		return ret;
	for (i = 0; i < ino->nr_mappers; i++)
		if (ino->mappers[i].memcg == memcg)
			break;
	if (i == ino->nr_mappers)
		return -EINVAL;		/* munmap of nothing this group maps */
	unmap_inode(ino, memcg);
	return 0;
}

void filemap_munmap(struct sim_inode *ino, struct mem_cgroup *memcg)
{
	unmap_inode(ino, memcg);
}

int filemap_inode_named(const struct sim_inode *ino, const char *fspath)
{
	struct sim_fs *fs;
	const char *path;
	int ret = resolve(fspath, &fs, &path, NULL);

	if (ret)
		return ret;
	return ino->fs == fs && !strcmp(ino->path, path) ? 0 : -ENOENT;
}

int filemap_name_exists(const char *fspath, const char **why)
{
	struct sim_inode *ino;

	return lookup(fspath, &ino, why);
}

int64_t filemap_mapping_pins(const struct mem_cgroup *memcg)
{
	struct sim_inode *ino;
	int64_t n = 0;

	list_for_each_entry(ino, &mapped_inodes, mapped)
		for (unsigned int i = 0; i < ino->nr_mappers; i++)
			n += ino->mappers[i].memcg == memcg;
	return n;
}

int filemap_truncate(const char *fspath, uint64_t size, const char **why)
{
	struct sim_inode *ino;
	int ret = lookup(fspath, &ino, why);

	if (ret)
		return ret;
	if (size > SIM_FILE_MAX_BYTES)
		return fail_why(why, -EFBIG, "files stop at 1T");
	inode_truncate(ino, size);
	return 0;
}

int filemap_permission(const char *fspath, uid_t uid, enum file_access how,
		       const char **why)
{
	struct sim_inode *ino;

	if (lookup(fspath, &ino, NULL) || ino->uid == uid)
		return 0;
	return how == FILE_DELETE ?
	       fail_why(why, -EPERM,
			"the file is another user's (sticky directory)") :
	       fail_why(why, -EACCES, "the file is another user's (mode 0644)");
}

void filemap_set_owner(const char *fspath, uid_t uid)
{
	struct sim_inode *ino;

	if (!lookup(fspath, &ino, NULL))
		ino->uid = uid;
}

int filemap_unlink(const char *fspath, const char **why)
{
	struct sim_inode *ino;
	int ret = lookup(fspath, &ino, why);

	if (ret)
		return ret;
	if (!ino->map_count) {
		inode_destroy(ino);
		return 0;
	}
	/* Mapped: the name goes now, the pages with the last unmap. */
	hashtable_del(&ino->fs->files, &ino->hnode);
	ino->unlinked = true;
	list_add(&ino->orphan, &ino->fs->orphans);
	return 0;
}
