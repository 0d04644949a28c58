/*
 * cond_resched.c - cond_resched(); see cond_resched.h.
 */
#include <sched.h>
#include <stdint.h>
#include <time.h>

#include "cond_resched.h"

/* The clock is read once per this many calls: an item of reclaim costs
 * tens of nanoseconds, a clock read about as much. */
#define RESCHED_CHECK_EVERY 32

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void cond_resched(void)
{
	/* Per thread: each loop's own time since it last offered its CPU. */
	static _Thread_local unsigned int calls;
	static _Thread_local uint64_t since;
	uint64_t now;

	if (++calls % RESCHED_CHECK_EVERY)
		return;
	now = now_ns();
	if (now - since < (uint64_t)RESCHED_SLICE_NS)
		return;
	since = now;
	sched_yield();
}
