/*
 * memcg_id.h - the bounded memcg ID space (mm/memcontrol.c mem_cgroup_id).
 *
 * IDs run 1..max (MEM_CGROUP_ID_MAX = 65535 in the kernel; `-o ids=N`
 * here).  The lowest free ID is handed out, as idr_alloc() does, and
 * exhaustion is -ENOSPC, the errno of kernels up to 6.11.
 * Caller holds cgroup_mutex.
 */
#ifndef MEMCGFS_MEMCG_ID_H
#define MEMCGFS_MEMCG_ID_H

#include <stdint.h>

struct memcg_idr {
	uint64_t *bits;
	unsigned int max;	/* highest valid ID */
	unsigned int nr_used;
	unsigned int hint;	/* no free bit in words below this one */
};

int memcg_idr_init(struct memcg_idr *idr, unsigned int max);
void memcg_idr_destroy(struct memcg_idr *idr);
/* A free ID in [1, max], or -ENOSPC. */
int memcg_id_alloc(struct memcg_idr *idr);
void memcg_id_free(struct memcg_idr *idr, int id);

/* What happens to a memcg's ID at offline (sim.policy ids=). */
enum memcg_ids_policy {
	IDS_RECYCLE,	/* >= 4.8: freed at offline */
	IDS_HOLD,	/* kept until release: zombies exhaust the ID space */
	NR_IDS_POLICIES
};
extern const char *const memcg_ids_policy_names[NR_IDS_POLICIES];
extern enum memcg_ids_policy memcg_ids_policy;

#endif
