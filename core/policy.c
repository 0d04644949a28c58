/*
 * policy.c - the policy table behind sim.policy; see policy.h.
 */
#include <errno.h>
#include <string.h>

#include "list_lru.h"
#include "memcg_stat.h"
#include "policy.h"

enum memcg_ids_policy memcg_ids_policy;
enum memcg_pages_policy memcg_pages_policy;

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
};

static const struct policy_value ids_values[] = {
	{ "recycle", ">=4.8: IDs freed at offline" },
	{ "hold", "<4.8: IDs kept until release" },
	{ NULL, NULL },
};
static const struct policy_value kmem_values[] = {
	{ "objcg", ">=5.9: shared caches, objcg reparented, slab never pins" },
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
static int get_zero(void) { return 0; }
static int get_pages(void) { return memcg_pages_policy; }
static int set_pages(int v) { memcg_pages_policy = v; return 0; }
static int get_stats(void) { return memcg_stats_mode; }
static int get_lru(void) { return list_lru_mode; }

static const struct policy policies[] = {
	{ "kmem", kmem_values, get_zero, NULL, false },
	{ "pages", pages_values, get_pages, set_pages, false },
	{ "ids", ids_values, get_ids, set_ids, false },
	{ "reaper", reaper_values, get_zero, NULL, false },
	{ "stats", stats_values, get_stats, NULL, true },
	{ "lru", lru_values, get_lru, NULL, true },
};
#define NR_POLICIES (sizeof(policies) / sizeof(policies[0]))

int policy_set(const char *key, const char *value)
{
	for (unsigned int i = 0; i < NR_POLICIES; i++) {
		const struct policy *p = &policies[i];

		if (strcmp(p->key, key))
			continue;
		for (int v = 0; p->values[v].name; v++) {
			if (strcmp(p->values[v].name, value))
				continue;
			if (v == p->get())
				return 0;
			return p->mount_only ? -EBUSY : p->set ? p->set(v) :
			       -EINVAL;
		}
		return -EINVAL;
	}
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
		const struct policy_value *v = &policies[i].values[policies[i].get()];

		line(policies[i].key, v->name, v->era, arg);
	}
}
