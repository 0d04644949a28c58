/*
 * pollwait - wait for a kernfs-style POLLPRI notification on one file.
 *
 *   pollwait [-s] [-N] [-d DELAY_MS] FILE TIMEOUT_MS [TRIGGER_CMD [ARG...]]
 *   pollwait [-s] [-N] [-d DELAY_MS] -F FD TIMEOUT_MS [TRIGGER_CMD [ARG...]]
 *
 * Opens FILE read-only and reads it to EOF: kernfs
 * (Documentation/admin-guide/cgroup-v2.rst
 * §3.3) reports POLLPRI|POLLERR on an fd once the file changed after that
 * fd last read it, so the read arms the event.  If TRIGGER_CMD is given it
 * is forked, and executed after DELAY_MS (default 100) so that the poll
 * below is already asleep when the change happens: the test then checks a
 * real wake-up, not a flag seen on entry.  poll() asks for POLLPRI only and
 * waits at most TIMEOUT_MS.  The trigger's exit status is ignored (a
 * trigger that fails on purpose, e.g. with ENOMEM, is fine); it is reaped
 * before the result is printed.
 *
 * Prints one line on stdout: the names of the revents bits, in bit order
 * ("POLLPRI POLLERR"), or "timeout".
 *   -F  poll the descriptor FD inherited from the caller (e.g. bash
 *       `exec 5<FILE` before an rmdir) instead of opening FILE.
 *   -N  do not read FILE before polling.
 *   -s  after an event, also check that it is sticky until re-read: poll
 *       again (0 ms) without reading and print "again: <revents>", then
 *       read FILE to EOF, poll (0 ms) once more and print
 *       "after read: <revents>".  Each is a line of its own.
 * Exit status: 0 event, 1 timeout, 2 usage or system error, 3 the trigger
 * could not be started.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: pollwait [-s] [-N] [-d DELAY_MS] "
		"(FILE | -F FD) TIMEOUT_MS [TRIGGER_CMD [ARG...]]\n");
	exit(2);
}

static int drain(int fd, const char *file)
{
	char buf[4096];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		fprintf(stderr, "pollwait: lseek %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0) {
		fprintf(stderr, "pollwait: read %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* "POLLPRI POLLERR", or "timeout" for 0. */
static void print_revents(const char *prefix, short revents)
{
	static const struct { short bit; const char *name; } bits[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" },
		{ POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" },
		{ POLLRDNORM, "POLLRDNORM" }, { POLLRDBAND, "POLLRDBAND" },
		{ POLLWRNORM, "POLLWRNORM" }, { POLLWRBAND, "POLLWRBAND" },
	};
	const char *sep = "";
	size_t i;

	printf("%s", prefix);
	if (!revents)
		printf("timeout");
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (revents & bits[i].bit) {
			printf("%s%s", sep, bits[i].name);
			sep = " ";
		}
	}
	printf("\n");
	fflush(stdout);
}

static int poll_once(int fd, int timeout_ms, short *revents)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		fprintf(stderr, "pollwait: poll: %s\n", strerror(errno));
		return -1;
	}
	*revents = n ? pfd.revents : 0;
	return 0;
}

int main(int argc, char **argv)
{
	int opt, fd = -1, timeout_ms, delay_ms = 100, status = 0, nfixed;
	bool sticky = false, noread = false;
	pid_t child = -1;
	short revents;
	const char *file = "(inherited fd)";
	char *end;

	while ((opt = getopt(argc, argv, "+sNd:F:")) != -1) {
		switch (opt) {
		case 's':
			sticky = true;
			break;
		case 'N':
			noread = true;
			break;
		case 'F':
			fd = (int)strtol(optarg, &end, 10);
			if (*end || fd < 0)
				usage();
			break;
		case 'd':
			delay_ms = (int)strtol(optarg, &end, 10);
			if (*end || delay_ms < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	nfixed = fd < 0 ? 2 : 1;	/* [FILE] TIMEOUT_MS */
	if (argc - optind < nfixed)
		usage();
	timeout_ms = (int)strtol(argv[optind + nfixed - 1], &end, 10);
	if (*end)
		usage();
	if (fd < 0) {
		file = argv[optind];
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "pollwait: open %s: %s\n", file,
				strerror(errno));
			return 2;
		}
	}
	optind += nfixed;	/* now at the trigger, if any */
	if (!noread && drain(fd, file))
		return 2;

	if (optind < argc) {
		child = fork();
		if (child < 0) {
			fprintf(stderr, "pollwait: fork: %s\n",
				strerror(errno));
			return 2;
		}
		if (child == 0) {
			struct timespec ts = {
				.tv_sec = delay_ms / 1000,
				.tv_nsec = (long)(delay_ms % 1000) * 1000000L,
			};

			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "pollwait: exec %s: %s\n",
				argv[optind], strerror(errno));
			_exit(127);
		}
	}

	if (poll_once(fd, timeout_ms, &revents))
		return 2;
	if (child > 0) {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	}
	print_revents("", revents);
	if (child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 3;
	if (!revents)
		return 1;
	if (sticky) {
		if (poll_once(fd, 0, &revents))
			return 2;
		print_revents("again: ", revents);
		if (drain(fd, file) || poll_once(fd, 0, &revents))
			return 2;
		print_revents("after read: ", revents);
	}
	close(fd);
	return 0;
}
