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
 * or a partition. */
int blkdev_whole_disk(unsigned int major, unsigned int minor);
/* Is BFQ the disk's I/O scheduler (its blkcg policy is then on)? */
bool blkdev_uses_bfq(unsigned int major, unsigned int minor);
/* The io.bfq.weight entry of a disk, created (0: none) on first use. */
struct io_bfq_weight *blkcg_bfq_entry(struct cgroup *cg, unsigned int major,
				      unsigned int minor);
/* The io.max line of a disk, created (all max) on first use, as a blkg. */
struct io_max_entry *blkcg_max_entry(struct cgroup *cg, unsigned int major,
				     unsigned int minor);

#endif
