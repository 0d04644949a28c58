/*
 * parse.h - the kernel's value parsers, as cgroupfs write handlers use them.
 *
 * Every function here is pure (no FUSE, no core state) so the unit tests can
 * feed it hostile input.  Each returns 0 or a negative errno, exactly the
 * errno the kernel handler would return for the same bytes (see
 * Documentation/admin-guide/cgroup-v2.rst).  On error the output is untouched.
 */
#ifndef MEMCGFS_PARSE_H
#define MEMCGFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../allocator/page_alloc.h"	/* PAGE_SIZE */
#include "../core/page_counter.h"	/* PAGE_COUNTER_MAX */

/*
 * strstrip(): trim leading and trailing isspace() in place, return the
 * first non-space character.  buf must be NUL terminated.
 */
char *strstrip(char *buf);

/*
 * memparse(): lib/cmdline.c.  simple_strtoull(base 0) then one optional
 * K/M/G/T/P/E suffix (either case, powers of 1024).  Overflow wraps
 * silently, as in the kernel.  *end is set to the first unparsed char.
 */
uint64_t memparse(const char *ptr, const char **end);

/*
 * page_counter_memparse(buf, max, &nr_pages): mm/page_counter.c.
 * buf is stripped first.  The exact string max (e.g. "max" or "-1") means
 * PAGE_COUNTER_MAX.  Otherwise memparse() must consume the whole string,
 * else -EINVAL.  Bytes are floored to pages and capped at PAGE_COUNTER_MAX.
 * "" parses as 0.
 */
int page_counter_memparse(const char *buf, const char *max, uint64_t *nr_pages);

/*
 * kstrtoint(s, base, &v) / kstrtoull / kstrtoll: lib/kstrtox.c.
 * Optional sign (only '+' for unsigned), base 0 auto-detects 0x / leading 0,
 * exactly one optional trailing '\n'.  No leading or other trailing space.
 * Junk -> -EINVAL, out of range -> -ERANGE.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/*
 * parse_size(): a size argument of a sim.ctl command: memparse() over the
 * whole token, which must be non-empty and start with a digit, and must not
 * overflow 2^63 (-> -ERANGE).  Result in bytes; a refusal says why in
 * *@why (core/why.h).
 */
int parse_size(const char *tok, uint64_t *bytes, const char **why);

/*
 * parse_max_or_int(): cgroup.max.descendants / cgroup.max.depth.
 * Stripped "max" -> INT_MAX; else kstrtoint(base 0); negative -> -ERANGE.
 */
int parse_max_or_int(const char *buf, int *out);

#endif
