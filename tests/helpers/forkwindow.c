/*
 * forkwindow - how long a forked child stays outside its parent's group
 * (the fork-following window of core/cn_proc.c).
 *
 *   forkwindow GROUP_DIR N
 *
 * Joins GROUP_DIR (writes its pid to GROUP_DIR/cgroup.procs), then N
 * times forks a child that waits on a pipe, and re-reads
 * GROUP_DIR/cgroup.procs until the child's pid is listed, timing from
 * fork()'s return in the parent; each child is then released and reaped.
 * Prints "window_us median M p90 P max X (N forks)"; a child not listed
 * within 2 s prints "not adopted PID" and exits 1.  Each poll is one
 * open+read+close of cgroup.procs, so the figures are upper bounds by
 * about one read (tens of microseconds).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int listed(const char *procs, pid_t pid)
{
	char buf[65536], *p, *end;
	int fd = open(procs, O_RDONLY), n, total = 0;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	for (p = buf; *p; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (v == pid)
			return 1;
		while (*end == '\n')
			end++;
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char procs[4096], me[32];
	int n, i, fd;
	double *w;

	if (argc != 3 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: forkwindow GROUP_DIR N\n");
		return 2;
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", argv[1]);
	fd = open(procs, O_WRONLY);
	snprintf(me, sizeof(me), "%d", getpid());
	if (fd < 0 || write(fd, me, strlen(me)) < 0) {
		perror(procs);
		return 2;
	}
	close(fd);
	w = calloc((size_t)n, sizeof(*w));
	for (i = 0; i < n; i++) {
		int p[2];
		char c;
		pid_t pid;
		double t0;

		if (pipe(p))
			return 2;
		pid = fork();
		if (pid == 0) {
			close(p[1]);
			_exit(read(p[0], &c, 1) < 0);
		}
		t0 = now_us();
		close(p[0]);
		while (!listed(procs, pid))
			if (now_us() - t0 > 2e6) {
				printf("not adopted %d\n", pid);
				kill(pid, SIGKILL);
				return 1;
			}
		w[i] = now_us() - t0;
		close(p[1]);
		waitpid(pid, NULL, 0);
	}
	qsort(w, (size_t)n, sizeof(*w), cmp);
	printf("window_us median %.0f p90 %.0f max %.0f (%d forks)\n",
	       w[n / 2], w[n * 9 / 10], w[n - 1], n);
	return 0;
}
