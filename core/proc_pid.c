/*
 * proc_pid.c - reading the host's /proc/PID files (proc_pid.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proc_pid.h"

int proc_pid_read(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	return (int)n;
}

const char *proc_pid_stat_fields(pid_t pid, char *buf, size_t size)
{
	char *p;

	if (proc_pid_read(pid, "stat", buf, size) < 0)
		return NULL;
	p = strrchr(buf, ')');
	return p ? p + 1 : NULL;
}
