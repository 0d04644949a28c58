/*
 * cgroup.c - the hierarchy and its lifecycle rules
 * (kernel/cgroup/cgroup.c; Documentation/admin-guide/cgroup-v2.rst).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/kmalloc.h"
#include "cgroup.h"
#include "cgroup_controllers.h"
#include "cgroup_threaded.h"
#include "cgroup_threads.h"
#include "filemap.h"
#include "memcg_kmem_cache.h"
#include "memcontrol.h"
#include "psi.h"
#include "sim_kmem.h"
#include "super.h"
#include "task.h"
#include "why.h"

pthread_rwlock_t cgroup_mutex = PTHREAD_RWLOCK_INITIALIZER;

static struct cgroup *root_cgroup;
static struct hashtable name_table, serial_table;
static uint64_t next_serial = 1;
static void (*notify_hook)(struct cgroup *, enum cgroup_notify_file);

struct name_key {
	const struct cgroup *parent;
	const char *name;
};

static uint64_t name_hash(const struct cgroup *parent, const char *name)
{
	return hash_bytes(name, strlen(name), parent->serial);
}

static bool name_match(const struct hnode *n, const void *key)
{
	const struct cgroup *cg = container_of(n, struct cgroup, name_node);
	const struct name_key *k = key;

	return cg->parent == k->parent && !strcmp(cg->name, k->name);
}

static bool serial_match(const struct hnode *n, const void *key)
{
	return container_of(n, struct cgroup, ino_node)->serial ==
	       *(const uint64_t *)key;
}

/*
 * struct cgroup and its name come from the slab allocator (kzalloc and
 * kstrdup in the kernel), unaccounted: a removed group kept by a dying
 * memcg then sits among objects of its own size, not in a hole of the
 * heap that live groups' short-lived statistics churn through.
 */
static char *cgroup_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

static void cgroup_free(struct cgroup *cg)
{
	psi_group_put(cg->psi);
	free(cg->attrs);
	cgroup_ctl_free(cg->ctl);
	free(cg->ss_owners);
	kfree(cg->name);
	kfree(cg);
}

static struct cgroup *cgroup_alloc(struct cgroup *parent, const char *name,
				   uid_t uid, gid_t gid, mode_t mode)
{
	struct cgroup *cg = kmalloc(sizeof(*cg));

	if (!cg)
		return NULL;
	memset(cg, 0, sizeof(*cg));
	cg->name = cgroup_strdup(name);
	cg->ctl = cgroup_ctl_alloc();
	cg->ss_owners = cgroup_ss_owners_alloc(uid, gid);
	cg->psi = psi_group_alloc(parent ? parent->psi : NULL);
	if (!cg->name || !cg->ctl || !cg->ss_owners || !cg->psi) {
		cgroup_free(cg);
		return NULL;
	}
	INIT_LIST_HEAD(&cg->children);
	INIT_LIST_HEAD(&cg->sibling);
	INIT_LIST_HEAD(&cg->tasks);
	atomic_init(&cg->refcnt, 1);	/* the tree's reference */
	cg->parent = parent;
	cg->serial = next_serial++;
	cg->level = parent ? parent->level + 1 : 0;
	cg->max_descendants = cg->max_depth = CGROUP_MAX_UNLIMITED;
	cg->uid = cg->mem_uid = uid;
	cg->gid = cg->mem_gid = gid;
	cg->mode = mode;
	/* A new cgroup inherits its parent's frozen state (cgroup_create). */
	cg->nr_frozen_ancestors = parent ? parent->nr_frozen_ancestors : 0;
	cgroup_freezer_time_update(cg, cgroup_frozen(cg));
	clock_gettime(CLOCK_REALTIME, &cg->created);
	return cg;
}

int cgroup_init(const struct memcg_config *cfg, uid_t uid, gid_t gid)
{
	int ret;

	if (hashtable_init(&name_table) || hashtable_init(&serial_table))
		return -ENOMEM;
	/* The cgroup2 root directory is dr-xr-xr-x; an unprivileged mount
	 * keeps u+w so its owner can create groups at all. */
	root_cgroup = cgroup_alloc(NULL, "", uid, gid, uid ? 0755 : 0555);
	if (!root_cgroup)
		return -ENOMEM;
	hashtable_add(&serial_table, &root_cgroup->ino_node,
		      root_cgroup->serial);
	ret = mem_cgroup_init(cfg, root_cgroup);
	if (ret)
		return ret;
	root_cgroup->memcg = root_mem_cgroup();
	root_cgroup->nr_css = 1;
	return filemap_init();
}

/* Remove every group bottom-up; the caller has already let go of tasks. */
static void destroy_subtree(struct cgroup *cg)
{
	struct cgroup *child, *n;

	list_for_each_entry_safe(child, n, &cg->children, sibling)
		destroy_subtree(child);
	if (cg->parent)
		cgroup_rmdir(cg, NULL);
}

void cgroup_exit(void)
{
	pthread_rwlock_wrlock(&cgroup_mutex);
	/* Page cache and kernel objects outlive groups, not the machine. */
	sim_fs_umount_all();
	sim_kmem_free_all(root_mem_cgroup());
	destroy_subtree(root_cgroup);
	memcg_kmem_caches_exit();	/* clone-leak's leaks end here */
	pthread_rwlock_unlock(&cgroup_mutex);
	mem_cgroup_exit();
	cgroup_put(root_cgroup);
	root_cgroup = NULL;
	hashtable_destroy(&name_table);
	hashtable_destroy(&serial_table);
}

struct cgroup *cgroup_root(void)
{
	return root_cgroup;
}

void cgroup_get(struct cgroup *cg)
{
	atomic_fetch_add(&cg->refcnt, 1);
}

bool cgroup_put_not_last(struct cgroup *cg)
{
	int ref = atomic_load(&cg->refcnt);

	while (ref > 1)
		if (atomic_compare_exchange_weak(&cg->refcnt, &ref, ref - 1))
			return true;
	return false;
}

void cgroup_put(struct cgroup *cg)
{
	while (cg && atomic_fetch_sub(&cg->refcnt, 1) == 1) {
		struct cgroup *parent = cg->parent;

		/* A removed group stays findable by inode until freed, so an
		 * fstat() of one of its open files still works (kernfs). */
		if (parent)
			hashtable_del(&serial_table, &cg->ino_node);
		cgroup_free(cg);
		/* A child pins its parent; drop that pin too. */
		cg = parent;
	}
}

struct cgroup *cgroup_find_child(struct cgroup *parent, const char *name)
{
	struct name_key key = { parent, name };
	struct hnode *n = hashtable_find(&name_table, name_hash(parent, name),
					 name_match, &key);

	return n ? container_of(n, struct cgroup, name_node) : NULL;
}

struct cgroup *cgroup_find_by_serial(uint64_t serial)
{
	struct hnode *n = hashtable_find(&serial_table, serial, serial_match,
					 &serial);

	return n ? container_of(n, struct cgroup, ino_node) : NULL;
}

/* cgroup_check_hierarchy_limits(): every ancestor's max.* applies. */
static int check_hierarchy_limits(struct cgroup *parent)
{
	struct cgroup *cg;
	int depth = 0;

	for (cg = parent; cg; cg = cg->parent, depth++) {
		if (cg->nr_descendants >= cg->max_descendants ||
		    depth >= cg->max_depth)
			return -EAGAIN;
	}
	return 0;
}

int cgroup_mkdir(struct cgroup *parent, const char *name, uid_t uid,
		 gid_t gid, mode_t mode, struct cgroup **out)
{
	struct cgroup *cg, *a;
	int ret;

	if (strchr(name, '\n'))
		return -EINVAL;
	if (cgroup_find_child(parent, name))
		return -EEXIST;
	if (parent->removed)
		return -ENODEV;
	ret = check_hierarchy_limits(parent);
	if (ret)
		return ret;
	cg = cgroup_alloc(parent, name, uid, gid, mode);
	if (!cg)
		return -ENOMEM;
	/* Pinned first: a failed mkdir's put below drops exactly this pin. */
	cgroup_get(parent);
	if (parent->subtree_memory) {
		ret = mem_cgroup_create(cg, parent->memcg, &cg->memcg);
		if (ret) {
			cgroup_put(cg);
			return ret;
		}
	}
	list_add_tail(&cg->sibling, &parent->children);
	hashtable_add(&name_table, &cg->name_node, name_hash(parent, name));
	hashtable_add(&serial_table, &cg->ino_node, cg->serial);
	for (a = parent; a; a = a->parent)
		a->nr_descendants++;
	*out = cg;
	return 0;
}

static bool has_live_children(struct cgroup *cg)
{
	return !list_empty(&cg->children);
}

int cgroup_rmdir(struct cgroup *cg, const char **why)
{
	struct cgroup *a;

	if (cg->removed)
		return 0;
	if (!cg->parent)
		return fail_why(why, -EBUSY, "the root cgroup stays");
	if (cgroup_populated(cg))
		return fail_why(why, -EBUSY, "the cgroup has processes");
	if (has_live_children(cg))
		return fail_why(why, -EBUSY, "the cgroup has live children");
	if (cgroup_threads_busy(cg))
		return fail_why(why, -EBUSY, "threads moved into the cgroup remain");
	cg->removed = true;
	list_del(&cg->sibling);
	hashtable_del(&name_table, &cg->name_node);
	for (a = cg->parent; a; a = a->parent) {
		a->nr_descendants--;
		/* Counted as dying until its last memcg is released. */
		if (cg->nr_css)
			a->nr_dying_descendants++;
	}
	if (cg->memcg) {
		struct mem_cgroup *memcg = cg->memcg;

		cg->memcg = NULL;
		mem_cgroup_offline(memcg);
	}
	cgroup_file_notify(cg, CGRP_NOTIFY_REMOVED);
	/* After the notify: its hook still sees the cgroup as it was.  The
	 * other controllers' csses and the pressure go now; a dying memcg
	 * pins the struct cgroup, not them (cgroup_destroy_locked kills
	 * every css; only memory's outlives rmdir). */
	cgroup_ctl_kill(cg);
	psi_group_clear(&cg->psi);
	cgroup_put(cg);
	return 0;
}

/* Called by memcontrol.c when one of @cg's memcgs has been released. */
void cgroup_css_released(struct cgroup *cg)
{
	struct cgroup *a;

	if (--cg->nr_css || !cg->removed)
		return;
	for (a = cg->parent; a; a = a->parent)
		a->nr_dying_descendants--;
}

static int enable_memory(struct cgroup *cg, uid_t uid, gid_t gid)
{
	struct cgroup *child, *failed;
	int ret;

	list_for_each_entry(child, &cg->children, sibling) {
		/* A threaded child has no domain controllers' csses. */
		if (cgroup_is_threaded(child))
			continue;
		ret = mem_cgroup_create(child, cg->memcg, &child->memcg);
		if (ret)
			goto undo;
		child->mem_uid = uid;
		child->mem_gid = gid;
	}
	cg->subtree_memory = true;
	return 0;
undo:
	/* All or nothing: the memcgs made so far are unused; drop them. */
	list_for_each_entry(failed, &cg->children, sibling) {
		if (failed == child)
			break;
		cgroup_memcg_drop(failed);
	}
	return ret;
}

void cgroup_memcg_drop(struct cgroup *cg)
{
	struct mem_cgroup *memcg = cg->memcg;

	if (!memcg)
		return;
	cg->memcg = NULL;
	mem_cgroup_offline(memcg);
}

static int disable_memory(struct cgroup *cg)
{
	struct cgroup *child;

	list_for_each_entry(child, &cg->children, sibling)
		if (child->subtree_memory)
			return -EBUSY;
	list_for_each_entry(child, &cg->children, sibling)
		cgroup_memcg_drop(child);
	cg->subtree_memory = false;
	return 0;
}

int cgroup_subtree_control(struct cgroup *cg, int memory_op, uid_t uid,
			   gid_t gid)
{
	if (cg->removed)
		return -ENODEV;
	if (!memory_op || (memory_op > 0) == cg->subtree_memory)
		return 0;
	if (memory_op < 0)
		return disable_memory(cg);
	/* Only controllers in cgroup.controllers can be enabled. */
	if (!cg->memcg)
		return -ENOENT;
	/* The no-internal-process rule, for a domain controller. */
	if (cg->parent && cg->nr_procs)
		return -EBUSY;
	return enable_memory(cg, uid, gid);
}

/* Returns whether any group's effective state changed (cgroup_freeze()'s
 * "applied"). */
static bool freeze_subtree(struct cgroup *cg, int delta)
{
	struct cgroup *child;
	bool was = cgroup_frozen(cg), applied = false;

	cg->nr_frozen_ancestors += delta;
	cgroup_freezer_time_update(cg, cgroup_frozen(cg));
	if (was != cgroup_frozen(cg)) {
		task_freeze_cgroup(cg, cgroup_frozen(cg));
		cgroup_file_notify(cg, CGRP_NOTIFY_EVENTS);
		applied = true;
	}
	list_for_each_entry(child, &cg->children, sibling)
		applied |= freeze_subtree(child, delta);
	return applied;
}

int cgroup_freeze_write(struct cgroup *cg, bool freeze)
{
	if (cg->removed)
		return -ENOENT;
	if (cg->freeze == freeze)
		return 0;
	cg->freeze = freeze;
	/* kernel/cgroup/freezer.c cgroup_freeze(): even when no state
	 * changed (an ancestor holds it), notify, so that a waiter knows
	 * there is nothing to wait for. */
	if (!freeze_subtree(cg, freeze ? 1 : -1))
		cgroup_file_notify(cg, CGRP_NOTIFY_EVENTS);
	return 0;
}

void cgroup_update_populated(struct cgroup *cg, int delta)
{
	bool was = cgroup_populated(cg);

	cg->nr_procs += delta;
	/* Walk up only while the populated state keeps flipping. */
	while (cg && was != cgroup_populated(cg)) {
		struct cgroup *parent = cg->parent;
		bool now = cgroup_populated(cg);

		cgroup_file_notify(cg, CGRP_NOTIFY_EVENTS);
		if (!parent)
			break;
		was = cgroup_populated(parent);
		parent->nr_populated_children += now ? 1 : -1;
		cg = parent;
	}
}

struct mem_cgroup *cgroup_effective_memcg(struct cgroup *cg)
{
	while (!cg->memcg)
		cg = cg->parent;
	return cg->memcg;
}

struct cgroup *cgroup_common_ancestor(struct cgroup *a, struct cgroup *b)
{
	while (a->level > b->level)
		a = a->parent;
	while (b->level > a->level)
		b = b->parent;
	while (a != b) {
		a = a->parent;
		b = b->parent;
	}
	return a;
}

int cgroup_path(struct cgroup *cg, char **out)
{
	size_t len = 0, off;
	struct cgroup *c;
	char *p;

	for (c = cg; c->parent; c = c->parent)
		len += strlen(c->name) + 1;
	p = malloc(len + 2);
	if (!p)
		return -ENOMEM;
	off = len;
	p[len ? len : 1] = '\0';
	p[0] = '/';
	for (c = cg; c->parent; c = c->parent) {
		size_t n = strlen(c->name);

		off -= n;
		memcpy(p + off, c->name, n);
		p[--off] = '/';
	}
	*out = p;
	return 0;
}

int cgroup_nr_subsys_memory(struct cgroup *cg)
{
	return cg->memcg ? cg->memcg->nr_descendants + 1 : 0;
}

const struct cgroup_file_attr *cgroup_file_attr(struct cgroup *cg,
						 unsigned int file)
{
	unsigned int i;

	for (i = 0; i < cg->nr_attrs; i++)
		if (cg->attrs[i].file == file)
			return &cg->attrs[i];
	return NULL;
}

void cgroup_clear_file_attr(struct cgroup *cg, unsigned int file)
{
	struct cgroup_file_attr *a = (void *)cgroup_file_attr(cg, file);

	if (a)
		*a = cg->attrs[--cg->nr_attrs];
}

int cgroup_set_file_attr(struct cgroup *cg, const struct cgroup_file_attr *a)
{
	struct cgroup_file_attr *slot = (void *)cgroup_file_attr(cg, a->file);

	if (!slot) {
		slot = realloc(cg->attrs, (cg->nr_attrs + 1) * sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		cg->attrs = slot;
		slot += cg->nr_attrs++;
	}
	*slot = *a;
	return 0;
}

void cgroup_file_notify(struct cgroup *cg, enum cgroup_notify_file file)
{
	if (file < CGRP_NR_NOTIFY)
		atomic_fetch_add(&cg->notify_seq[file], 1);
	if (notify_hook)
		notify_hook(cg, file);
}

void cgroup_set_notify_hook(void (*hook)(struct cgroup *cg,
					 enum cgroup_notify_file file))
{
	/* Notifiers run under cgroup_mutex; swap the hook under it too. */
	pthread_rwlock_wrlock(&cgroup_mutex);
	notify_hook = hook;
	pthread_rwlock_unlock(&cgroup_mutex);
}
