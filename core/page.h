/*
 * page.h - page descriptors (struct page, include/linux/mm_types.h) and
 * the LRU list ids; the per-memcg lists themselves are lruvec.h's.
 *
 * A descriptor stands for one 4 KiB page of page cache, shmem or anon: metadata
 * only, no data, so an 8 GiB emulated machine costs tens of megabytes.
 * Each page is charged to one memcg (and pins it) and sits on one of that
 * memcg's LRU lists.  As in the 2026 kernel (folio->memcg_data = objcg,
 * folio_memcg() = objcg->memcg), a page records the obj_cgroup of the
 * group that charged it, not the memcg: pages=reparent moves every page
 * of a dying group to its parent by flipping that objcg and splicing the
 * lists, without touching a page (core/memcg_pages.c).
 *
 * Locking: every change holds cgroup_mutex for writing, or the page's
 * memcg's lru_lock in MEMCG mode, or every CPU in STOPPED mode
 * (core/memcg_lock.h).
 */
#ifndef MEMCGFS_PAGE_H
#define MEMCGFS_PAGE_H

#include <stdint.h>

#include "list.h"

enum lru_list {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE, LRU_UNEVICTABLE, NR_LRU_LISTS
};

/* page->flags */
#define PG_referenced	0x1u	/* accessed since it was last scanned */
#define PG_active	0x2u
#define PG_swapbacked	0x4u	/* shmem: on the anon lists */
#define PG_new		0x8u	/* brought in by the operation under way */
#define PG_anon		0x10u	/* anon: page->anon_vma, not ->mapping */
#define PG_swapcache	0x20u	/* anon with a swap entry too (anon.h) */

struct anon_vma;
struct mem_cgroup;
struct obj_cgroup;
struct sim_inode;

struct page {
	struct list_head lru;		/* on memcg->lruvec.lists[page->lru_list] */
	struct obj_cgroup *objcg;	/* referenced; page_memcg() is charged */
	union {
		struct sim_inode *mapping;	/* page cache and shmem */
		struct anon_vma *anon_vma;	/* PG_anon */
	};
	uint64_t index;			/* page offset in the file; anon:
					 * slot in anon_vma->pages */
	uint8_t flags;
	uint8_t lru_list;
};

#endif
