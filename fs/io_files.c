/*
 * io_files.c - the io controller's files: io.stat (blk-cgroup.c),
 * io.max (block/blk-throttle.c tg_set_limit(), tg_prfill_limit()) and
 * io.weight (block/blk-iocost.c ioc_weight_write(), ioc_weight_show()),
 * io.bfq.weight (block/bfq-cgroup.c bfq_io_set_weight(),
 * bfq_io_set_device_weight(), bfq_io_show_weight()), Linux 6.12.  Disks are the host's; limits and weights are stored and
 * shown, no I/O is throttled or accounted, so io.stat is empty.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/blk_cgroup.h"
#include "ctl_parse.h"
#include "fs.h"
#include "parse.h"

int io_stat_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	(void)sb;
	return 0;
}

int io_max_show(struct of *of, struct strbuf *sb)
{
	const struct io_css *io = &of->cg->ctl->io;

	/* Newest blkg first (hlist_add_head on blkcg->blkg_list); a disk
	 * whose four limits are all max is not shown. */
	for (unsigned int i = io->nr_max; i-- > 0;) {
		const struct io_max_entry *e = &io->max[i];
		static const char *const key[] = { "rbps", "wbps" };
		static const char *const ikey[] = { "riops", "wiops" };

		if (e->bps[0] == IO_BPS_MAX && e->bps[1] == IO_BPS_MAX &&
		    e->iops[0] == IO_IOPS_MAX && e->iops[1] == IO_IOPS_MAX)
			continue;
		sb_printf(sb, "%u:%u", e->major, e->minor);
		for (int d = 0; d < 2; d++)
			if (e->bps[d] == IO_BPS_MAX)
				sb_printf(sb, " %s=max", key[d]);
			else
				sb_printf(sb, " %s=%llu", key[d],
					  (unsigned long long)e->bps[d]);
		for (int d = 0; d < 2; d++)
			if (e->iops[d] == IO_IOPS_MAX)
				sb_printf(sb, " %s=max", ikey[d]);
			else
				sb_printf(sb, " %s=%llu", ikey[d],
					  (unsigned long long)e->iops[d]);
		sb_putc(sb, '\n');
	}
	return 0;
}

/* blkg_conf_open_bdev(): sscanf("%u:%u%n"), then white space, then the
 * disk must exist and be a whole disk. */
static int open_bdev(struct of *of, const char **body, unsigned int *major,
		     unsigned int *minor)
{
	const char *p = *body;
	unsigned long long ma, mi;

	if (!kscan_ull(&p, &ma) || !kscan_lit(&p, ":") || !kscan_ull(&p, &mi))
		return of_fail(of, -EINVAL, "expected MAJ:MIN first");
	if (!strchr(" \t\n\v\f\r", *p) || !*p)
		return of_fail(of, -EINVAL, "expected a space after MAJ:MIN");
	blkdev_mkdev((unsigned int)ma, (unsigned int)mi, major, minor);
	*body = p;
	return blkdev_whole_disk(*major, *minor, &of->why);
}

/* One "key=value" token of tg_set_limit() into v[]. */
static int limit_token(struct of *of, char *tok, uint64_t v[4])
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	unsigned long long val = UINT64_MAX;
	char *p = tok;
	const char *q;
	int k;

	strsep(&p, "=");
	q = p;
	if (!p || (!kscan_ull(&q, &val) && strcmp(p, "max")))
		return of_fail(of, -EINVAL, "expected key=number or key=max");
	if (!val)
		return of_fail(of, -ERANGE, "a limit of 0 is refused");
	for (k = 0; k < 4; k++)
		if (!strcmp(tok, keys[k]))
			break;
	if (k == 4 || val <= 1)
		return of_fail(of, -EINVAL, "keys: rbps wbps riops wiops, values > 1");
	v[k] = k < 2 ? val : (val < IO_IOPS_MAX ? val : IO_IOPS_MAX);
	return 0;
}

int io_max_write(struct of *of, char *buf)
{
	const char *body = buf;
	unsigned int major, minor;
	struct io_max_entry *e;
	uint64_t v[4];
	char tok[27];
	int ret = open_bdev(of, &body, &major, &minor);

	if (ret)
		return ret;
	e = blkcg_max_entry(of->cg, major, minor);
	if (!e)
		return of_fail(of, -ENOMEM, "out of memory");
	v[0] = e->bps[0];
	v[1] = e->bps[1];
	v[2] = e->iops[0];
	v[3] = e->iops[1];
	while (kscan_str(&body, tok, 26)) {
		ret = limit_token(of, tok, v);
		if (ret)
			return ret;	/* the blkg stays, unchanged */
	}
	blkcg_set_max(e, &v[0], &v[2]);
	return 0;
}

int io_weight_show(struct of *of, struct strbuf *sb)
{
	/* No disk has iocost enabled (io.cost.qos), so no per-disk line. */
	sb_printf(sb, "default %u\n", of->cg->ctl->io.dfl_weight);
	return 0;
}

int io_weight_write(struct of *of, char *buf)
{
	const char *p = buf;
	unsigned long long v;
	unsigned int major, minor;
	int ret;

	if (!strchr(buf, ':')) {
		/* sscanf("default %u") || sscanf("%u"); %u keeps 32 bits */
		if (!(kscan_lit(&p, "default ") && kscan_ull(&p, &v))) {
			p = buf;
			if (!kscan_ull(&p, &v))
				return of_fail(of, -EINVAL, "expected [default] WEIGHT");
		}
		return blkcg_set_weight(of->cg, (unsigned int)v, &of->why);
	}
	ret = open_bdev(of, &p, &major, &minor);
	if (ret)
		return ret;
	/* blkg_conf_prep(): iocost is not enabled on any disk. */
	return of_fail(of, -EOPNOTSUPP,
		       "iocost is not enabled on this disk (no io.cost.qos)");
}

int io_bfq_weight_show(struct of *of, struct strbuf *sb)
{
	const struct io_css *io = &of->cg->ctl->io;

	sb_printf(sb, "default %u\n", io->bfq_weight);
	for (unsigned int i = io->nr_bfq; i-- > 0;)
		if (io->bfq[i].weight)
			sb_printf(sb, "%u:%u %u\n", io->bfq[i].major,
				  io->bfq[i].minor, io->bfq[i].weight);
	return 0;
}

/* bfq_io_set_device_weight(): "MAJ:MIN WEIGHT|default" on a BFQ disk. */
static int bfq_device_weight(struct of *of, char *buf)
{
	const char *body = buf, *p;
	unsigned int major, minor;
	struct io_bfq_weight *e;
	unsigned long long v;
	int ret = open_bdev(of, &body, &major, &minor);

	if (ret)
		return ret;
	if (!blkdev_uses_bfq(major, minor))
		return of_fail(of, -EOPNOTSUPP, "the disk's scheduler is not bfq");
	e = blkcg_bfq_entry(of->cg, major, minor);
	if (!e)
		return of_fail(of, -ENOMEM, "out of memory");
	p = body;
	if (kscan_ull(&p, &v)) {
		if (!v)
			return of_fail(of, -ERANGE, "weight 0; use default");
	} else if (!strcmp(strstrip((char *)body), "default")) {
		v = 0;
	} else {
		return of_fail(of, -EINVAL, "expected a weight or default");
	}
	return blkcg_set_bfq_device_weight(e, v, &of->why);
}

int io_bfq_weight_write(struct of *of, char *buf)
{
	const char *p;
	char *endp;
	unsigned long long v;

	buf = strstrip(buf);
	/* "WEIGHT" (strtoull base 0, all of it) or "default WEIGHT". */
	v = strtoull(buf, &endp, 0);
	if (*buf == '-' || *buf == '+' || isspace((unsigned char)*buf))
		endp = buf;	/* simple_strtoull() takes no sign */
	p = buf;
	if (*endp == '\0' || (kscan_lit(&p, "default ") && kscan_ull(&p, &v))) {
		if (*endp == '\0' && endp == buf)
			v = 0;
		return blkcg_set_bfq_weight(of->cg, v, &of->why);
	}
	return bfq_device_weight(of, buf);
}
