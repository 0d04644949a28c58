/*
 * runbench - what memcgfs-run costs a program (tools/bench/runbench.sh
 * runs it plain and under memcgfs-run and prints the ratios).
 *
 *   runbench malloc PAIRS         ns per malloc(64)/free pair (median of 7)
 *   runbench read FILE ROUNDS     ns per 4 KiB read(2), FILE read ROUNDS
 *                                 times front to back (median of 7 rounds)
 *   runbench ctl SIM.CTL FSPATH N ns per sim.ctl round trip: N writes of
 *                                 "access FSPATH 0 4096 in=self" (median of 7)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchutil.h"

#define RUNS 7

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int bench_malloc(long pairs)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_us();

		for (long i = 0; i < pairs; i++) {
			void *p = malloc(64);

			/* Keep the pair: the compiler may not elide it. */
			__asm__ volatile("" : : "r"(p) : "memory");
			free(p);
		}
		t[r] = (now_us() - t0) * 1000.0 / (double)pairs;
	}
	printf("malloc_free_64B_ns %.2f\n", median(t, RUNS));
	return 0;
}

static int bench_read(const char *file, int rounds)
{
	static char buf[4096];
	double t[RUNS];
	long reads = 0;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_us();
		long n = 0;

		for (int k = 0; k < rounds; k++) {
			lseek(fd, 0, SEEK_SET);
			while (read(fd, buf, sizeof(buf)) > 0)
				n++;
		}
		t[r] = (now_us() - t0) * 1000.0 / (double)n;
		reads = n;
	}
	close(fd);
	printf("read_4k_ns %.2f\nreads_per_run %ld\n", median(t, RUNS), reads);
	return 0;
}

static int bench_ctl(const char *ctl, const char *fspath, long n)
{
	char cmd[4200];
	double t[RUNS];
	int fd = open(ctl, O_WRONLY);
	size_t len;

	if (fd < 0) {
		perror(ctl);
		return 1;
	}
	len = (size_t)snprintf(cmd, sizeof(cmd), "access %s 0 4096 in=self",
			       fspath);
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_us();

		for (long i = 0; i < n; i++)
			if (write(fd, cmd, len) != (ssize_t)len) {
				perror("sim.ctl");
				return 1;
			}
		t[r] = (now_us() - t0) * 1000.0 / (double)n;
	}
	close(fd);
	printf("round_trip_ns %.0f\n", median(t, RUNS));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "malloc"))
		return bench_malloc(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "read"))
		return bench_read(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "ctl"))
		return bench_ctl(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr, "usage: runbench malloc PAIRS | read FILE ROUNDS | "
		"ctl SIM.CTL FSPATH N\n");
	return 2;
}
