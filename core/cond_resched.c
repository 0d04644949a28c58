/*
 * cond_resched.c - cond_resched(); see cond_resched.h.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "cond_resched.h"

/* The clock is read once per this many calls: an item of reclaim costs
 * tens of nanoseconds, a clock read about as much. */
#define RESCHED_CHECK_EVERY 32

/* Per thread: the loop's start (wall and CPU time) and last offer. */
static _Thread_local uint64_t wall_start, cpu_start, last_offer;
static _Thread_local unsigned int calls;
/* Set by the daemon's loop while model threads may already loop. */
static void (*_Atomic resched_tick)(void);

void cond_resched_set_tick(void (*tick)(void))
{
	atomic_store(&resched_tick, tick);
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void cond_resched_begin(void)
{
	wall_start = last_offer = clock_ns(CLOCK_MONOTONIC);
	cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

void cond_resched(void)
{
	void (*tick)(void);
	uint64_t now, cpu;

	if (++calls % RESCHED_CHECK_EVERY)
		return;
	now = clock_ns(CLOCK_MONOTONIC);
	if (now - last_offer < (uint64_t)RESCHED_SLICE_NS)
		return;
	last_offer = now;
	tick = atomic_load_explicit(&resched_tick, memory_order_relaxed);
	if (tick)
		tick();
	/* Starved already (others ran while we waited): keep the CPU. */
	cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
	if (cpu * 100 < (now - wall_start) * RESCHED_MIN_SHARE)
		return;
	sched_yield();
}
