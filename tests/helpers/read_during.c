/*
 * read_during - do readers wait for a write?  Writes VALUE to WFILE in a
 * child (one write(2), as `echo VALUE >WFILE` does) and meanwhile opens,
 * reads and closes RFILE in a loop until the write returns.  Prints
 *
 *   reads N write_ms T max_read_ms M
 *
 * A reader blocked by the write for its whole length gets one or two
 * reads through; one that runs beside it gets hundreds.
 *
 *   read_during RFILE WFILE VALUE
 *
 * Status 1 when the write failed (its errno on stderr), 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, value, strlen(value));

	if (n < 0)
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return n < 0;
}

static double read_once(const char *path)
{
	double t = now_ms();
	char buf[256];
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0)
			perror(path);
		close(fd);
	}
	return now_ms() - t;
}

int main(int argc, char **argv)
{
	double t0, max = 0, d;
	long n = 0;
	int status;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: read_during RFILE WFILE VALUE\n");
		return 2;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		_exit(write_value(argv[2], argv[3]));
	while (waitpid(pid, &status, WNOHANG) == 0) {
		d = read_once(argv[1]);
		max = d > max ? d : max;
		n++;
	}
	printf("reads %ld write_ms %.1f max_read_ms %.1f\n", n, now_ms() - t0,
	       max);
	return !WIFEXITED(status) || WEXITSTATUS(status);
}
