/*
 * hashtable.h - an intrusive chained hash table that doubles as it fills.
 *
 * Used for name lookup among a cgroup's children and for inode -> cgroup,
 * so lookups stay O(1) with 100,000 groups.  Not thread safe: the owner
 * holds its lock (cgroup_mutex for both tables in core/cgroup.c).
 */
#ifndef MEMCGFS_HASHTABLE_H
#define MEMCGFS_HASHTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hnode {
	struct hnode *next;
	uint64_t hash;
};

struct hashtable {
	struct hnode **buckets;
	size_t nr_buckets;	/* a power of two */
	size_t count;
};

/* Returns -ENOMEM or 0. */
int hashtable_init(struct hashtable *ht);
void hashtable_destroy(struct hashtable *ht);
/* Insert; grows first when load exceeds 1 (a failed grow just keeps going). */
void hashtable_add(struct hashtable *ht, struct hnode *n, uint64_t hash);
void hashtable_del(struct hashtable *ht, struct hnode *n);
/* First node with @hash for which match(node, key) is true, or NULL. */
struct hnode *hashtable_find(const struct hashtable *ht, uint64_t hash,
			     bool (*match)(const struct hnode *, const void *),
			     const void *key);

uint64_t hash_bytes(const void *p, size_t len, uint64_t seed);

#endif
