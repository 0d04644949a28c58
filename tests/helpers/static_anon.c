/*
 * static_anon MIB HOLD_MS [CMD ARG...] - a statically linked program
 * (built with -static, as Go's are): maps MIB MiB of anonymous memory,
 * touches every page, prints "touched", and, given CMD, forks a child
 * that runs it 200 ms later (as runc runs `runc init`, then a container's
 * process); then holds the memory for HOLD_MS ms, waits for the child and
 * exits 0.  Under
 * memcgfs-run it loads no LD_PRELOAD library, so what gets charged is
 * what the daemon reads from its /proc/PID/smaps_rollup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t size;
	long ms;
	char *p;
	struct timespec ts;

	if (argc < 3) {
		fprintf(stderr, "usage: static_anon MIB HOLD_MS [CMD ARG...]\n");
		return 2;
	}
	size = (size_t)atol(argv[1]) << 20;
	ms = atol(argv[2]);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(p, 1, size);
	printf("touched\n");
	fflush(stdout);
	if (argc > 3 && fork() == 0) {
		/* Exec once the daemon has adopted the fork (its window is
		 * a few ms), so the child starts in its parent's smaps mode. */
		struct timespec adopt = { 0, 200 * 1000000 };

		nanosleep(&adopt, NULL);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	nanosleep(&ts, NULL);
	while (wait(NULL) > 0)
		;
	return 0;
}
