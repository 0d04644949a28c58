/*
 * memcg_id.c - a bitmap ID allocator; see memcg_id.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "memcg_id.h"

const char *const memcg_ids_policy_names[NR_IDS_POLICIES] = {
	[IDS_RECYCLE] = "recycle", [IDS_HOLD] = "hold",
};
enum memcg_ids_policy memcg_ids_policy;

int memcg_idr_init(struct memcg_idr *idr, unsigned int max)
{
	idr->bits = calloc(max / 64 + 1, sizeof(uint64_t));
	idr->max = max;
	idr->nr_used = 0;
	idr->hint = 0;
	if (!idr->bits)
		return -ENOMEM;
	idr->bits[0] = 1;	/* ID 0 is invalid, as in the kernel */
	return 0;
}

void memcg_idr_destroy(struct memcg_idr *idr)
{
	free(idr->bits);
	idr->bits = NULL;
}

int memcg_id_alloc(struct memcg_idr *idr)
{
	unsigned int w, nwords = idr->max / 64 + 1;

	for (w = idr->hint; w < nwords; w++) {
		unsigned int id;

		if (idr->bits[w] == ~0ULL)
			continue;
		id = w * 64 + __builtin_ctzll(~idr->bits[w]);
		if (id > idr->max)
			break;
		idr->bits[w] |= 1ULL << (id % 64);
		idr->nr_used++;
		idr->hint = w;
		return (int)id;
	}
	idr->hint = nwords;
	return -ENOSPC;
}

void memcg_id_free(struct memcg_idr *idr, int id)
{
	unsigned int w = (unsigned int)id / 64;

	if (id <= 0 || (unsigned int)id > idr->max ||
	    !(idr->bits[w] & (1ULL << (id % 64))))
		return;
	idr->bits[w] &= ~(1ULL << (id % 64));
	idr->nr_used--;
	if (w < idr->hint)
		idr->hint = w;
}
