/*
 * test_parallel.c - writes to unrelated groups run at the same time
 * (core/memcg_lock.h), and leave the model exact.
 *
 * Two threads fault and free anon in the disjoint groups p/a and p/b,
 * each write in MEMCG mode (run again under cgroup_mutex for writing
 * when it asks to, as fs/ops.c does), while a third reclaims p/b in
 * STOPPED mode and reads memory.current of both without stopping
 * anybody.  Built with -fsanitize=thread (make tsan) it is the race test
 * of the charge fast path; in every build it checks that the two
 * charging threads were inside their writes at the same moment (a global
 * write lock never lets them) and that sim.check says ok 1 afterwards.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "anon.h"
#include "fixture.h"
#include "memcg_check.h"
#include "memcg_lock.h"
#include "memcg_stock.h"
#include "obj_cgroup.h"

#define ROUNDS 4000

static atomic_int inside, max_inside, stop_reader;
/* Writers past their first write: the reclaimer, which stops every CPU,
 * starts then, not to stand between the two first writes. */
static atomic_int waited;
static atomic_long fast_writes, retried_writes;

struct writer {
	struct cgroup *cg;
	unsigned int cpu;
	struct anon_vma *av;
	long errors;
	bool wait_other;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_anon_in(enum memcg_lock_mode mode, struct writer *w,
			 bool charge, int64_t nr)
{
	struct mem_cgroup *memcg;
	int ret = 0;

	memcg_write_begin(mode, w->cg, w->cpu);
	memcg = cgroup_effective_memcg(w->cg);
	if (charge)
		ret = anon_fault(w->av, memcg, nr, GFP_KERNEL, NULL);
	else
		anon_zap(w->av, nr);
	memcg_write_end();
	if (ret == MEMCG_RETRY_EXCLUSIVE && mode != MEMCG_LOCK_EXCLUSIVE)
		return write_anon_in(MEMCG_LOCK_EXCLUSIVE, w, charge, nr);
	return ret;
}

/* One write, as fs/ops.c runs it: MEMCG mode first, then the stronger
 * mode it asks for. */
static int write_anon(struct writer *w, bool charge, int64_t nr)
{
	struct mem_cgroup *memcg;
	int ret = memcg_write_begin(MEMCG_LOCK_MEMCG, w->cg, w->cpu);

	if (!ret) {
		int now = atomic_fetch_add(&inside, 1) + 1;
		int seen = atomic_load(&max_inside);

		while (now > seen &&
		       !atomic_compare_exchange_weak(&max_inside, &seen, now))
			;
		/* The first write of each writer waits (a second at most)
		 * for the other to be inside its own: under one global write
		 * lock it never comes. */
		if (w->wait_other) {
			double until = now_s() + 1;

			w->wait_other = false;
			while (atomic_load(&inside) < 2 && now_s() < until)
				;
			atomic_fetch_add(&waited, 1);
		}
		memcg = memcg_locked();
		if (charge) {
			ret = anon_fault(w->av, memcg, nr, GFP_KERNEL, NULL);
		} else {
			anon_zap(w->av, nr);
			ret = 0;
		}
		atomic_fetch_sub(&inside, 1);
		if (!memcg_retry(ret)) {
			atomic_fetch_add(&fast_writes, 1);
			memcg_write_end();
			return ret;
		}
		memcg_write_end();
	}
	/* Then STOPPED mode if that is all it asks for, else exclusive. */
	atomic_fetch_add(&retried_writes, 1);
	return write_anon_in(ret == MEMCG_RETRY_STOPPED ? MEMCG_LOCK_STOPPED :
			     MEMCG_LOCK_EXCLUSIVE, w, charge, nr);
}

static void *writer_fn(void *arg)
{
	struct writer *w = arg;

	for (int i = 0; i < ROUNDS; i++) {
		int64_t nr = i % 4 + 1;

		if (write_anon(w, true, nr))
			w->errors++;
		if (i % 3)
			write_anon(w, false, nr);
	}
	write_anon(w, false, anon_vma_pages(w->av));
	return NULL;
}

/* memory.current of both, as a reader of atomics does, and reclaim. */
static void *reader_fn(void *arg)
{
	struct cgroup **cg = arg;
	long sum = 0;

	while (atomic_load(&waited) < 2)
		;
	while (!atomic_load(&stop_reader)) {
		memcg_read_begin(false);
		sum += page_counter_read(&cg[0]->memcg->memory) +
		       page_counter_read(&cg[1]->memcg->memory);
		memcg_read_end(false);
		memcg_write_begin(MEMCG_LOCK_STOPPED, cg[1], 0);
		memory_reclaim(cg[1]->memcg, 8, NULL);
		memcg_write_end();
	}
	return (void *)sum;
}

static bool check_ok(void)
{
	struct strbuf sb = STRBUF_INIT;
	bool ok;

	memcg_read_begin(true);
	memcg_check(&sb);
	memcg_read_end(true);
	ok = sb.buf && strstr(sb.buf, "\nok 1\n");
	if (!ok && sb.buf)
		printf("# %s", sb.buf);
	sb_release(&sb);
	return ok;
}

int main(void)
{
	struct cgroup *p = fixture_up(2), *cg[2];
	struct writer w[2];
	pthread_t t[3];

	if (!p)
		return tap_done();
	tap_eq(cgroup_mkdir(p, "a", 0, 0, 0755, &cg[0]), 0, "mkdir p/a");
	tap_eq(cgroup_mkdir(p, "b", 0, 0, 0755, &cg[1]), 0, "mkdir p/b");
	for (int i = 0; i < 2; i++) {
		w[i] = (struct writer){ .cg = cg[i], .cpu = (unsigned int)i,
					.av = anon_vma_alloc() };
		/* The first fault makes the page cache, exclusively. */
		write_anon(&w[i], true, 1);
		write_anon(&w[i], false, 1);
	}
	pthread_create(&t[2], NULL, reader_fn, cg);
	for (int i = 0; i < 2; i++) {
		w[i].wait_other = true;
		pthread_create(&t[i], NULL, writer_fn, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	atomic_store(&stop_reader, 1);
	pthread_join(t[2], NULL);

	/* What the stocks hold goes back to the counters. */
	memcg_write_begin(MEMCG_LOCK_EXCLUSIVE, p, 0);
	drain_all_stock(NULL);
	memcg_write_end();
	tap_eq(w[0].errors + w[1].errors, 0, "every charge succeeded");
	tap_ok(atomic_load(&fast_writes) > ROUNDS,
	       "most writes ran in MEMCG mode (%ld, %ld retried)",
	       atomic_load(&fast_writes), atomic_load(&retried_writes));
	tap_eq(atomic_load(&max_inside), 2,
	       "both writers were inside their writes at once");
	for (int i = 0; i < 2; i++) {
		tap_eq(page_counter_read(&cg[i]->memcg->memory), 0,
		       "group %d: nothing charged once all is freed", i);
		anon_vma_free(w[i].av);
	}
	tap_ok(check_ok(), "sim.check: ok 1");
	tap_eq(cgroup_rmdir(cg[0], NULL), 0, "rmdir p/a");
	tap_eq(cgroup_rmdir(cg[1], NULL), 0, "rmdir p/b");
	return fixture_down(p);
}
