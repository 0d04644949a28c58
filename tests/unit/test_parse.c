/*
 * test_parse.c - hostile input for fs/parse.c.
 *
 * Expected values come from reading the kernel sources (lib/kstrtox.c,
 * lib/cmdline.c, lib/vsprintf.c, mm/page_counter.c, lib/ctype.c), not from
 * running our own code: see Documentation/admin-guide/cgroup-v2.rst.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

#define SENTINEL_U64 0xdeadbeefcafef00dULL
#define SENTINEL_INT 0x5a5a5a5a
#define BIG 5000

/* page_counter_memparse(buf, "max") -> rv; *pages holds the result. */
static int pcm(const char *buf, uint64_t *pages)
{
	*pages = SENTINEL_U64;
	return page_counter_memparse(buf, "max", pages);
}

/* Check a successful v2 limit parse to @want pages. */
static void pcm_ok(const char *buf, uint64_t want, const char *what)
{
	uint64_t pages;
	int rv = pcm(buf, &pages);

	tap_ok(rv == 0 && pages == want,
	       "page_counter_memparse %s -> %llu pages (rv %d, got %llu)",
	       what, (unsigned long long)want, rv, (unsigned long long)pages);
}

/* Check a rejected v2 limit, and that the output was left alone. */
static void pcm_err(const char *buf, int want, const char *what)
{
	uint64_t pages;
	int rv = pcm(buf, &pages);

	tap_ok(rv == want && pages == SENTINEL_U64,
	       "page_counter_memparse %s -> %d, output untouched (rv %d)",
	       what, want, rv);
}

static void kint_ok(const char *s, int want, const char *what)
{
	int v = SENTINEL_INT;
	int rv = kstrtoint(s, 0, &v);

	tap_ok(rv == 0 && v == want, "kstrtoint %s -> %d (rv %d, got %d)",
	       what, want, rv, v);
}

static void kint_err(const char *s, int want, const char *what)
{
	int v = SENTINEL_INT;
	int rv = kstrtoint(s, 0, &v);

	tap_ok(rv == want && v == SENTINEL_INT,
	       "kstrtoint %s -> %d, output untouched (rv %d)", what, want, rv);
}

static void kull_ok(const char *s, unsigned int base, unsigned long long want,
		    const char *what)
{
	unsigned long long v = SENTINEL_U64;
	int rv = kstrtoull(s, base, &v);

	tap_ok(rv == 0 && v == want, "kstrtoull %s -> %llu (rv %d, got %llu)",
	       what, want, rv, v);
}

static void kull_err(const char *s, unsigned int base, int want,
		     const char *what)
{
	unsigned long long v = SENTINEL_U64;
	int rv = kstrtoull(s, base, &v);

	tap_ok(rv == want && v == SENTINEL_U64,
	       "kstrtoull %s -> %d, output untouched (rv %d)", what, want, rv);
}

static void kll_ok(const char *s, long long want, const char *what)
{
	long long v = (long long)SENTINEL_U64;
	int rv = kstrtoll(s, 0, &v);

	tap_ok(rv == 0 && v == want, "kstrtoll %s -> %lld (rv %d, got %lld)",
	       what, want, rv, v);
}

static void kll_err(const char *s, int want, const char *what)
{
	long long v = (long long)SENTINEL_U64;
	int rv = kstrtoll(s, 0, &v);

	tap_ok(rv == want && v == (long long)SENTINEL_U64,
	       "kstrtoll %s -> %d, output untouched (rv %d)", what, want, rv);
}

static void size_ok(const char *tok, uint64_t want, const char *what)
{
	uint64_t v = SENTINEL_U64;
	int rv = parse_size(tok, &v, NULL);

	tap_ok(rv == 0 && v == want, "parse_size %s -> %llu (rv %d, got %llu)",
	       what, (unsigned long long)want, rv, (unsigned long long)v);
}

static void size_err(const char *tok, int want, const char *what)
{
	uint64_t v = SENTINEL_U64;
	const char *why = NULL;
	int rv = parse_size(tok, &v, &why);

	tap_ok(rv == want && v == SENTINEL_U64 && why,
	       "parse_size %s -> %d, output untouched, a reason (rv %d, %s)",
	       what, want, rv, why ? why : "none");
}

static void maxint_ok(const char *s, int want, const char *what)
{
	int v = SENTINEL_INT;
	int rv = parse_max_or_int(s, &v);

	tap_ok(rv == 0 && v == want, "parse_max_or_int %s -> %d (rv %d, got %d)",
	       what, want, rv, v);
}

static void maxint_err(const char *s, int want, const char *what)
{
	int v = SENTINEL_INT;
	int rv = parse_max_or_int(s, &v);

	tap_ok(rv == want && v == SENTINEL_INT,
	       "parse_max_or_int %s -> %d, output untouched (rv %d)",
	       what, want, rv);
}

/* A malloc'd string of @n copies of @c, for the 5000-byte cases. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_strstrip(void)
{
	char a[] = "  \t 42 \n\r ";
	char b[] = "   ";
	char c[] = "";
	char d[] = "\xa0max\xa0";
	char e[] = "a b";
	char *r;

	r = strstrip(a);
	tap_ok(strcmp(r, "42") == 0 && r == a + 4 && a[6] == '\0',
	       "strstrip trims both ends in place");
	r = strstrip(b);
	tap_ok(r == b && b[0] == '\0', "strstrip of only spaces -> \"\"");
	r = strstrip(c);
	tap_ok(r == c && c[0] == '\0', "strstrip of \"\" -> \"\"");
	/* lib/ctype.c marks 160 as _S|_SP, unlike glibc's C locale. */
	r = strstrip(d);
	tap_ok(strcmp(r, "max") == 0, "strstrip eats 0xa0 like the kernel ctype");
	r = strstrip(e);
	tap_ok(r == e && strcmp(r, "a b") == 0, "strstrip keeps inner space");
}

static void test_memparse(void)
{
	const char *end;

	tap_eq(memparse("010", &end), 8, "memparse 010 is octal 8");
	tap_ok(*end == '\0', "memparse 010 consumes everything");
	tap_eq(memparse("0x10", &end), 16, "memparse 0x10 is hex 16");
	tap_eq(memparse("0X1f", NULL), 31, "memparse 0X1f, NULL end allowed");
	tap_eq(memparse("0x1e", &end), 30, "memparse 0x1e: e is a hex digit");
	tap_ok(*end == '\0', "memparse 0x1e has no suffix left");
	tap_ok(memparse("1e", &end) == 1ULL << 60 && *end == '\0',
	       "memparse 1e is 1 EiB");
	tap_ok(memparse("0x1k", &end) == 1024 && *end == '\0',
	       "memparse 0x1k: hex then suffix");
	tap_ok(memparse("08", &end) == 0 && strcmp(end, "8") == 0,
	       "memparse 08 stops at the bad octal digit");
	tap_ok(memparse("0x", &end) == 0 && strcmp(end, "x") == 0,
	       "memparse 0x alone is 0 then junk x");
	tap_ok(memparse("k", &end) == 0 && *end == '\0',
	       "memparse k alone is 0, suffix consumed");
	tap_ok(memparse("1GB", &end) == 1ULL << 30 && strcmp(end, "B") == 0,
	       "memparse 1GB leaves B");
	tap_ok(memparse("1 G", &end) == 1 && strcmp(end, " G") == 0,
	       "memparse 1 G stops at the space");
	tap_ok(memparse("-1", &end) == 0 && strcmp(end, "-1") == 0,
	       "memparse -1 consumes nothing");
	tap_ok(memparse(" 1", &end) == 0 && strcmp(end, " 1") == 0,
	       "memparse does not skip leading space");
	tap_ok(memparse("16E", &end) == 0 && *end == '\0',
	       "memparse 16E wraps to 0");
	tap_ok(memparse("18446744073709551617", &end) == 1 && *end == '\0',
	       "memparse 2^64+1 wraps to 1, no error");
	tap_ok(memparse("3P", NULL) == 3ULL << 50, "memparse 3P");
	tap_ok(memparse("5t", NULL) == 5ULL << 40, "memparse 5t lower case");
}

static void test_page_counter(void)
{
	char *nines = repeat('9', BIG);
	char *zeros = repeat('0', BIG);
	char *junk = repeat('x', BIG);
	unsigned long long wrapped = 0;
	uint64_t pages;
	size_t i;
	int rv;

	pcm_ok("", 0, "\"\" (echo > memory.max)");
	pcm_ok("   ", 0, "only spaces");
	pcm_ok("\n", 0, "lone newline");
	pcm_ok("max", PAGE_COUNTER_MAX, "max");
	pcm_ok(" max\n", PAGE_COUNTER_MAX, "max with spaces and newline");
	pcm_err("Max", -EINVAL, "Max (case-sensitive)");
	pcm_err("max max", -EINVAL, "max max");
	pcm_err("-1", -EINVAL, "-1 in v2");
	pcm_err("+5", -EINVAL, "+5");
	pcm_err("1.5G", -EINVAL, "1.5G");
	pcm_err("1 G", -EINVAL, "1 G");
	pcm_err("1GB", -EINVAL, "1GB");
	pcm_err("1KK", -EINVAL, "1KK");
	pcm_err("08", -EINVAL, "08 (bad octal)");
	pcm_err("0x", -EINVAL, "0x alone");
	pcm_err("100\n200", -EINVAL, "two numbers");
	pcm_ok("k", 0, "k alone");
	pcm_ok("M", 0, "M alone");
	pcm_ok("4095", 0, "4095 floors to 0");
	pcm_ok("4096", 1, "4096");
	pcm_ok("4097", 1, "4097 floors to 1");
	pcm_ok(" 8192\n", 2, "spaces and newline stripped");
	pcm_ok("\t8192 \n\n", 2, "tab and several trailing newlines");
	pcm_ok("\xa0" "4096" "\xa0", 1, "0xa0 is whitespace to the kernel");
	pcm_ok("010000", 1, "010000 is octal 4096");
	pcm_ok("0x1000", 1, "0x1000 hex");
	pcm_ok("1G", 262144, "1G");
	pcm_ok("1g", 262144, "1g");
	pcm_ok("2M", 512, "2M");
	pcm_ok("1E", 1ULL << 48, "1E");
	pcm_ok("9223372036854771711", PAGE_COUNTER_MAX - 1,
	       "one byte under the max threshold");
	pcm_ok("9223372036854771712", PAGE_COUNTER_MAX,
	       "9223372036854771712 reaches PAGE_COUNTER_MAX");
	pcm_ok("9223372036854775807", PAGE_COUNTER_MAX, "LLONG_MAX capped");
	pcm_ok("18446744073709551615", PAGE_COUNTER_MAX, "ULLONG_MAX capped");
	pcm_ok("8E", PAGE_COUNTER_MAX, "8E capped");
	pcm_ok("16E", 0, "16E wraps to 0 pages");
	pcm_ok("18446744073709555712", 1, "2^64+4096 wraps to 1 page");
	pcm_ok("4096\0junk", 1, "NUL ends the C string before junk");
	pcm_err("4096junk", -EINVAL, "trailing junk");

	pages = SENTINEL_U64;
	rv = page_counter_memparse("-1", "-1", &pages);
	tap_ok(rv == 0 && pages == (uint64_t)PAGE_COUNTER_MAX,
	       "v1: -1 with max \"-1\" -> PAGE_COUNTER_MAX");
	pages = SENTINEL_U64;
	rv = page_counter_memparse("max", "-1", &pages);
	tap_ok(rv == -EINVAL && pages == SENTINEL_U64,
	       "v1: max with max \"-1\" -> -EINVAL");

	/* The oracle: plain unsigned wrap-around, as _parse_integer does. */
	for (i = 0; i < BIG; i++)
		wrapped = wrapped * 10 + 9;
	pcm_ok(nines, wrapped / PAGE_SIZE < (uint64_t)PAGE_COUNTER_MAX ?
	       wrapped / PAGE_SIZE : PAGE_COUNTER_MAX,
	       "5000 nines wrap silently");
	pcm_ok(zeros, 0, "5000 zeros");
	zeros[BIG - 5] = '1';		/* 0...010000: still octal */
	pcm_ok(zeros, 1, "4995 zeros then 10000 is octal 4096");
	zeros[BIG - 1] = '9';
	pcm_err(zeros, -EINVAL, "leading zeros then a 9 is bad octal");
	pcm_err(junk, -EINVAL, "5000 bytes of junk");

	free(nines);
	free(zeros);
	free(junk);
}

static void test_kstrtoint(void)
{
	char *digits = repeat('7', BIG);
	char *junk = repeat('#', BIG);

	kint_ok("0", 0, "0");
	kint_ok("5\n", 5, "one trailing newline");
	kint_ok("+5", 5, "+5");
	kint_ok("-1", -1, "-1");
	kint_ok("-0", 0, "-0");
	kint_ok("0x10", 16, "0x10");
	kint_ok("0X10", 16, "0X10");
	kint_ok("010", 8, "010 octal");
	kint_ok("-010", -8, "-010: radix detected after the sign");
	kint_ok("2147483647", INT_MAX, "INT_MAX");
	kint_ok("-2147483648", INT_MIN, "INT_MIN");
	kint_err("2147483648", -ERANGE, "INT_MAX+1");
	kint_err("-2147483649", -ERANGE, "INT_MIN-1");
	kint_err("0x80000000", -ERANGE, "0x80000000");
	kint_err("99999999999999999999", -ERANGE, "u64 overflow");
	kint_err("99999999999999999999x", -ERANGE, "overflow beats junk");
	kint_err("", -EINVAL, "\"\"");
	kint_err("   ", -EINVAL, "only spaces");
	kint_err("\n", -EINVAL, "lone newline");
	kint_err(" 5", -EINVAL, "leading space");
	kint_err("5 ", -EINVAL, "trailing space");
	kint_err("5\n\n", -EINVAL, "two newlines");
	kint_err("5\r\n", -EINVAL, "CRLF");
	kint_err("08", -EINVAL, "08 bad octal");
	kint_err("0x", -EINVAL, "0x alone");
	kint_err("0xg", -EINVAL, "0xg");
	kint_err("--1", -EINVAL, "--1");
	kint_err("+-1", -EINVAL, "+-1");
	kint_err("-+1", -EINVAL, "-+1");
	kint_err("1.5", -EINVAL, "1.5");
	kint_err("max", -EINVAL, "max");
	kint_err("1k", -EINVAL, "1k: no suffixes");
	kint_ok("5\0junk", 5, "NUL ends the C string before junk");
	kint_err("5junk", -EINVAL, "trailing junk");
	kint_err(digits, -ERANGE, "5000 digits");
	kint_err(junk, -EINVAL, "5000 bytes of junk");

	free(digits);
	free(junk);
}

static void test_kstrtoull_ll(void)
{
	kull_ok("18446744073709551615", 0, ULLONG_MAX, "ULLONG_MAX");
	kull_ok("0xffffffffffffffff", 0, ULLONG_MAX, "0xffff... max");
	kull_ok("+5", 0, 5, "+5");
	kull_ok("5\n", 0, 5, "5\\n (write_u64 path)");
	kull_ok("010", 10, 10, "explicit base 10 ignores leading 0");
	kull_ok("1f", 16, 31, "explicit base 16 without prefix");
	kull_ok("0x1f", 16, 31, "explicit base 16 with prefix");
	kull_err("18446744073709551616", 0, -ERANGE, "ULLONG_MAX+1");
	kull_err("0x10000000000000000", 0, -ERANGE, "2^64 in hex");
	kull_err("-1", 0, -EINVAL, "-1 is junk for unsigned");
	kull_err("-0", 0, -EINVAL, "-0 is junk for unsigned too");
	kull_err(" 5", 0, -EINVAL, "leading space (no strip on write_u64)");
	kull_err("1f", 10, -EINVAL, "hex digit in base 10");
	kull_err("0x", 16, -EINVAL, "base 16 prefix with no digits");
	kull_err("++5", 0, -EINVAL, "++5");

	kll_ok("9223372036854775807", LLONG_MAX, "LLONG_MAX");
	kll_ok("-9223372036854775808", LLONG_MIN, "LLONG_MIN");
	kll_err("9223372036854775808", -ERANGE, "LLONG_MAX+1");
	kll_err("-9223372036854775809", -ERANGE, "LLONG_MIN-1");
	kll_err("-18446744073709551615", -ERANGE, "-ULLONG_MAX");
	kll_err("-9223372036854775809x", -EINVAL, "junk beats sign range");
	kll_err("-", -EINVAL, "lone minus");
}

static void test_parse_size(void)
{
	char *digits = repeat('1', BIG);

	size_ok("0", 0, "0");
	size_ok("1G", 1ULL << 30, "1G");
	size_ok("0x10", 16, "0x10");
	size_ok("010", 8, "010 octal");
	size_ok("7E", 7ULL << 60, "7E");
	size_ok("9223372036854775807", INT64_MAX, "INT64_MAX");
	size_err("", -EINVAL, "\"\"");
	size_err("k", -EINVAL, "k (must start with a digit)");
	size_err(" 1", -EINVAL, "leading space");
	size_err("1 ", -EINVAL, "trailing space");
	size_err("1\n", -EINVAL, "trailing newline");
	size_err("-1", -EINVAL, "-1");
	size_err("+1", -EINVAL, "+1");
	size_err("1GB", -EINVAL, "1GB");
	size_err("1.5G", -EINVAL, "1.5G");
	size_err("08", -EINVAL, "08");
	size_err("8E", -ERANGE, "8E = 2^63");
	size_err("9223372036854775808", -ERANGE, "2^63");
	size_err("16E", -ERANGE, "16E (memparse would wrap to 0)");
	size_err("18446744073709551617", -ERANGE, "2^64+1 digit overflow");
	size_err(digits, -ERANGE, "5000 digits");

	free(digits);
}

static void test_parse_max_or_int(void)
{
	maxint_ok("max", INT_MAX, "max");
	maxint_ok(" max\n", INT_MAX, "stripped max");
	maxint_ok("0", 0, "0");
	maxint_ok("5\n\n", 5, "strip eats every trailing newline");
	maxint_ok("\t 12 \r\n", 12, "tabs, CR stripped");
	maxint_ok("0x10", 16, "hex");
	maxint_ok("2147483647", INT_MAX, "INT_MAX as a number");
	maxint_err("Max", -EINVAL, "Max");
	maxint_err("", -EINVAL, "\"\"");
	maxint_err("   ", -EINVAL, "only spaces");
	maxint_err("-1", -ERANGE, "negative -> ERANGE");
	maxint_err("-2147483648", -ERANGE, "INT_MIN -> ERANGE");
	maxint_err("2147483648", -ERANGE, "int overflow");
	maxint_err("1 2", -EINVAL, "inner space");
	maxint_err("1k", -EINVAL, "suffix");
}

int main(void)
{
	test_strstrip();
	test_memparse();
	test_page_counter();
	test_kstrtoint();
	test_kstrtoull_ll();
	test_parse_size();
	test_parse_max_or_int();
	return tap_done();
}
