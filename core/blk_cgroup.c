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
#include "why.h"

#define BFQ_MIN_WEIGHT 1
#define BFQ_MAX_WEIGHT 1000
#define MINORBITS 20
#define MINORMASK ((1U << MINORBITS) - 1)

void blkdev_mkdev(unsigned int major, unsigned int minor, unsigned int *ma,
		  unsigned int *mi)
{
	unsigned int dev = (major << MINORBITS) | minor;

	*ma = dev >> MINORBITS;
	*mi = dev & MINORMASK;
}

int blkdev_whole_disk(unsigned int major, unsigned int minor,
		      const char **why)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major, minor);
	if (stat(path, &st))
		return fail_why(why, -ENODEV, "no such disk");
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", major,
		 minor);
	return stat(path, &st) ? 0 : fail_why(why, -ENODEV,
					      "a partition, not a disk");
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

void blkcg_set_max(struct io_max_entry *e, const uint64_t bps[2],
		   const uint64_t iops[2])
{
	memcpy(e->bps, bps, sizeof(e->bps));
	memcpy(e->iops, iops, sizeof(e->iops));
}

int blkcg_set_weight(struct cgroup *cg, uint64_t weight, const char **why)
{
	if (weight < CGROUP_WEIGHT_MIN || weight > CGROUP_WEIGHT_MAX)
		return fail_why(why, -EINVAL, "io.weight is 1..10000");
	cg->ctl->io.dfl_weight = (unsigned int)weight;
	return 0;
}

int blkcg_set_bfq_weight(struct cgroup *cg, uint64_t weight, const char **why)
{
	if (weight < BFQ_MIN_WEIGHT || weight > BFQ_MAX_WEIGHT)
		return fail_why(why, -ERANGE, "io.bfq.weight is 1..1000");
	cg->ctl->io.bfq_weight = (unsigned int)weight;
	return 0;
}

int blkcg_set_bfq_device_weight(struct io_bfq_weight *e, uint64_t weight,
				const char **why)
{
	if (weight && (weight < BFQ_MIN_WEIGHT || weight > BFQ_MAX_WEIGHT))
		return fail_why(why, -ERANGE, "io.bfq.weight is 1..1000");
	e->weight = (unsigned int)weight;
	return 0;
}
