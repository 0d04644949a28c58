/*
 * readbench: latency of open+read+close, and mkdir+rmdir throughput.
 *
 * Read mode:   readbench [-n ITER] [-w WARMUP] [-r ROUNDS] PATH...
 *
 *   One sample is open(O_RDONLY) + ONE read(2) of a 64 KiB buffer at
 *   offset 0 + close(2), timed with CLOCK_MONOTONIC.  That is how
 *   pread-style consumers (and `cat` on any of these small files) fetch
 *   a whole small file; the EOF read that `cat` adds is not timed.  The
 *   whole content must fit: a read that returns 0 or fails, or fills the
 *   buffer completely (content may be cut), aborts the run.
 *
 *   The paths are measured in ROUNDS rounds (default 5); round r starts
 *   with path r mod N and goes on in order, so every path is measured
 *   early and late, right after each of the others.  In each round every
 *   path first gets WARMUP untimed cycles (default 100), then ITER timed
 *   ones (default 1000).  Samples of all rounds are pooled.  Output, one
 *   line per value, PATH never contains blanks in our use:
 *
 *     samples PATH N
 *     bytes PATH N        (bytes returned by the last read)
 *     median_ns PATH N
 *     p10_ns PATH N
 *     p90_ns PATH N
 *     round_median_ns PATH R N   (the median of round R alone)
 *
 * mkdir mode:  readbench -m DIR [-n N] [-w WARMUP]
 *
 *   Times N pairs of mkdir(DIR/rb.PID.I) + rmdir of the same name (a new
 *   name each time), after WARMUP untimed pairs, and prints
 *
 *     pairs DIR N
 *     pairs_per_s DIR X
 *     pair_median_ns DIR N
 *
 * Any failing system call aborts with a message and exit status 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RB_BUFSIZE (64 * 1024)

static char rb_buf[RB_BUFSIZE];

static void die(const char *what, const char *path)
{
	fprintf(stderr, "readbench: %s %s: %s\n", what, path,
		errno ? strerror(errno) : "failed");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of n sorted samples, nearest rank. */
static uint64_t quantile(const uint64_t *sorted, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);

	return sorted[i < n ? i : n - 1];
}

static uint64_t median_of(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return quantile(v, n, 0.5);
}

/* One open+read+close; returns the bytes read, aborts on any failure. */
static size_t read_once(const char *path)
{
	ssize_t n;
	int fd;

	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", path);
	n = read(fd, rb_buf, sizeof(rb_buf));
	if (n < 0)
		die("read", path);
	if (n == 0) {
		fprintf(stderr, "readbench: read %s: returned 0 bytes\n",
			path);
		exit(1);
	}
	if ((size_t)n == sizeof(rb_buf)) {
		fprintf(stderr, "readbench: read %s: content does not fit "
			"in %d bytes\n", path, RB_BUFSIZE);
		exit(1);
	}
	if (close(fd) != 0)
		die("close", path);
	return (size_t)n;
}

static int read_mode(char **paths, int npaths, size_t iters, size_t warmup,
		     int rounds)
{
	size_t per_path = iters * (size_t)rounds;
	uint64_t *samples = calloc((size_t)npaths * per_path, sizeof(*samples));
	uint64_t *round_med = calloc((size_t)npaths * (size_t)rounds,
				     sizeof(*round_med));
	uint64_t *tmp = calloc(iters, sizeof(*tmp));
	size_t *bytes = calloc((size_t)npaths, sizeof(*bytes));

	if (!samples || !round_med || !tmp || !bytes) {
		fprintf(stderr, "readbench: out of memory\n");
		return 1;
	}

	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < npaths; k++) {
			int p = (r + k) % npaths;
			uint64_t *s = samples + (size_t)p * per_path +
				      (size_t)r * iters;

			for (size_t i = 0; i < warmup; i++)
				read_once(paths[p]);
			for (size_t i = 0; i < iters; i++) {
				uint64_t t0 = now_ns();

				bytes[p] = read_once(paths[p]);
				s[i] = now_ns() - t0;
			}
			memcpy(tmp, s, iters * sizeof(*tmp));
			round_med[(size_t)p * rounds + r] =
				median_of(tmp, iters);
		}
	}

	for (int p = 0; p < npaths; p++) {
		uint64_t *s = samples + (size_t)p * per_path;

		qsort(s, per_path, sizeof(*s), cmp_u64);
		printf("samples %s %zu\n", paths[p], per_path);
		printf("bytes %s %zu\n", paths[p], bytes[p]);
		printf("median_ns %s %" PRIu64 "\n", paths[p],
		       quantile(s, per_path, 0.5));
		printf("p10_ns %s %" PRIu64 "\n", paths[p],
		       quantile(s, per_path, 0.1));
		printf("p90_ns %s %" PRIu64 "\n", paths[p],
		       quantile(s, per_path, 0.9));
		for (int r = 0; r < rounds; r++)
			printf("round_median_ns %s %d %" PRIu64 "\n", paths[p],
			       r, round_med[(size_t)p * rounds + r]);
	}
	free(samples);
	free(round_med);
	free(tmp);
	free(bytes);
	return fflush(stdout) == 0 ? 0 : 1;
}

static uint64_t mkdir_rmdir(const char *dir, size_t i)
{
	char name[PATH_MAX];
	uint64_t t0;
	int n = snprintf(name, sizeof(name), "%s/rb.%ld.%zu", dir,
			 (long)getpid(), i);

	if (n < 0 || (size_t)n >= sizeof(name)) {
		fprintf(stderr, "readbench: %s: path too long\n", dir);
		exit(1);
	}
	errno = 0;
	t0 = now_ns();
	if (mkdir(name, 0755) != 0)
		die("mkdir", name);
	if (rmdir(name) != 0)
		die("rmdir", name);
	return now_ns() - t0;
}

static int mkdir_mode(const char *dir, size_t n, size_t warmup)
{
	uint64_t *s = calloc(n, sizeof(*s));
	uint64_t total = 0;

	if (!s) {
		fprintf(stderr, "readbench: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < warmup; i++)
		mkdir_rmdir(dir, i);
	for (size_t i = 0; i < n; i++) {
		s[i] = mkdir_rmdir(dir, warmup + i);
		total += s[i];
	}
	printf("pairs %s %zu\n", dir, n);
	printf("pairs_per_s %s %.0f\n", dir, (double)n * 1e9 / (double)total);
	printf("pair_median_ns %s %" PRIu64 "\n", dir, median_of(s, n));
	free(s);
	return fflush(stdout) == 0 ? 0 : 1;
}

static size_t parse_count(const char *s, const char *opt, size_t min)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || v < min ||
	    v > 100000000ULL) {
		fprintf(stderr, "readbench: bad %s value '%s'\n", opt, s);
		exit(2);
	}
	return (size_t)v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: readbench [-n ITER] [-w WARMUP] [-r ROUNDS] PATH...\n"
		"       readbench -m DIR [-n PAIRS] [-w WARMUP]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	size_t iters = 1000, warmup = 100, rounds = 5;
	const char *dir = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:r:m:h")) != -1) {
		switch (opt) {
		case 'n':
			iters = parse_count(optarg, "-n", 1);
			break;
		case 'w':
			warmup = parse_count(optarg, "-w", 0);
			break;
		case 'r':
			rounds = parse_count(optarg, "-r", 1);
			break;
		case 'm':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (dir) {
		if (optind != argc)
			usage();
		return mkdir_mode(dir, iters, warmup);
	}
	if (optind == argc || rounds > 1000)
		usage();
	return read_mode(argv + optind, argc - optind, iters, warmup,
			 (int)rounds);
}
