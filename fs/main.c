/*
 * main.c - memcgfs: a cgroup v2 hierarchy with an emulated memory
 * controller, served over FUSE.
 *
 *   memcgfs [-f] [-s] [-d] [-o opt[,opt...]] [SOURCE] MOUNTPOINT
 *
 * Mount, mkdir/rmdir groups and drive them with cat/echo exactly as
 * /sys/fs/cgroup.  Unmounting (fusermount3 -u, umount) or SIGTERM/SIGINT
 * ends the daemon with status 0.
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <fuse_lowlevel.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../allocator/kmalloc.h"
#include "../allocator/slab.h"
#include "../core/list_lru.h"
#include "../core/policy.h"
#include "../core/cgroup.h"
#include "../core/cgroup_controllers.h"
#include "../core/cn_proc.h"
#include "../core/cpuset.h"
#include "../core/memcg_reaper.h"
#include "../core/task_smaps.h"
#include "../core/memcg_high.h"
#include "../core/memcontrol.h"
#include "../core/psi.h"
#include "../core/sim_log.h"
#include "../core/task.h"
#include "fs.h"
#include "mount_check.h"
#include "fsnotify.h"
#include "ops.h"
#include "parse.h"
#include "throttle.h"
#include "worker_pool.h"

#define MEMCGFS_VERSION "0.1"

struct options {
	struct memcg_config mc;
	bool foreground, single, debug, allow_other, auto_unmount, nonempty;
	char vfs_flags[160];	/* ",noexec,ro": mount(8)'s, for libfuse */
	unsigned int max_threads;
	const char *mountpoint;
	char mount_root[PATH_MAX];	/* absolute: daemonizing leaves cwd */
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: memcgfs [-f] [-s] [-d] [-o opt[,opt...]] [SOURCE] MOUNTPOINT\n"
"       memcgfs -h|--help | -V|--version\n"
"Mount an emulated cgroup v2 hierarchy with a memory controller on\n"
"MOUNTPOINT, an empty directory.  SOURCE (as mount -t fuse.memcgfs passes\n"
"it) is ignored.\n"
"  -f            stay in the foreground\n"
"  -s            single-threaded (for debugging)\n"
"  -d            log every FUSE request (implies -f)\n"
"  -o ids=N      memcg ID space (default 65535, the kernel's; up to 1048576)\n"
"  -o cpus=N     virtual CPUs (default: this host's)\n"
"  -o memory=SIZE  the emulated machine's RAM (default 8G)\n"
"  -o swap=SIZE  swap space (default 0)\n"
"  -o kmem_limit=enforce|enotsupp|absent|noop  the era of\n"
"                memory.kmem.limit_in_bytes (<=5.15, 5.16-6.0, 6.1-6.5, 6.6+)\n"
"  -o stats=rstat|sum|spill|spill-doubleflush|spill-fixed  the statistics\n"
"                engine (>=5.13, <=4.15, 5.2, the 2019 bug, 5.3-5.12)\n"
"  -o lru=lazy|eager  per-memcg list_lru lists made on first use (>=5.18)\n"
"                or for every ID at once (2013-5.17)\n"
"  -o policy=K=V[:K=V]  sim.policy settings at mount (kmem=, pages=,\n"
"                ids=, reaper=on\\,N: a comma in a value is written \\,)\n"
"  -o pure       the 6.18 v2 file set only: no sim.* and no v1 memory.kmem.*\n"
"  -o controllers=LIST  controllers offered, ':'-separated, memory\n"
"                required (default cpuset:cpu:io:memory:hugetlb:pids:rdma:misc)\n"
"  -o max_threads=N  most FUSE worker threads (default 8)\n"
"  -o high_delay=SCALE  memory.high penalty sleeps SCALE times the\n"
"                kernel's (default 1; 0: never sleep; e.g. 0.01 for tests)\n"
"  -o io_latency=USEC  a page read back from swap or disk (a swap-in, a\n"
"                workingset refault) takes USEC, a memory stall (default 0)\n"
"  -o allow_other, -o auto_unmount  as for any FUSE mount\n"
"  -o nonempty   mount over a non-empty directory\n"
"  -o rw,ro,nosuid,nodev,noexec,noatime,...  as for any mount; _netdev,\n"
"                user, nofail, noauto, x-* (fstab's) are accepted\n"
"  -h, --help    this text;  -V, --version  the version\n"
"Unmount with fusermount3 -u MOUNTPOINT (or umount as root).\n");
}

/* A mount(8) flag for libfuse's mount: appended to fuse_argv()'s list. */
static int add_vfs_flag(struct options *o, const char *opt)
{
	size_t len = strlen(o->vfs_flags);

	if (len + strlen(opt) + 2 > sizeof(o->vfs_flags)) {
		fprintf(stderr, "memcgfs: too many mount flags\n");
		return -EINVAL;
	}
	snprintf(o->vfs_flags + len, sizeof(o->vfs_flags) - len, ",%s", opt);
	return 0;
}

static int parse_uint(const char *key, const char *val, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	long long v;

	if (kstrtoll(val, 10, &v) || v < min || v > max) {
		fprintf(stderr, "memcgfs: %s must be an integer in %u..%u\n",
			key, min, max);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* A non-negative decimal factor, at most @max. */
static int parse_scale(const char *key, const char *val, double max,
		       double *out)
{
	char *end;
	double v = strtod(val, &end);

	if (end == val || *end || !(v >= 0 && v <= max)) {
		fprintf(stderr, "memcgfs: %s takes a number in 0..%g\n", key,
			max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_bytes(const char *key, const char *val, uint64_t *out)
{
	if (parse_size(val, out, NULL)) {
		fprintf(stderr, "memcgfs: %s takes a size like 8G\n", key);
		return -EINVAL;
	}
	return 0;
}

/* A word of @names (NULL-terminated by count) into its index. */
static int parse_enum(const char *key, const char *val,
		      const char *const *names, unsigned int n,
		      unsigned int *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(val, names[i])) {
			*out = i;
			return 0;
		}
	fprintf(stderr, "memcgfs: %s takes", key);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%c%s", i ? '|' : ' ', names[i]);
	fprintf(stderr, "\n");
	return -EINVAL;
}

static int parse_controllers(const char *val)
{
	const char *why = "controllers= takes a list like cpu:memory:pids";

	if (!val || cgroup_controllers_parse(val, &cgrp_dfl_enabled_mask, &why)) {
		fprintf(stderr, "memcgfs: %s\n", why);
		return -EINVAL;
	}
	return 0;
}

static int parse_one_option(struct options *o, char *opt)
{
	char *val;

	switch (mount_option_generic(opt)) {
	case MOUNT_OPT_FUSE: return add_vfs_flag(o, opt);
	case MOUNT_OPT_IGNORE: return 0;
	case MOUNT_OPT_OURS: break;
	}
	val = strchr(opt, '=');
	if (val)
		*val++ = '\0';
	if (!strcmp(opt, "nonempty") && !val)
		return o->nonempty = true, 0;
	if (!strcmp(opt, "pure") && !val)
		return memcgfs_pure = true, 0;
	if (!strcmp(opt, "allow_other") && !val)
		return o->allow_other = true, 0;
	if (!strcmp(opt, "auto_unmount") && !val)
		return o->auto_unmount = true, 0;
	if (!val) {
		fprintf(stderr, "memcgfs: unknown option '%s'\n", opt);
		return -EINVAL;
	}
	/* The root takes one ID.  Kernels stop at 65535 (MEM_CGROUP_ID_MAX);
	 * more lets an emulated machine go where none can. */
	if (!strcmp(opt, "ids"))
		return parse_uint(opt, val, 1, 1 << 20, &o->mc.ids);
	if (!strcmp(opt, "controllers"))
		return parse_controllers(val);
	if (!strcmp(opt, "cpus"))
		return parse_uint(opt, val, 1, 1024, &o->mc.cpus);
	if (!strcmp(opt, "max_threads"))
		return parse_uint(opt, val, 1, 256, &o->max_threads);
	if (!strcmp(opt, "memory"))
		return parse_bytes(opt, val, &o->mc.memory_bytes);
	if (!strcmp(opt, "high_delay"))
		return parse_scale(opt, val, 100, &memcg_high_delay_scale);
	if (!strcmp(opt, "io_latency")) {
		unsigned int us = 0;
		int ret = parse_uint(opt, val, 0, 1000000, &us);

		psi_io_latency_ns = (uint64_t)us * 1000;
		return ret;
	}
	if (!strcmp(opt, "kmem_limit"))
		return parse_enum(opt, val, kmem_limit_mode_names, NR_KMEM_LIMIT_MODES,
				  (unsigned int *)&o->mc.kmem_limit);
	if (!strcmp(opt, "policy")) {
		if (policy_set_list(val)) {
			fprintf(stderr, "memcgfs: policy takes KEY=VALUE[:KEY=VALUE]"
				" (see sim.policy; stats and lru have options)\n");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(opt, "lru"))
		return parse_enum(opt, val, list_lru_mode_names, NR_LIST_LRU_MODES,
				  (unsigned int *)&o->mc.lru);
	if (!strcmp(opt, "stats"))
		return parse_enum(opt, val, memcg_stats_mode_names,
				  NR_STATS_MODES, (unsigned int *)&o->mc.stats);
	if (!strcmp(opt, "swap"))
		return parse_bytes(opt, val, &o->mc.swap_bytes);
	fprintf(stderr, "memcgfs: unknown option '%s'\n", opt);
	return -EINVAL;
}

/* strsep(list, ",") that, as libfuse's -o parser, takes "\\," for a
 * comma inside a value (-o policy=reaper=on\\,5). */
static char *next_option(char **list)
{
	char *opt = *list, *r, *w;

	if (!opt)
		return NULL;
	for (r = w = opt; *r && *r != ','; r++, w++) {
		if (r[0] == '\\' && r[1])
			r++;
		*w = *r;
	}
	*list = *r ? r + 1 : NULL;
	*w = '\0';
	return opt;
}

static int parse_options(struct options *o, char *list)
{
	char *opt;

	while ((opt = next_option(&list)))
		if (*opt && parse_one_option(o, opt))
			return -EINVAL;
	return 0;
}

static int parse_args(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fsdho:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->foreground = true; break;
		case 's': o->single = true; break;
		case 'd': o->debug = o->foreground = true; break;
		case 'o':
			if (parse_options(o, optarg))
				return -EINVAL;
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("memcgfs %s\nlibfuse %s\n", MEMCGFS_VERSION,
				 fuse_pkgversion()); exit(0);
		default:
			fprintf(stderr, "Try 'memcgfs --help' for more information.\n");
			return -EINVAL;
		}
	}
	/* mount.fuse3 runs "memcgfs SOURCE MOUNTPOINT -o ...". */
	if (optind != argc - 1 && optind != argc - 2) {
		fprintf(stderr, "memcgfs: %s\n", optind == argc ?
			"no MOUNTPOINT given" : "too many arguments");
		fprintf(stderr, "Try 'memcgfs --help' for more information.\n");
		return -EINVAL;
	}
	o->mountpoint = argv[argc - 1];
	/* Absolute, as daemonizing leaves the cwd; a bad path is
	 * mount_check()'s to report. */
	if (!realpath(o->mountpoint, o->mount_root))
		snprintf(o->mount_root, sizeof(o->mount_root), "%s",
			 o->mountpoint);
	return 0;
}

/* libfuse's own options, built from ours (unknown ones never reach it). */
static int fuse_argv(const struct options *o, struct fuse_args *args)
{
	char opts[512];

	snprintf(opts, sizeof(opts),
		 "default_permissions,fsname=memcgfs,subtype=memcgfs%s%s%s",
		 o->allow_other ? ",allow_other" : "",
		 o->auto_unmount ? ",auto_unmount" : "", o->vfs_flags);
	if (fuse_opt_add_arg(args, "memcgfs") ||
	    fuse_opt_add_arg(args, "-o") || fuse_opt_add_arg(args, opts) ||
	    (o->debug && fuse_opt_add_arg(args, "-d")))
		return -ENOMEM;
	return 0;
}

static int run_loop(struct fuse_session *se, const struct options *o)
{
	if (o->single)
		return fuse_session_loop(se);
	return worker_pool_run(se, o->max_threads);
}

/* Model state: started after daemonizing, since threads do not fork. */
static int model_start(const struct options *o, struct fuse_session *se)
{
	int ret = kmem_caches_init();

	if (!ret)
		ret = cgroup_init(&o->mc, getuid(), getgid());
	if (!ret)
		ret = task_init();
	/* Not fatal: without it, sim.log says children are not followed. */
	if (!ret)
		cn_proc_start();
	if (!ret)
		ret = notify_start(se);
	if (!ret)
		ret = fsnotify_start(o->mount_root);
	if (!ret)
		ret = memcg_reaper_start();
	if (!ret)
		ret = task_smaps_start();
	if (!ret)
		ret = psi_start();
	if (!ret)
		ret = throttle_start();
	return ret;
}

#define MAX_CACHES 1024

struct cache_list {
	unsigned int n;
	struct kmem_cache *v[MAX_CACHES];
};

static int collect_cache(struct kmem_cache *s, void *arg)
{
	struct cache_list *l = arg;

	if (l->n < MAX_CACHES)
		l->v[l->n++] = s;
	return 0;
}

/* Built-in caches, then those made by kmem_cache_create (collected
 * first: destroying takes the lock kmem_cache_for_each holds). */
static void slab_stop(void)
{
	static struct cache_list left;
	unsigned int i;

	kmem_caches_exit();
	kmem_cache_for_each(collect_cache, &left);
	for (i = 0; i < left.n; i++)
		kmem_cache_destroy(left.v[i]);
}

static void model_stop(void)
{
	throttle_stop();	/* sleeping writers get their replies */
	psi_stop();
	task_smaps_stop();
	memcg_reaper_stop();
	notify_stop();
	cn_proc_stop();
	task_exit();
	cgroup_exit();
	slab_stop();
	sim_log_clear();
}

int main(int argc, char **argv)
{
	struct options o = {
		.mc = { .ids = 65535, .memory_bytes = 8ULL << 30 },
		.max_threads = 8,
	};
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se = NULL;
	int ret = 1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	o.mc.cpus = ncpu > 0 ? (unsigned int)ncpu : 1;
	/* Renderings of a MiB and more are mmapped and go back at free:
	 * glibc's sliding threshold would keep each FUSE thread's largest
	 * past rendering in its arena for good (docs/security.md). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	if (parse_args(&o, argc, argv) || fuse_argv(&o, &args) ||
	    mount_check(o.mountpoint, o.nonempty))
		goto out;
	memcgfs_cpus = o.mc.cpus;
	cpuset_nr_cpus = o.mc.cpus;
	se = fuse_session_new(&args, &memcgfs_ops, sizeof(memcgfs_ops), NULL);
	if (!se)
		goto out;
	if (fuse_set_signal_handlers(se))
		goto out_destroy;
	if (fuse_session_mount(se, o.mountpoint))
		goto out_signals;
	if (fuse_daemonize(o.foreground))
		goto out_unmount;
	if (model_start(&o, se)) {
		fprintf(stderr, "memcgfs: cannot start: out of memory?\n");
		goto out_unmount;
	}
	/* A signal ends the loop with its number: a clean exit too. */
	ret = run_loop(se, &o) < 0 ? 1 : 0;
	ops_release_open_files();
	model_stop();
out_unmount:
	fuse_session_unmount(se);
	/* After the unmount, which fails a kick still waiting on it. */
	fsnotify_stop();
out_signals:
	fuse_remove_signal_handlers(se);
out_destroy:
	fuse_session_destroy(se);
out:
	fuse_opt_free_args(&args);
	return ret;
}
