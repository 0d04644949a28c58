/*
 * proc_pid.c - reading the host's /proc/PID files (proc_pid.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The value of "@key:" in a /proc file of "Key:   value kB" lines. */
static long kb_field(const char *buf, const char *key)
{
	size_t len = strlen(key);
	const char *p;

	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ':')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

long proc_pid_anon_kb(pid_t pid)
{
	char buf[4096];
	long kb;

	if (proc_pid_read(pid, "smaps_rollup", buf, sizeof(buf)) < 0)
		return -ESRCH;
	kb = kb_field(buf, "Pss_Anon");
	if (kb < 0)
		kb = kb_field(buf, "Anonymous");
	return kb < 0 ? -ESRCH : kb;
}
