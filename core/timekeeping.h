/*
 * timekeeping.h - ktime_get_ns(), as include/linux/timekeeping.h has it:
 * the monotonic clock in nanoseconds, for deadlines and intervals that a
 * step of the wall clock must not move; and ns_to_timespec64()'s split
 * of such a deadline for the waits that take a struct timespec.
 */
#ifndef MEMCGFS_TIMEKEEPING_H
#define MEMCGFS_TIMEKEEPING_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000ULL

static inline uint64_t ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static inline struct timespec ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / NSEC_PER_SEC),
				  .tv_nsec = (long)(ns % NSEC_PER_SEC) };
}

#endif
