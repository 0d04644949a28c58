/*
 * sim_kmem.h - kernel objects made through sim.ctl, and who made them.
 *
 * In a kernel, slab objects, per-CPU areas and socket buffers belong to
 * kernel code, not to the task that caused them: they outlive it.  Here
 * they are kept per memcg that charged them, oldest first, so that a
 * `free` written to a group can release, newest first, what that group
 * or any descendant (dying ones included) made.  When a dying memcg is
 * released, what it still owns passes to its parent, in age order.
 *
 * Charging goes where the kernel's does: slab objects and per-CPU areas
 * through the memcg's obj_cgroup (so they never pin a dying memcg),
 * socket memory as pages on the memcg itself (each socket pins it, as
 * sk->sk_memcg does).
 *
 * Locking: cgroup_mutex held for writing.
 */
#ifndef MEMCGFS_SIM_KMEM_H
#define MEMCGFS_SIM_KMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "memcontrol.h"

struct kmem_cache;

enum sim_kmem_kind {
	SIM_KMEM_SLAB,		/* objects of one cache: count = objects */
	SIM_KMEM_PERCPU,	/* per-CPU areas: count = bytes */
	SIM_KMEM_SOCK,		/* socket buffers: count = pages */
	NR_SIM_KMEM
};

/* The most one command may ask for, in bytes of real memory. */
#define SIM_KMEM_MAX_BYTES (1ULL << 30)

/* Bound on real memory: the emulated machine's RAM, in bytes. */
void sim_kmem_set_ram(uint64_t bytes);
uint64_t sim_ram_pages(void);
/* Would @bytes more of slab pass the emulated RAM?  Forced charges ignore
 * limits, not the machine: commands check this first. */
bool ram_exhausted(uint64_t bytes);

/* Make @count (objects of @s, or bytes, or pages) charged to @memcg:
 * 0, or -ENOMEM with nothing made.  Both say why in *@why (why.h). */
int sim_kmem_alloc(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		   struct kmem_cache *s, int64_t count, enum gfp_mode gfp,
		   const char **why);
/* Free the newest @count made in @memcg's subtree: -EINVAL (nothing
 * freed) if fewer exist. */
int sim_kmem_free(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		  struct kmem_cache *s, int64_t count, const char **why);
/* How many objects of @s @memcg itself owns (memory.kmem.slabinfo). */
int64_t sim_kmem_count(struct mem_cgroup *memcg, enum sim_kmem_kind kind,
		       struct kmem_cache *s);
/* @memcg is being released: @parent inherits its objects. */
void sim_kmem_reparent(struct mem_cgroup *memcg, struct mem_cgroup *parent);
/* Free every object of every memcg in @root's subtree (shutdown). */
void sim_kmem_free_all(struct mem_cgroup *root);

/* Per-CPU areas made through sim.ctl by @memcg's users (memcg_check). */
void sim_kmem_percpu_of(struct mem_cgroup *memcg,
			void (*fn)(struct obj_cgroup *objcg, int64_t bytes,
				   void *arg), void *arg);
/* Sockets' pages and count charged to @memcg (memory zombies). */
void sim_kmem_sock_of(struct mem_cgroup *memcg, int64_t *pages,
		      int64_t *nr);

#endif
