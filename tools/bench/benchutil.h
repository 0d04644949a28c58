/*
 * benchutil.h - the few helpers the benchmarks (statbench.c, lrubench.c,
 * zombiebench.c, allocbench.c) share: a clock, a comparator for medians,
 * a one-write file, a whole-file read, one key of a flat-keyed file.
 */
#ifndef MEMCGFS_BENCHUTIL_H
#define MEMCGFS_BENCHUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One write(2) of @s to @path: 0 or -errno. */
static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* One open + full read + close, as cat does: bytes read or -errno. */
static inline long read_all(const char *path)
{
	static char buf[1 << 17];
	long total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return n < 0 ? -errno : total;
}

/* write_str() to MNT/FILE. */
static inline int put(const char *mnt, const char *file, const char *s)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", mnt, file);
	return write_str(path, s);
}

/* The value of "KEY N" in MNT/FILE (the last one if repeated), or -1. */
static inline long long key_of(const char *mnt, const char *file,
			       const char *key)
{
	char path[4096], k[128];
	long long v, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", mnt, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%127s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

#endif
