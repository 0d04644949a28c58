// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - userspace ports of the kernel value parsers used by cgroupfs
 * write handlers: strstrip() (lib/string.c), memparse() (lib/cmdline.c on
 * top of simple_strtoull(), lib/vsprintf.c), page_counter_memparse()
 * (mm/page_counter.c) and kstrto{ull,ll,int}() (lib/kstrtox.c).
 *
 * The kernel strips a write buffer in place and then parses it.  Our
 * callers hand us const strings, so the internals work on a [s, end) range
 * instead: stripping just narrows the range.  Every internal helper treats
 * bytes at or past @end as if they were the NUL of a stripped copy, which
 * makes "strip, then parse" byte-for-byte equal to the kernel without
 * copying (and without an -ENOMEM the kernel could never return).
 *
 * Errors: 0 or a negative errno, and the output is only written on success.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "../core/why.h"
#include "parse.h"

/*
 * The kernel's ctype (lib/ctype.c), not the libc one: it is locale free and
 * also counts 0xa0 (Latin-1 no-break space) as whitespace, so strstrip()
 * eats it.  A write of "\xa0" "100" to memory.max succeeds on Linux.
 */
static bool k_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

static bool k_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Value of one digit in any base up to 16, or 16 for anything else so the
 * caller's "val >= base" test stops there.  Like the kernel's c | 0x20, this
 * only folds 'A'-'F'; no other byte maps into 'a'-'f'.
 */
static unsigned int digit_val(char c)
{
	unsigned char lc = (unsigned char)c | 0x20;

	if (k_isdigit(c))
		return (unsigned int)(c - '0');
	if (lc >= 'a' && lc <= 'f')
		return lc - 'a' + 10;
	return 16;
}

/* Does the range [s, end) hold exactly the C string @word? */
static bool range_equals(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) == n && memcmp(s, word, n) == 0;
}

/* strstrip() without writing: narrow [*s, *end) to its non-space core. */
static void strip_range(const char **s, const char **end)
{
	/* Trailing first, like strim(), so an all-space string ends empty. */
	while (*end > *s && k_isspace((*end)[-1]))
		(*end)--;
	while (*s < *end && k_isspace(**s))
		(*s)++;
}

char *strstrip(char *buf)
{
	const char *s = buf, *end = buf + strlen(buf);

	strip_range(&s, &end);
	buf[end - buf] = '\0';
	return buf + (s - buf);
}

/*
 * _parse_integer_fixup_radix() over [s, end).  Base 0 means "0x" + a hex
 * digit is hex, any other leading '0' is octal, else decimal.  Note "0x"
 * alone is octal 0 followed by junk 'x', and that an explicit base 16 skips
 * a "0x" prefix even with no digit after it.
 */
static const char *fixup_radix(const char *s, const char *end,
			       unsigned int *base)
{
	size_t n = (size_t)(end - s);
	bool zero_x = n >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x';

	if (*base == 0) {
		if (n >= 1 && s[0] == '0')
			*base = zero_x && n >= 3 && digit_val(s[2]) < 16 ? 16 : 8;
		else
			*base = 10;
	}
	if (*base == 16 && zero_x)
		s += 2;
	return s;
}

/*
 * _parse_integer_limit(): consume digits of @base from [s, end) and return
 * how many.  On overflow the value wraps (memparse() depends on that) and
 * *overflow is set (kstrtox turns that into -ERANGE).
 */
static size_t parse_digits(const char *s, const char *end, unsigned int base,
			   unsigned long long *res, bool *overflow)
{
	unsigned long long v = 0;
	const char *p;

	*overflow = false;
	for (p = s; p < end; p++) {
		unsigned int val = digit_val(*p);

		if (val >= base)
			break;
		if (v > (ULLONG_MAX - val) / base)
			*overflow = true;
		v = v * base + val;
	}
	*res = v;
	return (size_t)(p - s);
}

/*
 * _kstrtoull() over [s, end): no sign.  The kernel's order of checks is
 * kept: overflow (-ERANGE) wins over trailing junk (-EINVAL).
 */
static int kstrtoull_range(const char *s, const char *end, unsigned int base,
			   unsigned long long *res)
{
	unsigned long long v;
	bool overflow;
	size_t n;

	s = fixup_radix(s, end, &base);
	n = parse_digits(s, end, base, &v, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	/* Exactly one newline may follow: "5\n" is what echo writes. */
	if (s < end && *s == '\n')
		s++;
	if (s != end)
		return -EINVAL;
	*res = v;
	return 0;
}

/* kstrtoull(): a single leading '+' is allowed, '-' is junk. */
static int kstrtoull_signed_range(const char *s, const char *end,
				  unsigned int base, unsigned long long *res)
{
	if (s < end && *s == '+')
		s++;
	return kstrtoull_range(s, end, base, res);
}

static int kstrtoll_range(const char *s, const char *end, unsigned int base,
			  long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s < end && *s == '-') {
		/* No '+' after '-': the kernel calls _kstrtoull() here. */
		rv = kstrtoull_range(s + 1, end, base, &tmp);
		if (rv < 0)
			return rv;
		/* The kernel's "(long long)-tmp > 0", without the wrap. */
		if (tmp > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = tmp ? -(long long)(tmp - 1) - 1 : 0;
		return 0;
	}
	rv = kstrtoull_signed_range(s, end, base, &tmp);
	if (rv < 0)
		return rv;
	if (tmp > LLONG_MAX)
		return -ERANGE;
	*res = (long long)tmp;
	return 0;
}

static int kstrtoint_range(const char *s, const char *end, unsigned int base,
			   int *res)
{
	long long tmp;
	int rv;

	rv = kstrtoll_range(s, end, base, &tmp);
	if (rv < 0)
		return rv;
	if (tmp < INT_MIN || tmp > INT_MAX)
		return -ERANGE;
	*res = (int)tmp;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return kstrtoull_signed_range(s, s + strlen(s), base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	return kstrtoll_range(s, s + strlen(s), base, res);
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	return kstrtoint_range(s, s + strlen(s), base, res);
}

/* memparse()'s suffixes, as a shift: K=10 ... E=60, or 0 for none. */
static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	case 'T': case 't': return 40;
	case 'P': case 'p': return 50;
	case 'E': case 'e': return 60;
	default: return 0;
	}
}

/*
 * memparse() over [s, end).  The value wraps exactly as the kernel's does;
 * *overflow additionally reports whether it did, for parse_size().
 * simple_strtoull() has no sign and no whitespace skipping, and with no
 * digits it consumes nothing, so a bare suffix ("k") parses as 0.
 */
static unsigned long long memparse_range(const char *s, const char *end,
					 const char **endp, bool *overflow)
{
	unsigned int base = 0, shift;
	unsigned long long v;

	s = fixup_radix(s, end, &base);
	s += parse_digits(s, end, base, &v, overflow);
	shift = s < end ? suffix_shift(*s) : 0;
	if (shift) {
		if (v >> (64 - shift))
			*overflow = true;
		v <<= shift;
		s++;
	}
	*endp = s;
	return v;
}

uint64_t memparse(const char *ptr, const char **end)
{
	const char *stop;
	bool overflow;
	uint64_t v;

	v = memparse_range(ptr, ptr + strlen(ptr), &stop, &overflow);
	if (end)
		*end = stop;
	return v;
}

/*
 * The kernel handler does buf = strstrip(buf) before calling this, so the
 * strip is folded in here.  Note the "max" match is exact and
 * case-sensitive, and that "" (echo > memory.max) parses as 0 pages.
 */
int page_counter_memparse(const char *buf, const char *max, uint64_t *nr_pages)
{
	const char *s = buf, *end = buf + strlen(buf), *stop;
	bool overflow;
	uint64_t bytes;

	strip_range(&s, &end);
	if (range_equals(s, end, max)) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}
	bytes = memparse_range(s, end, &stop, &overflow);
	if (stop != end)
		return -EINVAL;
	/* Floors, even though cgroup-v2.rst says limits may be rounded up. */
	bytes /= PAGE_SIZE;
	*nr_pages = bytes < (uint64_t)PAGE_COUNTER_MAX ? bytes : PAGE_COUNTER_MAX;
	return 0;
}

/*
 * Not a kernel parser: sim.ctl sizes are our own syntax, so unlike memparse()
 * silent wrap-around is an error here rather than a surprise.  Junk is
 * reported before overflow.
 */
int parse_size(const char *tok, uint64_t *bytes, const char **why)
{
	const char *end = tok + strlen(tok), *stop;
	bool overflow;
	uint64_t v;

	if (!k_isdigit(tok[0]))
		return fail_why(why, -EINVAL, "bad size");
	v = memparse_range(tok, end, &stop, &overflow);
	if (stop != end)
		return fail_why(why, -EINVAL, "bad size");
	if (overflow || v > INT64_MAX)
		return fail_why(why, -ERANGE,
				"size out of range (2^63 bytes at most)");
	*bytes = v;
	return 0;
}

/*
 * cgroup_max_descendants_write() / cgroup_max_depth_write(): strstrip(),
 * then "max" or kstrtoint(base 0).  Because the strip comes first, any run
 * of trailing whitespace is fine here ("5\n\n" is 5), unlike bare kstrtoint().
 */
int parse_max_or_int(const char *buf, int *out)
{
	const char *s = buf, *end = buf + strlen(buf);
	int v, rv;

	strip_range(&s, &end);
	if (range_equals(s, end, "max")) {
		v = INT_MAX;
	} else {
		rv = kstrtoint_range(s, end, 0, &v);
		if (rv)
			return rv;
	}
	if (v < 0)
		return -ERANGE;
	*out = v;
	return 0;
}
