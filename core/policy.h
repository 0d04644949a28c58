/*
 * policy.h - the designs the kernel threads argued about, switchable where the
 * model implements more than one (root sim.policy, -o policy=K=V:K=V).
 *
 * Locking: cgroup_mutex held for writing to set, for reading to show.
 */
#ifndef MEMCGFS_POLICY_H
#define MEMCGFS_POLICY_H

#include <stdbool.h>

/* Set KEY to VALUE: 0, -EINVAL (unknown key or value, or one the model
 * does not implement yet), -EBUSY (chosen at mount only); *@why says
 * which (why.h). */
int policy_set(const char *key, const char *value, const char **why);
/* Parse "K=V[:K=V...]" (the -o policy= form) in place. */
int policy_set_list(char *list);
/* One line per policy: "KEY=VALUE (era)". */
void policy_show(void (*line)(const char *key, const char *value,
			      const char *era, void *arg), void *arg);

#endif
