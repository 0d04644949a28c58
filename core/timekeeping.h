/*
 * timekeeping.h - ktime_get_ns(), as include/linux/timekeeping.h has it:
 * the monotonic clock in nanoseconds, for deadlines and intervals that a
 * step of the wall clock must not move.
 */
#ifndef MEMCGFS_TIMEKEEPING_H
#define MEMCGFS_TIMEKEEPING_H

#include <stdint.h>
#include <time.h>

static inline uint64_t ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#endif
