/*
 * inotifywait_ms - wait for IN_MODIFY on one file and say how long after
 * a trigger it came.
 *
 *   inotifywait_ms [-n COUNT] [-q QUIET_MS] FILE TIMEOUT_MS [TRIGGER_CMD [ARG...]]
 *
 * Adds an IN_MODIFY watch on FILE (inotify_add_watch, as inotifywait,
 * containerd's and runc's OOM monitors do), then runs TRIGGER_CMD and
 * waits (at most TIMEOUT_MS after the trigger exits) for COUNT events
 * (default 1).  With -n 0 it only counts, for QUIET_MS after the trigger,
 * and prints "total N".  The trigger's exit status is ignored (a trigger that fails
 * with ENOMEM on purpose is fine).
 *
 * Prints one line: "modify N ms" with N the time from the trigger's exit
 * to the COUNT-th event (negative if it came before the exit), or
 * "timeout after K events".  With -q, it then keeps counting events for
 * QUIET_MS more and prints "total T over M ms", M the time from the
 * trigger's start to the last event (to check rate limits), or "total 0"
 * (to check that no event is raised where none belongs).
 * Exit status: 0 the events came, 1 timeout, 2 usage or system error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Read what is queued; the number of IN_MODIFY events in it. */
static int drain(int fd)
{
	char buf[4096] __attribute__((aligned(8)));
	int n = 0;
	ssize_t len = read(fd, buf, sizeof(buf));

	for (ssize_t off = 0; len > 0 && off < len;) {
		const struct inotify_event *ev = (const void *)(buf + off);

		if (ev->mask & IN_MODIFY)
			n++;
		off += (ssize_t)sizeof(*ev) + ev->len;
	}
	return n;
}

/* Count events until @until_ms; stop early once @want are in. */
static int count_until(int fd, double until_ms, int have, int want,
		       double *at)
{
	while (have < want || want == 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = until_ms - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left + 1) <= 0)
			break;
		have += drain(fd);
		*at = now_ms();
	}
	return have;
}

int main(int argc, char **argv)
{
	int want = 1, quiet_ms = -1, c, fd, got = 0, status;
	double trig_start = now_ms(), trig_end = 0, at = 0;
	pid_t pid = 0;

	while ((c = getopt(argc, argv, "+n:q:")) != -1) {
		if (c == 'n')
			want = atoi(optarg);
		else if (c == 'q')
			quiet_ms = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: inotifywait_ms [-n COUNT] [-q QUIET_MS] "
			"FILE TIMEOUT_MS [TRIGGER_CMD [ARG...]]\n");
		return 2;
	}
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, argv[optind], IN_MODIFY) < 0) {
		perror(argv[optind]);
		return 2;
	}
	if (argc - optind > 2) {
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			execvp(argv[optind + 2], argv + optind + 2);
			_exit(127);
		}
		/* Events that come while the trigger runs count too. */
		while (waitpid(pid, &status, WNOHANG) == 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 1) > 0) {
				got += drain(fd);
				at = now_ms();
			}
		}
	}
	trig_end = now_ms();
	if (got < want)
		got = count_until(fd, trig_end + atoi(argv[optind + 1]), got,
				  want, &at);
	if (want == 0 && quiet_ms >= 0) {
		got = count_until(fd, now_ms() + quiet_ms, got, 0, &at);
		printf("total %d\n", got);
		return 0;
	}
	if (got < want) {
		printf("timeout after %d events\n", got);
		return 1;
	}
	printf("modify %.0f ms\n", at - trig_end);
	if (quiet_ms >= 0) {
		got = count_until(fd, now_ms() + quiet_ms, got, 0, &at);
		printf("total %d over %.0f ms\n", got, at - trig_start);
	}
	return 0;
}
