/*
 * renotify - does a removed group's pending IN_MODIFY reach the group
 * made next under its name?
 *
 *   renotify GROUP_DIR FILE CMD N MS
 *
 * Writes CMD to GROUP_DIR/sim.ctl N times (each raising FILE's
 * notification; all but the first within the 10 ms rate limit, so one is
 * left pending on a timer), removes GROUP_DIR and makes it again at once
 * (as the kernel's selftests reuse "memcg_test"), then watches the new
 * GROUP_DIR/FILE for IN_MODIFY for MS ms.  Prints "IN_MODIFY COUNT".  On a
 * kernel the removal deletes the pending notification (cgroup_rm_file()),
 * so COUNT is 0.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX], buf[4096];
	int n, ms, ifd, count = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: renotify GROUP_DIR FILE CMD N MS\n");
		return 2;
	}
	n = atoi(argv[4]);
	ms = atoi(argv[5]);
	snprintf(path, sizeof(path), "%s/sim.ctl", argv[1]);
	for (int i = 0; i < n; i++) {
		int fd = open(path, O_WRONLY);

		if (fd < 0 || write(fd, argv[3], strlen(argv[3])) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	if (rmdir(argv[1]) || mkdir(argv[1], 0755)) {
		perror(argv[1]);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", argv[1], argv[2]);
	ifd = inotify_init1(IN_NONBLOCK);
	if (ifd < 0 || inotify_add_watch(ifd, path, IN_MODIFY) < 0) {
		perror(path);
		return 1;
	}
	for (;;) {
		struct pollfd p = { .fd = ifd, .events = POLLIN };
		ssize_t got;

		if (poll(&p, 1, ms) <= 0)
			break;
		while ((got = read(ifd, buf, sizeof(buf))) > 0)
			for (char *e = buf; e < buf + got;
			     e += sizeof(struct inotify_event) +
				  ((struct inotify_event *)e)->len)
				count++;
	}
	printf("IN_MODIFY %d\n", count);
	return 0;
}
