/*
 * page_alloc.h - the page allocator under the slab allocator.
 *
 * Memory comes from the OS in 2 MiB chunks aligned to 2 MiB.  The first
 * pages of every chunk hold its header: one 64-byte descriptor per page
 * (struct pa_page, the emulator's "struct page") followed by the chunk's
 * bookkeeping.  Because chunks are aligned, the descriptor of any address
 * handed out is found in O(1) with no lock and no search:
 *
 *	chunk = addr & ~(PA_CHUNK_SIZE - 1)
 *	page  = &chunk->pages[(addr & (PA_CHUNK_SIZE - 1)) >> PAGE_SHIFT]
 *
 * A run of pages (a slab of 2^order pages, or a large kmalloc) is
 * described by its first ("head") descriptor; every descriptor of the run
 * points at the head, so virt_to_head is the two loads above plus one.
 *
 * A chunk whose last run is freed is unmapped at once: memory goes back
 * to the OS whole chunks at a time.  Hysteresis belongs to the layer
 * above (the slab layer keeps a few empty slabs per cache), not here.
 *
 * Locking: one mutex, pa_lock, taken only on allocation and free of runs
 * (the slow path of the slab layer).  Lock order: slab_mutex ->
 * kmem_cache.lock -> pa_lock.  pa_virt_to_head() takes no lock: the
 * caller owns the run it asks about.
 */
#ifndef MEMCGFS_PAGE_ALLOC_H
#define MEMCGFS_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/*
 * The page size, the one definition for all of memcgfs (core/ and fs/
 * include this header for it).  Signed, so that core/'s byte and page
 * counts (int64_t, which may go negative in deltas) compare and divide
 * by it without casts; unsigned operands convert it as they would 4096.
 */
#define PAGE_SIZE 4096L
#define PAGE_SHIFT 12
#define PA_CHUNK_SHIFT	21
#define PA_CHUNK_SIZE	(1UL << PA_CHUNK_SHIFT)
#define PA_CHUNK_PAGES	(PA_CHUNK_SIZE >> PAGE_SHIFT)

/* What a run of pages is used for; kept in the head descriptor. */
enum pa_kind {
	PA_FREE = 0,
	PA_HEADER,	/* the chunk's own header pages */
	PA_SLAB,	/* a slab: priv[] holds struct slab */
	PA_LARGE,	/* a large kmalloc() */
};

/*
 * One per 4 KiB page.  priv[] belongs to the run's owner: the slab layer
 * overlays its struct slab there, as Linux overlays struct slab on
 * struct page.  Exactly 64 bytes so that descriptors do not straddle
 * cache lines.
 */
struct pa_page {
	struct pa_page *head;	/* head descriptor of the run, or self */
	uint32_t npages;	/* run length (head only) */
	uint32_t kind;		/* enum pa_kind (head only) */
	unsigned long priv[6];
};

_Static_assert(sizeof(struct pa_page) == 64, "pa_page must be 64 bytes");

struct pa_stats {
	unsigned long chunks;		/* chunks mapped now */
	unsigned long pages_used;	/* pages in live runs (no headers) */
	unsigned long pages_total;	/* usable pages in mapped chunks */
	unsigned long chunks_mapped;	/* chunks ever mapped */
	unsigned long chunks_unmapped;	/* chunks ever given back */
	unsigned long header_pages;	/* per chunk */
};

/* Largest run one allocation can ask for. */
unsigned long pa_max_run_pages(void);

/*
 * Allocate npages contiguous pages of the given kind.  Returns the
 * address of the first page (PAGE_SIZE aligned) and sets *headp, or NULL
 * with errno set (ENOMEM, EINVAL).
 */
void *pa_alloc_pages(unsigned long npages, enum pa_kind kind,
		     struct pa_page **headp);

/* Free the run whose head descriptor is head. */
void pa_free_pages(struct pa_page *head);

/*
 * Batched release, as the kernel's mmu_gather batches TLB flushes.  A
 * chunk that empties goes back to the OS at once, but inside
 * pa_batch_begin()/pa_batch_end() (per thread, nestable) it waits, still
 * reusable, until the outermost end, which unmaps every chunk still empty,
 * adjacent ones in one munmap.  Each munmap of a threaded process
 * interrupts every other CPU running one of its threads (a TLB shootdown):
 * a reclaim of 1 GiB of page cache unmapped its 512 chunks one by one, and
 * each interrupted the threads serving readers on the other CPU.  For
 * loops that free much at once (reclaim).
 */
void pa_batch_begin(void);
void pa_batch_end(void);

/* Address of the first page of the run described by head. */
static inline void *pa_page_address(const struct pa_page *pg)
{
	uintptr_t chunk = (uintptr_t)pg & ~(PA_CHUNK_SIZE - 1);
	uintptr_t idx = ((uintptr_t)pg - chunk) / sizeof(struct pa_page);

	return (void *)(chunk + (idx << PAGE_SHIFT));
}

/* O(1): head descriptor of the run containing addr (addr must be ours). */
static inline struct pa_page *pa_virt_to_head(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	struct pa_page *pages = (struct pa_page *)(a & ~(PA_CHUNK_SIZE - 1));

	return pages[(a & (PA_CHUNK_SIZE - 1)) >> PAGE_SHIFT].head;
}

void pa_get_stats(struct pa_stats *st);

#endif
