/*
 * fixture.h - the model the accounting tests run in: the allocator's
 * caches, a hierarchy with +memory at / and at a group "p" under it.
 */
#ifndef MEMCGFS_TEST_FIXTURE_H
#define MEMCGFS_TEST_FIXTURE_H

#include "../../allocator/kmalloc.h"
#include "cgroup.h"
#include "memcontrol.h"
#include "tap.h"

/* "p", ready for children with memory; NULL (reported) if not. */
static inline struct cgroup *fixture_up(unsigned int cpus)
{
	struct memcg_config cfg = { .ids = 64, .cpus = cpus,
				    .memory_bytes = 1ULL << 32 };
	struct cgroup *p = NULL;

	if (!tap_ok(kmem_caches_init() == 0, "kmem_caches_init") ||
	    !tap_ok(cgroup_init(&cfg, 0, 0) == 0, "cgroup_init"))
		return NULL;
	tap_eq(cgroup_subtree_control(cgroup_root(), 1, 0, 0), 0, "+memory at /");
	tap_eq(cgroup_mkdir(cgroup_root(), "p", 0, 0, 0755, &p), 0, "mkdir p");
	tap_eq(cgroup_subtree_control(p, 1, 0, 0), 0, "+memory at p");
	return p;
}

/* Everything down again, every cache empty; the TAP verdict. */
static inline int fixture_down(struct cgroup *p)
{
	tap_eq(cgroup_subtree_control(p, -1, 0, 0), 0, "-memory at p");
	tap_eq(cgroup_rmdir(p, NULL), 0, "rmdir p");
	tap_eq(cgroup_subtree_control(cgroup_root(), -1, 0, 0), 0, "-memory at /");
	cgroup_exit();
	tap_eq(kmem_caches_exit(), 0, "every cache destroyed empty");
	return tap_done();
}

#endif
