/*
 * hashtable.c - see hashtable.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "hashtable.h"

#define HT_MIN_BUCKETS 64

int hashtable_init(struct hashtable *ht)
{
	ht->buckets = calloc(HT_MIN_BUCKETS, sizeof(*ht->buckets));
	ht->nr_buckets = HT_MIN_BUCKETS;
	ht->count = 0;
	return ht->buckets ? 0 : -ENOMEM;
}

void hashtable_destroy(struct hashtable *ht)
{
	free(ht->buckets);
	ht->buckets = NULL;
}

static void hashtable_grow(struct hashtable *ht)
{
	size_t i, nr = ht->nr_buckets * 2;
	struct hnode **nb = calloc(nr, sizeof(*nb));

	/* Out of memory: a longer chain is slower, never wrong. */
	if (!nb)
		return;
	for (i = 0; i < ht->nr_buckets; i++) {
		struct hnode *n = ht->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = nb[n->hash & (nr - 1)];
			nb[n->hash & (nr - 1)] = n;
		}
	}
	free(ht->buckets);
	ht->buckets = nb;
	ht->nr_buckets = nr;
}

void hashtable_add(struct hashtable *ht, struct hnode *n, uint64_t hash)
{
	struct hnode **b;

	if (ht->count >= ht->nr_buckets)
		hashtable_grow(ht);
	b = &ht->buckets[hash & (ht->nr_buckets - 1)];
	n->hash = hash;
	n->next = *b;
	*b = n;
	ht->count++;
}

void hashtable_del(struct hashtable *ht, struct hnode *n)
{
	struct hnode **pp = &ht->buckets[n->hash & (ht->nr_buckets - 1)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			ht->count--;
			return;
		}
	}
}

struct hnode *hashtable_find(const struct hashtable *ht, uint64_t hash,
			     bool (*match)(const struct hnode *, const void *),
			     const void *key)
{
	struct hnode *n = ht->buckets[hash & (ht->nr_buckets - 1)];

	for (; n; n = n->next)
		if (n->hash == hash && match(n, key))
			return n;
	return NULL;
}

/* FNV-1a, then a final avalanche so the low bits used as index mix well. */
uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;

	while (len--)
		h = (h ^ *s++) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}
