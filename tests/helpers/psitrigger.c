/*
 * psitrigger - arm a PSI trigger on a pressure file and wait for it, as
 * Documentation/accounting/psi.rst's example does.
 *
 *   psitrigger FILE "some|full THRESHOLD_US WINDOW_US" TIMEOUT_MS [CMD...]
 *
 * Opens FILE O_RDWR|O_NONBLOCK, writes the trigger in one write(2), then
 * forks CMD (if any) and poll()s for POLLPRI at most TIMEOUT_MS.  Prints
 * "POLLPRI after N ms" (N from the poll's start) or "timeout", or
 * "write: ERRNO_NAME" if the trigger is refused.  CMD is reaped before
 * the result is printed.  Exit status: 0 event, 1 timeout or refused,
 * 2 usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct pollfd p;
	long long start;
	pid_t child = -1;
	int fd, n;

	if (argc < 4) {
		fprintf(stderr, "usage: psitrigger FILE TRIGGER TIMEOUT_MS "
			"[CMD...]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (write(fd, argv[2], strlen(argv[2]) + 1) < 0) {
		printf("write: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (argc > 4) {
		child = fork();
		if (child == 0) {
			execvp(argv[4], argv + 4);
			_exit(127);
		}
	}
	p = (struct pollfd){ .fd = fd, .events = POLLPRI };
	start = now_ms();
	n = poll(&p, 1, atoi(argv[3]));
	if (child > 0)
		waitpid(child, NULL, 0);
	if (n < 0) {
		perror("poll");
		return 2;
	}
	if (n == 0 || !(p.revents & POLLPRI)) {
		printf("timeout\n");
		return 1;
	}
	printf("POLLPRI after %lld ms\n", now_ms() - start);
	return 0;
}
