/*
 * allocbench.c - memcgfs's slab allocator against glibc malloc, jemalloc,
 * mimalloc and tcmalloc, all in one process.
 *
 * Columns: {alloc+free pairs, batches of 1,000 allocs then 1,000 frees}
 * x {64-byte, dentry-size (192) objects} x {1, 2 threads}.  Each cell is
 * the median of 5 runs of N pairs per thread (default 10,000,000), the
 * allocator order rotated between runs so no allocator always runs
 * first (cold) or last (after the others' page faults).  With 2 threads
 * each thread does N pairs concurrently; the cell is the slower thread's
 * time / N, i.e. the cost of a pair as one thread sees it, so "2 threads
 * <= 1.1 x 1 thread" means the threads do not slow each other down.
 * The accounted / unaccounted targets are judged apart from the table,
 * on 21 rounds per column that alternate a slice of each (milliseconds
 * of each thread's own CPU time: see interleaved_ratio()).
 *
 * memcgfs is called as its users call it: kmem_cache_alloc(cache) and
 * kmem_cache_free(cache, obj) on kmalloc-64 and dentry (plus a kmalloc()
 * row for reference), and accounted: kmem_cache_alloc_account(cache,
 * objcg, GFP_KERNEL) / kmem_cache_free_account(cache, obj) charged to a group
 * three levels below the root, each thread on its own virtual CPU (so
 * each has its own charge stock, as each CPU does in a kernel); the peers as malloc(size)/free(obj) through
 * pointers, since they share one process:
 *   glibc     malloc/free of libc.so.6 (dlsym on its handle);
 *   jemalloc  linked in (it is the process malloc: its libjemalloc.so.2
 *             cannot be dlopen()ed, "cannot allocate memory in static TLS
 *             block"), malloc/free from its handle (RTLD_NOLOAD);
 *   mimalloc  mi_malloc/mi_free, dlopen()ed RTLD_LOCAL;
 *   tcmalloc  tc_malloc/tc_free of libtcmalloc.so.4, dlopen()ed.
 * Objects are not touched: this is the allocator's own cost.  Two last
 * rows are the machine, no allocator: "cpu only" runs a memory-free
 * multiply chain, "mem only" pops and pushes a pointer on a thread's own
 * LIFO in memory (a magazine hit and nothing else).  Their 2T/1T is what
 * the machine gave two threads in that run, for arithmetic and for L1
 * loads and stores, printed next to each 2T/1T verdict.
 *
 * Build: allocator/ sources + this file, -ldl -lpthread and
 * -Wl,--no-as-needed -ljemalloc (see allocbench.sh).
 * Usage: allocbench [PAIRS_PER_RUN]
 * Exit status 1 on a MISS only with BENCH_STRICT=1.
 */
#include <dlfcn.h>
#include <sched.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../allocator/kmalloc.h"
#include "../../allocator/page_alloc.h"
#include "../../allocator/slab.h"
#include "../../core/cgroup.h"
#include "../../core/memcg_kmem.h"
#include "../../core/smp.h"
#include "benchutil.h"

#define REPS	5
#define BATCH	1000

enum kind { K_CACHE, K_KMALLOC, K_ACCOUNT, K_PEER, K_CPU, K_MEM };

struct allocator {
	const char *name;
	enum kind kind;
	int peer;			/* counts for "fastest peer" */
	void *(*malloc)(size_t);
	void (*free)(void *);
	const char *skip;		/* why it cannot run */
};

struct column {
	const char *name;
	int batch;
	size_t size;
	int threads;
};

static const struct column columns[] = {
	{ "pair 64 1T",  0,  64, 1 }, { "pair 64 2T",  0,  64, 2 },
	{ "pair 192 1T", 0, 192, 1 }, { "pair 192 2T", 0, 192, 2 },
	{ "batch 64 1T",  1,  64, 1 }, { "batch 64 2T",  1,  64, 2 },
	{ "batch 192 1T", 1, 192, 1 }, { "batch 192 2T", 1, 192, 2 },
};
#define NCOLS	(int)(sizeof(columns) / sizeof(columns[0]))

static struct allocator allocs[] = {
	{ "memcgfs",         K_CACHE,   0, NULL, NULL, NULL },
	{ "memcgfs kmalloc", K_KMALLOC, 0, NULL, NULL, NULL },
	{ "memcgfs acct",    K_ACCOUNT, 0, NULL, NULL, NULL },
	{ "glibc",           K_PEER,    1, NULL, NULL, NULL },
	{ "jemalloc",        K_PEER,    1, NULL, NULL, NULL },
	{ "mimalloc",        K_PEER,    1, NULL, NULL, NULL },
	{ "tcmalloc",        K_PEER,    1, NULL, NULL, NULL },
	{ "cpu only",        K_CPU,     0, NULL, NULL, NULL },
	{ "mem only",        K_MEM,     0, NULL, NULL, NULL },
};
#define CPU_ROW	7
#define MEM_ROW	8
#define NALLOCS	(int)(sizeof(allocs) / sizeof(allocs[0]))

static long npairs = 10000000;

static inline void escape(void *p)
{
	__asm__ volatile("" : : "r"(p));
}


/* --- the loops: one per kind so no branch sits in them ------------------- */

static void pair_cache(struct kmem_cache *s, long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s);

		escape(p);
		kmem_cache_free(s, p);
	}
}

static void batch_cache(struct kmem_cache *s, long n, void **v)
{
	for (long r = 0; r < n / BATCH; r++) {
		for (int j = 0; j < BATCH; j++)
			v[j] = kmem_cache_alloc(s);
		for (int j = 0; j < BATCH; j++)
			kmem_cache_free(s, v[j]);
	}
}

/* The objcg of /bench/a/b, set up by account_setup(). */
static struct obj_cgroup *bench_objcg;

static void pair_account(struct kmem_cache *s, long n)
{
	struct obj_cgroup *objcg = bench_objcg;

	for (long i = 0; i < n; i++) {
		void *p = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);

		escape(p);
		kmem_cache_free_account(s, p);
	}
}

static void batch_account(struct kmem_cache *s, long n, void **v)
{
	struct obj_cgroup *objcg = bench_objcg;

	for (long r = 0; r < n / BATCH; r++) {
		for (int j = 0; j < BATCH; j++)
			v[j] = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
		for (int j = 0; j < BATCH; j++)
			kmem_cache_free_account(s, v[j]);
	}
}

static void pair_kmalloc(size_t size, long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmalloc(size);

		escape(p);
		kfree(p);
	}
}

static void batch_kmalloc(size_t size, long n, void **v)
{
	for (long r = 0; r < n / BATCH; r++) {
		for (int j = 0; j < BATCH; j++)
			v[j] = kmalloc(size);
		for (int j = 0; j < BATCH; j++)
			kfree(v[j]);
	}
}

static void pair_peer(const struct allocator *a, size_t size, long n)
{
	void *(*m)(size_t) = a->malloc;
	void (*f)(void *) = a->free;

	for (long i = 0; i < n; i++) {
		void *p = m(size);

		escape(p);
		f(p);
	}
}

static void batch_peer(const struct allocator *a, size_t size, long n,
		       void **v)
{
	void *(*m)(size_t) = a->malloc;
	void (*f)(void *) = a->free;

	for (long r = 0; r < n / BATCH; r++) {
		for (int j = 0; j < BATCH; j++)
			v[j] = m(size);
		for (int j = 0; j < BATCH; j++)
			f(v[j]);
	}
}

/*
 * The machine's own 2T/1T: a dependent multiply chain per "pair" (about
 * as long as a pair of ours), no memory at all.  If two of these do not
 * run at one thread's speed, the run did not get two whole CPUs (other
 * load, or vCPUs that share a core), and no allocator could meet the
 * 2T/1T target in it.
 */
static void pair_cpu(long n)
{
	uint64_t x = (uint64_t)n;

	for (long i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		escape((void *)(uintptr_t)x);
	}
}

/*
 * The machine's 2T/1T for private memory: a magazine hit without the
 * allocator (load the count, load the pointer, store the count; then
 * store the pointer and the count back), volatile so that every access
 * stays a real load or store.  Two threads share no line.
 */
static void pair_mem(long n)
{
	struct {
		volatile unsigned int rounds;
		void *volatile objs[64];
	} __attribute__((aligned(64))) m = { .rounds = 32 };

	for (long i = 0; i < n; i++) {
		void *p = m.objs[--m.rounds];

		escape(p);
		m.objs[m.rounds++] = p;
	}
}

static void run_once(const struct allocator *a, const struct column *c,
		     long n, void **v)
{
	struct kmem_cache *s = c->size == 64 ? kmalloc_cache(64)
					     : kmem_builtin(KMEM_DENTRY);

	switch (a->kind) {
	case K_CACHE:
		c->batch ? batch_cache(s, n, v) : pair_cache(s, n);
		break;
	case K_KMALLOC:
		c->batch ? batch_kmalloc(c->size, n, v)
			 : pair_kmalloc(c->size, n);
		break;
	case K_ACCOUNT:
		c->batch ? batch_account(s, n, v) : pair_account(s, n);
		break;
	case K_PEER:
		c->batch ? batch_peer(a, c->size, n, v)
			 : pair_peer(a, c->size, n);
		break;
	case K_CPU:
		pair_cpu(n);
		break;
	case K_MEM:
		pair_mem(n);
		break;
	}
}

/* --- threads ---------------------------------------------------------------- */

struct worker {
	const struct allocator *a;
	const struct column *c;
	long n;				/* timed pairs */
	unsigned int cpu;		/* its own virtual CPU */
	pthread_barrier_t *bar;
	double t0, t1;
	double cpu_ns;			/* its own CPU time in the timed run */
};

/* The calling thread's CPU time: what it ran, not what it waited while
 * another process had its CPU. */
static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Thread i on host CPU i: a migration in a timed run would be noise. */
static void pin_to_cpu(unsigned int cpu)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n > 0 ? cpu % (unsigned long)n : 0, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	void *v[BATCH];

	pin_to_cpu(w->cpu);
	set_this_cpu(w->cpu);
	run_once(w->a, w->c, w->n / 100 < BATCH ? BATCH : w->n / 100, v);
	pthread_barrier_wait(w->bar);
	w->t0 = now_us() * 1e3;
	w->cpu_ns = thread_cpu_ns();
	run_once(w->a, w->c, w->n, v);
	w->cpu_ns = thread_cpu_ns() - w->cpu_ns;
	w->t1 = now_us() * 1e3;
	return NULL;
}

/*
 * ns per pair as one thread sees it: from the first thread's start to
 * the last one's end, over the pairs one thread did.  (Per-thread times
 * alone would hide threads that never overlapped because the scheduler
 * ran them one after the other.)
 */
static double measure_n(const struct allocator *a, const struct column *c,
			long n, double *cpu)
{
	struct worker w[2];
	pthread_t t[2];
	pthread_barrier_t bar;
	double start = 0, end = 0;
	long pairs = n / (c->batch ? BATCH : 1) * (c->batch ? BATCH : 1);

	pthread_barrier_init(&bar, NULL, c->threads);
	for (int i = 0; i < c->threads; i++) {
		w[i] = (struct worker){ .a = a, .c = c, .n = n, .bar = &bar,
					.cpu = (unsigned int)i };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < c->threads; i++) {
		pthread_join(t[i], NULL);
		if (i == 0 || w[i].t0 < start)
			start = w[i].t0;
		if (w[i].t1 > end)
			end = w[i].t1;
		if (cpu && (i == 0 || w[i].cpu_ns / (double)pairs > *cpu))
			*cpu = w[i].cpu_ns / (double)pairs;
	}
	pthread_barrier_destroy(&bar);
	return (end - start) / (double)pairs;
}

static double measure(const struct allocator *a, const struct column *c)
{
	return measure_n(a, c, npairs, NULL);
}

/*
 * The accounted / unaccounted ratio of column @c, taken apart from the
 * table: RATIO_ROUNDS rounds, each one slice of npairs / RATIO_SLICE
 * pairs per thread of each allocator back to back (order alternating
 * round by round), and the median of the rounds' own ratios, with the
 * quartiles in *lo and *hi.  A slice's cost is its threads' own CPU
 * time per pair (the slower thread's), not the wall clock: on this
 * shared 2-core machine the other sessions preempt our threads for
 * milliseconds at a time, and a preempted slice counted its wait.  In
 * the table the two rows are a whole row of 8 columns apart, so one
 * side of a run's ratio could sit in a burst and the other not (runs of
 * the same binary gave 0.66-1.61x under load 3-5); slices milliseconds
 * apart share the machine's state (caches, the host's other vCPUs), and
 * what still disturbs a few rounds the median leaves out.
 */
#define RATIO_ROUNDS	21
#define RATIO_SLICE	5
static double interleaved_ratio(const struct allocator *num,
				const struct allocator *den,
				const struct column *c, double *lo, double *hi)
{
	long n = npairs / RATIO_SLICE < BATCH ? BATCH : npairs / RATIO_SLICE;
	double x[RATIO_ROUNDS];

	for (int r = 0; r < RATIO_ROUNDS; r++) {
		double a, b;

		if (r % 2) {
			measure_n(den, c, n, &b);
			measure_n(num, c, n, &a);
		} else {
			measure_n(num, c, n, &a);
			measure_n(den, c, n, &b);
		}
		x[r] = a / b;
	}
	qsort(x, RATIO_ROUNDS, sizeof(double), cmp_double);
	*lo = x[RATIO_ROUNDS / 4];
	*hi = x[RATIO_ROUNDS - 1 - RATIO_ROUNDS / 4];
	return x[RATIO_ROUNDS / 2];
}

/* --- loading the peers -------------------------------------------------------- */

static void load_peer(struct allocator *a, const char *lib, int flags,
		      const char *msym, const char *fsym, const char *hint)
{
	void *h = dlopen(lib, flags);

	if (!h) {
		a->skip = hint;
		return;
	}
	a->malloc = (void *(*)(size_t))dlsym(h, msym);
	a->free = (void (*)(void *))dlsym(h, fsym);
	if (!a->malloc || !a->free)
		a->skip = "symbols not found";
}

static void load_peers(void)
{
	load_peer(&allocs[3], "libc.so.6", RTLD_NOW | RTLD_NOLOAD,
		  "malloc", "free", "libc.so.6 not loaded?");
	load_peer(&allocs[4], "libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD,
		  "malloc", "free",
		  "not linked in (build with -Wl,--no-as-needed -ljemalloc)");
	load_peer(&allocs[5], "libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL,
		  "mi_malloc", "mi_free", "libmimalloc.so.2 not installed");
	load_peer(&allocs[6], "libtcmalloc.so.4", RTLD_NOW | RTLD_LOCAL,
		  "tc_malloc", "tc_free", "libtcmalloc.so.4 not installed");
}

/* --- utilisation ------------------------------------------------------------- */

static int utilisation(void)
{
	struct kmem_cache *s = kmem_cache_create("allocbench-64", 64, 0, 0,
						 NULL);
	long n = 1000000;
	void **o = malloc(n * sizeof(void *));
	struct kmem_cache_stats st;
	double slab_bytes, util, util_hdr;
	struct pa_stats ps;

	if (!s || !o)
		return 1;
	for (long i = 0; i < n; i++)
		o[i] = kmem_cache_alloc(s);
	kmem_cache_stats(s, &st);
	pa_get_stats(&ps);
	slab_bytes = (double)st.num_slabs * st.pagesperslab * PAGE_SIZE;
	util = st.active_objs * 64.0 / slab_bytes;
	/* Charge each slab its share of the chunk headers too. */
	util_hdr = util * (PA_CHUNK_PAGES - ps.header_pages) / PA_CHUNK_PAGES;
	printf("\nslab utilisation, 64-byte objects (%ld live): %.1f%% of slab "
	       "pages (%lu slabs x %u page), %.1f%% counting chunk headers "
	       "(%lu of %lu pages) -- target >= 90%%: %s\n", n, 100 * util,
	       st.num_slabs, st.pagesperslab, 100 * util_hdr, ps.header_pages,
	       PA_CHUNK_PAGES, util_hdr >= 0.9 ? "ok" : "MISS");
	for (long i = 0; i < n; i++)
		kmem_cache_free(s, o[i]);
	free(o);
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
	return util_hdr < 0.9;
}

/* --- the accounted group ------------------------------------------------------ */

/* A memcg three levels deep: /bench/a/b, with +memory on the way down. */
static int account_setup(void)
{
	struct memcg_config cfg = { .ids = 16, .cpus = 2,
				    .memory_bytes = 16ULL << 30 };
	struct cgroup *cg = NULL, *parent;
	static const char *const names[] = { "bench", "a", "b" };

	if (cgroup_init(&cfg, 0, 0))
		return -1;
	parent = cgroup_root();
	for (int i = 0; i < 3; i++) {
		if (cgroup_subtree_control(parent, 1, 0, 0) ||
		    cgroup_mkdir(parent, names[i], 0, 0, 0755, &cg))
			return -1;
		parent = cg;
	}
	bench_objcg = cg->memcg->objcg;
	return 0;
}

/* --- main ----------------------------------------------------------------------- */

/*
 * The median over the runs of a[r] / b[r].  A run measures one
 * allocator's columns back to back and the allocators one after the
 * other, so both sides of a ratio are moments apart: a slow phase of the
 * host (seconds long, seen here) weighs on both, where a ratio of two
 * medians can take one side from a slow run and the other from a fast.
 */
static double median_ratio(const double *a, const double *b)
{
	double x[REPS];

	for (int r = 0; r < REPS; r++)
		x[r] = a[r] / b[r];
	qsort(x, REPS, sizeof(double), cmp_double);
	return x[REPS / 2];
}

int main(int argc, char **argv)
{
	static double samples[NALLOCS][NCOLS][REPS];
	double med[NALLOCS][NCOLS], fastest[NCOLS];
	double acct[NCOLS], acct_lo[NCOLS], acct_hi[NCOLS];
	double tt[NCOLS], tt_cpu[NCOLS], tt_mem[NCOLS];
	int misses = 0;

	if (argc > 1)
		npairs = atol(argv[1]);
	if (npairs < BATCH)
		npairs = BATCH;
	if (kmem_caches_init()) {
		perror("kmem_caches_init");
		return 2;
	}
	load_peers();
	if (account_setup())
		allocs[2].skip = "could not create the group";

	for (int r = 0; r < REPS; r++)
		for (int k = 0; k < NALLOCS; k++) {
			int i = (k + r) % NALLOCS;	/* rotate the order */

			if (allocs[i].skip)
				continue;
			for (int c = 0; c < NCOLS; c++)
				samples[i][c][r] = measure(&allocs[i], &columns[c]);
		}

	for (int c = 0; c < NCOLS && !allocs[2].skip; c++)
		acct[c] = interleaved_ratio(&allocs[2], &allocs[0], &columns[c],
					    &acct_lo[c], &acct_hi[c]);
	/* Before the sort below reorders each cell's runs. */
	for (int c = 0; c < NCOLS; c++) {
		if (c % 2)
			continue;
		tt[c] = median_ratio(samples[0][c + 1], samples[0][c]);
		tt_cpu[c] = median_ratio(samples[CPU_ROW][c + 1],
					 samples[CPU_ROW][c]);
		tt_mem[c] = median_ratio(samples[MEM_ROW][c + 1],
					 samples[MEM_ROW][c]);
	}
	for (int c = 0; c < NCOLS; c++) {
		fastest[c] = 0;
		for (int i = 0; i < NALLOCS; i++) {
			if (allocs[i].skip)
				continue;
			qsort(samples[i][c], REPS, sizeof(double), cmp_double);
			med[i][c] = samples[i][c][REPS / 2];
			if (allocs[i].peer &&
			    (fastest[c] == 0 || med[i][c] < fastest[c]))
				fastest[c] = med[i][c];
		}
	}

	printf("allocbench: ns per alloc+free pair, median of %d runs of %ld "
	       "pairs per thread; (x) = ratio to the fastest peer\n", REPS,
	       npairs);
	printf("%-16s", "");
	for (int c = 0; c < NCOLS; c++)
		printf(" %14s", columns[c].name);
	printf("\n");
	for (int i = 0; i < NALLOCS; i++) {
		printf("%-16s", allocs[i].name);
		if (allocs[i].skip) {
			printf(" skipped: %s\n", allocs[i].skip);
			continue;
		}
		for (int c = 0; c < NCOLS; c++)
			printf(" %6.2f (%4.2fx)", med[i][c],
			       med[i][c] / fastest[c]);
		printf("\n");
	}

	printf("\ntargets for memcgfs (kmem_cache_alloc/free):\n");
	for (int c = 0; c < NCOLS; c++) {
		double x = med[0][c] / fastest[c];

		printf("  %-13s %5.2f ns = %4.2fx fastest peer (<= 1.00): %s\n",
		       columns[c].name, med[0][c], x, x <= 1.0 ? "ok" : "MISS");
		misses += x > 1.0;
	}
	printf("  (accounted / unaccounted: the median of %d interleaved "
	       "rounds' own ratios of thread CPU time, %ld pairs per thread "
	       "and allocator each, [quartiles]; 2T/1T: the median of the %d "
	       "runs' own ratios)\n", RATIO_ROUNDS, npairs / RATIO_SLICE,
	       REPS);
	for (int c = 0; c < NCOLS && !allocs[2].skip; c++) {
		double x = acct[c];

		printf("  %-13s accounted %5.2f ns = %4.2fx unaccounted "
		       "[%4.2f-%4.2f] (<= 1.30): %s\n", columns[c].name,
		       med[2][c], x, acct_lo[c], acct_hi[c],
		       x <= 1.3 ? "ok" : "MISS");
		misses += x > 1.3;
	}
	for (int c = 0; c < NCOLS; c += 2) {
		double x = tt[c];

		printf("  %-13s 2T/1T per pair %4.2fx (<= 1.10): %s  "
		       "[machine 2T/1T: cpu only %4.2fx, mem only %4.2fx]\n",
		       columns[c].name, x, x <= 1.1 ? "ok" : "MISS",
		       tt_cpu[c], tt_mem[c]);
		misses += x > 1.1;
	}
	misses += utilisation();
	printf("%d MISS\n", misses);
	return misses && getenv("BENCH_STRICT") ? 1 : 0;
}
