/*
 * blk_cgroup.h - the io controller's per-disk configuration
 * (block/blk-cgroup.c blkg_conf_open_bdev(), block/blk-throttle.c
 * tg_set_limit(), Linux 6.12).  Disks are the host's real block
 * devices, found in /sys/dev/block; nothing is throttled.
 * Callers hold cgroup_mutex for writing.
 */
#ifndef MEMCGFS_BLK_CGROUP_H
#define MEMCGFS_BLK_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_controllers.h"

struct cgroup;

#define IO_BPS_MAX UINT64_MAX
#define IO_IOPS_MAX 4294967295ULL	/* UINT_MAX */

/* MKDEV(major, minor) of the kernel (12:20 bits) back into its parts. */
void blkdev_mkdev(unsigned int major, unsigned int minor, unsigned int *ma,
		  unsigned int *mi);
/* blkdev_get_no_open() + bdev_is_partition(): 0, or -ENODEV for no disk
 * or a partition.  The setters below check what the kernel's do; all
 * failures say why in *@why (why.h) and change nothing. */
int blkdev_whole_disk(unsigned int major, unsigned int minor,
		      const char **why);
/* Is BFQ the disk's I/O scheduler (its blkcg policy is then on)? */
bool blkdev_uses_bfq(unsigned int major, unsigned int minor);
/* The io.bfq.weight entry of a disk, created (0: none) on first use. */
struct io_bfq_weight *blkcg_bfq_entry(struct cgroup *cg, unsigned int major,
				      unsigned int minor);
/* The io.max line of a disk, created (all max) on first use, as a blkg. */
struct io_max_entry *blkcg_max_entry(struct cgroup *cg, unsigned int major,
				     unsigned int minor);
/* io.max of a disk (tg_set_limit()): bytes and IOs per second, read and
 * write; IO_BPS_MAX / IO_IOPS_MAX: max. */
void blkcg_set_max(struct io_max_entry *e, const uint64_t bps[2],
		   const uint64_t iops[2]);
/* io.weight's default, 1..10000, else -EINVAL (ioc_weight_write()). */
int blkcg_set_weight(struct cgroup *cg, uint64_t weight, const char **why);
/* io.bfq.weight's default, 1..1000, else -ERANGE (bfq_io_set_weight()),
 * and a disk's: 0 (back to the default) or 1..1000
 * (bfq_io_set_device_weight()). */
int blkcg_set_bfq_weight(struct cgroup *cg, uint64_t weight, const char **why);
int blkcg_set_bfq_device_weight(struct io_bfq_weight *e, uint64_t weight,
				const char **why);

#endif
