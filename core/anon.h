/*
 * anon.h - a process's anonymous memory, page by page (mm/memory.c
 * do_anonymous_page, zap_pte_range, do_swap_page; mm/vmscan.c's anon
 * half of shrink_folio_list with mm/swap_state.c).
 *
 * An anon_vma holds what one process owns in one group: its resident
 * pages (struct page descriptors on their memcg's anon LRU lists, new
 * ones inactive, activated on a second touch) and its swap entries,
 * each recording the memcg it is charged to (swap.h).  Resident pages
 * are charged to memory and pin their memcg; entries are charged to swap.
 *
 * The swap cache (mm/swap_state.c): a page swapped back in keeps its
 * entry (PG_swapcache, its record in ->cached), so it is resident AND
 * in swap, charged to both, counted in NR_SWAPCACHE of the memcg the
 * page is charged to.  Pages stay clean (no write is modelled), so
 * reclaiming one again just drops it back to its entry: no write, no
 * pswpout, no new swap charge.  The entry goes when swap is over half
 * full at the swap-in or at a reclaim activation (mem_cgroup_swap_full),
 * and with the page (free anon, exit).
 *
 * Locking: cgroup_mutex held for writing, or a write in MEMCG mode
 * (core/memcg_lock.h) on the memcg of the anon_vma's slot, under its
 * process's lock: anon_fault() of one chunk at most (it asks for the
 * exclusive lock otherwise, before faulting anything) and anon_zap();
 * or STOPPED mode, whose reclaim swaps pages out.  The list of every
 * anon_vma has a lock of its own; its walk owns every CPU.
 */
#ifndef MEMCGFS_ANON_H
#define MEMCGFS_ANON_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "memcontrol.h"

struct anon_vma {
	struct list_head node;		/* on the list of every anon_vma */
	struct page **pages;		/* resident; page->index is the slot */
	/* Per slot: the swap_cgroup record of a swap-cache page's entry,
	 * NULL for a page with no entry. */
	struct mem_cgroup **cached;
	int64_t nr_resident, pages_cap, cached_cap;
	struct mem_cgroup **swap;	/* swap_cgroup records, one per entry */
	int64_t nr_swapped, swap_cap;
};

struct anon_vma *anon_vma_alloc(void);
/* @av must be empty. */
void anon_vma_free(struct anon_vma *av);

static inline int64_t anon_vma_pages(const struct anon_vma *av)
{
	return av->nr_resident + av->nr_swapped;
}

/*
 * First touch of @nr new pages charged to @memcg, a chunk at a time so
 * that reclaim run by the charge can swap out older pages (this
 * anon_vma's too).  One transaction: on -ENOMEM as many pages as were
 * added are freed again.  Failures say why in *@why (why.h).
 */
int anon_fault(struct anon_vma *av, struct mem_cgroup *memcg, int64_t nr,
	       enum gfp_mode gfp, const char **why);
/* Free @nr pages (at most what @av has): resident ones first, newest
 * first, then swap entries, which are freed without being read. */
void anon_zap(struct anon_vma *av, int64_t nr);
/*
 * Touch @nr pages: swapped ones are faulted back first (do_swap_page:
 * charged to the entry's memcg if it is online, else to @memcg, the
 * faulting group; pswpin, pgmajfault), then resident ones are marked
 * accessed.  Each fault is its own charge: -ENOMEM stops with the earlier
 * ones kept.
 */
int anon_touch(struct anon_vma *av, struct mem_cgroup *memcg, int64_t nr,
	       enum gfp_mode gfp, const char **why);
/* Resident pages of @av charged to @memcg (sim.zombies' anon owners). */
int64_t anon_vma_charged_to(const struct anon_vma *av,
			    const struct mem_cgroup *memcg);

/* Reclaim: move anon @page to swap (pswpout); false if there is none.
 * A swap-cache page goes back to its entry, without a write. */
bool anon_swap_out(struct page *page);
/* Reclaim activates anon @page: a swap-cache page's entry is freed if
 * swap is over half full (shrink_folio_list's activate_locked). */
void anon_activate_free_swap(struct page *page);

/* Every swap entry of every anon_vma: @fn gets the memcg it is charged
 * to and, for a swap-cache page, the page (else NULL); sim.check. */
void anon_for_each_swap_entry(void (*fn)(struct mem_cgroup *owner,
					 struct page *page, void *arg),
			      void *arg);

#endif
