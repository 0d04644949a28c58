/*
 * ctl_parse.h - the kernel's scanners used by the cpu, cpuset, io and
 * pids write handlers: vsscanf()'s %llu/%u/%s (lib/vsprintf.c),
 * bitmap_parselist() (lib/bitmap-str.c) and cgroup_parse_float()
 * (kernel/cgroup/cgroup.c), all as in Linux 6.12.  Pure: no FUSE, no
 * core state.
 */
#ifndef MEMCGFS_CTL_PARSE_H
#define MEMCGFS_CTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/strbuf.h"

/*
 * vsscanf("%llu"): skip white space, then base-10 digits, wrapping on
 * overflow as simple_strntoull() does.  No sign.  Returns false (and
 * leaves *s) if no digit follows; else advances *s past the digits.
 */
bool kscan_ull(const char **s, unsigned long long *v);
/* vsscanf("%Ns"): skip white space, copy up to @width non-space chars
 * into @tok (width+1 bytes).  False if the input has nothing left. */
bool kscan_str(const char **s, char *tok, unsigned int width);
/* vsscanf() literal matching: white space in @lit matches any amount
 * (also none); other chars must match.  False on a mismatch. */
bool kscan_lit(const char **s, const char *lit);

/*
 * bitmap_parselist(buf, mask, nbits): "0-3,5,8-15:2/4", "all", "N".
 * -EINVAL for a malformed region, -ERANGE for a bit >= nbits,
 * -EOVERFLOW for a number beyond 32 bits, saying which in *@why
 * (core/why.h).  @mask is nbits wide.
 */
int bitmap_parselist(const char *buf, uint64_t *mask, unsigned int nbits,
		     const char **why);
/* "%*pbl": ranges "0-3,5"; nothing for an empty mask.  No newline. */
void bitmap_print_list(struct strbuf *sb, const uint64_t *mask,
		       unsigned int nbits);

/* cgroup_parse_float(input, dec_shift, &v): "12.34" -> 1234 for shift 2. */
int cgroup_parse_float(const char *input, unsigned int dec_shift, int64_t *v);

#endif
