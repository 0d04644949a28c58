/*
 * shrinker.c - the shrinker registry, per-memcg shrinker bitmaps and
 * shrink_slab(); see shrinker.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "filemap.h"
#include "list_lru.h"
#include "memcontrol.h"
#include "shrinker.h"

#define UNIT_BITS 64
#define LEAF_SHIFT 8
#define LEAF_SIZE (1u << LEAF_SHIFT)

/* One memcg ID's bitmap: pointers to units that never move. */
struct shrinker_info {
	unsigned int nr_units;
	struct shrinker_info *retired;	/* the array it replaced */
	_Atomic uint64_t *_Atomic unit[];
};

struct info_leaf {
	struct shrinker_info *_Atomic info[LEAF_SIZE];
};

/* Indexed by list_lru ID: LRU_MAX_IDS of them, in leaves made on use. */
static struct info_leaf *_Atomic info_dir[LRU_MAX_IDS >> LEAF_SHIFT];
/* Serialises making and growing bitmaps (lru->lock -> this). */
static pthread_mutex_t shrinker_info_lock = PTHREAD_MUTEX_INITIALIZER;
/* Set if a bitmap could not be made: shrink_slab() then visits every
 * shrinker, so no memcg's items become unreachable. */
static atomic_bool info_failed;

/* The registry, by shrinker ID (cgroup_mutex). */
static struct shrinker **shrinkers;
static int nr_shrinker_slots, shrinker_hint;

static struct shrinker_info *_Atomic *info_slot(int id, bool create)
{
	struct info_leaf *leaf;

	if (id < 0 || (unsigned int)id >= LRU_MAX_IDS)
		return NULL;
	leaf = atomic_load(&info_dir[id >> LEAF_SHIFT]);
	if (!leaf && create) {
		leaf = calloc(1, sizeof(*leaf));
		if (!leaf)
			return NULL;
		atomic_store(&info_dir[id >> LEAF_SHIFT], leaf);
	}
	return leaf ? &leaf->info[id & (LEAF_SIZE - 1)] : NULL;
}

/* A copy of *@slot with at least @nr_units (shrinker_info_lock held). */
static struct shrinker_info *info_grow(struct shrinker_info *_Atomic *slot,
				       unsigned int nr_units)
{
	struct shrinker_info *old = atomic_load(slot), *new;
	unsigned int n = old ? old->nr_units : 1;

	while (n < nr_units)
		n *= 2;
	new = calloc(1, sizeof(*new) + n * sizeof(new->unit[0]));
	if (!new)
		return NULL;
	new->nr_units = n;
	new->retired = old;
	for (unsigned int u = 0; old && u < old->nr_units; u++)
		atomic_store(&new->unit[u], atomic_load(&old->unit[u]));
	atomic_store(slot, new);	/* readers of old still find units */
	return new;
}

/* The unit holding bit @sid of ID @id, made if @create. */
static _Atomic uint64_t *unit_of(int id, int sid, bool create)
{
	unsigned int u = (unsigned int)sid / UNIT_BITS;
	struct shrinker_info *_Atomic *slot;
	struct shrinker_info *info;
	_Atomic uint64_t *w = NULL;

	slot = info_slot(id, false);
	info = slot ? atomic_load(slot) : NULL;
	if (info && u < info->nr_units && (w = atomic_load(&info->unit[u])))
		return w;
	if (!create)
		return NULL;
	pthread_mutex_lock(&shrinker_info_lock);
	slot = info_slot(id, true);
	info = slot ? atomic_load(slot) : NULL;
	if (slot && (!info || u >= info->nr_units))
		info = info_grow(slot, u + 1);
	if (info && !(w = atomic_load(&info->unit[u])) &&
	    (w = calloc(1, sizeof(*w))))
		atomic_store(&info->unit[u], w);
	pthread_mutex_unlock(&shrinker_info_lock);
	return w;
}

void set_shrinker_bit(int memcg_id, int shrinker_id)
{
	_Atomic uint64_t *w;

	if (shrinker_id < 0)
		return;
	w = unit_of(memcg_id, shrinker_id, true);
	if (w)
		atomic_fetch_or(w, 1ULL << (shrinker_id % UNIT_BITS));
	else
		atomic_store(&info_failed, true);
}

void shrinker_info_reset(int memcg_id)
{
	struct shrinker_info *_Atomic *slot = info_slot(memcg_id, false);
	struct shrinker_info *info = slot ? atomic_load(slot) : NULL;

	for (unsigned int u = 0; info && u < info->nr_units; u++) {
		_Atomic uint64_t *w = atomic_load(&info->unit[u]);

		if (w)
			atomic_store(w, 0);
	}
}

/* The live array and those it replaced (the units, shared along the
 * chain, are freed once by the caller). */
static void info_free(struct shrinker_info *info)
{
	while (info) {
		struct shrinker_info *older = info->retired;

		free(info);
		info = older;
	}
}

void shrinker_exit(void)
{
	for (unsigned int d = 0; d < LRU_MAX_IDS >> LEAF_SHIFT; d++) {
		struct info_leaf *leaf = atomic_load(&info_dir[d]);

		for (unsigned int i = 0; leaf && i < LEAF_SIZE; i++) {
			struct shrinker_info *info = atomic_load(&leaf->info[i]);

			for (unsigned int u = 0; info && u < info->nr_units; u++)
				free(atomic_load(&info->unit[u]));
			info_free(info);
		}
		free(leaf);
		atomic_store(&info_dir[d], NULL);
	}
	free(shrinkers);
	shrinkers = NULL;
	nr_shrinker_slots = shrinker_hint = 0;
}

/* --- the registry ------------------------------------------------------- */

int shrinker_register(struct shrinker *s)
{
	int id = shrinker_hint;

	while (id < nr_shrinker_slots && shrinkers[id])
		id++;
	if (id == nr_shrinker_slots) {
		int n = nr_shrinker_slots ? 2 * nr_shrinker_slots : 64;
		struct shrinker **v = realloc(shrinkers, (size_t)n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (int i = nr_shrinker_slots; i < n; i++)
			v[i] = NULL;
		shrinkers = v;
		nr_shrinker_slots = n;
	}
	shrinkers[id] = s;
	s->id = id;
	shrinker_hint = id + 1;
	return 0;
}

void shrinker_unregister(struct shrinker *s)
{
	shrinkers[s->id] = NULL;
	if (s->id < shrinker_hint)
		shrinker_hint = s->id;
	s->id = -1;
}

/* --- shrink_slab --------------------------------------------------------- */

/* do_shrink_slab(): SHRINK_EMPTY if the shrinker has nothing for the
 * memcg, else the objects freed. */
static long do_shrink_slab(struct shrinker *s, struct shrink_control *sc,
			   int priority)
{
	long freeable = s->count_objects(s, sc), total, freed = 0;

	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return SHRINK_EMPTY;
	total = (freeable >> priority) * 4 / s->seeks;
	if (total > 2 * freeable)
		total = 2 * freeable;
	if (!total && !priority)
		total = freeable;
	while (total > 0) {
		long ret;

		sc->nr_to_scan = total < SHRINK_BATCH ? total : SHRINK_BATCH;
		total -= sc->nr_to_scan;
		ret = s->scan_objects(s, sc);
		if (ret == SHRINK_STOP || !ret)
			break;
		freed += ret;
	}
	return freed;
}

/* One bit of shrink_slab_memcg(): a SHRINK_EMPTY clears it, then the
 * shrinker is asked again in case an add raced with the clear. */
static void shrink_one(_Atomic uint64_t *w, int sid,
		       struct shrink_control *sc, int priority)
{
	struct shrinker *s = sid < nr_shrinker_slots ? shrinkers[sid] : NULL;
	uint64_t bit = 1ULL << (sid % UNIT_BITS);

	if (!s) {			/* unregistered since */
		atomic_fetch_and(w, ~bit);
		return;
	}
	if (do_shrink_slab(s, sc, priority) != SHRINK_EMPTY)
		return;
	atomic_fetch_and(w, ~bit);
	if (do_shrink_slab(s, sc, priority) != SHRINK_EMPTY)
		atomic_fetch_or(w, bit);
}

/* Without a bitmap (allocation failed once): every shrinker. */
static void shrink_all(struct shrink_control *sc, int priority)
{
	for (int sid = 0; sid < nr_shrinker_slots; sid++)
		if (shrinkers[sid])
			do_shrink_slab(shrinkers[sid], sc, priority);
}

int64_t shrink_slab(struct mem_cgroup *memcg, int priority)
{
	struct shrink_control sc = { .memcg_id = memcg_lru_id(memcg) };
	struct shrinker_info *_Atomic *slot;
	struct shrinker_info *info;

	if (!memcg->online)
		return 0;
	if (atomic_load(&info_failed)) {
		shrink_all(&sc, priority);
		return sc.freed_bytes;
	}
	slot = info_slot(sc.memcg_id, false);
	info = slot ? atomic_load(slot) : NULL;
	for (unsigned int u = 0; info && u < info->nr_units; u++) {
		_Atomic uint64_t *w = atomic_load(&info->unit[u]);
		uint64_t bits = w ? atomic_load(w) : 0;

		while (bits) {
			int b = __builtin_ctzll(bits);

			bits &= bits - 1;
			shrink_one(w, (int)(u * UNIT_BITS) + b, &sc, priority);
		}
	}
	return sc.freed_bytes;
}

bool shrinker_has_items(struct mem_cgroup *memcg)
{
	struct shrinker_info *_Atomic *slot;
	struct shrinker_info *info;

	if (!memcg->online)
		return false;
	if (atomic_load(&info_failed))
		return true;		/* no bitmap: assume so */
	slot = info_slot(memcg_lru_id(memcg), false);
	info = slot ? atomic_load(slot) : NULL;
	for (unsigned int u = 0; info && u < info->nr_units; u++) {
		_Atomic uint64_t *w = atomic_load(&info->unit[u]);

		if (w && atomic_load(w))
			return true;
	}
	return false;
}
