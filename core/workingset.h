/*
 * workingset.h - shadow entries of evicted page cache, refault detection
 * (mm/workingset.c of 6.12, without multi-gen LRU).
 *
 * Evicting a page leaves a shadow in its file slot: the reclaim root's
 * memcg ID, that root's nonresident_age at eviction, and whether the page
 * was workingset (PG_workingset: deactivated once already).  A page read
 * back into a slot with a shadow is a refault (workingset_refault_file);
 * if fewer pages were evicted or activated since than the workingset
 * holds (the refault distance), it comes back active
 * (workingset_activate_file), and a workingset page counts a restore and
 * a memory stall, as the kernel's filemap_read_folio() does.
 *
 * Locking: cgroup_mutex held for writing, or for reading with every CPU
 * stopped (reclaim in STOPPED mode, core/memcg_lock.h).
 */
#ifndef MEMCGFS_WORKINGSET_H
#define MEMCGFS_WORKINGSET_H

#include <stdbool.h>
#include <stdint.h>

struct mem_cgroup;
struct page;

#define PG_workingset	0x40u	/* page->flags: was active before */

/* The reclaim under way on this thread targets @memcg (NULL: none);
 * evictions age and record its lruvec (sc->target_mem_cgroup). */
void workingset_set_reclaim_target(struct mem_cgroup *memcg);
/* workingset_eviction(): the shadow of @page, evicted now; never 0. */
uint64_t workingset_eviction(struct page *page);
/* workingset_refault(): @page was just read in where @shadow was. */
void workingset_refault(struct page *page, uint64_t shadow);
/* workingset_activation(): @page was promoted to the active list. */
void workingset_activation(struct page *page);

#endif
