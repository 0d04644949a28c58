/*
 * policy.c - the policy table behind sim.policy; see policy.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_lru.h"
#include "memcg_kmem_cache.h"
#include "memcg_stat.h"
#include "obj_park.h"
#include "policy.h"

enum memcg_ids_policy memcg_ids_policy;
enum memcg_pages_policy memcg_pages_policy;
enum memcg_kmem_policy memcg_kmem_policy;
enum memcg_kmem_policy memcg_clone_policy = KMEM_CLONE_LEAK;
unsigned int memcg_reaper_interval;

struct policy_value {
	const char *name;
	const char *era;
};

struct policy {
	const char *key;
	const struct policy_value *values;	/* NULL-terminated */
	int (*get)(void);
	int (*set)(int value);			/* NULL: mount only or fixed */
	bool mount_only;
	/* Values with a parameter ("on,5"): parse the part after the comma
	 * and show the current one; NULL for plain values. */
	int (*set_param)(int value, const char *param);
	const char *(*show_param)(void);
};

static const struct policy_value ids_values[] = {
	{ "recycle", ">=4.8: IDs freed at offline" },
	{ "hold", "<4.8: IDs kept until release" },
	{ NULL, NULL },
};
static const struct policy_value kmem_values[] = {
	[KMEM_OBJCG] = { "objcg",
		">=5.9: shared caches, objcg reparented, slab never pins" },
	[KMEM_CLONE_LEAK] = { "clone-leak",
		"3.8-3.19 (2014): per-memcg caches; dead ones with objects leak" },
	[KMEM_CLONE_NOCACHE] = { "clone-nocache",
		"4.0-5.2, way 1: dead caches keep no free slabs" },
	[KMEM_CLONE_REAP] = { "clone-reap",
		"way 2: dead caches reaped periodically and under pressure" },
	[KMEM_CLONE_REPARENT] = { "clone-reparent",
		"5.3-5.8, way 3: dead caches moved to the parent" },
	[KMEM_CLONE_REFCOUNT] = { "clone-refcount",
		"way 4: per-cache object count, destroyed by the last free" },
	{ NULL, NULL },
};
static const struct policy_value pages_values[] = {
	[PAGES_PIN] = { "pin", "3.19-7.0: page charges stay until reclaimed" },
	[PAGES_REPARENT_WALK] = { "reparent-walk",
		"<=3.18: every page moved to the parent at rmdir" },
	[PAGES_REPARENT] = { "reparent",
		"2026 (7.1-rc): objcg-based LRU reparenting, O(1) flip and list splice" },
	[PAGES_RECHARGE] = { "recharge",
		"2023 proposal: to a live group mapping the page, never into OOM" },
	[PAGES_DEFERRED] = { "deferred",
		"2023 proposal: parked on the parent, then charged to the next group touching it" },
	[PAGES_EVICT] = { "evict", "unmapped page cache dropped at rmdir" },
	{ NULL, NULL },
};
static const struct policy_value reaper_values[] = {
	{ "off", "mainline: no zombie reaper" },
	{ "on", "vendor kernels: dying memcgs reclaimed every N seconds" },
	{ NULL, NULL },
};
static const struct policy_value stats_values[] = {
	{ "rstat", ">=5.13" }, { "sum", "<=4.15" }, { "spill", "5.2" },
	{ "spill-doubleflush", "5.5-rc, bee07b33db78" },
	{ "spill-fixed", "5.3-5.12" }, { NULL, NULL },
};
static const struct policy_value lru_values[] = {
	{ "lazy", ">=5.18" }, { "eager", "2013-5.17" }, { NULL, NULL },
};

static int get_ids(void) { return memcg_ids_policy; }
static int set_ids(int v) { memcg_ids_policy = v; return 0; }
static int get_pages(void) { return memcg_pages_policy; }
static int set_pages(int v) { memcg_pages_policy = v; return 0; }
static int get_stats(void) { return memcg_stats_mode; }
static int get_lru(void) { return list_lru_mode; }

static int get_kmem(void) { return memcg_kmem_policy; }

/* Dead caches follow a new clone-* policy at once (seed 000's ways
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

static const struct policy policies[] = {
	{ "kmem", kmem_values, get_kmem, set_kmem, false, NULL, NULL },
	{ "pages", pages_values, get_pages, set_pages, false, NULL, NULL },
	{ "ids", ids_values, get_ids, set_ids, false, NULL, NULL },
	{ "reaper", reaper_values, get_reaper, NULL, false, set_reaper,
	  show_reaper },
	{ "stats", stats_values, get_stats, NULL, true, NULL, NULL },
	{ "lru", lru_values, get_lru, NULL, true, NULL, NULL },
};
#define NR_POLICIES (sizeof(policies) / sizeof(policies[0]))

/* VALUE or, for policies with a parameter, VALUE,PARAM. */
static int policy_set_one(const struct policy *p, const char *value)
{
	const char *comma = p->set_param ? strchr(value, ',') : NULL;
	size_t len = comma ? (size_t)(comma - value) : strlen(value);

	for (int v = 0; p->values[v].name; v++) {
		if (strlen(p->values[v].name) != len ||
		    strncmp(p->values[v].name, value, len))
			continue;
		if (p->set_param)
			return p->set_param(v, comma ? comma + 1 : NULL);
		if (v == p->get())
			return 0;
		return p->mount_only ? -EBUSY : p->set ? p->set(v) : -EINVAL;
	}
	return -EINVAL;
}

int policy_set(const char *key, const char *value)
{
	for (unsigned int i = 0; i < NR_POLICIES; i++)
		if (!strcmp(policies[i].key, key))
			return policy_set_one(&policies[i], value);
	return -EINVAL;
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
		ret = policy_set(item, eq + 1);
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
		const struct policy_value *v = &p->values[p->get()];

		line(p->key, p->show_param ? p->show_param() : v->name, v->era,
		     arg);
	}
}
