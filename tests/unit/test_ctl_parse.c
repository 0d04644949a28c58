/*
 * test_ctl_parse.c - hostile input for fs/ctl_parse.c.
 *
 * Expected values come from reading the kernel's code (Linux 6.12
 * lib/bitmap-str.c bitmap_parselist(), lib/vsprintf.c vsscanf(),
 * kernel/cgroup/cgroup.c cgroup_parse_float()), not from running ours.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ctl_parse.h"
#include "tap.h"

#define SENT 0x5a5a5a5a5a5a5a5aULL

/* bitmap_parselist() over 8 bits: the result mask, or the errno and a
 * reason with the output untouched. */
static void bl(const char *in, int want_rv, uint64_t want_mask)
{
	uint64_t m = SENT;
	const char *why = NULL;
	int rv = bitmap_parselist(in, &m, 8, &why);

	char shown[64];

	snprintf(shown, sizeof(shown), "%.*s%s", (int)strcspn(in, "\n"), in,
		 strchr(in, '\n') ? "\\n" : "");
	tap_ok(rv == want_rv && m == (want_rv ? SENT : want_mask) &&
	       !rv == !why,
	       "bitmap_parselist \"%s\" -> rv %d mask %#llx, a reason iff "
	       "refused (got %d %#llx %s)", shown, want_rv,
	       (unsigned long long)want_mask, rv, (unsigned long long)m,
	       why ? why : "-");
}

static void test_bitmap_parselist(void)
{
	bl("0", 0, 0x1);
	bl("0-3", 0, 0xf);
	bl("0,2-3", 0, 0xd);
	bl("0-7:2/4", 0, 0x33);		/* 0,1 and 4,5 */
	bl("all", 0, 0xff);
	bl("ALL", 0, 0xff);		/* strncasecmp */
	bl("N", 0, 0x80);		/* the last bit */
	bl("2-N", 0, 0xfc);
	bl("1 3", 0, 0xa);		/* white space separates regions */
	bl(",,1,", 0, 0x2);
	bl("", 0, 0);
	bl("5\n", 0, 0x20);
	bl("8", -ERANGE, 0);
	bl("0-8", -ERANGE, 0);
	bl("3-1", -EINVAL, 0);
	bl("1-", -EINVAL, 0);
	bl("-1", -EINVAL, 0);
	bl("1x", -EINVAL, 0);
	bl("0-3:0/0", -EINVAL, 0);	/* group_len 0 */
	bl("0-3:3/2", -EINVAL, 0);	/* used > group */
	bl("0-3:1", -EINVAL, 0);
	bl("4294967296", -EOVERFLOW, 0);
	bl("99999999999999999999999", -EOVERFLOW, 0);
}

static void test_print_list(void)
{
	uint64_t m[2] = { 0xd | (1ULL << 63), 0x1 };
	struct strbuf sb = { 0 };

	bitmap_print_list(&sb, m, 128);
	tap_ok(sb.len && !strcmp(sb.buf, "0,2-3,63-64"),
	       "bitmap_print_list: ranges join across words (%s)",
	       sb.len ? sb.buf : "");
	sb_release(&sb);
	m[0] = m[1] = 0;
	bitmap_print_list(&sb, m, 128);
	tap_ok(sb.len == 0, "bitmap_print_list: an empty mask prints nothing");
	sb_release(&sb);
}

static void fl(const char *in, int want_rv, int64_t want)
{
	int64_t v = 0x1234;
	int rv = cgroup_parse_float(in, 2, &v);

	tap_ok(rv == want_rv && (rv || v == want),
	       "cgroup_parse_float \"%s\" -> rv %d v %lld (got %d %lld)", in,
	       want_rv, (long long)want, rv, (long long)v);
}

static void test_parse_float(void)
{
	fl("50", 0, 5000);
	fl("12.345", 0, 1235);		/* DIV_ROUND_CLOSEST */
	fl("12.344", 0, 1234);
	fl("0.5", 0, 50);
	fl("1.", 0, 100);
	fl("-1", 0, -100);
	fl("7.5xyz", 0, 750);		/* sscanf stops at the junk */
	fl("1.-5", -EINVAL, 0);		/* frac < 0 */
	fl("abc", -EINVAL, 0);
	fl("", -EINVAL, 0);
	fl("+5", -EINVAL, 0);		/* vsscanf's %lld takes no '+' */
}

static void test_kscan(void)
{
	const char *p = "  42 rest";
	unsigned long long v = 0;
	char tok[5];

	tap_ok(kscan_ull(&p, &v) && v == 42 && !strcmp(p, " rest"),
	       "kscan_ull skips leading space, stops after the digits");
	p = "-5";
	tap_ok(!kscan_ull(&p, &v) && !strcmp(p, "-5"),
	       "kscan_ull: no sign for %%llu");
	p = "18446744073709551617";
	tap_ok(kscan_ull(&p, &v) && v == 1, "kscan_ull wraps like simple_strntoull");
	p = "  abcdefg h";
	tap_ok(kscan_str(&p, tok, 4) && !strcmp(tok, "abcd") && !strcmp(p, "efg h"),
	       "kscan_str: width bounds the token");
	p = "   ";
	tap_ok(!kscan_str(&p, tok, 4), "kscan_str: nothing left is no match");
	p = "default50";
	tap_ok(kscan_lit(&p, "default ") && !strcmp(p, "50"),
	       "kscan_lit: a space in the format matches no space too");
	p = "defaul 5";
	tap_ok(!kscan_lit(&p, "default "), "kscan_lit: a mismatch fails");
}

int main(void)
{
	test_bitmap_parselist();
	test_print_list();
	test_parse_float();
	test_kscan();
	return tap_done();
}
