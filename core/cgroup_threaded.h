/*
 * cgroup_threaded.h - threaded cgroups: cgroup.type and the rules of a
 * threaded subtree (kernel/cgroup/cgroup.c, 6.12).
 *
 * A cgroup's dom_cgrp is itself (a domain) or the domain its threaded
 * subtree hangs off (the thread root).  Caller holds cgroup_mutex.
 */
#ifndef MEMCGFS_CGROUP_THREADED_H
#define MEMCGFS_CGROUP_THREADED_H

#include <stdbool.h>
#include <stdint.h>

struct cgroup;

/* cgrp_dfl_threaded_ss_mask: the controllers that may be threaded. */
uint16_t cgroup_threaded_ss_mask(void);
/* cgrp->dom_cgrp. */
struct cgroup *cgroup_dom_cgrp(const struct cgroup *cg);
bool cgroup_is_threaded(const struct cgroup *cg);
bool cgroup_is_mixable(const struct cgroup *cg);
bool cgroup_is_thread_root(const struct cgroup *cg);
bool cgroup_is_valid_domain(const struct cgroup *cg);
bool cgroup_can_be_thread_root(const struct cgroup *cg);
/* cgroup_type_show(): "domain", "domain threaded", "domain invalid" or
 * "threaded". */
const char *cgroup_type_name(const struct cgroup *cg);
/* cgroup_enable_threaded(): 0, or -EOPNOTSUPP with *why. */
int cgroup_enable_threaded(struct cgroup *cg, const char **why);

#endif
