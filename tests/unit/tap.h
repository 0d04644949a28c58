/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what"; tap_done() prints
 * the plan and returns the exit status.  tests/run.sh counts these lines
 * into the suite's "N passed, N failed" summary.
 */
#ifndef MEMCGFS_TAP_H
#define MEMCGFS_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!cond)
		tap_failed++;
	return cond;
}

/* Compare two integers and show both on failure. */
#define tap_eq(got, want, ...) do {					\
	long long __g = (long long)(got), __w = (long long)(want);	\
	if (!tap_ok(__g == __w, __VA_ARGS__))				\
		printf("#   got %lld, want %lld\n", __g, __w);	\
} while (0)

__attribute__((unused))
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
