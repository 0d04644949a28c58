/*
 * test_pressure.c - memory.high's penalty arithmetic and PSI, alone
 * (core/memcg_high.c, core/psi.c; no FUSE).
 *
 * calculate_high_delay() against its closed form: the overage is
 * (usage - high) / high in 2^-20 units, so penalty_jiffies =
 * o^2 * HZ >> 34 scaled by nr_pages / 64, which is HZ * nr_pages *
 * ratio^2 up to truncation.  The averages against the kernel's fixed
 * point (one 2 s period of 100% stall: avg10 18.11, as 1 - e^-0.2 is
 * 18.13%).  The state machine: SOME while any task is stalled, FULL
 * while all are; totals in real time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memcg_high.h"
#include "psi.h"
#include "tap.h"

/* The closed form, in floating point, of calculate_high_delay(). */
static double closed_form(uint64_t usage, uint64_t high, unsigned int nr)
{
	double ratio = (double)(usage - high) / (double)high;

	return MEMCG_HZ * nr * ratio * ratio;
}

static void test_overage(void)
{
	tap_eq(memcg_calculate_overage(100, 100), 0, "at high: no overage");
	tap_eq(memcg_calculate_overage(99, 100), 0, "under high: no overage");
	tap_eq(memcg_calculate_overage(110, 100), (10ULL << 20) / 100,
	       "10%% over: 0.1 in 2^-20 units");
	tap_eq(memcg_calculate_overage(5, 0), 4ULL << 20,
	       "high 0 counts as one page");
}

static void test_high_delay(void)
{
	static const struct { uint64_t usage, high; unsigned int nr; } c[] = {
		{ 7680 + 768, 7680, 64 },	/* 10% over 30M, one batch */
		{ 2560 + 256, 2560, 64 },	/* 10% over 10M */
		{ 2560 + 256, 2560, 16 },	/* a quarter of the batch */
		{ 2560 + 128, 2560, 64 },	/* 5% */
		{ 2560 + 512, 2560, 64 },	/* 20%: over the 2 s cap */
		{ 1000 + 333, 1000, 200 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned long got = memcg_calculate_high_delay(c[i].nr,
			memcg_calculate_overage(c[i].usage, c[i].high));
		double want = closed_form(c[i].usage, c[i].high, c[i].nr);

		tap_ok(((double)got > want ? (double)got - want : want - (double)got) <=
		       1.0 + want / 1000,
		       "delay at %llu/%llu pages, %u charged: %lu jiffies, "
		       "formula %.2f", (unsigned long long)c[i].usage,
		       (unsigned long long)c[i].high, c[i].nr, got, want);
	}
	tap_eq(memcg_calculate_high_delay(64, memcg_calculate_overage(2816, 2560)),
	       159, "10%% over, one batch: 159 jiffies (0.1 truncated to "
	       "2^-20 units), 636 ms at HZ 250");
	tap_eq(memcg_calculate_high_delay(64, 0), 0, "no overage, no delay");
	tap_eq(MEMCG_MAX_HIGH_DELAY_JIFFIES, 500, "the cap is 2 s at HZ 250");
}

/* LOAD_INT.LOAD_FRAC of a fixed-point average, as psi_show prints it. */
static void fmt(unsigned long avg, char *buf, size_t n)
{
	snprintf(buf, n, "%lu.%02lu", avg >> PSI_FSHIFT,
		 ((avg & (PSI_FIXED_1 - 1)) * 100) >> PSI_FSHIFT);
}

static void test_averages(void)
{
	unsigned long full = 100 * PSI_FIXED_1, a10, a60, a300;
	char buf[32];

	a10 = psi_calc_load(0, PSI_EXP_10s, full);
	a60 = psi_calc_load(0, PSI_EXP_60s, full);
	a300 = psi_calc_load(0, PSI_EXP_300s, full);
	fmt(a10, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "18.11"), "one period at 100%%: avg10 %s", buf);
	fmt(a60, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "3.27"), "avg60 %s", buf);
	fmt(a300, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "0.68"), "avg300 %s", buf);
	/* Five idle periods decay avg10 by EXP_10s^5 (e^-1). */
	a10 = psi_calc_load_n(full, PSI_EXP_10s, 0, 5);
	fmt(a10, buf, sizeof(buf));
	tap_ok(!strncmp(buf, "36.7", 4),
	       "100%% decays to e^-1 (36.79) in 10 s, as fixed point: %s", buf);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_states(void)
{
	struct psi_group *root = psi_group_alloc(NULL);
	struct psi_group *a = psi_group_alloc(root);
	struct psi_group *b = psi_group_alloc(root);
	uint64_t t[2], r[2], bt[2];

	/* One writer in a, stalled 50 ms: some and full, a and root. */
	psi_task_enter(a);
	psi_set_current(a);
	psi_memstall_enter();
	psi_memstall_enter();		/* nested: counted once */
	sleep_ms(50);
	psi_memstall_leave();
	psi_memstall_leave();
	psi_set_current(NULL);
	psi_task_leave(a);
	psi_mem_totals(a, t);
	psi_mem_totals(root, r);
	tap_ok(t[0] >= 50000000 && t[0] < 150000000,
	       "a: some %llu ns for a 50 ms stall", (unsigned long long)t[0]);
	tap_eq(t[1], t[0], "a: full = some with one task");
	tap_eq(r[0], t[0], "root: the same, hierarchically");
	psi_mem_totals(b, bt);
	tap_eq(bt[0], 0, "b: a sibling never stalls");

	/* A stalled writer in a and a running one in b: the root is some,
	 * not full; a is full. */
	psi_task_enter(a);
	psi_task_enter(b);
	psi_memstall_enter_group(a);
	sleep_ms(30);
	psi_memstall_leave_group(a);
	psi_task_leave(b);
	psi_task_leave(a);
	psi_mem_totals(root, r);
	psi_mem_totals(a, bt);
	tap_ok(r[0] - t[0] >= 30000000, "root: some grew by the stall");
	tap_ok(r[1] - t[1] < 5000000,
	       "root: full did not (b was running): %llu ns",
	       (unsigned long long)(r[1] - t[1]));
	tap_ok(bt[1] - t[1] >= 30000000, "a: full grew");
	psi_group_put(a);
	psi_group_put(b);
	psi_group_put(root);
}

static void test_trigger_parse(void)
{
	struct psi_group *g = psi_group_alloc(NULL);
	struct psi_trigger *t = NULL;
	const char *why;

	tap_eq(psi_trigger_create(g, PSI_MEM, "some 150000 1000000", true,
				  NULL, NULL, &t, &why), 0, "1 s window, root");
	psi_trigger_destroy(t);
	tap_eq(psi_trigger_create(g, PSI_MEM, "some 150000 1000000", false,
				  NULL, NULL, &t, &why), -EINVAL,
	       "unprivileged: 2 s multiples only");
	tap_eq(psi_trigger_create(g, PSI_MEM, "full 1 10000001", true,
				  NULL, NULL, &t, &why), -EINVAL, "over 10 s");
	tap_eq(psi_trigger_create(g, PSI_MEM, "some 2 1", true, NULL, NULL,
				  &t, &why), -EINVAL, "threshold over window");
	tap_eq(psi_trigger_create(g, PSI_IRQ, "some 1 1000000", true, NULL,
				  NULL, &t, &why), -EINVAL, "irq has no some");
	tap_eq(psi_trigger_create(g, PSI_IRQ, "full 1 1000000", true, NULL,
				  NULL, &t, &why), 0, "irq full");
	psi_trigger_destroy(t);
	psi_group_put(g);
}

int main(void)
{
	test_overage();
	test_high_delay();
	test_averages();
	test_states();
	test_trigger_parse();
	return tap_done();
}
