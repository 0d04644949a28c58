/*
 * page_alloc.c - 2 MiB chunks from mmap, carved into runs of 4 KiB pages.
 *
 * This is the slow path of the slab allocator: it runs when a cache
 * needs a new slab or gives one back, i.e. once per tens of objects at
 * worst, so a mutex and a first-fit bitmap scan are cheap enough and keep
 * it obviously correct.  See page_alloc.h for the layout and the O(1)
 * address -> descriptor lookup this file exists to make possible.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "page_alloc.h"

#define BITS_PER_WORD	64
#define BITMAP_WORDS	(PA_CHUNK_PAGES / BITS_PER_WORD)

struct pa_chunk {
	struct pa_page pages[PA_CHUNK_PAGES];	/* must stay first: lookup */
	struct pa_chunk *prev, *next;
	struct pa_chunk *defer_next;		/* on pa_deferred */
	bool deferred;				/* on pa_deferred */
	unsigned long nr_used;			/* pages in live runs */
	unsigned long hint;			/* first page worth scanning */
	uint64_t used[BITMAP_WORDS];		/* 1 = page in use/header */
};

#define HEADER_PAGES	((sizeof(struct pa_chunk) + PAGE_SIZE - 1) / PAGE_SIZE)
#define USABLE_PAGES	(PA_CHUNK_PAGES - HEADER_PAGES)

/* Depth of this thread's pa_batch_begin() (page_alloc.h). */
static _Thread_local unsigned int batch_depth;

/* pa_lock protects everything below.  Innermost lock (see page_alloc.h). */
static pthread_mutex_t pa_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pa_chunk *pa_chunks;		/* every mapped chunk */
static struct pa_chunk *pa_deferred;		/* emptied inside a batch */
static struct pa_stats pa_st = { .header_pages = HEADER_PAGES };

unsigned long pa_max_run_pages(void)
{
	return USABLE_PAGES;
}

static int test_page(const struct pa_chunk *c, unsigned long i)
{
	return (c->used[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

static void mark_pages(struct pa_chunk *c, unsigned long i, unsigned long n,
		       int used)
{
	for (; n; n--, i++) {
		uint64_t bit = 1ULL << (i % BITS_PER_WORD);

		if (used)
			c->used[i / BITS_PER_WORD] |= bit;
		else
			c->used[i / BITS_PER_WORD] &= ~bit;
	}
}

/*
 * mmap twice the size and trim, the portable way to get alignment.  The
 * header pages are the only ones we write now; the rest stay untouched
 * (and unbacked) until a slab is built on them.
 */
static struct pa_chunk *chunk_map(void)
{
	size_t len = 2 * PA_CHUNK_SIZE;
	char *raw, *base;
	struct pa_chunk *c;

	raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	base = (char *)(((uintptr_t)raw + PA_CHUNK_SIZE - 1) &
			~(PA_CHUNK_SIZE - 1));
	if (base > raw)
		munmap(raw, base - raw);
	if (base + PA_CHUNK_SIZE < raw + len)
		munmap(base + PA_CHUNK_SIZE, raw + len - base - PA_CHUNK_SIZE);

	c = (struct pa_chunk *)base;	/* fresh anonymous memory is zeroed */
	for (unsigned long i = 0; i < PA_CHUNK_PAGES; i++)
		c->pages[i].head = &c->pages[i];
	c->pages[0].kind = PA_HEADER;
	c->pages[0].npages = HEADER_PAGES;
	for (unsigned long i = 1; i < HEADER_PAGES; i++)
		c->pages[i].head = &c->pages[0];
	mark_pages(c, 0, HEADER_PAGES, 1);
	c->hint = HEADER_PAGES;

	c->next = pa_chunks;
	if (pa_chunks)
		pa_chunks->prev = c;
	pa_chunks = c;
	pa_st.chunks++;
	pa_st.chunks_mapped++;
	pa_st.pages_total += USABLE_PAGES;
	return c;
}

/* Take @c off the chunk list; the caller unmaps it. */
static void chunk_unlink(struct pa_chunk *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		pa_chunks = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pa_st.chunks--;
	pa_st.chunks_unmapped++;
	pa_st.pages_total -= USABLE_PAGES;
}

/* First fit from the hint, starting at a multiple of @align pages;
 * returns the first page index or 0 (= none). */
static unsigned long chunk_find_run(struct pa_chunk *c, unsigned long n,
				    unsigned long align)
{
	unsigned long i = c->hint, run = 0;

	while (i < PA_CHUNK_PAGES) {
		if (run == 0 && i % align) {
			i++;		/* no run may start here */
			continue;
		}
		if (run == 0 && i % BITS_PER_WORD == 0 &&
		    c->used[i / BITS_PER_WORD] == ~0ULL) {
			i += BITS_PER_WORD;	/* skip a full word */
			continue;
		}
		run = test_page(c, i) ? 0 : run + 1;
		i++;
		if (run == n)
			return i - n;
	}
	return 0;
}

static void *chunk_take_run(struct pa_chunk *c, unsigned long first,
			    unsigned long n, enum pa_kind kind,
			    struct pa_page **headp)
{
	struct pa_page *head = &c->pages[first];

	mark_pages(c, first, n, 1);
	head->head = head;
	head->npages = n;
	head->kind = kind;
	memset(head->priv, 0, sizeof(head->priv));
	for (unsigned long i = 1; i < n; i++)
		c->pages[first + i].head = head;
	c->nr_used += n;
	if (first == c->hint)
		c->hint = first + n;
	pa_st.pages_used += n;
	*headp = head;
	return (char *)c + (first << PAGE_SHIFT);
}

void *pa_alloc_pages(unsigned long npages, enum pa_kind kind,
		     struct pa_page **headp)
{
	struct pa_chunk *c;
	unsigned long first = 0, align = 1;
	void *addr = NULL;

	if (npages == 0 || npages > USABLE_PAGES ||
	    (kind != PA_SLAB && kind != PA_LARGE)) {
		errno = EINVAL;
		return NULL;
	}
	/* A slab of 2^k pages starts at a multiple of 2^k pages (chunks
	 * are aligned to their size), so an object's offset in its slab
	 * is its address masked (obj_ext_slot_of() in slab_impl.h). */
	if (kind == PA_SLAB && !(npages & (npages - 1)))
		align = npages;
	pthread_mutex_lock(&pa_lock);
	for (c = pa_chunks; c; c = c->next) {
		if (USABLE_PAGES - c->nr_used < npages)
			continue;
		first = chunk_find_run(c, npages, align);
		if (first)
			break;
	}
	if (!c) {
		c = chunk_map();
		if (c)
			first = chunk_find_run(c, npages, align);
	}
	if (c && first)
		addr = chunk_take_run(c, first, npages, kind, headp);
	pthread_mutex_unlock(&pa_lock);
	if (!addr)
		errno = ENOMEM;
	return addr;
}

void pa_free_pages(struct pa_page *head)
{
	struct pa_chunk *c = (struct pa_chunk *)((uintptr_t)head &
						 ~(PA_CHUNK_SIZE - 1)), *empty = NULL;
	unsigned long first = head - c->pages, n = head->npages;

	pthread_mutex_lock(&pa_lock);
	for (unsigned long i = 0; i < n; i++)
		c->pages[first + i].head = &c->pages[first + i];
	head->kind = PA_FREE;
	head->npages = 0;
	mark_pages(c, first, n, 0);
	c->nr_used -= n;
	if (first < c->hint)
		c->hint = first;
	pa_st.pages_used -= n;
	if (!c->nr_used && !c->deferred && batch_depth) {
		c->deferred = true;
		c->defer_next = pa_deferred;
		pa_deferred = c;
	} else if (!c->nr_used && !c->deferred) {
		chunk_unlink(c);
		empty = c;
	}
	pthread_mutex_unlock(&pa_lock);
	if (empty)	/* unlinked: nobody else can reach it */
		munmap(empty, PA_CHUNK_SIZE);
}

void pa_batch_begin(void)
{
	batch_depth++;
}

static int chunk_cmp(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Unmap the sorted chunk addresses @v[0..n), adjacent ones together. */
static void unmap_runs(uintptr_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), chunk_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j] == v[j - 1] + PA_CHUNK_SIZE; j++)
			;
		munmap((void *)v[i], (j - i) * PA_CHUNK_SIZE);
	}
}

void pa_batch_end(void)
{
	uintptr_t stack[64], *v = stack;
	struct pa_chunk *c, *next;
	size_t n = 0, cap = 0;

	if (--batch_depth)
		return;
	pthread_mutex_lock(&pa_lock);
	for (c = pa_deferred; c; c = c->defer_next)
		cap++;
	/* Without memory for the list, unmap one by one (as unbatched). */
	if (cap > 64)
		v = malloc(cap * sizeof(*v));
	for (c = pa_deferred; c; c = next) {
		next = c->defer_next;
		c->deferred = false;
		if (c->nr_used)
			continue;	/* reused since it emptied */
		chunk_unlink(c);
		if (v)
			v[n++] = (uintptr_t)c;
		else
			munmap(c, PA_CHUNK_SIZE);
	}
	pa_deferred = NULL;
	pthread_mutex_unlock(&pa_lock);
	if (v)
		unmap_runs(v, n);
	if (v != stack)
		free(v);
}

void pa_get_stats(struct pa_stats *st)
{
	pthread_mutex_lock(&pa_lock);
	*st = pa_st;
	pthread_mutex_unlock(&pa_lock);
}
