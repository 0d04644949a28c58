/*
 * snapshot.h - the rendered content of an open file, shared between the
 * opens that read the same bytes.
 *
 * A read at offset 0 renders the whole file (seq_file-like); each fd
 * must keep what it rendered until its next read at 0, for a consistent
 * view across short reads.  Kept per fd, 40 opens of a 27.6 MB
 * sim.zombies held 40 copies (issue 12).  A snapshot is immutable and
 * refcounted, and a new rendering equal to a live snapshot (same length,
 * same hash, same bytes) takes a reference to it instead: memory is
 * bounded by the distinct contents, whatever the number of opens.
 * Renderings under a page stay private: no lock on the hot small reads.
 */
#ifndef MEMCGFS_SNAPSHOT_H
#define MEMCGFS_SNAPSHOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../core/strbuf.h"

struct snapshot {
	char *buf;
	size_t len;
	uint64_t hash;
	_Atomic int refs;		/* drops to 0 under the table's lock
					 * when shared */
	bool shared;			/* in the table (not a small one) */
	struct snapshot *next;		/* in its hash bucket */
};

/* Takes @sb's bytes (leaving @sb empty) and returns a shared snapshot of
 * them, or NULL without memory (@sb is released then). */
struct snapshot *snapshot_share(struct strbuf *sb);
/* Another reference to @s, which the caller holds one of: a read replies
 * from it after dropping the fd's lock. */
struct snapshot *snapshot_get(struct snapshot *s);
void snapshot_put(struct snapshot *s);
/* Live distinct snapshots and their bytes (tests, sim files). */
void snapshot_stats(size_t *nr, size_t *bytes);

/*
 * Renderings change by the second (sim.zombies' age_seconds), so sharing
 * alone does not bound what a user's fds hold.  Each unprivileged uid may
 * hold at most SNAPSHOT_USER_BUDGET bytes of renderings across its open
 * fds (each fd counts what it holds); a read at offset 0 past that is
 * ENOMEM, as a kernel's seq_file read is when its buffer cannot be had.
 */
#define SNAPSHOT_USER_BUDGET (64UL << 20)
int snapshot_charge(uid_t uid, size_t bytes);
void snapshot_uncharge(uid_t uid, size_t bytes);

#endif
