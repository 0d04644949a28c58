/*
 * vforkchild - a vforked child that does not exec.
 *
 *   vforkchild SECONDS
 *
 * vfork()s a child that sleeps SECONDS and _exit(7)s without exec, as
 * test_freezer's test_cgfreezer_vfork does (its child sleeps forever);
 * the parent, resumed, waits for it and prints "child PID exit 7".  Under
 * memcgfs-run both must be members of the group while the child sleeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int secs = argc > 1 ? (unsigned int)atoi(argv[1]) : 1;
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		sleep(secs);
		_exit(7);
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		perror("waitpid");
		return 1;
	}
	printf("child %d exit %d\n", (int)pid, WEXITSTATUS(status));
	return 0;
}
