/*
 * clone_into DIR: clone3(CLONE_INTO_CGROUP) into the cgroup directory DIR,
 * as the kernel selftests' clone_into_cgroup() does (through syscall(2)).
 * The child prints its /proc/self/cgroup and exits 0; the parent prints
 * "populated while the child lives: LINE" from DIR/cgroup.events and the
 * child's exit status, then "populated once waited for: LINE", or
 * "clone3: ERRNO-NAME" if the clone failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void print_file(const char *prefix, const char *path)
{
	char buf[256];
	FILE *f = fopen(path, "r");

	if (f && fgets(buf, sizeof(buf), f))
		printf("%s%s", prefix, buf);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	struct clone_args args = { .flags = CLONE_INTO_CGROUP,
				   .exit_signal = SIGCHLD };
	char events[4096];
	int fd, status;
	pid_t pid;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_DIRECTORY | O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 2;
	args.cgroup = (__u64)fd;
	pid = (pid_t)syscall(__NR_clone3, &args, sizeof(args));
	if (pid < 0) {
		printf("clone3: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (pid == 0) {
		print_file("child: ", "/proc/self/cgroup");
		fflush(stdout);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &status, WUNTRACED);
	snprintf(events, sizeof(events), "%s/cgroup.events", argv[1]);
	print_file("populated while the child lives: ", events);
	kill(pid, SIGCONT);
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	print_file("populated once waited for: ", events);
	return 0;
}
