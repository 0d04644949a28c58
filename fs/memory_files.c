/*
 * memory_files.c - render and parse the memory controller's files
 * (Documentation/admin-guide/cgroup-v2.rst).  Limits, reclaim and events are
 * core/memcontrol.c's; this file only turns them into text and back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../core/memcg_stat.h"
#include "../core/obj_park.h"
#include "fs.h"
#include "parse.h"

/* seq_puts_memcg_tunable(): "max" or bytes. */
/* A limit or protection: "max" or bytes.  Always 0, for the handlers. */
static int show_tunable(struct strbuf *sb, _Atomic int64_t *tunable)
{
	int64_t pages = atomic_load(tunable);

	if (pages >= PAGE_COUNTER_MAX)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%llu\n", (unsigned long long)pages * PAGE_SIZE);
	return 0;
}

static void show_pages(struct strbuf *sb, int64_t pages)
{
	sb_printf(sb, "%llu\n", (unsigned long long)pages * PAGE_SIZE);
}

static int parse_tunable(struct of *of, const char *buf, uint64_t *pages)
{
	int ret = page_counter_memparse(buf, "max", pages);

	return ret ? of_fail(of, ret, "expected max or a size like 100M") : 0;
}

/* Parse a tunable and store it in @c with @set, a page_counter setter. */
static int write_tunable(struct of *of, char *buf, struct page_counter *c,
			 void (*set)(struct page_counter *c, int64_t nr_pages))
{
	uint64_t pages;
	int ret = parse_tunable(of, buf, &pages);

	if (!ret)
		set(c, (int64_t)pages);
	return ret;
}

#define MEMCG (of_memcg(of))

int memory_current_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, page_counter_read(&MEMCG->memory));
	return 0;
}

int memory_min_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->memory.min);
}

int memory_low_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->memory.low);
}

int memory_high_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->memory.high);
}

int memory_max_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->memory.max);
}

int memory_swap_high_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->swap.high);
}

int memory_swap_max_show(struct of *of, struct strbuf *sb)
{
	return show_tunable(sb, &MEMCG->swap.max);
}

/* min and low also move the parent's children_*_usage sums. */
int memory_min_write(struct of *of, char *buf)
{
	return write_tunable(of, buf, &MEMCG->memory, page_counter_set_min);
}

int memory_low_write(struct of *of, char *buf)
{
	return write_tunable(of, buf, &MEMCG->memory, page_counter_set_low);
}

/* Plain stores: the kernel takes no synchronous action for these. */
int memory_swap_high_write(struct of *of, char *buf)
{
	return write_tunable(of, buf, &MEMCG->swap, page_counter_set_high);
}

int memory_swap_max_write(struct of *of, char *buf)
{
	return write_tunable(of, buf, &MEMCG->swap, page_counter_store_max);
}

int memory_high_write_h(struct of *of, char *buf)
{
	uint64_t pages;
	int ret = parse_tunable(of, buf, &pages);

	return ret ? ret : memory_high_write(MEMCG, (int64_t)pages,
					     of->flags & O_NONBLOCK);
}

int memory_max_write_h(struct of *of, char *buf)
{
	uint64_t pages;
	int ret = parse_tunable(of, buf, &pages);

	return ret ? ret : memory_max_write(MEMCG, (int64_t)pages,
					    of->flags & O_NONBLOCK);
}

int memory_peak_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, memcg_peak_read(&MEMCG->memory,
				       of->peak_registered ? &of->peak : NULL));
	return 0;
}

/* Any non-empty write resets this fd's peak (6.12 semantics). */
int memory_peak_write(struct of *of, char *buf)
{
	(void)buf;
	memcg_peak_write(&MEMCG->memory, &MEMCG->memory_peaks,
			 &of->peak);
	of->peak_registered = true;
	return 0;
}

int memory_swap_peak_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, memcg_peak_read(&MEMCG->swap,
				       of->peak_registered ? &of->peak : NULL));
	return 0;
}

int memory_swap_peak_write(struct of *of, char *buf)
{
	(void)buf;
	memcg_peak_write(&MEMCG->swap, &MEMCG->swap_peaks, &of->peak);
	of->peak_registered = true;
	return 0;
}

int memory_swap_current_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, page_counter_read(&MEMCG->swap));
	return 0;
}

static void show_events(struct strbuf *sb, _Atomic uint64_t *ev,
			const char *const *names, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		sb_printf(sb, "%s %llu\n", names[i],
			  (unsigned long long)atomic_load(&ev[i]));
}

int memory_events_show(struct of *of, struct strbuf *sb)
{
	show_events(sb, MEMCG->events, memcg_memory_event_names,
		    MEMCG_NR_MEMORY_EVENTS);
	return 0;
}

int memory_events_local_show(struct of *of, struct strbuf *sb)
{
	show_events(sb, MEMCG->events_local, memcg_memory_event_names,
		    MEMCG_NR_MEMORY_EVENTS);
	return 0;
}

int memory_swap_events_show(struct of *of, struct strbuf *sb)
{
	show_events(sb, MEMCG->swap_events, memcg_swap_event_names,
		    MEMCG_NR_SWAP_EVENTS);
	return 0;
}

int memory_oom_group_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", MEMCG->oom_group);
	return 0;
}

/* memory_oom_group_write(): kstrtoint, and anything but 0/1 is EINVAL. */
static int parse_01(struct of *of, char *buf, bool *out)
{
	int v, ret = kstrtoint(strstrip(buf), 0, &v);

	if (ret)
		return of_fail(of, ret, "not an integer");
	if (v != 0 && v != 1)
		return of_fail(of, -EINVAL, "only 0 or 1");
	*out = v;
	return 0;
}

int memory_oom_group_write(struct of *of, char *buf)
{
	bool on;
	int ret = parse_01(of, buf, &on);

	if (!ret)
		mem_cgroup_set_oom_group(MEMCG, on);
	return ret;
}

int memory_stat_show(struct of *of, struct strbuf *sb)
{
	int64_t state[NR_MEMCG_STAT];
	unsigned int i;

	memcg_vmstats_read_shown(MEMCG, state);
	for (i = 0; i < nr_memcg_stat_keys; i++)
		if (!memcg_stat_keys[i].numa_only)
			sb_printf(sb, "%s %llu\n", memcg_stat_keys[i].name,
				  (unsigned long long)memcg_stat_key_value(
					state, &memcg_stat_keys[i]));
	return 0;
}

/* One emulated NUMA node, N0, holds everything. */
int memory_numa_stat_show(struct of *of, struct strbuf *sb)
{
	int64_t state[NR_MEMCG_STAT];
	unsigned int i;

	memcg_vmstats_read_shown(MEMCG, state);
	for (i = 0; i < nr_memcg_stat_keys; i++)
		if (memcg_stat_keys[i].numa)
			sb_printf(sb, "%s N0=%llu\n", memcg_stat_keys[i].name,
				  (unsigned long long)memcg_stat_key_value(state,
						&memcg_stat_keys[i]));
	return 0;
}

/* user_proactive_reclaim()'s parser: "<size> [swappiness=N|max]". */
static int parse_reclaim(struct of *of, char *buf, uint64_t *pages)
{
	const char *end;
	char *tok;
	int sw;

	buf = strstrip(buf);
	*pages = memparse(buf, &end) / PAGE_SIZE;
	if (end == buf)
		return of_fail(of, -EINVAL, "expected a size");
	buf = strstrip((char *)end);
	while ((tok = strsep(&buf, " "))) {
		if (!*tok || !strcmp(tok, "swappiness=max"))
			continue;
		if (strncmp(tok, "swappiness=", 11) ||
		    kstrtoint(tok + 11, 10, &sw) || sw < 0 || sw > 200)
			return of_fail(of, -EINVAL,
				       "only swappiness=0..200|max may follow");
	}
	return 0;
}

int memory_reclaim_write(struct of *of, char *buf)
{
	uint64_t pages;
	int ret = parse_reclaim(of, buf, &pages);

	if (ret)
		return ret;
	return memory_reclaim(MEMCG, (int64_t)pages, &of->why);
}

int memory_zswap_current_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%lld\n",
		  (long long)memcg_page_state(MEMCG, MEMCG_ZSWAP_B));
	return 0;
}

int memory_zswap_max_show(struct of *of, struct strbuf *sb)
{
	int64_t v = atomic_load(&MEMCG->zswap_max);

	if (v == INT64_MAX)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%lld\n", (long long)v);
	return 0;
}

int memory_zswap_max_write(struct of *of, char *buf)
{
	uint64_t pages;
	int ret = parse_tunable(of, buf, &pages);

	if (!ret)
		mem_cgroup_set_zswap_max(MEMCG, (int64_t)pages);
	return ret;
}

int memory_zswap_writeback_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", MEMCG->zswap_writeback);
	return 0;
}

int memory_zswap_writeback_write(struct of *of, char *buf)
{
	bool on;
	int ret = parse_01(of, buf, &on);

	if (!ret)
		mem_cgroup_set_zswap_writeback(MEMCG, on);
	return ret;
}

/* v1 counters print plain bytes: "unlimited" is 9223372036854771712. */
int memory_kmem_limit_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, atomic_load(&MEMCG->kmem.max));
	return 0;
}

/*
 * 5.16-6.0 returned the kernel-internal ENOTSUPP (524, "Unknown error
 * 524").  FUSE cannot carry it: the kernel refuses replies with an errno
 * of 512 or more (6.18 hands the writer EIO instead).  EOPNOTSUPP is the
 * nearest errno that can cross; sim.log says which era refused.
 */

/*
 * memcg1_write() for _KMEM/RES_LIMIT: parse first (junk is EINVAL in every
 * era), then what the era did.  "-1" is v1's unlimited; "max" is taken
 * too, as v2 users type it.
 */
int memory_kmem_limit_write(struct of *of, char *buf)
{
	uint64_t pages;

	if (page_counter_memparse(buf, "-1", &pages) &&
	    page_counter_memparse(buf, "max", &pages))
		return of_fail(of, -EINVAL, "expected -1, max or a size");
	switch (kmem_limit_mode) {
	case KMEM_LIMIT_ENOTSUPP:
		return of_fail(of, -EOPNOTSUPP,
			       "kmem.limit_in_bytes is deprecated (5.16-6.0: errno 524)");
	case KMEM_LIMIT_NOOP:
		return 0;	/* 6.6+: accepted, no effect */
	default:
		break;
	}
	return memcg_kmem_set_limit(MEMCG, (int64_t)pages, &of->why);
}

int memory_kmem_usage_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, page_counter_read(&MEMCG->kmem));
	return 0;
}

int memory_kmem_max_usage_show(struct of *of, struct strbuf *sb)
{
	show_pages(sb, atomic_load(&MEMCG->kmem.watermark));
	return 0;
}

/* Any content resets (memcg1_reset): the watermark to today's usage. */
int memory_kmem_max_usage_write(struct of *of, char *buf)
{
	(void)buf;
	page_counter_reset_watermark(&MEMCG->kmem);
	return 0;
}

int memory_kmem_failcnt_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%llu\n",
		  (unsigned long long)atomic_load(&MEMCG->kmem.failcnt));
	return 0;
}

int memory_kmem_failcnt_write(struct of *of, char *buf)
{
	(void)buf;
	page_counter_reset_failcnt(&MEMCG->kmem);
	return 0;
}
