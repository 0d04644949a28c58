/*
 * ctl_parse.c - kernel scanners for the controller files; see
 * ctl_parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "../core/why.h"
#include "ctl_parse.h"

static const char *skip_spaces(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

bool kscan_ull(const char **s, unsigned long long *v)
{
	const char *p = skip_spaces(*s);
	unsigned long long n = 0;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		n = n * 10 + (unsigned long long)(*p++ - '0');
	*v = n;
	*s = p;
	return true;
}

bool kscan_str(const char **s, char *tok, unsigned int width)
{
	const char *p = skip_spaces(*s);
	unsigned int n = 0;

	if (!*p)
		return false;
	while (*p && !isspace((unsigned char)*p) && n < width)
		tok[n++] = *p++;
	tok[n] = '\0';
	*s = p;
	return true;
}

bool kscan_lit(const char **s, const char *lit)
{
	const char *p = *s;

	while (*lit) {
		if (isspace((unsigned char)*lit)) {
			lit = skip_spaces(lit);
			p = skip_spaces(p);
			continue;
		}
		if (*p != *lit)
			return false;
		p++;
		lit++;
	}
	*s = p;
	return true;
}

/* --- bitmap_parselist (lib/bitmap-str.c) -------------------------------- */

struct region {
	unsigned int start, end, off, group_len, nbits;
};

static bool end_of_str(char c)
{
	return c == '\0' || c == '\n';
}

static bool end_of_region_(char c)
{
	return isspace((unsigned char)c) || c == ',';
}

static bool end_of_region(char c)
{
	return end_of_region_(c) || end_of_str(c);
}

/* bitmap_getnum(): 'N' is the last bit; else a 32-bit decimal. */
static const char *getnum(const char *s, unsigned int *num,
			  unsigned int lastbit, int *err, const char **why)
{
	unsigned long long n = 0;
	const char *p = s;
	bool over = false;

	if (*s == 'N') {
		*num = lastbit;
		return s + 1;
	}
	while (isdigit((unsigned char)*p)) {
		if (n > (~0ULL - 9) / 10)
			over = true;
		n = n * 10 + (unsigned long long)(*p++ - '0');
	}
	if (p == s)
		return *err = fail_why(why, -EINVAL, "not a list like 0-3,5"),
		       NULL;
	if (over || n != (unsigned int)n)
		return *err = fail_why(why, -EOVERFLOW,
				       "a number over 32 bits"), NULL;
	*num = (unsigned int)n;
	return p;
}

static const char *parse_region(const char *s, struct region *r, int *err,
				const char **why)
{
	unsigned int lastbit = r->nbits - 1;

	if (!strncasecmp(s, "all", 3)) {
		r->start = 0;
		r->end = lastbit;
		s += 3;
		goto check_pattern;
	}
	if (!(s = getnum(s, &r->start, lastbit, err, why)))
		return NULL;
	if (end_of_region(*s)) {
		r->end = r->start;
		goto no_pattern;
	}
	if (*s != '-')
		return *err = fail_why(why, -EINVAL, "not a list like 0-3,5"),
		       NULL;
	if (!(s = getnum(s + 1, &r->end, lastbit, err, why)))
		return NULL;
check_pattern:
	if (end_of_region(*s))
		goto no_pattern;
	if (*s != ':')
		return *err = fail_why(why, -EINVAL, "not a list like 0-3,5"),
		       NULL;
	if (!(s = getnum(s + 1, &r->off, lastbit, err, why)))
		return NULL;
	if (*s != '/')
		return *err = fail_why(why, -EINVAL,
				       "a pattern is START-END:USED/GROUP"),
		       NULL;
	return getnum(s + 1, &r->group_len, lastbit, err, why);
no_pattern:
	r->off = r->end + 1;
	r->group_len = r->end + 1;
	return s;
}

static int check_region(const struct region *r, const char **why)
{
	if (r->start > r->end || r->group_len == 0 || r->off > r->group_len)
		return fail_why(why, -EINVAL, "a range runs backwards or its "
				"pattern is empty");
	if (r->end >= r->nbits)
		return fail_why(why, -ERANGE, "a number beyond the machine's "
				"(CPUs: -o cpus=, nodes: 1024)");
	return 0;
}

static void set_region(const struct region *r, uint64_t *mask)
{
	for (unsigned int start = r->start; start <= r->end;
	     start += r->group_len) {
		unsigned int n = r->end - start + 1;

		if (n > r->off)
			n = r->off;
		for (unsigned int b = start; b < start + n; b++)
			mask[b / 64] |= 1ULL << (b % 64);
		if (start + r->group_len < start)
			break;	/* would wrap */
	}
}

int bitmap_parselist(const char *buf, uint64_t *mask, unsigned int nbits,
		     const char **why)
{
	struct region r = { .nbits = nbits };
	uint64_t tmp[(nbits + 63) / 64];
	int err = 0;

	memset(tmp, 0, sizeof(tmp));
	for (;;) {
		while (end_of_region_(*buf))
			buf++;
		if (end_of_str(*buf))
			break;
		buf = parse_region(buf, &r, &err, why);
		if (!buf)
			return err;
		err = check_region(&r, why);
		if (err)
			return err;
		set_region(&r, tmp);
		if (end_of_str(*buf))
			break;
	}
	memcpy(mask, tmp, sizeof(tmp));
	return 0;
}

static bool test_bit(const uint64_t *mask, unsigned int b)
{
	return mask[b / 64] >> (b % 64) & 1;
}

void bitmap_print_list(struct strbuf *sb, const uint64_t *mask,
		       unsigned int nbits)
{
	bool first = true;

	for (unsigned int b = 0; b < nbits; b++) {
		unsigned int e = b;

		if (!test_bit(mask, b))
			continue;
		while (e + 1 < nbits && test_bit(mask, e + 1))
			e++;
		sb_printf(sb, e > b ? "%s%u-%u" : "%s%u", first ? "" : ",",
			  b, e);
		first = false;
		b = e;
	}
}

/* --- cgroup_parse_float (kernel/cgroup/cgroup.c) ------------------------ */

static int64_t pow10i(unsigned int e)
{
	int64_t v = 1;

	while (e--)
		v *= 10;
	return v;
}

/* vsscanf("%lld.%n%lld%n"): the fraction part is optional. */
int cgroup_parse_float(const char *input, unsigned int dec_shift, int64_t *v)
{
	const char *p = skip_spaces(input), *f;
	int64_t whole = 0, frac = 0;
	unsigned long long u;
	int flen = 0;
	bool neg = false;

	if (*p == '-' && isdigit((unsigned char)p[1])) {
		neg = true;
		p++;
	}
	if (!kscan_ull(&p, &u))
		return -EINVAL;
	whole = neg ? -(int64_t)u : (int64_t)u;
	if (*p == '.') {
		f = ++p;
		p = skip_spaces(p);
		if (*p == '-')
			return -EINVAL;	/* frac < 0 */
		if (kscan_ull(&p, &u)) {
			frac = (int64_t)u;
			flen = (int)(p - f);
		}
	}
	if (flen < (int)dec_shift)
		frac *= pow10i(dec_shift - flen);
	else
		frac = (frac + pow10i(flen - dec_shift) / 2) /
		       pow10i(flen - dec_shift);
	/* Wraps like the kernel's s64 arithmetic, without C's UB. */
	*v = (int64_t)((uint64_t)whole * (uint64_t)pow10i(dec_shift) +
		       (uint64_t)frac);
	return 0;
}
