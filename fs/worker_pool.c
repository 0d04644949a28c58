/*
 * worker_pool.c - the FUSE request loop of the multi-threaded daemon,
 * after the concurrency-managed worker pools of the kernel's workqueues
 * (kernel/workqueue.c, Linux 6.12).
 *
 * Why not libfuse's fuse_session_loop_mt(): it leaves every idle worker
 * blocked in read(/dev/fuse), and the kernel hands each request to the
 * reader that has waited longest (fuse_dev_do_read() waits exclusive:
 * FIFO).  With eight idle workers each request went to the coldest
 * thread, and two writers on two CPUs got 0.97x the commands a second of
 * one writer; with two workers they get 2x (tools/bench/ctlbench.sh).
 *
 * So, as cmwq keeps one running worker per CPU, at most nr_readers
 * workers (one per CPU the daemon may run on) wait in read() or serve a
 * request; a worker beyond those parks on a LIFO stack, off /dev/fuse.
 * A fixed pool of nr_readers would leave requests unread while every
 * reader is held by a long reclaim, a lock wait or a CPU-bound command,
 * and a read of memory.current must not wait for those (docs/locking.md).
 * cmwq wakes another worker when one sleeps (wq_worker_sleeping()) or
 * has run too long (wq_cpu_intensive_thresh_us).  A FUSE daemon has no
 * scheduler hook, so a watchdog looks while no worker reads: if a request
 * is pending and no worker has entered read() for a whole tick, it wakes
 * a parked worker, or starts one while there are fewer than max_workers.
 *
 * Locking: pool->lock guards the parked stack, nr_workers, exiting and
 * the watchdog's sleep, and is taken by no worker on the way of a
 * request unless it parks or a long loop wakes a spare.  It is a leaf: never held across a receive, a
 * request or a reply.  nr_reading and nr_reads are atomics, read by the
 * watchdog and the workers without it.
 */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <fuse_lowlevel.h>

#include "../core/timekeeping.h"
#include "../core/cond_resched.h"
#include "worker_pool.h"

/* A request waits one to two ticks for a spare when every reader is held
 * by something other than a model loop (those call worker_tick()): a
 * tenth of cmwq's 10 ms CPU-intensive threshold.  Ticks of 0.4 ms cost
 * two writers up to a tenth of their commands (tools/bench/ctlbench.sh). */
#define WATCHDOG_TICK_NS 1000000ULL
/* A long loop that holds the last worker (cond_resched()'s tick) wakes a
 * spare once no worker has entered read() for this long. */
#define WORKER_HELD_NS 200000ULL
/*
 * pool_stop() ends a reader's read(2) with this signal, whose handler
 * does nothing and is installed without SA_RESTART: read() returns EINTR.
 * Not pthread_cancel(), as libfuse's loop does: cancellation unwinds the
 * worker's frames without their epilogues, so ASan's shadow of those
 * frames stays poisoned, and liburcu-bp's thread-specific-data
 * destructor, run next on that stack, was reported as a stack underflow
 * by `make asan`.  A worker may take the signal just before it enters
 * read(), so pool_stop() repeats it each WORKER_STOP_NS until the
 * worker ends.
 */
#define WORKER_STOP_SIGNAL SIGRTMIN
#define WORKER_STOP_NS 1000000ULL

struct worker_pool;

struct worker {
	struct worker_pool *pool;
	pthread_t thread;
	struct fuse_buf buf;		/* libfuse allocates it at first use */
	pthread_cond_t wake;		/* parked here, under pool->lock */
	struct worker *next_parked;
	bool kicked;			/* woken to read */
	_Atomic bool reading;		/* in or entering read(): signal it */
	unsigned long tick_reads;	/* nr_reads at tick_since */
	uint64_t tick_since;		/* worker_tick()'s own state */
};

struct worker_pool {
	struct fuse_session *se;
	unsigned int nr_readers;	/* workers wanted in read() */
	unsigned int max_workers;
	_Atomic unsigned int nr_reading;	/* in or entering read() */
	_Atomic unsigned int nr_unparked;	/* reading or serving */
	_Atomic unsigned long nr_reads;		/* read()s entered */
	_Atomic bool watchdog_asleep;
	pthread_mutex_t lock;
	pthread_cond_t watchdog_wake;
	pthread_t watchdog;
	struct worker *parked;		/* LIFO: the warmest first */
	unsigned int nr_workers;	/* started: workers[0..nr_workers) */
	_Atomic bool exiting;		/* stored under lock, loaded anywhere */
	int error;			/* the receive error that ended it */
	sem_t finish;			/* posted by each worker that ends */
	struct sigaction old_stop_action;	/* WORKER_STOP_SIGNAL's */
	struct worker workers[];
};

/* The worker this thread is, for worker_tick(); NULL in other threads. */
static _Thread_local struct worker *this_worker;

/* The CPUs this process may run on: taskset-pinned daemons get one. */
static unsigned int cpus_allowed(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? (unsigned int)n : 1;
}

/* Threads of the pool take no signal: libfuse's handlers only set the
 * session's exit flag, and must interrupt the main thread's sem_wait(). */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

static void watchdog_kick(struct worker_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	pthread_cond_signal(&pool->watchdog_wake);
	pthread_mutex_unlock(&pool->lock);
}

/* 0 once the pool stops: pool_stop() stores exiting, then loads reading
 * (both seq_cst), so it either signals this reader or is seen here. */
static int receive(struct worker *w)
{
	struct worker_pool *pool = w->pool;
	int res = 0;

	atomic_fetch_add(&pool->nr_reads, 1);
	atomic_fetch_add(&pool->nr_reading, 1);
	atomic_store(&w->reading, true);
	if (!atomic_load(&pool->exiting))
		res = fuse_session_receive_buf(pool->se, &w->buf);
	atomic_store(&w->reading, false);
	/* The last reader leaves: the watchdog must look.  Pairs with the
	 * store of watchdog_asleep before its load of nr_reading. */
	if (atomic_fetch_sub(&pool->nr_reading, 1) == 1 &&
	    atomic_load(&pool->watchdog_asleep))
		watchdog_kick(pool);
	return res;
}

/*
 * Is a worker more than the pool wants?  Then it takes one off
 * nr_unparked, to park.  Busy workers count with the reading ones, as
 * cmwq counts its running workers: while a reclaim holds one worker, one
 * other reads, not two taking requests in turn (a reader of
 * memory.current beside a reclaim was served by two spares alternately,
 * each woken cold and placed by the scheduler anew).
 */
static bool worker_surplus(struct worker_pool *pool)
{
	unsigned int v = atomic_load(&pool->nr_unparked);

	while (v > pool->nr_readers)
		if (atomic_compare_exchange_weak(&pool->nr_unparked, &v, v - 1))
			return true;
	return false;
}

/* Whether @w goes on reading.  A surplus worker parks first, until the
 * watchdog needs it.  False once the session ends. */
static bool worker_may_read(struct worker *w)
{
	struct worker_pool *pool = w->pool;

	if (worker_surplus(pool)) {
		pthread_mutex_lock(&pool->lock);
		w->kicked = false;
		w->next_parked = pool->parked;
		pool->parked = w;
		while (!w->kicked && !pool->exiting)
			pthread_cond_wait(&w->wake, &pool->lock);
		pthread_mutex_unlock(&pool->lock);
	}
	return !atomic_load(&pool->exiting) && !fuse_session_exited(pool->se);
}

/* Ends the session after a receive error, keeping the first. */
static void pool_fail(struct worker_pool *pool, int err)
{
	pthread_mutex_lock(&pool->lock);
	if (!pool->error)
		pool->error = err;
	pthread_mutex_unlock(&pool->lock);
	fuse_session_exit(pool->se);
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct worker_pool *pool = w->pool;
	sigset_t stop;
	int res;

	sigemptyset(&stop);
	sigaddset(&stop, WORKER_STOP_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	pthread_setname_np(pthread_self(), "fuse_worker");
	this_worker = w;
	while (worker_may_read(w)) {
		res = receive(w);
		if (res == -EINTR)
			continue;
		if (res <= 0) {		/* 0: unmounted, or the session ended */
			if (res < 0)
				pool_fail(pool, res);
			break;
		}
		fuse_session_process_buf(pool->se, &w->buf);
	}
	sem_post(&pool->finish);
	return NULL;
}

/* Caller holds pool->lock. */
static int start_worker(struct worker_pool *pool)
{
	struct worker *w;
	int err;

	if (pool->nr_workers == pool->max_workers)
		return -EAGAIN;
	w = &pool->workers[pool->nr_workers];
	w->pool = pool;
	pthread_cond_init(&w->wake, NULL);
	atomic_fetch_add(&pool->nr_unparked, 1);	/* before it runs */
	err = start_thread(&w->thread, worker_fn, w);
	if (err) {
		atomic_fetch_sub(&pool->nr_unparked, 1);
		pthread_cond_destroy(&w->wake);
		return err;
	}
	pool->nr_workers++;
	return 0;
}

/* A parked worker, the last to park, goes back to reading; or a new one
 * starts.  At max_workers the request waits for a busy worker, as with
 * libfuse's max_threads.  Caller holds pool->lock. */
static void wake_spare(struct worker_pool *pool)
{
	struct worker *w = pool->parked;

	if (pool->exiting)	/* pool_stop() joins nr_workers threads */
		return;
	if (!w) {
		start_worker(pool);
		return;
	}
	pool->parked = w->next_parked;
	atomic_fetch_add(&pool->nr_unparked, 1);
	w->kicked = true;
	pthread_cond_signal(&w->wake);
}

static bool request_pending(struct worker_pool *pool)
{
	struct pollfd p = { .fd = fuse_session_fd(pool->se), .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/*
 * cond_resched()'s tick in a model loop (a reclaim's LRU scan), as the
 * scheduler tick calls wq_worker_tick(): if this loop's worker is the
 * last, no read() began for WORKER_HELD_NS and a request waits, a spare
 * reads it now instead of at the watchdog's next tick.  Other threads'
 * loops (the model's own) pass.
 */
static void worker_tick(void)
{
	struct worker *w = this_worker;
	struct worker_pool *pool;
	unsigned long reads;
	uint64_t now;

	if (!w)
		return;
	pool = w->pool;
	now = ktime_get_ns();
	reads = atomic_load(&pool->nr_reads);
	if (reads != w->tick_reads || atomic_load(&pool->nr_reading)) {
		w->tick_reads = reads;
		w->tick_since = now;
		return;
	}
	/* At most one poll(2) per WORKER_HELD_NS of the loop. */
	if (now - w->tick_since < WORKER_HELD_NS)
		return;
	w->tick_since = now;
	if (!request_pending(pool))
		return;
	pthread_mutex_lock(&pool->lock);
	wake_spare(pool);
	pthread_mutex_unlock(&pool->lock);
}

/* Sleeps until no worker reads.  Caller holds pool->lock. */
static void watchdog_sleep(struct worker_pool *pool)
{
	atomic_store(&pool->watchdog_asleep, true);
	while (!pool->exiting && atomic_load(&pool->nr_reading) > 0)
		pthread_cond_wait(&pool->watchdog_wake, &pool->lock);
	atomic_store(&pool->watchdog_asleep, false);
}

static void watchdog_tick(struct worker_pool *pool)
{
	struct timespec t = ns_to_timespec(ktime_get_ns() + WATCHDOG_TICK_NS);

	pthread_cond_timedwait(&pool->watchdog_wake, &pool->lock, &t);
}

/*
 * Starvation is a request pending while no worker has entered read()
 * for a whole tick.  The watchdog ticks until it finds every reader
 * reading, then sleeps until none is: while it ticks, a reader leaving
 * read() does not wake it, so a busy pool pays a tick, not a wake-up per
 * request (a wake-up at every last reader's leaving cost two writers
 * a third of their commands).
 */
static void *watchdog_fn(void *arg)
{
	struct worker_pool *pool = arg;
	unsigned long seen = 0, reads;

	pthread_setname_np(pthread_self(), "fuse_watchdog");
	pthread_mutex_lock(&pool->lock);
	while (!pool->exiting) {
		if (atomic_load(&pool->nr_reading) >= pool->nr_readers) {
			watchdog_sleep(pool);
			seen = atomic_load(&pool->nr_reads);
		}
		watchdog_tick(pool);
		reads = atomic_load(&pool->nr_reads);
		if (reads == seen && atomic_load(&pool->nr_reading) == 0 &&
		    request_pending(pool))
			wake_spare(pool);
		seen = reads;
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

static void worker_stop_handler(int sig)
{
	(void)sig;	/* only to make read() return EINTR */
}

static struct worker_pool *pool_new(struct fuse_session *se,
				    unsigned int max_workers)
{
	struct worker_pool *pool;
	pthread_condattr_t attr;

	pool = calloc(1, sizeof(*pool) + max_workers * sizeof(struct worker));
	if (!pool)
		return NULL;
	pool->se = se;
	pool->max_workers = max_workers;
	pool->nr_readers = cpus_allowed();
	if (pool->nr_readers > max_workers)
		pool->nr_readers = max_workers;
	pthread_mutex_init(&pool->lock, NULL);
	/* Ticks are monotonic: a clock step must not stall the watchdog. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&pool->watchdog_wake, &attr);
	pthread_condattr_destroy(&attr);
	sem_init(&pool->finish, 0, 0);
	sigaction(WORKER_STOP_SIGNAL,
		  &(struct sigaction){ .sa_handler = worker_stop_handler },
		  &pool->old_stop_action);
	return pool;
}

static int pool_start(struct worker_pool *pool)
{
	int err = 0;

	pthread_mutex_lock(&pool->lock);
	for (unsigned int i = 0; i < pool->nr_readers && !err; i++)
		err = start_worker(pool);
	pthread_mutex_unlock(&pool->lock);
	if (err)
		return err;
	return start_thread(&pool->watchdog, watchdog_fn, pool);
}

/* Signals @w while it reads, until it ends.  pthread_timedjoin_np()
 * takes a CLOCK_REALTIME deadline; a step of that clock only spaces the
 * signals.  (pthread_clockjoin_np() would take the monotonic clock, but
 * TSan does not intercept it, and sees no join before pool_free().) */
static void stop_worker(struct worker *w)
{
	struct timespec t;

	do {
		if (atomic_load(&w->reading))
			pthread_kill(w->thread, WORKER_STOP_SIGNAL);
		clock_gettime(CLOCK_REALTIME, &t);
		t = ns_to_timespec((uint64_t)t.tv_sec * NSEC_PER_SEC +
				   (uint64_t)t.tv_nsec + WORKER_STOP_NS);
	} while (pthread_timedjoin_np(w->thread, NULL, &t) == ETIMEDOUT);
}

/* Every worker ends: parked ones are woken, readers interrupted, busy
 * ones finish their request first. */
static void pool_stop(struct worker_pool *pool, bool watchdog)
{
	unsigned int i;

	pthread_mutex_lock(&pool->lock);
	atomic_store(&pool->exiting, true);
	for (i = 0; i < pool->nr_workers; i++)
		pthread_cond_signal(&pool->workers[i].wake);
	pthread_cond_signal(&pool->watchdog_wake);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nr_workers; i++)
		stop_worker(&pool->workers[i]);
	if (watchdog)
		pthread_join(pool->watchdog, NULL);
}

static void pool_free(struct worker_pool *pool)
{
	for (unsigned int i = 0; i < pool->nr_workers; i++) {
		free(pool->workers[i].buf.mem);
		pthread_cond_destroy(&pool->workers[i].wake);
	}
	sigaction(WORKER_STOP_SIGNAL, &pool->old_stop_action, NULL);
	sem_destroy(&pool->finish);
	pthread_cond_destroy(&pool->watchdog_wake);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}

int worker_pool_run(struct fuse_session *se, unsigned int max_workers)
{
	struct worker_pool *pool = pool_new(se, max_workers ? max_workers : 1);
	int err;

	if (!pool)
		return -ENOMEM;
	err = pool_start(pool);
	if (!err) {
		cond_resched_set_tick(worker_tick);
		/* A signal interrupts the wait (SA_RESTART is not set). */
		while (!fuse_session_exited(se))
			sem_wait(&pool->finish);
	}
	cond_resched_set_tick(NULL);
	pool_stop(pool, !err);
	if (!err)
		err = pool->error;
	pool_free(pool);
	fuse_session_reset(se);
	return err;
}
