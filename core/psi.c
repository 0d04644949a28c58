/*
 * psi.c - pressure stall information (kernel/sched/psi.c of 6.12); see
 * psi.h for what a task and a stall are in memcgfs.
 *
 * The kernel keeps per-CPU state times and folds them; memcgfs has one
 * "CPU", so a group's state is its two counters and time accrues to
 * total[] whenever a counter changes, a file is read, or the aggregator
 * wakes.  Averages use the kernel's fixed point and decay (calc_avgs,
 * update_averages) once per psi_period; triggers use its sliding window
 * (window_update, update_triggers) and fire at most once per window.
 *
 * Locking: psi_lock nests inside cgroup_mutex and outside poll_lock (a
 * trigger's notify queues a poll wake-up).  Every group field is under it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timekeeping.h"
#include "list.h"
#include "psi.h"

const char *const psi_res_names[NR_PSI_RESOURCES] = {
	[PSI_IO] = "io", [PSI_MEM] = "memory", [PSI_CPU] = "cpu",
	[PSI_IRQ] = "irq",
};

/* Kept states: memory some and full.  Every other resource's times are
 * the true zero, so a group stores only these (a zombie cgroup keeps its
 * group: small matters). */
#define NR_PSI_STATES	2
#define MEM_SOME	0
#define MEM_FULL	1
#define NO_STATE	(-1)	/* a trigger on cpu, io or irq */
#define UPDATES_PER_WINDOW 10
#define MIN_POLL_NS	1000000ULL	/* the aggregator's fastest tick */

struct psi_group {
	struct psi_group *parent;	/* referenced */
	_Atomic int refs;
	bool enabled;
	struct list_head node;		/* on all_groups */
	unsigned int nr_nonidle;	/* writers of the subtree in a write */
	unsigned int nr_memstall;	/* ... of which stalled on memory */
	uint64_t state_start;		/* last accrual */
	uint64_t total[NR_PSI_STATES];	/* ns */
	/* Averages (update_averages) */
	uint64_t avg_total[NR_PSI_STATES];
	uint64_t avg_last_update, avg_next_update;
	unsigned long avg[NR_PSI_STATES][3];
	struct list_head triggers;
};

struct psi_window {
	uint64_t size, start_time, start_value, prev_growth;
};

struct psi_trigger {
	struct psi_group *group;	/* referenced */
	int state;
	uint64_t threshold;
	struct psi_window win;
	uint64_t last_event_time, last_total;
	bool pending_event, event;
	void (*notify)(void *arg);
	void *arg;
	struct list_head node;
};

static pthread_mutex_t psi_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t psi_cond = PTHREAD_COND_INITIALIZER;
static struct list_head all_groups = LIST_HEAD_INIT(all_groups);
static pthread_t aggregator;
static bool running, stopping;
static unsigned int nr_triggers;
static uint64_t min_window = UINT64_MAX;
/* The writer this thread serves: "current" of the kernel's psi calls. */
static _Thread_local struct psi_group *current_group;
static _Thread_local int current_stall_depth;
static _Thread_local uint64_t current_deferred_ns;
uint64_t psi_io_latency_ns;

/* --- fixed point (include/linux/sched/loadavg.h, kernel/sched/loadavg.c) */

unsigned long psi_calc_load(unsigned long load, unsigned long exp,
			    unsigned long active)
{
	unsigned long newload = load * exp + active * (PSI_FIXED_1 - exp);

	if (active >= load)
		newload += PSI_FIXED_1 - 1;
	return newload / PSI_FIXED_1;
}

/* fixed_power_int(): x^n in FSHIFT fixed point, rounding as the kernel. */
static unsigned long fixed_power_int(unsigned long x, unsigned int n)
{
	unsigned long result = PSI_FIXED_1;

	if (n) {
		for (;;) {
			if (n & 1) {
				result *= x;
				result += 1UL << (PSI_FSHIFT - 1);
				result >>= PSI_FSHIFT;
			}
			n >>= 1;
			if (!n)
				break;
			x *= x;
			x += 1UL << (PSI_FSHIFT - 1);
			x >>= PSI_FSHIFT;
		}
	}
	return result;
}

unsigned long psi_calc_load_n(unsigned long load, unsigned long exp,
			      unsigned long active, unsigned int n)
{
	return psi_calc_load(load, fixed_power_int(exp, n), active);
}

static void calc_avgs(unsigned long avg[3], uint64_t missed, uint64_t time,
		      uint64_t period)
{
	unsigned long pct;

	if (missed) {
		avg[0] = psi_calc_load_n(avg[0], PSI_EXP_10s, 0, (unsigned int)missed);
		avg[1] = psi_calc_load_n(avg[1], PSI_EXP_60s, 0, (unsigned int)missed);
		avg[2] = psi_calc_load_n(avg[2], PSI_EXP_300s, 0, (unsigned int)missed);
	}
	pct = (unsigned long)(time * 100 / period) * PSI_FIXED_1;
	avg[0] = psi_calc_load(avg[0], PSI_EXP_10s, pct);
	avg[1] = psi_calc_load(avg[1], PSI_EXP_60s, pct);
	avg[2] = psi_calc_load(avg[2], PSI_EXP_300s, pct);
}

/* --- state ------------------------------------------------------------ */

/* Caller holds psi_lock: time since the last accrual goes to the states
 * the group was in (test_state() with one CPU). */
static void accrue(struct psi_group *g, uint64_t now)
{
	uint64_t delta = now - g->state_start;

	g->state_start = now;
	if (!g->nr_memstall)
		return;
	g->total[MEM_SOME] += delta;
	if (g->nr_memstall == g->nr_nonidle)
		g->total[MEM_FULL] += delta;
}

/* psi_group_change() up the hierarchy; caller holds psi_lock. */
static void change_locked(struct psi_group *g, int nonidle, int memstall,
			  uint64_t now)
{
	for (; g; g = g->parent) {
		accrue(g, now);
		g->nr_nonidle += (unsigned int)nonidle;
		g->nr_memstall += (unsigned int)memstall;
	}
}

static void change(struct psi_group *g, int nonidle, int memstall)
{
	uint64_t now = ktime_get_ns();

	pthread_mutex_lock(&psi_lock);
	change_locked(g, nonidle, memstall, now);
	pthread_mutex_unlock(&psi_lock);
}

struct psi_group *psi_group_alloc(struct psi_group *parent)
{
	struct psi_group *g = calloc(1, sizeof(*g));
	uint64_t now = ktime_get_ns();

	if (!g)
		return NULL;
	atomic_init(&g->refs, 1);
	g->enabled = true;
	g->parent = parent;
	if (parent)
		psi_group_get(parent);
	g->state_start = g->avg_last_update = now;
	g->avg_next_update = now + PSI_PERIOD_NS;
	INIT_LIST_HEAD(&g->triggers);
	pthread_mutex_lock(&psi_lock);
	list_add_tail(&g->node, &all_groups);
	pthread_mutex_unlock(&psi_lock);
	return g;
}

void psi_group_get(struct psi_group *g)
{
	atomic_fetch_add(&g->refs, 1);
}

void psi_group_put(struct psi_group *g)
{
	while (g && atomic_fetch_sub(&g->refs, 1) == 1) {
		struct psi_group *parent = g->parent;

		pthread_mutex_lock(&psi_lock);
		list_del(&g->node);
		pthread_mutex_unlock(&psi_lock);
		free(g);
		g = parent;
	}
}

bool psi_group_enabled(const struct psi_group *g)
{
	return g->enabled;
}

void psi_group_set_enabled(struct psi_group *g, bool enabled)
{
	pthread_mutex_lock(&psi_lock);
	g->enabled = enabled;
	pthread_mutex_unlock(&psi_lock);
}

void psi_task_enter(struct psi_group *g)
{
	change(g, 1, 0);
}

/* Under psi_lock, as psi_group_clear(): the group cannot be freed
 * between the load of *@slot and the reference. */
struct psi_group *psi_task_enter_slot(struct psi_group *const *slot)
{
	uint64_t now = ktime_get_ns();
	struct psi_group *g;

	pthread_mutex_lock(&psi_lock);
	g = *slot;
	if (g) {
		atomic_fetch_add(&g->refs, 1);
		change_locked(g, 1, 0, now);
	}
	pthread_mutex_unlock(&psi_lock);
	return g;
}

void psi_group_clear(struct psi_group **slot)
{
	struct psi_group *g;

	pthread_mutex_lock(&psi_lock);
	g = *slot;
	*slot = NULL;
	pthread_mutex_unlock(&psi_lock);
	psi_group_put(g);
}

void psi_task_leave(struct psi_group *g)
{
	change(g, -1, 0);
}

void psi_set_current(struct psi_group *g)
{
	current_group = g;
	current_stall_depth = 0;
	current_deferred_ns = 0;
}

struct psi_group *psi_current(void)
{
	return current_group;
}

void psi_memstall_read(int64_t nr_pages)
{
	if (current_group && nr_pages > 0)
		current_deferred_ns += psi_io_latency_ns * (uint64_t)nr_pages;
}

uint64_t psi_take_deferred(void)
{
	uint64_t ns = current_deferred_ns;

	current_deferred_ns = 0;
	return ns;
}

/* PF_MEMSTALL: only the outermost bracket counts. */
void psi_memstall_enter(void)
{
	if (current_group && !current_stall_depth++)
		change(current_group, 0, 1);
}

void psi_memstall_leave(void)
{
	if (current_group && current_stall_depth &&
	    !--current_stall_depth)
		change(current_group, 0, -1);
}

void psi_memstall_enter_group(struct psi_group *g)
{
	change(g, 0, 1);
}

void psi_memstall_leave_group(struct psi_group *g)
{
	change(g, 0, -1);
}

/* --- averages ------------------------------------------------------------ */

/* update_averages(): caller holds psi_lock; returns avg_next_update. */
static uint64_t update_averages(struct psi_group *g, uint64_t now)
{
	uint64_t expires = g->avg_next_update, missed = 0, period;
	int s;

	if (now - expires >= PSI_PERIOD_NS)
		missed = (now - expires) / PSI_PERIOD_NS;
	period = now - (g->avg_last_update + missed * PSI_PERIOD_NS);
	g->avg_last_update = now;
	for (s = 0; s < NR_PSI_STATES; s++) {
		uint64_t sample = g->total[s] - g->avg_total[s];

		/* Overage slips into the next period, as the kernel's. */
		if (sample > period)
			sample = period;
		g->avg_total[s] += sample;
		calc_avgs(g->avg[s], missed, sample, period);
	}
	return expires + (1 + missed) * PSI_PERIOD_NS;
}

/* Caller holds psi_lock. */
static void group_update(struct psi_group *g, uint64_t now)
{
	accrue(g, now);
	if (now >= g->avg_next_update)
		g->avg_next_update = update_averages(g, now);
}

#define LOAD_INT(x) ((x) >> PSI_FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (PSI_FIXED_1 - 1)) * 100)

void psi_show(struct psi_group *g, enum psi_res res, struct strbuf *sb)
{
	bool only_full = res == PSI_IRQ;	/* CONFIG_IRQ_TIME_ACCOUNTING */
	int full;

	pthread_mutex_lock(&psi_lock);
	group_update(g, ktime_get_ns());
	for (full = 0; full < 2 - only_full; full++) {
		unsigned long avg[3] = { 0 };
		uint64_t total = 0;
		int w, s = full || only_full;

		/* CPU FULL is undefined at the system level. */
		if (res == PSI_MEM) {
			for (w = 0; w < 3; w++)
				avg[w] = g->avg[s][w];
			total = res == PSI_MEM ? g->total[s] / 1000 : 0;
		}
		sb_printf(sb, "%s avg10=%lu.%02lu avg60=%lu.%02lu "
			  "avg300=%lu.%02lu total=%llu\n",
			  full || only_full ? "full" : "some",
			  LOAD_INT(avg[0]), LOAD_FRAC(avg[0]),
			  LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
			  LOAD_INT(avg[2]), LOAD_FRAC(avg[2]),
			  (unsigned long long)total);
	}
	pthread_mutex_unlock(&psi_lock);
}

void psi_mem_totals(struct psi_group *g, uint64_t out[2])
{
	pthread_mutex_lock(&psi_lock);
	accrue(g, ktime_get_ns());
	out[0] = g->total[MEM_SOME];
	out[1] = g->total[MEM_FULL];
	pthread_mutex_unlock(&psi_lock);
}

/* --- triggers ------------------------------------------------------------ */

static void window_reset(struct psi_window *win, uint64_t now,
			 uint64_t value, uint64_t prev_growth)
{
	win->start_time = now;
	win->start_value = value;
	win->prev_growth = prev_growth;
}

/* window_update(): growth in the last window, the previous window's
 * growth interpolated in for the part not yet covered. */
static uint64_t window_update(struct psi_window *win, uint64_t now,
			      uint64_t value)
{
	uint64_t elapsed = now - win->start_time;
	uint64_t growth = value - win->start_value;

	if (elapsed > win->size)
		window_reset(win, now, value, growth);
	else
		growth += win->prev_growth * (win->size - elapsed) / win->size;
	return growth;
}

/* Caller holds psi_lock. */
static uint64_t state_total(const struct psi_group *g, int state)
{
	return state == NO_STATE ? 0 : g->total[state];
}

/* update_triggers(): caller holds psi_lock, totals accrued to @now. */
static void update_triggers(struct psi_group *g, uint64_t now)
{
	struct psi_trigger *t;

	list_for_each_entry(t, &g->triggers, node) {
		uint64_t total = state_total(g, t->state);
		bool new_stall = total != t->last_total;

		t->last_total = total;
		if (!new_stall && !t->pending_event)
			continue;
		if (new_stall) {
			uint64_t growth = window_update(&t->win, now, total);

			if (!t->pending_event) {
				if (growth < t->threshold)
					continue;
				t->pending_event = true;
			}
		}
		/* Limit event signaling to once per window. */
		if (now < t->last_event_time + t->win.size)
			continue;
		if (!t->event) {
			t->event = true;
			if (t->notify)
				t->notify(t->arg);
		}
		t->last_event_time = now;
		t->pending_event = false;
	}
}

int psi_trigger_create(struct psi_group *g, enum psi_res res,
		       const char *buf, bool privileged,
		       void (*notify)(void *arg), void *arg,
		       struct psi_trigger **out, const char **why)
{
	unsigned int threshold_us, window_us;
	struct psi_trigger *t;
	int state;

	if (sscanf(buf, "some %u %u", &threshold_us, &window_us) == 2)
		state = MEM_SOME;
	else if (sscanf(buf, "full %u %u", &threshold_us, &window_us) == 2)
		state = MEM_FULL;
	else
		return *why = "expected some|full <threshold_us> <window_us>",
		       -EINVAL;
	if (res == PSI_IRQ && state != MEM_FULL)
		return *why = "irq pressure has only full", -EINVAL;
	if (res != PSI_MEM)
		state = NO_STATE;	/* valid, and never fires */
	if (window_us == 0 || window_us > PSI_WINDOW_MAX_US)
		return *why = "window must be in (0, 10s]", -EINVAL;
	if (!privileged && window_us % 2000000)
		return *why = "unprivileged windows are multiples of 2s",
		       -EINVAL;
	if (threshold_us == 0 || threshold_us > window_us)
		return *why = "threshold must be in (0, window]", -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return *why = "out of memory", -ENOMEM;
	t->group = g;
	t->state = state;
	t->threshold = (uint64_t)threshold_us * 1000;
	t->win.size = (uint64_t)window_us * 1000;
	t->notify = notify;
	t->arg = arg;
	psi_group_get(g);
	pthread_mutex_lock(&psi_lock);
	accrue(g, ktime_get_ns());
	t->last_total = state_total(g, state);
	window_reset(&t->win, ktime_get_ns(), t->last_total, 0);
	list_add(&t->node, &g->triggers);
	nr_triggers++;
	if (t->win.size < min_window)
		min_window = t->win.size;
	/* The aggregator may need to tick faster now. */
	pthread_cond_signal(&psi_cond);
	pthread_mutex_unlock(&psi_lock);
	*out = t;
	return 0;
}

/* Caller holds psi_lock. */
static void recompute_min_window(void)
{
	struct psi_group *g;
	struct psi_trigger *t;

	min_window = UINT64_MAX;
	list_for_each_entry(g, &all_groups, node)
		list_for_each_entry(t, &g->triggers, node)
			if (t->win.size < min_window)
				min_window = t->win.size;
}

void psi_trigger_destroy(struct psi_trigger *t)
{
	struct psi_group *g;

	if (!t)
		return;
	g = t->group;
	pthread_mutex_lock(&psi_lock);
	list_del(&t->node);
	nr_triggers--;
	recompute_min_window();
	pthread_mutex_unlock(&psi_lock);
	free(t);
	psi_group_put(g);
}

bool psi_trigger_poll(struct psi_trigger *t)
{
	bool fired;

	pthread_mutex_lock(&psi_lock);
	fired = t->event;
	t->event = false;
	pthread_mutex_unlock(&psi_lock);
	return fired;
}

/* --- the aggregator ------------------------------------------------------- */

static void *aggregator_fn(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&psi_lock);
	while (!stopping) {
		uint64_t now = ktime_get_ns(), tick = PSI_PERIOD_NS;
		struct timespec until;
		struct psi_group *g;

		list_for_each_entry(g, &all_groups, node) {
			/* As avgs_work, only groups with something to sample:
			 * an idle group's averages decay lazily at its next
			 * read (update_averages' missed periods). */
			if (!g->nr_nonidle && list_empty(&g->triggers) &&
			    g->total[MEM_SOME] == g->avg_total[MEM_SOME] &&
			    g->total[MEM_FULL] == g->avg_total[MEM_FULL])
				continue;
			group_update(g, now);
			update_triggers(g, now);
		}
		if (nr_triggers && min_window / UPDATES_PER_WINDOW < tick)
			tick = min_window / UPDATES_PER_WINDOW;
		if (tick < MIN_POLL_NS)
			tick = MIN_POLL_NS;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)(tick / 1000000000ULL);
		until.tv_nsec += (long)(tick % 1000000000ULL);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&psi_cond, &psi_lock, &until);
	}
	pthread_mutex_unlock(&psi_lock);
	return NULL;
}

int psi_start(void)
{
	int ret;

	stopping = false;
	ret = pthread_create(&aggregator, NULL, aggregator_fn, NULL);
	running = !ret;
	return -ret;
}

void psi_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&psi_lock);
	stopping = true;
	pthread_cond_signal(&psi_cond);
	pthread_mutex_unlock(&psi_lock);
	pthread_join(aggregator, NULL);
	running = false;
}
