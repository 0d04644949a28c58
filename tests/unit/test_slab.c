/*
 * test_slab.c - unit tests of allocator/ alone: page allocator, caches,
 * magazines, kmalloc and the built-in table.  Includes a two-thread
 * hammer (run it under -fsanitize=thread) and cross-thread frees.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../allocator/page_alloc.h"
#include "../../allocator/slab.h"
#include "../../allocator/kmalloc.h"
#include "../../allocator/slab_impl.h"	/* mag_size, for the resizing test */

static unsigned long rng_state = 88172645463325252UL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int reports;
static char last_report[256];

static void count_report(const char *msg)
{
	__atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED);
	snprintf(last_report, sizeof(last_report), "%s", msg);
}

static unsigned long chunks_now(void)
{
	struct pa_stats st;

	pa_get_stats(&st);
	return st.chunks;
}

/* --- page allocator ---------------------------------------------------- */

static void test_page_alloc(void)
{
	struct pa_page *pg[3];
	unsigned long base = chunks_now();
	struct pa_stats st;
	char *a, *b, *c;
	int ok = 1;

	a = pa_alloc_pages(1, PA_SLAB, &pg[0]);
	b = pa_alloc_pages(8, PA_LARGE, &pg[1]);
	tap_ok(a && b, "pa: runs of 1 and 8 pages");
	tap_ok(((uintptr_t)a & (PAGE_SIZE - 1)) == 0 &&
	       ((uintptr_t)b & (PAGE_SIZE - 1)) == 0, "pa: page aligned");
	for (int i = 0; i < 8; i++)
		ok &= pa_virt_to_head(b + i * PAGE_SIZE + 123) == pg[1];
	tap_ok(ok, "pa: every byte of a run maps to its head in O(1)");
	tap_ok(pa_page_address(pg[1]) == b, "pa: head -> address");
	tap_eq(pg[1]->npages, 8, "pa: head records run length");
	memset(b, 0xab, 8 * PAGE_SIZE);
	pa_free_pages(pg[1]);
	c = pa_alloc_pages(4, PA_LARGE, &pg[2]);
	tap_ok(c == b, "pa: first fit reuses a freed run");
	pa_free_pages(pg[2]);
	pa_free_pages(pg[0]);
	tap_eq(chunks_now(), base, "pa: empty chunk given back to the OS");
	tap_ok(pa_alloc_pages(pa_max_run_pages() + 1, PA_LARGE, &pg[0]) ==
	       NULL && errno == EINVAL, "pa: oversized run is EINVAL");
	a = pa_alloc_pages(pa_max_run_pages(), PA_LARGE, &pg[0]);
	tap_ok(a != NULL, "pa: a whole chunk's usable pages in one run");
	if (a)
		pa_free_pages(pg[0]);
	pa_get_stats(&st);
	tap_ok(st.header_pages * 100 <= PA_CHUNK_PAGES * 2,
	       "pa: chunk header %lu pages (<= 2%%)", st.header_pages);
}

/* A batch keeps emptied chunks mapped and reusable until its end, which
 * gives them back (adjacent ones in one munmap). */
static void test_page_batch(void)
{
	unsigned long base = chunks_now(), max = pa_max_run_pages();
	struct pa_stats before, after;
	struct pa_page *pg[3];
	char *a[3], *again;

	pa_get_stats(&before);
	pa_batch_begin();
	for (int i = 0; i < 3; i++)
		a[i] = pa_alloc_pages(max, PA_LARGE, &pg[i]);
	tap_ok(a[0] && a[1] && a[2], "pa batch: three whole chunks");
	for (int i = 0; i < 3; i++)
		pa_free_pages(pg[i]);
	tap_eq(chunks_now(), base + 3, "pa batch: emptied chunks stay mapped");
	again = pa_alloc_pages(max, PA_LARGE, &pg[0]);
	tap_ok(again == a[0] || again == a[1] || again == a[2],
	       "pa batch: an emptied chunk is reused before a new one");
	pa_batch_begin();		/* nested: only the outermost end */
	pa_free_pages(pg[0]);
	pa_batch_end();
	tap_eq(chunks_now(), base + 3, "pa batch: a nested end releases nothing");
	pa_batch_end();
	pa_get_stats(&after);
	tap_eq(chunks_now(), base, "pa batch: its end gives every empty chunk back");
	tap_eq(after.chunks_unmapped - before.chunks_unmapped, 3,
	       "pa batch: each chunk counted once as given back");
	a[0] = pa_alloc_pages(1, PA_SLAB, &pg[0]);
	pa_free_pages(pg[0]);
	tap_eq(chunks_now(), base, "pa: outside a batch, freed at once again");
}

/* --- cache creation ------------------------------------------------------ */

static void test_create_args(void)
{
	struct kmem_cache *s, *t;

	tap_ok(!kmem_cache_create("bad name", 64, 0, 0, NULL) &&
	       errno == EINVAL, "create: space in name is EINVAL");
	tap_ok(!kmem_cache_create("", 64, 0, 0, NULL) && errno == EINVAL,
	       "create: empty name is EINVAL");
	tap_ok(!kmem_cache_create("t0", 0, 0, 0, NULL) && errno == EINVAL,
	       "create: size 0 is EINVAL");
	tap_ok(!kmem_cache_create("t0", 64, 3, 0, NULL) && errno == EINVAL,
	       "create: align 3 is EINVAL");
	tap_ok(!kmem_cache_create("t0", KMEM_MAX_OBJECT + 1, 0, 0, NULL) &&
	       errno == EINVAL, "create: too big is EINVAL");
	s = kmem_cache_create("t0", 24, 0, 0, NULL);
	tap_ok(s != NULL, "create: t0");
	t = kmem_cache_create("t0", 24, 0, 0, NULL);
	tap_ok(!t && errno == EEXIST, "create: duplicate name is EEXIST");
	tap_ok(kmem_cache_find("t0") == s, "find: t0");
	tap_eq(kmem_cache_destroy(s), 0, "destroy: empty cache");
	tap_ok(kmem_cache_find("t0") == NULL, "find: t0 gone");
}

/* --- the built-in table: every size ------------------------------------------ */

#define PER_SIZE 300

static int check_cache(struct kmem_cache *s)
{
	size_t sz = kmem_cache_size(s);
	void *o[PER_SIZE];
	struct kmem_cache_stats st;
	int ok = 1;

	kmem_cache_stats(s, &st);
	for (int i = 0; i < PER_SIZE; i++) {
		o[i] = kmem_cache_alloc(s);
		if (!o[i])
			return 0;
		ok &= kmem_cache_of(o[i]) == s;
		ok &= ((uintptr_t)o[i] & 7) == 0;
		ok &= ksize(o[i]) == sz;
		memset(o[i], i & 0xff, sz);
	}
	/* No two objects overlap: every pattern survived. */
	for (int i = 0; i < PER_SIZE; i++) {
		unsigned char *p = o[i];

		for (size_t j = 0; j < sz; j++)
			ok &= p[j] == (i & 0xff);
	}
	for (int i = 0; i < PER_SIZE; i++) {
		if (kmem_cache_flags(s) == 0 || !strcmp(kmem_cache_name(s),
						       "dentry"))
			kmem_cache_free(s, o[i]);
		else
			kmem_cache_free_any(o[i]);
	}
	return ok && st.objsize >= sz && st.objperslab >= 1;
}

static int count_cache(struct kmem_cache *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

static void test_builtin_table(void)
{
	int n = 0;

	tap_eq(kmem_caches_init(), 0, "init: built-in caches");
	tap_eq(kmem_caches_init(), 0, "init: idempotent");
	for (unsigned int i = 0; i < nr_kmalloc_sizes; i++) {
		struct kmem_cache *s = kmalloc_cache(kmalloc_sizes[i]);

		tap_ok(s && kmem_cache_size(s) == kmalloc_sizes[i] &&
		       check_cache(s), "table: %s", s ? kmem_cache_name(s) : "?");
	}
	for (int i = 0; i < NR_KMEM_BUILTIN; i++) {
		struct kmem_cache *s = kmem_builtin(i);
		const struct kmem_builtin_desc *d = &kmem_builtin_table[i];

		tap_ok(s && !strcmp(kmem_cache_name(s), d->name) &&
		       kmem_cache_flags(s) == d->flags && check_cache(s),
		       "table: %s (%u bytes)", d->name, d->size);
	}
	tap_ok(kmem_cache_flags(kmem_builtin(KMEM_DENTRY)) & SLAB_ACCOUNT,
	       "table: dentry is accounted");
	kmem_cache_for_each(count_cache, &n);
	tap_ok(n >= (int)(nr_kmalloc_sizes + NR_KMEM_BUILTIN),
	       "for_each: visits every cache (%d)", n);
}

static void test_kmalloc(void)
{
	int ok = 1;
	void *p;

	for (size_t sz = 1; sz <= KMALLOC_MAX_CACHE_SIZE; sz++) {
		p = kmalloc(sz);
		ok &= p && ksize(p) >= sz;
		ok &= ksize(p) < 2 * sz + 8;	/* the right class */
		if (p)
			memset(p, 0x5a, sz);
		kfree(p);
	}
	tap_ok(ok, "kmalloc: every size 1..8192 gets a fitting class");
	p = kmalloc(100000);
	tap_ok(p && ksize(p) >= 100000, "kmalloc: large allocation");
	if (p)
		memset(p, 1, 100000);
	kfree(p);
	kfree(NULL);
	tap_ok(!kmalloc(0) && errno == EINVAL, "kmalloc: size 0 is EINVAL");
}

/* --- shadow map ---------------------------------------------------------- */

#define SHADOW 4096

static void test_shadow_random(void)
{
	static void *live[SHADOW];
	struct kmem_cache *s = kmem_cache_create("shadow-72", 72, 0, 0, NULL);
	struct kmem_cache_stats st;
	unsigned long nlive = 0;
	int ok = 1;

	for (long step = 0; step < 400000; step++) {
		unsigned long i = rnd() % SHADOW;

		if (!live[i]) {
			live[i] = kmem_cache_alloc(s);
			if (!live[i]) {
				ok = 0;
				break;
			}
			memset(live[i], (int)(i & 0xff), 72);
			*(unsigned long *)live[i] = i;
			nlive++;
		} else {
			unsigned char *p = live[i];

			ok &= *(unsigned long *)p == i;
			for (int j = 8; j < 72; j++)
				ok &= p[j] == (i & 0xff);
			kmem_cache_free(s, live[i]);
			live[i] = NULL;
			nlive--;
		}
	}
	tap_ok(ok, "shadow: 400k random ops, every object intact");
	kmem_cache_drain_local();
	kmem_cache_stats(s, &st);
	tap_eq(st.active_objs, nlive, "shadow: active_objs matches the map");
	tap_ok(st.num_objs >= nlive, "shadow: num_objs >= active");
	for (unsigned long i = 0; i < SHADOW; i++) {
		if (live[i])
			kmem_cache_free(s, live[i]);
		live[i] = NULL;
	}
	tap_eq(kmem_cache_destroy(s), 0, "shadow: destroy after freeing all");
}

/* --- constructors, reuse ----------------------------------------------- */

#define MAGIC 0xc0ffee11u
static int ctor_calls;

struct ctor_obj {
	unsigned int magic;
	char pad[100];
};

static void obj_ctor(void *p)
{
	((struct ctor_obj *)p)->magic = MAGIC;
	__atomic_add_fetch(&ctor_calls, 1, __ATOMIC_RELAXED);
}

static void test_ctor_and_reuse(void)
{
	struct kmem_cache *s = kmem_cache_create("ctor-104",
						 sizeof(struct ctor_obj), 0, 0,
						 obj_ctor);
	struct kmem_cache_stats st;
	void *o[500], *a, *b;
	int ok = 1;

	for (int i = 0; i < 500; i++) {
		o[i] = kmem_cache_alloc(s);
		ok &= ((struct ctor_obj *)o[i])->magic == MAGIC;
	}
	tap_ok(ok, "ctor: every new object constructed");
	kmem_cache_stats(s, &st);
	tap_eq(ctor_calls, st.num_objs, "ctor: once per object in the slabs");
	for (int i = 0; i < 500; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_shrink(s);	/* objects go back to their slabs... */
	for (int i = 0; i < 500; i++)
		o[i] = kmem_cache_alloc(s);
	ok = 1;
	for (int i = 0; i < 500; i++) {
		ok &= ((struct ctor_obj *)o[i])->magic == MAGIC;
		kmem_cache_free(s, o[i]);
	}
	tap_ok(ok, "ctor: constructed state survives free (free ptr outside)");

	a = kmem_cache_alloc(s);
	kmem_cache_free(s, a);
	b = kmem_cache_alloc(s);
	tap_ok(a == b, "reuse: a freed object is the next one handed out");
	kmem_cache_free(s, b);
	tap_eq(kmem_cache_destroy(s), 0, "ctor: destroy");
}

/* --- shrink, chunk return, destroy refusal ------------------------------- */

static void test_shrink_and_chunks(void)
{
	unsigned long base = chunks_now(), n = 3 * PA_CHUNK_SIZE / 256;
	struct kmem_cache *s = kmem_cache_create("shrink-256", 256, 0, 0, NULL);
	struct kmem_cache_stats st;
	void **o = malloc(n * sizeof(void *));
	long freed;

	for (unsigned long i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s);
	tap_ok(chunks_now() >= base + 2,
	       "chunks: 6 MiB of objects maps new chunks (%lu -> %lu)",
	       base, chunks_now());
	kmem_cache_stats(s, &st);
	tap_eq(st.active_objs, n, "stats: active_objs");
	tap_eq(st.num_objs, st.num_slabs * st.objperslab, "stats: num_objs");
	for (unsigned long i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	freed = kmem_cache_shrink(s);
	kmem_cache_stats(s, &st);
	tap_ok(freed > 0, "shrink: freed %ld slabs", freed);
	tap_eq(st.num_slabs, 0, "shrink: no slab left");
	tap_eq(chunks_now(), base, "chunks: all given back to the OS");
	free(o);
	tap_eq(kmem_cache_destroy(s), 0, "shrink: destroy");
}

static void test_destroy_busy(void)
{
	struct kmem_cache *s = kmem_cache_create("busy-40", 40, 0, 0, NULL);
	void *a = kmem_cache_alloc(s), *b = kmem_cache_alloc(s);

	kmem_cache_free(s, b);	/* in our magazine: destroy reclaims it */
	reports = 0;
	tap_eq(kmem_cache_destroy(s), -EBUSY, "destroy: live object -> EBUSY");
	tap_ok(reports == 1 && strstr(last_report, "busy-40") &&
	       strstr(last_report, "1 objects"), "destroy: refusal reported");
	tap_ok(kmem_cache_find("busy-40") == s, "destroy: cache kept");
	b = kmem_cache_alloc(s);
	tap_ok(b != NULL, "destroy: refused cache still usable");
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	tap_eq(kmem_cache_destroy(s), 0, "destroy: succeeds once freed");
}

static void test_wrong_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("wa-32", 32, 0, 0, NULL);
	struct kmem_cache *t = kmem_cache_create("wb-32", 32, 0, 0, NULL);
	void *a = kmem_cache_alloc(s);

	reports = 0;
	kmem_cache_free(t, a);	/* parked in t's magazine until flushed */
	kmem_cache_shrink(t);
	tap_eq(reports, 1, "free to the wrong cache is reported, not merged");
	kmem_cache_free(s, a);
	tap_eq(kmem_cache_destroy(t), 0, "wrong cache: t destroyed");
	tap_eq(kmem_cache_destroy(s), 0, "wrong cache: s destroyed");
}

/* --- obj_exts --------------------------------------------------------- */

static void test_obj_ext(void)
{
	struct kmem_cache *s = kmem_cache_create("ext-64", 64, 0,
						 SLAB_ACCOUNT, NULL);
	void *o[200], **slot[200];
	int ok = 1;

	tap_ok((o[0] = kmem_cache_alloc(s)) && !slab_obj_ext_peek(o[0]),
	       "obj_ext: no array until asked");
	for (int i = 1; i < 200; i++)
		o[i] = kmem_cache_alloc(s);
	for (int i = 0; i < 200; i++) {
		slot[i] = slab_obj_ext(o[i]);
		ok &= slot[i] && *slot[i] == NULL;
		*slot[i] = o[i];
	}
	for (int i = 0; i < 200; i++) {
		ok &= slab_obj_ext(o[i]) == slot[i] && *slot[i] == o[i];
		ok &= slab_obj_ext_peek(o[i]) == slot[i];
		for (int j = 0; j < i; j++)
			ok &= slot[j] != slot[i];
	}
	tap_ok(ok, "obj_ext: one distinct, stable slot per object");
	for (int i = 0; i < 200; i++) {
		*slot[i] = NULL;
		kmem_cache_free(s, o[i]);
	}
	kmem_cache_shrink(s);
	tap_eq(kmem_cache_destroy(s), 0, "obj_ext: arrays freed with slabs");
}

/* --- threads -------------------------------------------------------------- */

#define HANDOFF 256

struct hammer {
	struct kmem_cache *s;
	pthread_mutex_t lock;			/* protects box[] */
	void *box[HANDOFF];			/* cross-thread frees */
	int ok[2];
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = *(struct hammer **)arg;
	void *mine[512] = { 0 };
	unsigned long r = (uintptr_t)arg * 2654435761u;
	int ok = 1;

	for (long step = 0; step < 300000; step++) {
		unsigned long i;

		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		i = r % 512;
		if (!mine[i]) {
			mine[i] = kmem_cache_alloc(h->s);
			if (!mine[i]) { ok = 0; break; }
			*(unsigned long *)mine[i] = (uintptr_t)&mine[i];
		} else if (r & 0x100) {
			ok &= *(unsigned long *)mine[i] == (uintptr_t)&mine[i];
			kmem_cache_free(h->s, mine[i]);
			mine[i] = NULL;
		} else {
			/* Swap with the shared box: the other thread frees it. */
			void *old;

			ok &= *(unsigned long *)mine[i] == (uintptr_t)&mine[i];
			*(unsigned long *)mine[i] = 0;
			pthread_mutex_lock(&h->lock);
			old = h->box[i % HANDOFF];
			h->box[i % HANDOFF] = mine[i];
			pthread_mutex_unlock(&h->lock);
			mine[i] = NULL;
			if (old)
				kmem_cache_free(h->s, old);
		}
	}
	for (int i = 0; i < 512; i++)
		kmem_cache_free(h->s, mine[i]);
	return (void *)(uintptr_t)ok;
}

static void test_two_threads(void)
{
	static struct hammer h;
	struct hammer *args[2] = { &h, &h };
	pthread_t t[2];
	void *ret[2];
	struct kmem_cache_stats st;

	h.s = kmem_cache_create("hammer-64", 64, 0, 0, NULL);
	pthread_mutex_init(&h.lock, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, hammer_thread, &args[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], &ret[i]);
	tap_ok(ret[0] && ret[1], "threads: 2 x 300k ops with cross-thread frees");
	for (int i = 0; i < HANDOFF; i++)
		kmem_cache_free(h.s, h.box[i]);
	kmem_cache_drain_local();
	kmem_cache_stats(h.s, &st);
	tap_eq(st.active_objs, 0, "threads: exit flushed every magazine");
	tap_eq(kmem_cache_destroy(h.s), 0, "threads: destroy after join");
	pthread_mutex_destroy(&h.lock);
}

/* A live thread holds magazines while the (quiescent) cache is destroyed. */
struct parked {
	struct kmem_cache *s;
	pthread_barrier_t bar;
};

static void *parked_thread(void *arg)
{
	struct parked *p = arg;
	void *o[100];

	for (int i = 0; i < 100; i++)
		o[i] = kmem_cache_alloc(p->s);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(p->s, o[i]);
	pthread_barrier_wait(&p->bar);		/* main destroys now */
	pthread_barrier_wait(&p->bar);		/* and creates a new one */
	o[0] = kmem_cache_alloc(p->s);		/* same id, clean slot */
	kmem_cache_free(p->s, o[0]);
	return NULL;
}

static void test_destroy_with_parked_magazines(void)
{
	struct parked p;
	struct kmem_cache_stats st;
	pthread_t t;

	p.s = kmem_cache_create("parked-48", 48, 0, 0, NULL);
	pthread_barrier_init(&p.bar, NULL, 2);
	pthread_create(&t, NULL, parked_thread, &p);
	pthread_barrier_wait(&p.bar);
	tap_eq(kmem_cache_destroy(p.s), 0,
	       "destroy: reclaims a live thread's parked magazines");
	p.s = kmem_cache_create("parked2-48", 48, 0, 0, NULL);
	pthread_barrier_wait(&p.bar);
	pthread_join(t, NULL);
	kmem_cache_stats(p.s, &st);
	tap_eq(st.active_objs, 0, "destroy: recycled id starts clean");
	tap_eq(kmem_cache_destroy(p.s), 0, "destroy: the second cache");
	pthread_barrier_destroy(&p.bar);
}

/* --- magazine resizing ---------------------------------------------------- */

/* 300 allocs then 300 frees: past two magazines, so depot trips. */
static void depot_round(struct kmem_cache *s)
{
	void *o[300];

	for (int i = 0; i < 300; i++)
		o[i] = kmem_cache_alloc(s);
	for (int i = 0; i < 300; i++)
		kmem_cache_free(s, o[i]);
}

struct taker {
	struct kmem_cache *s;
	pthread_barrier_t bar;
	int rounds;
};

/* Depot rounds in turn with the main thread: never at the same time, so
 * no trylock ever fails, yet every trip hands the depot over. */
static void *taker_thread(void *arg)
{
	struct taker *tk = arg;

	for (int r = 0; r < tk->rounds; r++) {
		pthread_barrier_wait(&tk->bar);
		depot_round(tk->s);
		pthread_barrier_wait(&tk->bar);
	}
	kmem_cache_drain_local();
	return NULL;
}

static void test_magazine_resizing(void)
{
	struct taker tk = { .rounds = 32 };
	unsigned int first;
	pthread_t t;

	tk.s = kmem_cache_create("resize-64", 64, 0, 0, NULL);
	first = tk.s->mag_size;
	for (int r = 0; r < 8; r++)
		depot_round(tk.s);
	tap_eq(tk.s->mag_size, first, "resize: one thread's trips never grow "
	       "the magazines (%u)", first);
	pthread_barrier_init(&tk.bar, NULL, 2);
	pthread_create(&t, NULL, taker_thread, &tk);
	for (int r = 0; r < tk.rounds; r++) {
		depot_round(tk.s);
		pthread_barrier_wait(&tk.bar);
		pthread_barrier_wait(&tk.bar);
	}
	pthread_join(t, NULL);
	pthread_barrier_destroy(&tk.bar);
	tap_eq(tk.s->mag_size, tk.s->mag_max, "resize: two threads handing the "
	       "depot over grow them to mag_max (%u -> %u)", first,
	       tk.s->mag_size);
	kmem_cache_drain_local();
	tap_eq(kmem_cache_destroy(tk.s), 0, "resize: destroy");
}

/* --- utilisation -------------------------------------------------------- */

static void test_utilisation(void)
{
	struct kmem_cache *s = kmem_cache_create("util-64", 64, 0, 0, NULL);
	unsigned long n = 100000;
	void **o = malloc(n * sizeof(void *));
	struct kmem_cache_stats st;

	for (unsigned long i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s);
	kmem_cache_stats(s, &st);
	tap_eq(st.objperslab, 64, "util: 64 x 64-byte objects per 4 KiB slab");
	tap_ok(st.active_objs * 64 * 100 >=
	       90UL * st.num_slabs * st.pagesperslab * PAGE_SIZE,
	       "util: >= 90%% of slab memory is objects (%lu/%lu)",
	       st.active_objs * 64, st.num_slabs * st.pagesperslab * PAGE_SIZE);
	for (unsigned long i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	free(o);
	kmem_cache_shrink(s);
	tap_eq(kmem_cache_destroy(s), 0, "util: destroy");
}

int main(void)
{
	kmem_set_report(count_report);
	test_page_alloc();
	test_page_batch();
	test_create_args();
	test_builtin_table();
	test_kmalloc();
	test_shadow_random();
	test_ctor_and_reuse();
	test_shrink_and_chunks();
	test_destroy_busy();
	test_wrong_cache();
	test_obj_ext();
	test_two_threads();
	test_destroy_with_parked_magazines();
	test_magazine_resizing();
	test_utilisation();
	tap_eq(kmem_caches_exit(), 0, "exit: built-in caches destroyed");
	return tap_done();
}
