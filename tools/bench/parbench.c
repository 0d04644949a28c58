/*
 * parbench.c - what one group's writer costs another group (issue 15).
 *
 *   parbench ctl MNT SECONDS GROUP...
 *	One writer process per GROUP (already made, memory enabled), all
 *	started together; each writes "anon 4K" and "free anon 4K" in turn
 *	to MNT/GROUP/sim.ctl through one open fd for SECONDS.  Prints the
 *	commands per second of all writers together:
 *	  writers N cmds_per_s X
 *
 *   parbench readlat MNT A B REPS SIZE
 *	Page cache of SIZE is written in group B (file data/parbench, a
 *	"mount data disk" must exist), then B's memory.reclaim is written
 *	SIZE, REPS times; meanwhile a reader process opens, reads and closes
 *	MNT/A/memory.current in a loop.  Reads that overlap a reclaim write
 *	are "busy", those that overlap neither it nor the page cache's
 *	write are "idle" (the same load around them):
 *	  idle n N median_us X p99_us Y
 *	  busy n N median_us X p99_us Y reclaim_ms_median Z
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "benchutil.h"

static int fail(const char *what)
{
	perror(what);
	return 1;
}

/* One writer: charge and free a page in turn until @deadline. */
static long ctl_writer(const char *mnt, const char *group, double deadline)
{
	static const char *const cmd[2] = { "anon 4K", "free anon 4K" };
	char path[4096];
	long n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/sim.ctl", mnt, group);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	while (now_us() < deadline) {
		if (write(fd, cmd[n & 1], strlen(cmd[n & 1])) < 0) {
			perror(path);
			n = -1;
			break;
		}
		n++;
	}
	/* Leave nothing charged: an odd count ends on a charge. */
	if (n > 0 && (n & 1) && write(fd, cmd[1], strlen(cmd[1])) < 0)
		n = -1;
	close(fd);
	return n;
}

static int run_ctl(const char *mnt, double secs, int nr, char **groups)
{
	long *counts = mmap(NULL, sizeof(long) * (size_t)nr,
			    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			    -1, 0);
	double start = now_us() + 200000, total = 0;
	int status, ret = 0;

	if (counts == MAP_FAILED)
		return fail("mmap");
	for (int i = 0; i < nr; i++) {
		pid_t p = fork();

		if (p < 0)
			return fail("fork");
		if (p == 0) {
			while (now_us() < start)
				;
			counts[i] = ctl_writer(mnt, groups[i],
					       start + secs * 1e6);
			_exit(counts[i] < 0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ret = 1;
	for (int i = 0; i < nr; i++)
		total += (double)counts[i];
	printf("writers %d cmds_per_s %.0f\n", nr, total / secs);
	return ret;
}

/* Latency samples of the reader, in µs, with their start times. */
struct sample {
	double start, us;
};

static double pct(double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return n ? v[i] : 0;
}

static void print_dist(const char *name, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%s n %zu median_us %.1f p90_us %.1f p99_us %.1f max_us %.1f",
	       name, n, pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99),
	       pct(v, n, 1));
}

/* Read @path until *stop, recording each open+read+close. */
static size_t reader(const char *path, struct sample *s, size_t max,
		     volatile int *stop)
{
	size_t n = 0;

	while (!*stop && n < max) {
		double t0 = now_us();

		if (read_all(path) < 0)
			return 0;
		s[n].start = t0;
		s[n].us = now_us() - t0;
		n++;
	}
	return n;
}

#define MAX_SAMPLES (1 << 20)
#define MAX_REPS 1000

struct shared {
	volatile int stop;
	size_t n;
	struct sample s[MAX_SAMPLES];
};

/* Does [t0, t1] overlap one of @n windows? */
static bool overlaps(double t0, double t1, double (*w)[2], int n)
{
	for (int r = 0; r < n; r++)
		if (t1 >= w[r][0] && t0 <= w[r][1])
			return true;
	return false;
}

static int run_readlat(const char *mnt, const char *a, const char *b,
		       int reps, const char *size)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	static double win[MAX_REPS][2], fill[MAX_REPS][2];
	static double busy[MAX_SAMPLES], idle[MAX_SAMPLES], rec_ms[MAX_REPS];
	char path[4096], bdir[2048], cmd[256];
	size_t nb = 0, ni = 0;
	pid_t p;
	int ret;

	if (sh == MAP_FAILED || reps > MAX_REPS)
		return fail("mmap");
	snprintf(path, sizeof(path), "%s/%s/memory.current", mnt, a);
	snprintf(bdir, sizeof(bdir), "%s/%s", mnt, b);
	p = fork();
	if (p < 0)
		return fail("fork");
	if (p == 0) {
		sh->n = reader(path, sh->s, MAX_SAMPLES, &sh->stop);
		_exit(sh->n == 0);
	}
	snprintf(cmd, sizeof(cmd), "write data/parbench %s", size);
	for (int r = 0; r < reps; r++) {
		/* The page cache is made under the exclusive lock: reads
		 * that overlap that are neither idle nor busy. */
		fill[r][0] = now_us();
		ret = put(bdir, "sim.ctl", cmd);
		fill[r][1] = now_us();
		if (ret)
			return fail("write page cache");
		usleep(30000);
		win[r][0] = now_us();
		ret = put(bdir, "memory.reclaim", size);
		win[r][1] = now_us();
		rec_ms[r] = (win[r][1] - win[r][0]) / 1000;
		/* EAGAIN: a little less than SIZE could go (a short file). */
		if (ret && ret != -EAGAIN)
			return fail("memory.reclaim");
		usleep(30000);
	}
	sh->stop = 1;
	waitpid(p, &ret, 0);
	/* Idle: the reads between, under the same load as the busy ones. */
	for (size_t i = 0; i < sh->n; i++) {
		double t0 = sh->s[i].start, t1 = t0 + sh->s[i].us;

		if (overlaps(t0, t1, fill, reps))
			continue;
		if (overlaps(t0, t1, win, reps))
			busy[nb++] = sh->s[i].us;
		else
			idle[ni++] = sh->s[i].us;
	}
	print_dist("idle", idle, ni);
	printf("\n");
	print_dist("busy", busy, nb);
	qsort(rec_ms, (size_t)reps, sizeof(double), cmp_double);
	printf(" reclaim_ms_median %.2f\n", rec_ms[reps / 2]);
	return !nb || !ni;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "ctl"))
		return run_ctl(argv[2], atof(argv[3]), argc - 4, argv + 4);
	if (argc == 7 && !strcmp(argv[1], "readlat"))
		return run_readlat(argv[2], argv[3], argv[4], atoi(argv[5]),
				   argv[6]);
	fprintf(stderr, "usage: parbench ctl MNT SECONDS GROUP...\n"
		"       parbench readlat MNT A B REPS SIZE\n");
	return 2;
}
