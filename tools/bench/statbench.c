/*
 * statbench.c - the cost of reading the root memory.stat of a memcgfs
 * mount holding N groups, of which 10 changed since the last read.
 *
 *   statbench MOUNTPOINT NGROUPS [ROUNDS]
 *
 * On a fresh mount: enables +memory at the root and in /p, makes
 * p/g0 .. p/g(N-1) (skipping those that exist), then ROUNDS times
 * (default 300): charges 8 bytes of percpu in 10 random groups (on
 * random virtual CPUs, so several CPUs' update trees hold work), and
 * times open + read of the whole root memory.stat + close.  The
 * charging is outside the timed part: only the read, which is where
 * rstat flushes and sum walks, is measured.  Prints the median and the
 * 10th/90th percentiles in microseconds.
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
	char path[4096], cmd[64];
	long ngroups, rounds = 300, got;
	const char *mnt;
	double *t;

	if (argc < 3) {
		fprintf(stderr, "usage: statbench MOUNTPOINT NGROUPS [ROUNDS]\n");
		return 2;
	}
	mnt = argv[1];
	ngroups = atol(argv[2]);
	if (argc > 3)
		rounds = atol(argv[3]);
	t = calloc((size_t)rounds, sizeof(*t));
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", mnt);
	if (!t || write_str(path, "+memory"))
		goto fail;
	snprintf(path, sizeof(path), "%s/p", mnt);
	if (mkdir(path, 0755) && errno != EEXIST)
		goto fail;
	snprintf(path, sizeof(path), "%s/p/cgroup.subtree_control", mnt);
	if (write_str(path, "+memory"))
		goto fail;
	for (long i = 0; i < ngroups; i++) {
		snprintf(path, sizeof(path), "%s/p/g%ld", mnt, i);
		if (mkdir(path, 0755) && errno != EEXIST)
			goto fail;
	}
	srand(1);
	snprintf(path, sizeof(path), "%s/memory.stat", mnt);
	read_all(path);			/* flush what mkdir left */
	for (long r = 0; r < rounds; r++) {
		double t0;

		for (int k = 0; k < 10; k++) {
			char gpath[4096];

			snprintf(gpath, sizeof(gpath), "%s/p/g%ld/sim.ctl", mnt,
				 rand() % ngroups);
			snprintf(cmd, sizeof(cmd), "percpu 8 cpu=%d", rand() % 2);
			if (write_str(gpath, cmd))
				goto fail;
		}
		t0 = now_us();
		got = read_all(path);
		t[r] = now_us() - t0;
		if (got <= 0)
			goto fail;
	}
	qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
	printf("%ld groups: root memory.stat read median %.1f us (p10 %.1f, "
	       "p90 %.1f) over %ld reads\n", ngroups, t[rounds / 2],
	       t[rounds / 10], t[rounds * 9 / 10], rounds);
	free(t);
	return 0;
fail:
	perror(path);
	free(t);
	return 1;
}
