/*
 * blk_cgroup.c - per-disk io configuration; see blk_cgroup.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blk_cgroup.h"
#include "cgroup.h"

#define MINORBITS 20
#define MINORMASK ((1U << MINORBITS) - 1)

void blkdev_mkdev(unsigned int major, unsigned int minor, unsigned int *ma,
		  unsigned int *mi)
{
	unsigned int dev = (major << MINORBITS) | minor;

	*ma = dev >> MINORBITS;
	*mi = dev & MINORMASK;
}

int blkdev_whole_disk(unsigned int major, unsigned int minor)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major, minor);
	if (stat(path, &st))
		return -ENODEV;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", major,
		 minor);
	return stat(path, &st) ? 0 : -ENODEV;
}

struct io_max_entry *blkcg_max_entry(struct cgroup *cg, unsigned int major,
				     unsigned int minor)
{
	struct io_css *io = &cg->ctl->io;
	struct io_max_entry *e;

	for (unsigned int i = 0; i < io->nr_max; i++)
		if (io->max[i].major == major && io->max[i].minor == minor)
			return &io->max[i];
	e = realloc(io->max, (io->nr_max + 1) * sizeof(*e));
	if (!e)
		return NULL;
	io->max = e;
	e += io->nr_max++;
	*e = (struct io_max_entry){
		.major = major, .minor = minor,
		.bps = { IO_BPS_MAX, IO_BPS_MAX },
		.iops = { IO_IOPS_MAX, IO_IOPS_MAX },
	};
	return e;
}

bool blkdev_uses_bfq(unsigned int major, unsigned int minor)
{
	char path[96], buf[256];
	FILE *f;
	bool bfq = false;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/scheduler",
		 major, minor);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		bfq = strstr(buf, "[bfq]") != NULL;
	fclose(f);
	return bfq;
}

struct io_bfq_weight *blkcg_bfq_entry(struct cgroup *cg, unsigned int major,
				      unsigned int minor)
{
	struct io_css *io = &cg->ctl->io;
	struct io_bfq_weight *e;

	for (unsigned int i = 0; i < io->nr_bfq; i++)
		if (io->bfq[i].major == major && io->bfq[i].minor == minor)
			return &io->bfq[i];
	e = realloc(io->bfq, (io->nr_bfq + 1) * sizeof(*e));
	if (!e)
		return NULL;
	io->bfq = e;
	e += io->nr_bfq++;
	*e = (struct io_bfq_weight){ .major = major, .minor = minor };
	return e;
}
