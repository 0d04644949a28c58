/*
 * lrubench.c - the question in Davydov's 2013 per-memcg list_lru patches on
 * a mount: what does a memcg cost to
 * create (and remove) when NFS filesystems, each with a dentry and an
 * inode list_lru, are mounted?  And how fast does reclaim scan page cache
 * (with per-memcg shrinker bitmaps, whatever NFS is)?
 *
 *   lrubench MOUNTPOINT NFS [ITER]
 *
 * Mounts fs0..fs(NFS-1) through the root sim.ctl, then ITER times
 * (default 400) times mkdir and rmdir of a fresh group (each mkdir takes
 * a new memcg ID: eager list_lrus grow and reset a slot in every
 * list_lru, lazy ones do nothing until a dentry arrives), and prints the
 * medians in microseconds.  Then writes 256M of page cache in a group
 * and times memory.reclaim of all of it: pages scanned per second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

int main(int argc, char **argv)
{
	char buf[4096], dir[4096];
	long nfs, iter = 400, scanned;
	double *tm, *tr, t0, t;
	const char *mnt;

	if (argc < 3) {
		fprintf(stderr, "usage: lrubench MOUNTPOINT NFS [ITER]\n");
		return 2;
	}
	mnt = argv[1];
	nfs = atol(argv[2]);
	if (argc > 3)
		iter = atol(argv[3]);
	tm = calloc((size_t)iter, sizeof(*tm));
	tr = calloc((size_t)iter, sizeof(*tr));
	if (!tm || !tr || put(mnt, "cgroup.subtree_control", "+memory"))
		return 1;
	for (long i = 0; i < nfs; i++) {
		snprintf(buf, sizeof(buf), "mount fs%ld disk", i);
		if (put(mnt, "sim.ctl", buf))
			return 1;
	}
	for (long i = 0; i < iter; i++) {
		snprintf(dir, sizeof(dir), "%s/g%ld", mnt, i);
		t0 = now_us();
		if (mkdir(dir, 0755))
			return 1;
		tm[i] = now_us() - t0;
		t0 = now_us();
		if (rmdir(dir))
			return 1;
		tr[i] = now_us() - t0;
	}
	qsort(tm, (size_t)iter, sizeof(*tm), cmp_double);
	qsort(tr, (size_t)iter, sizeof(*tr), cmp_double);
	printf("%ld filesystems: mkdir %.1f us, rmdir %.1f us (medians of %ld)\n",
	       nfs, tm[iter / 2], tr[iter / 2], iter);

	snprintf(dir, sizeof(dir), "%s/r", mnt);
	if (mkdir(dir, 0755) || put(mnt, "sim.ctl", "mount rb disk") ||
	    put(mnt, "r/sim.ctl", "write rb/f 256M"))
		return 1;
	t0 = now_us();
	put(mnt, "r/memory.reclaim", "256M");
	t = now_us() - t0;
	scanned = (long)key_of(mnt, "r/memory.stat", "pgscan");
	printf("reclaim: %ld pages scanned in %.1f ms = %.0f pages/s\n", scanned,
	       t / 1000, scanned / (t / 1e6));
	return 0;
}
