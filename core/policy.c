/*
 * policy.c - the policy table behind sim.policy; see policy.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_lru.h"
#include "memcg_id.h"
#include "memcg_kmem_cache.h"
#include "memcg_pages.h"
#include "memcg_reaper.h"
#include "memcg_stat.h"
#include "obj_park.h"
#include "policy.h"
#include "why.h"

/*
 * A policy's values are its enum's names, from the table beside the
 * enum; eras[] says, by the same enum, which kernels had each.
 */
struct policy {
	const char *key;
	const char *const *names;
	unsigned int nr;			/* values */
	const char *const *eras;
	int (*get)(void);
	int (*set)(int value);			/* NULL: mount only or fixed */
	bool mount_only;
	/* Values with a parameter ("on,5"): parse the part after the comma
	 * and show the current one; NULL for plain values. */
	int (*set_param)(int value, const char *param);
	const char *(*show_param)(void);
};

static const char *const ids_eras[NR_IDS_POLICIES] = {
	[IDS_RECYCLE] = ">=4.8: IDs freed at offline",
	[IDS_HOLD] = "<4.8: IDs kept until release",
};
static const char *const kmem_eras[NR_KMEM_POLICIES] = {
	[KMEM_OBJCG] =
		">=5.9: shared caches, objcg reparented, slab never pins",
	[KMEM_CLONE_LEAK] =
		"3.8-3.19 (2014): per-memcg caches; dead ones with objects leak",
	[KMEM_CLONE_NOCACHE] =
		"4.0-5.2, way 1: dead caches keep no free slabs",
	[KMEM_CLONE_REAP] =
		"way 2: dead caches reaped periodically and under pressure",
	[KMEM_CLONE_REPARENT] =
		"5.3-5.8, way 3: dead caches moved to the parent",
	[KMEM_CLONE_REFCOUNT] =
		"way 4: per-cache object count, destroyed by the last free",
};
static const char *const pages_eras[NR_PAGES_POLICIES] = {
	[PAGES_PIN] = "3.19-7.0: page charges stay until reclaimed",
	[PAGES_REPARENT_WALK] =
		"<=3.18: every page moved to the parent at rmdir",
	[PAGES_REPARENT] =
		"2026 (7.1-rc): objcg-based LRU reparenting, O(1) flip and list splice",
	[PAGES_RECHARGE] =
		"2023 proposal: to a live group mapping the page, never into OOM",
	[PAGES_DEFERRED] =
		"2023 proposal: parked on the parent, then charged to the next group touching it",
	[PAGES_EVICT] = "unmapped page cache dropped at rmdir",
};
/* The reaper is off or on (with an interval): no enum of its own. */
static const char *const reaper_names[] = { "off", "on" };
static const char *const reaper_eras[] = {
	"mainline: no zombie reaper",
	"vendor kernels: dying memcgs reclaimed every N seconds",
};
static const char *const stats_eras[NR_STATS_MODES] = {
	[STATS_RSTAT] = ">=5.13", [STATS_SUM] = "<=4.15", [STATS_SPILL] = "5.2",
	[STATS_SPILL_DOUBLEFLUSH] = "5.5-rc, bee07b33db78",
	[STATS_SPILL_FIXED] = "5.3-5.12",
};
static const char *const lru_eras[NR_LIST_LRU_MODES] = {
	[LIST_LRU_LAZY] = ">=5.18", [LIST_LRU_EAGER] = "2013-5.17",
};

static int get_ids(void) { return memcg_ids_policy; }
static int set_ids(int v) { memcg_ids_policy = v; return 0; }
static int get_pages(void) { return memcg_pages_policy; }
static int set_pages(int v) { memcg_pages_policy = v; return 0; }
static int get_stats(void) { return memcg_stats_mode; }
static int get_lru(void) { return list_lru_mode; }

static int get_kmem(void) { return memcg_kmem_policy; }

/* Dead caches follow a new clone-* policy at once (the ways of Davydov's
 * 2014 dead-caches thread
 * compared on the same zombies); objcg only stops making clones. */
static int set_kmem(int v)
{
	memcg_kmem_policy = v;
	obj_park_set_enabled(v == KMEM_OBJCG);
	if (v != KMEM_OBJCG) {
		/* Atomic: the reaper peeks at it without the lock. */
		__atomic_store_n(&memcg_clone_policy, v, __ATOMIC_RELAXED);
		memcg_kmem_policy_changed();
	}
	return 0;
}

static int get_reaper(void) { return memcg_reaper_interval != 0; }

/* "off", "on" (every MEMCG_REAPER_DEFAULT_INTERVAL s) or "on,SECONDS". */
static int set_reaper(int v, const char *param)
{
	char *end;
	unsigned long n = MEMCG_REAPER_DEFAULT_INTERVAL;

	if (param) {
		if (!v || *param < '1' || *param > '9')
			return -EINVAL;
		n = strtoul(param, &end, 10);
		if (*end || n > MEMCG_REAPER_MAX_INTERVAL)
			return -EINVAL;
	}
	/* Atomic: the reaper peeks at it without the lock. */
	__atomic_store_n(&memcg_reaper_interval, v ? (unsigned int)n : 0,
			 __ATOMIC_RELAXED);
	return 0;
}

static const char *show_reaper(void)
{
	static char buf[24];

	if (!memcg_reaper_interval)
		return "off";
	snprintf(buf, sizeof(buf), "on,%u", memcg_reaper_interval);
	return buf;
}

#define VALUES(names) names, sizeof(names) / sizeof(names[0])
static const struct policy policies[] = {
	{ "kmem", VALUES(memcg_kmem_policy_names), kmem_eras, get_kmem,
	  set_kmem, false, NULL, NULL },
	{ "pages", VALUES(memcg_pages_policy_names), pages_eras, get_pages,
	  set_pages, false, NULL, NULL },
	{ "ids", VALUES(memcg_ids_policy_names), ids_eras, get_ids, set_ids,
	  false, NULL, NULL },
	{ "reaper", VALUES(reaper_names), reaper_eras, get_reaper, NULL, false,
	  set_reaper, show_reaper },
	{ "stats", VALUES(memcg_stats_mode_names), stats_eras, get_stats, NULL,
	  true, NULL, NULL },
	{ "lru", VALUES(list_lru_mode_names), lru_eras, get_lru, NULL, true,
	  NULL, NULL },
};
#define NR_POLICIES (sizeof(policies) / sizeof(policies[0]))

/* VALUE or, for policies with a parameter, VALUE,PARAM. */
static int policy_set_one(const struct policy *p, const char *value,
			  const char **why)
{
	const char *comma = p->set_param ? strchr(value, ',') : NULL;
	size_t len = comma ? (size_t)(comma - value) : strlen(value);

	for (int v = 0; v < (int)p->nr; v++) {
		if (strlen(p->names[v]) != len || strncmp(p->names[v], value, len))
			continue;
		if (p->set_param)
			return p->set_param(v, comma ? comma + 1 : NULL) ?
			       fail_why(why, -EINVAL, "reaper takes off, on "
					"or on,SECONDS (1..86400)") : 0;
		if (v == p->get())
			return 0;
		if (p->mount_only)
			return fail_why(why, -EBUSY, "chosen at mount "
					"(-o stats=, -o lru=)");
		return p->set ? p->set(v) :
		       fail_why(why, -EINVAL, "a design not modelled yet");
	}
	return fail_why(why, -EINVAL, "unknown value (see sim.policy)");
}

int policy_set(const char *key, const char *value, const char **why)
{
	for (unsigned int i = 0; i < NR_POLICIES; i++)
		if (!strcmp(policies[i].key, key))
			return policy_set_one(&policies[i], value, why);
	return fail_why(why, -EINVAL, "unknown policy (see sim.policy)");
}

int policy_set_list(char *list)
{
	char *item, *eq;
	int ret;

	while ((item = strsep(&list, ":"))) {
		eq = strchr(item, '=');
		if (!eq)
			return -EINVAL;
		*eq = '\0';
		ret = policy_set(item, eq + 1, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

void policy_show(void (*line)(const char *key, const char *value,
			      const char *era, void *arg), void *arg)
{
	for (unsigned int i = 0; i < NR_POLICIES; i++) {
		const struct policy *p = &policies[i];
		int v = p->get();

		line(p->key, p->show_param ? p->show_param() : p->names[v],
		     p->eras[v], arg);
	}
}
