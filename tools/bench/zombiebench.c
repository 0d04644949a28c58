/*
 * zombiebench.c - what 100,000 dying memcgs cost memcgfs: the daemon's
 * memory per zombie and the read cost of the root's cgroup.stat,
 * memory.stat and sim.zombies.json against a mount without zombies.
 *
 *   zombiebench ZMNT ZPID EMNT NZOMBIES [ROUNDS]
 *
 * ZMNT (daemon ZPID) and EMNT are two fresh memcgfs mounts with the same
 * options.  Both get the same layout: +memory at the root and a tmpfs
 * "z" with a one-page file z/log.  Then on ZMNT only, NZOMBIES times:
 * mkdir gN, "write z/log 4K" to gN/sim.ctl (one shmem page appended to
 * the shared file, charged to gN), rmdir gN.  Under pages=pin the page
 * keeps gN dying: one zombie pinned by one real page each.  The root's
 * cgroup.stat must then say nr_dying_descendants NZOMBIES.
 *
 * Memory: the daemon's Rss and anonymous memory from
 * /proc/ZPID/smaps_rollup, read after the same warm-up reads of
 * cgroup.stat and memory.stat before and after the zombies are made,
 * and before the JSON is first read with zombies (what its rendering
 * leaves in the heap is shown apart, after the timed reads).  Per zombie
 * = difference / NZOMBIES, which counts everything the zombies cost:
 * their memcg, cgroup, statistics, the page descriptor and its slot in
 * the file's page array, table growth, allocator slack.  The slab
 * allocator's own pages (sim.slabinfo) are shown as a part of it.
 *
 * Reads: ROUNDS rounds (default 20), each timing 50 open+read+close of
 * the root cgroup.stat and memory.stat on each mount, alternating
 * between the mounts read by read, and in the first 5 rounds one read of
 * sim.zombies.json (tens of megabytes with 100,000 zombies).  Medians
 * over all samples; the targets compare ZMNT with EMNT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "benchutil.h"

#define PER_ROUND	50
#define TARGET_BYTES	2048	/* daemon memory per zombie */
#define TARGET_RATIO	1.1	/* cgroup.stat, memory.stat: zombies / none */
#define JSON_ROUNDS	5	/* seconds each with 100,000 zombies */

struct memsnap {
	long rss_kb, anon_kb;
	long long slab_bytes;
};

/* Bytes of slab pages over every cache of the mount's sim.slabinfo. */
static long long slab_bytes(const char *mnt)
{
	char path[4096], line[512];
	long long total = 0;
	unsigned long pps, slabs;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sim.slabinfo", mnt);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*u %*u %*u %*u %lu : tunables %*u %*u %*u "
			   ": slabdata %*u %lu", &pps, &slabs) == 2)
			total += (long long)pps * slabs * 4096;
	fclose(f);
	return total;
}

static int snapshot(const char *mnt, const char *pid, struct memsnap *s)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	s->rss_kb = s->anon_kb = -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Rss: %ld kB", &s->rss_kb);
		sscanf(line, "Anonymous: %ld kB", &s->anon_kb);
	}
	fclose(f);
	s->slab_bytes = slab_bytes(mnt);
	return s->rss_kb < 0 || s->anon_kb < 0 || s->slab_bytes < 0 ? -1 : 0;
}

static int setup(const char *mnt)
{
	return put(mnt, "cgroup.subtree_control", "+memory") ||
	       put(mnt, "sim.ctl", "mount z tmpfs") ||
	       put(mnt, "sim.ctl", "write z/log 4K");
}

static const char *const files[] = {
	"cgroup.stat", "memory.stat", "sim.zombies.json"
};
#define NFILES 3

/* A few reads of the first @nfiles files. */
static int warm_up(const char *mnt, int nfiles)
{
	char path[4096];

	for (int f = 0; f < nfiles; f++)
		for (int i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s", mnt, files[f]);
			if (read_all(path) < 0)
				return -1;
		}
	return 0;
}

static int make_zombies(const char *mnt, long n)
{
	char dir[4096], ctl[4200];

	for (long i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/g%ld", mnt, i);
		snprintf(ctl, sizeof(ctl), "%s/sim.ctl", dir);
		if (mkdir(dir, 0755) || write_str(ctl, "write z/log 4K") ||
		    rmdir(dir)) {
			perror(dir);
			return -1;
		}
	}
	return 0;
}

/* Samples of one file on one mount. */
struct series {
	double *t;
	long n;
	long bytes;
};

static int time_read(const char *mnt, const char *file, struct series *s)
{
	char path[4096];
	double t0;
	long got;

	snprintf(path, sizeof(path), "%s/%s", mnt, file);
	t0 = now_us();
	got = read_all(path);
	if (got < 0)
		return -1;
	s->t[s->n++] = now_us() - t0;
	s->bytes = got;
	return 0;
}

/*
 * One round: each file read on both mounts in turn, the mount read first
 * alternating, so that a slow spell of a shared machine hits both alike.
 */
static int time_round(const char *const mnts[2], long r,
		      struct series ser[2][NFILES])
{
	for (int f = 0; f < NFILES; f++) {
		int count = f == 2 ? (r < JSON_ROUNDS) : PER_ROUND;

		for (int i = 0; i < count; i++)
			for (int k = 0; k < 2; k++) {
				int m = (int)((r + i + k) % 2);

				if (time_read(mnts[m], files[f], &ser[m][f])) {
					perror(files[f]);
					return -1;
				}
			}
	}
	return 0;
}

static double median(struct series *s)
{
	qsort(s->t, (size_t)s->n, sizeof(*s->t), cmp_double);
	return s->t[s->n / 2];
}

static int verdict(const char *what, double v, double limit, const char *unit)
{
	int miss = v > limit;

	printf("  %s  %-40s %10.2f%s (target <= %.2f%s)\n", miss ? "MISS" : "PASS",
	       what, v, unit, limit, unit);
	return miss;
}

/* Per-zombie figures, the read table, PASS/MISS and "N MISS". */
static void report(long n, const struct memsnap m[3], double med[2][NFILES],
		  struct series ser[2][NFILES])
{
	double rss = (m[1].rss_kb - m[0].rss_kb) * 1024.0 / n;
	int misses = 0;

	printf("daemon memory (smaps_rollup) before %ld kB Rss / %ld kB anon, "
	       "with zombies %ld kB / %ld kB\n", m[0].rss_kb, m[0].anon_kb,
	       m[1].rss_kb, m[1].anon_kb);
	printf("per zombie: Rss %.0f B, anonymous %.0f B, of which slab "
	       "allocator pages %.0f B\n", rss,
	       (m[1].anon_kb - m[0].anon_kb) * 1024.0 / n,
	       (double)(m[1].slab_bytes - m[0].slab_bytes) / n);
	printf("after the JSON reads: Rss %.0f B per zombie (with what "
	       "rendering it left in the heap)\n",
	       (m[2].rss_kb - m[0].rss_kb) * 1024.0 / n);
	printf("%-18s %12s %12s %8s %12s\n", "root file", "empty_us",
	       "zombies_us", "ratio", "bytes");
	for (int f = 0; f < NFILES; f++)
		printf("%-18s %12.1f %12.1f %8.2f %12ld\n", files[f], med[1][f],
		       med[0][f], med[0][f] / med[1][f], ser[0][f].bytes);
	printf("(medians of %ld reads per file and mount, %ld for the JSON)\n",
	       ser[0][0].n, ser[0][2].n);
	misses += verdict("daemon memory per zombie (Rss)", rss, TARGET_BYTES,
			  " B");
	misses += verdict("cgroup.stat with / without zombies",
			  med[0][0] / med[1][0], TARGET_RATIO, "x");
	misses += verdict("memory.stat with / without zombies",
			  med[0][1] / med[1][1], TARGET_RATIO, "x");
	printf("  info  sim.zombies.json with / without zombies %10.0fx\n",
	       med[0][2] / med[1][2]);
	printf("%d MISS\n", misses);
}

/* The zombies, checked in the root's cgroup.stat of both mounts. */
static int make_and_check(const char *zmnt, const char *emnt, long n)
{
	double t0 = now_us();
	long long got;

	if (make_zombies(zmnt, n))
		return -1;
	printf("%ld zombies made in %.1f s (mkdir, write z/log 4K, rmdir each)\n",
	       n, (now_us() - t0) / 1e6);
	got = key_of(zmnt, "cgroup.stat", "nr_dying_descendants");
	if (got != n || key_of(emnt, "cgroup.stat", "nr_dying_descendants")) {
		fprintf(stderr, "zombiebench: root cgroup.stat: nr_dying_descendants "
			"%lld, want %ld (and 0 on the empty mount)\n", got, n);
		return -1;
	}
	printf("root cgroup.stat: nr_dying_descendants %ld\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	struct series ser[2][NFILES] = { 0 };
	const char *mnts[2], *zpid;
	double med[2][NFILES];
	struct memsnap m[3];
	long n, rounds = 20;

	if (argc < 5 || (n = atol(argv[4])) < 1 ||
	    (argc > 5 && (rounds = atol(argv[5])) < 1)) {
		fprintf(stderr, "usage: zombiebench ZMNT ZPID EMNT NZOMBIES [ROUNDS]\n");
		return 2;
	}
	mnts[0] = argv[1];
	zpid = argv[2];
	mnts[1] = argv[3];
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < NFILES; f++)
			if (!(ser[k][f].t = calloc((size_t)rounds * PER_ROUND,
						   sizeof(double))))
				return 1;
	if (setup(mnts[0]) || setup(mnts[1]) || warm_up(mnts[0], NFILES) ||
	    warm_up(mnts[1], NFILES) || snapshot(mnts[0], zpid, &m[0])) {
		perror("setup");
		return 1;
	}
	if (make_and_check(mnts[0], mnts[1], n))
		return 1;
	/* Not the JSON yet: what its rendering leaves is shown apart. */
	if (warm_up(mnts[0], 2) || snapshot(mnts[0], zpid, &m[1])) {
		perror("snapshot");
		return 1;
	}
	for (long r = 0; r < rounds; r++)
		if (time_round(mnts, r, ser))
			return 1;
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < NFILES; f++)
			med[k][f] = median(&ser[k][f]);
	if (snapshot(mnts[0], zpid, &m[2])) {
		perror("snapshot");
		return 1;
	}
	report(n, m, med, ser);
	return 0;
}
