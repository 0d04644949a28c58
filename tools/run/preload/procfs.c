/*
 * procfs.c - the /proc files and statfs that name the cgroup2 root (see
 * procfs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sys.h"
#include <unistd.h>

#include "ctl.h"
#include "procfs.h"

#define FAKE_MAX (256 * 1024)
#define FUSE_SUPER_MAGIC 0x65735546

enum fake { FAKE_NONE, FAKE_MOUNTS, FAKE_MOUNTINFO, FAKE_CGROUP, FAKE_SWAPS };

/* /proc/self/X, /proc/thread-self/X, /proc/<own pid or tid>/X. */
static enum fake classify(const char *path)
{
	static const struct { const char *name; enum fake f; } names[] = {
		{ "mounts", FAKE_MOUNTS }, { "mountinfo", FAKE_MOUNTINFO },
		{ "cgroup", FAKE_CGROUP },
	};
	const char *p, *slash;
	long id;

	if (strncmp(path, "/proc/", 6))
		return FAKE_NONE;
	p = path + 6;
	if (!strcmp(p, "mounts"))
		return FAKE_MOUNTS;
	if (!strcmp(p, "swaps"))
		return FAKE_SWAPS;
	slash = strchr(p, '/');
	if (!slash)
		return FAKE_NONE;
	if (!strncmp(p, "self/", 5) || !strncmp(p, "thread-self/", 12)) {
		/* ok */
	} else {
		char *end;

		id = strtol(p, &end, 10);
		if (end != slash || (id != getpid() && id != gettid()))
			return FAKE_NONE;
	}
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(slash + 1, names[i].name))
			return names[i].f;
	return FAKE_NONE;
}

static ssize_t read_all(const char *path, char *buf, size_t size)
{
	int fd = (int)sys(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < size - 1 &&
	       (n = (ssize_t)sys(SYS_read, fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	sys(SYS_close, fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/* The memcgfs mount at the root (a FUSE mount: not what it covers, nor
 * other mounts stacked at the same place). */
static bool is_root_mount(const char *mnt, const char *type)
{
	return !strcmp(mnt, ctl_root()) && !strncmp(type, "fuse", 4);
}

/* "SRC MNT TYPE OPTS 0 0" */
static void rewrite_mounts(const char *in, FILE *out)
{
	const char *line = in, *nl;

	for (; *line; line = nl + (*nl == '\n')) {
		char src[256], mnt[4096], type[64];

		nl = strchrnul(line, '\n');
		if (sscanf(line, "%255s %4095s %63s", src, mnt, type) != 3)
			continue;
		if (is_root_mount(mnt, type)) {
			fprintf(out, "cgroup2 %s cgroup2 rw,nosuid,nodev,noexec,"
				"relatime 0 0\n", mnt);
			continue;
		}
		if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2"))
			continue;	/* the host's: not this process's root */
		fprintf(out, "%.*s\n", (int)(nl - line), line);
	}
}

/* "ID PID MAJ:MIN ROOT MNT OPTS [TAGS] - TYPE SRC SUPEROPTS" */
static void rewrite_mountinfo(const char *in, FILE *out)
{
	const char *line = in, *nl;

	for (; *line; line = nl + (*nl == '\n')) {
		char mnt[4096], type[64];
		const char *dash;
		int pos = 0;

		nl = strchrnul(line, '\n');
		dash = strstr(line, " - ");
		if (!dash || dash > nl ||
		    sscanf(line, "%*s %*s %*s %*s %4095s%n", mnt, &pos) != 1 ||
		    sscanf(dash + 3, "%63s", type) != 1)
			continue;
		if (is_root_mount(mnt, type)) {
			fprintf(out, "%.*s - cgroup2 cgroup2 rw\n",
				(int)(dash - line), line);
			continue;
		}
		if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2"))
			continue;
		fprintf(out, "%.*s\n", (int)(nl - line), line);
	}
}

static int render(enum fake f, FILE *out)
{
	char *buf = malloc(FAKE_MAX);
	ssize_t n;

	if (!buf)
		return -1;
	if (f == FAKE_SWAPS) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/sim.swaps", ctl_root());
		if ((n = read_all(path, buf, FAKE_MAX)) > 0)
			fwrite(buf, 1, (size_t)n, out);
	} else if (f == FAKE_CGROUP) {
		n = ctl_self_cgroup(buf, FAKE_MAX - 1);
		if (n > 0)
			fwrite(buf, 1, (size_t)n, out);
	} else if ((n = read_all(f == FAKE_MOUNTS ? "/proc/self/mounts" :
				 "/proc/self/mountinfo", buf, FAKE_MAX)) >= 0) {
		if (f == FAKE_MOUNTS)
			rewrite_mounts(buf, out);
		else
			rewrite_mountinfo(buf, out);
	}
	free(buf);
	return n < 0 ? -1 : 0;
}

int procfs_open(int dirfd, const char *path, int flags)
{
	enum fake f;
	FILE *out;
	int fd;

	if (!ctl_ready() || !path || (path[0] != '/' && dirfd != AT_FDCWD))
		return -2;
	f = classify(path);
	if (f == FAKE_NONE)
		return -2;
	if ((flags & O_ACCMODE) != O_RDONLY) {
		errno = EACCES;
		return -1;
	}
	fd = memfd_create("memcgfs-run", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -1;
	out = fdopen(dup(fd), "w");
	if (!out || render(f, out)) {
		if (out)
			fclose(out);
		close(fd);
		errno = EIO;
		return -1;
	}
	fclose(out);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

void procfs_statfs(struct statfs *st)
{
	if (st->f_type == FUSE_SUPER_MAGIC)
		st->f_type = CGROUP2_SUPER_MAGIC;
}
