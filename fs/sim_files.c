/*
 * sim_files.c - memcgfs's own files: sim.ctl (drive the model) and
 * sim.log (why writes failed).
 *
 * sim.ctl takes one command per write: a verb, its arguments, then
 * optional key=value options.  Adding a command is one row of sim_cmds[].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/slab.h"
#include "../core/cgroup_threads.h"
#include "../core/dcache.h"
#include "../core/filemap.h"
#include "../core/memcg_kmem.h"
#include "../core/memcg_lock_mode.h"
#include "../core/memcg_stock.h"
#include "../core/obj_cgroup.h"
#include "../core/policy.h"
#include "../core/sim_kmem.h"
#include "../core/sim_log.h"
#include "../core/smp.h"
#include "../core/super.h"
#include "../core/task.h"
#include "fs.h"
#include "parse.h"

#define MAX_ARGS 8

struct sim_args {
	char *argv[MAX_ARGS];	/* positional words after the verb */
	int argc;
	enum gfp_mode gfp;
	int cpu;		/* cpu=K, or -1: the writer's */
	bool self;		/* in=self: the writer's own group */
};

struct sim_cmd {
	const char *verb;	/* one or two words */
	int nargs;		/* positional arguments; -N: 1..N */
	int (*fn)(struct of *of, struct sim_args *a);
	const char *usage;
	/* The weakest write mode it may run in (core/memcg_lock.h); 0 is
	 * EXCLUSIVE, for the commands that change tasks' membership,
	 * mounts or caches, or were not audited for weaker modes. */
	enum memcg_lock_mode weakest;
};

static int parse_pages(struct of *of, const char *tok, int64_t *pages)
{
	uint64_t bytes;

	/* sim.ctl is not a kernel file: every bad size is EINVAL, an
	 * overflow included (docs/security.md), not kstrtoull's ERANGE. */
	if (parse_size(tok, &bytes, &of->why))
		return -EINVAL;
	if (!bytes)
		return of_fail(of, -EINVAL, "size must be positive");
	/* A mapping of any size occupies whole pages. */
	*pages = (int64_t)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	return 0;
}

/* The writer owns the anon, whichever group it is a member of. */
static pid_t writer_tgid(struct of *of)
{
	pid_t tgid = task_tgid(of->writer_pid, NULL);

	return tgid < 0 ? of_fail(of, -ESRCH, "the writer has exited") : tgid;
}

/*
 * Root and the mount owner, who set every limit anyway, are privileged
 * (docs/security.md): only they may choose a charge mode that passes
 * limits (a kernel forces only its own small allocations past
 * memory.max; a delegated user must not force any size past the limits
 * its delegator set and so get the delegator's processes OOM-killed),
 * and only they may modify another user's file.
 */
static bool writer_privileged(const struct of *of)
{
	return of->writer_uid == 0 || of->writer_uid == cgroup_root()->uid;
}

/* Charge (or free) memory the writer owns, in the group written to. */
static int writer_charge(struct of *of, struct sim_args *a,
			 enum task_charge_kind kind, int64_t pages, bool charge)
{
	struct mem_cgroup *memcg = cgroup_effective_memcg(of->cg);
	pid_t tgid = writer_tgid(of);

	if (tgid < 0)
		return tgid;
	/* The library charges for this process now: it exec'd a dynamically
	 * linked program, and the smaps-counted image is gone. */
	if (a->self && kind == TASK_ANON)
		task_anon_bridged(tgid);
	/* in=self frees memory wherever the writer charged it: it may
	 * have moved since (memcgfs-run cannot tell which pages it frees). */
	return charge ? task_charge(tgid, memcg, kind, pages, a->gfp,
				    &of->why) :
	       a->self ? task_uncharge_any(tgid, memcg, kind, pages,
					   &of->why) :
			 task_uncharge(tgid, memcg, kind, pages, &of->why);
}

static int cmd_anon(struct of *of, struct sim_args *a)
{
	int64_t pages;
	int ret = parse_pages(of, a->argv[0], &pages);

	return ret ? ret : writer_charge(of, a, TASK_ANON, pages, true);
}

static int cmd_free_anon(struct of *of, struct sim_args *a)
{
	int64_t pages;
	int ret = parse_pages(of, a->argv[0], &pages);

	return ret ? ret : writer_charge(of, a, TASK_ANON, pages, false);
}

/* Touch the writer's anon here: swapped pages fault back in. */
static int cmd_touch_anon(struct of *of, struct sim_args *a)
{
	int64_t pages;
	pid_t tgid;
	int ret = parse_pages(of, a->argv[0], &pages);

	if (ret || (tgid = writer_tgid(of)) < 0)
		return ret ? ret : tgid;
	return task_touch_anon(tgid, cgroup_effective_memcg(of->cg), pages,
			       a->gfp, &of->why);
}

/*
 * forked: the writer was forked where memcgfs did not see it (memcgfs-run's
 * library says so from the child): it joins its parent's group, as
 * cgroup_post_fork() puts a child in its parent's css_set.  A child that
 * is already known stays where it is: its parent may have moved it before
 * the child got to say so (on a kernel the fork placement comes first).
 */
static int cmd_forked(struct of *of, struct sim_args *a)
{
	pid_t tgid = writer_tgid(of), ppid;

	(void)a;
	if (tgid < 0)
		return tgid;
	if (task_known(tgid))
		return 0;
	ppid = task_parent(tgid, &of->why);
	return ppid < 0 ? ppid :
	       task_attach(task_cgroup_of(ppid), tgid, &of->why);
}

/* reap: processes that have exited leave their groups now (memcgfs-run's
 * library says so after a wait() returned a child's exit). */
static int cmd_reap(struct of *of, struct sim_args *a)
{
	(void)of;
	(void)a;
	task_reap_pending();
	return 0;
}

/* smaps: the writer's anon (and its forks') is what the kernel counts,
 * from now on (core/task_smaps.h): memcgfs-run says so for a statically
 * linked program, which its library cannot bridge. */
static int cmd_smaps(struct of *of, struct sim_args *a)
{
	pid_t tgid = writer_tgid(of);

	(void)a;
	if (tgid < 0)
		return tgid;
	return task_anon_from_smaps(tgid, &of->why);
}

/* THREAD_SIZE: 16 KiB stacks, 4 kmem pages each. */
#define KSTACK_PAGES 4
#define MAX_KSTACKS (1 << 20)

static int kstack_cmd(struct of *of, struct sim_args *a, bool charge)
{
	long long n;

	if (kstrtoll(a->argv[0], 10, &n) || n <= 0 || n > MAX_KSTACKS)
		return of_fail(of, -EINVAL, "kstack takes a count, 1..1048576");
	return writer_charge(of, a, TASK_KSTACK, n * KSTACK_PAGES, charge);
}

static int cmd_kstack(struct of *of, struct sim_args *a)
{
	return kstack_cmd(of, a, true);
}

/* A thread exited: its stack goes (free_thread_stack). */
static int cmd_free_kstack(struct of *of, struct sim_args *a)
{
	return kstack_cmd(of, a, false);
}

/* kmem_cache_create NAME SIZE [account] [reclaim]: a new slab cache. */
static int cmd_kmem_cache_create(struct of *of, struct sim_args *a)
{
	const char *why = NULL;
	unsigned int flags = 0;
	long long size;
	int i;

	if (of->cg->parent)
		return of_fail(of, -EINVAL, "kmem_cache_create is a root command");
	if (a->argc < 2 || kstrtoll(a->argv[1], 10, &size) || size <= 0)
		return of_fail(of, -EINVAL,
			       "kmem_cache_create NAME SIZE [account] [reclaim]");
	for (i = 2; i < a->argc; i++) {
		if (!strcmp(a->argv[i], "account"))
			flags |= SLAB_ACCOUNT;
		else if (!strcmp(a->argv[i], "reclaim"))
			flags |= SLAB_RECLAIM_ACCOUNT;
		else
			return of_fail(of, -EINVAL, "flags are account and reclaim");
	}
	if (!kmem_cache_create_why(a->argv[0], (size_t)size, 0, flags, NULL,
				   &why))
		return of_fail(of, -errno, why);
	return 0;
}

/* Make or free kernel objects of @kind in the group written to. */
static int kmem_cmd(struct of *of, struct sim_args *a, enum sim_kmem_kind kind,
		    struct kmem_cache *s, int64_t count, bool alloc)
{
	struct mem_cgroup *memcg = cgroup_effective_memcg(of->cg);

	return alloc ? sim_kmem_alloc(memcg, kind, s, count, a->gfp, &of->why)
		     : sim_kmem_free(memcg, kind, s, count, &of->why);
}

/* slab CACHE COUNT / free slab CACHE COUNT */
static int slab_cmd(struct of *of, struct sim_args *a, bool alloc)
{
	struct kmem_cache *s = kmem_cache_find(a->argv[0]);
	long long n;

	if (!s)
		return of_fail(of, -EINVAL, "no such slab cache (see sim.slabinfo)");
	if (kstrtoll(a->argv[1], 10, &n) || n <= 0 ||
	    (unsigned long long)n > SIM_KMEM_MAX_BYTES / kmem_cache_stride(s))
		return of_fail(of, -EINVAL, "COUNT: 1.., at most 1G of objects");
	return kmem_cmd(of, a, SIM_KMEM_SLAB, s, n, alloc);
}

static int cmd_slab(struct of *of, struct sim_args *a)
{
	return slab_cmd(of, a, true);
}

static int cmd_free_slab(struct of *of, struct sim_args *a)
{
	return slab_cmd(of, a, false);
}

/* percpu SIZE: bytes in all (size x CPUs in kernel terms). */
static int percpu_cmd(struct of *of, struct sim_args *a, bool alloc)
{
	uint64_t bytes;

	if (parse_size(a->argv[0], &bytes, NULL) || !bytes ||
	    bytes > SIM_KMEM_MAX_BYTES)
		return of_fail(of, -EINVAL, "SIZE: 1 byte .. 1G");
	return kmem_cmd(of, a, SIM_KMEM_PERCPU, NULL, (int64_t)bytes, alloc);
}

static int cmd_percpu(struct of *of, struct sim_args *a)
{
	return percpu_cmd(of, a, true);
}

static int cmd_free_percpu(struct of *of, struct sim_args *a)
{
	return percpu_cmd(of, a, false);
}

/* sock SIZE: socket buffers, charged in whole pages. */
static int sock_cmd(struct of *of, struct sim_args *a, bool alloc)
{
	int64_t pages;
	int ret = parse_pages(of, a->argv[0], &pages);

	if (ret)
		return ret;
	if ((uint64_t)pages > SIM_KMEM_MAX_BYTES / PAGE_SIZE)
		return of_fail(of, -EINVAL, "SIZE: at most 1G");
	return kmem_cmd(of, a, SIM_KMEM_SOCK, NULL, pages, alloc);
}

static int cmd_sock(struct of *of, struct sim_args *a)
{
	return sock_cmd(of, a, true);
}

static int cmd_free_sock(struct of *of, struct sim_args *a)
{
	return sock_cmd(of, a, false);
}

/* drain: give back what every CPU's stocks hold for this subtree, as a
 * limit write does (drain_all_stock). */
static int cmd_drain(struct of *of, struct sim_args *a)
{
	(void)a;
	drain_all_stock(cgroup_effective_memcg(of->cg));
	return 0;
}

/* --- emulated filesystems ------------------------------------------------ */

static int root_only(struct of *of)
{
	return of->cg->parent ? of_fail(of, -EINVAL, "a root command") : 0;
}

static int cmd_mount(struct of *of, struct sim_args *a)
{
	return root_only(of) ?: sim_fs_mount(a->argv[0], a->argv[1], &of->why);
}

static int cmd_umount(struct of *of, struct sim_args *a)
{
	return root_only(of) ?: sim_fs_umount(a->argv[0], &of->why);
}

static struct mem_cgroup *group_memcg(struct of *of)
{
	return cgroup_effective_memcg(of->cg);
}

/*
 * Files belong to the writer that created them; others may read and map
 * them but not append, truncate or unlink (docs/security.md).  Root and
 * the mount owner may do anything, as root may on a kernel.
 */
static int file_permission(struct of *of, const char *path,
			   enum file_access how)
{
	if (writer_privileged(of))
		return 0;
	return filemap_permission(path, of->writer_uid, how, &of->why);
}

static int cmd_write(struct of *of, struct sim_args *a)
{
	uint64_t bytes;
	int ret;

	if (parse_size(a->argv[1], &bytes, NULL))
		return of_fail(of, -EINVAL, "bad size");
	ret = file_permission(of, a->argv[0], FILE_MODIFY);
	if (ret)
		return ret;
	ret = filemap_write(group_memcg(of), a->argv[0], bytes, a->gfp,
			    &of->why);
	/* A new file is its creator's; an existing one keeps its owner
	 * (the check above let only the owner or root append). */
	if (!ret && !writer_privileged(of))
		filemap_set_owner(a->argv[0], of->writer_uid);
	return ret;
}

static int cmd_read(struct of *of, struct sim_args *a)
{
	return filemap_read(group_memcg(of), a->argv[0], a->gfp, &of->why);
}

/* access FS/PATH OFFSET SIZE: a read(2) or write(2) of that range. */
static int cmd_access(struct of *of, struct sim_args *a)
{
	uint64_t off, bytes;

	if (parse_size(a->argv[1], &off, NULL) ||
	    parse_size(a->argv[2], &bytes, NULL))
		return of_fail(of, -EINVAL, "bad offset or size");
	return filemap_access(group_memcg(of), a->argv[0], off, bytes, a->gfp,
			      &of->why);
}

/* The writer maps it: the mapping is its own, ended at its exit. */
static int cmd_map(struct of *of, struct sim_args *a)
{
	pid_t tgid = writer_tgid(of);

	return tgid < 0 ? tgid : task_map(tgid, group_memcg(of), a->argv[0],
					  &of->why);
}

static int cmd_unmap(struct of *of, struct sim_args *a)
{
	pid_t tgid = writer_tgid(of);

	return tgid < 0 ? tgid : task_unmap(tgid, group_memcg(of), a->argv[0],
					    &of->why);
}

static int cmd_truncate(struct of *of, struct sim_args *a)
{
	uint64_t bytes;

	if (parse_size(a->argv[1], &bytes, NULL))
		return of_fail(of, -EINVAL, "bad size");
	return file_permission(of, a->argv[0], FILE_MODIFY) ?:
	       filemap_truncate(a->argv[0], bytes, &of->why);
}

static int cmd_unlink(struct of *of, struct sim_args *a)
{
	return file_permission(of, a->argv[0], FILE_DELETE) ?:
	       filemap_unlink(a->argv[0], &of->why);
}

static int cmd_lookup(struct of *of, struct sim_args *a)
{
	long long n;

	if (kstrtoll(a->argv[1], 10, &n) || n <= 0 || n > (1 << 24))
		return of_fail(of, -EINVAL, "COUNT: 1..16777216");
	return filemap_lookup(group_memcg(of), a->argv[0], (long)n, a->gfp,
			      &of->why);
}

static const struct sim_cmd sim_cmds[] = {
	{ "anon", 1, cmd_anon, "anon SIZE [gfp=kernel|nowait|atomic|nofail]",
	  MEMCG_LOCK_MEMCG },
	{ "free anon", 1, cmd_free_anon, "free anon SIZE", MEMCG_LOCK_MEMCG },
	{ "touch anon", 1, cmd_touch_anon,
	  "touch anon SIZE [gfp=kernel|nowait|atomic|nofail]", MEMCG_LOCK_STOPPED },
	{ "forked", 0, cmd_forked, "forked", MEMCG_LOCK_EXCLUSIVE },
	{ "reap", 0, cmd_reap, "reap", MEMCG_LOCK_EXCLUSIVE },
	{ "smaps", 0, cmd_smaps, "smaps", MEMCG_LOCK_EXCLUSIVE },
	{ "kstack", 1, cmd_kstack, "kstack COUNT [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "free kstack", 1, cmd_free_kstack, "free kstack COUNT",
	  MEMCG_LOCK_STOPPED },
	{ "kmem_cache_create", -4, cmd_kmem_cache_create,
	  "kmem_cache_create NAME SIZE [account] [reclaim]", MEMCG_LOCK_EXCLUSIVE },
	{ "slab", 2, cmd_slab, "slab CACHE COUNT [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "free slab", 2, cmd_free_slab, "free slab CACHE COUNT", MEMCG_LOCK_STOPPED },
	{ "percpu", 1, cmd_percpu, "percpu SIZE [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "free percpu", 1, cmd_free_percpu, "free percpu SIZE", MEMCG_LOCK_STOPPED },
	{ "sock", 1, cmd_sock, "sock SIZE [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "free sock", 1, cmd_free_sock, "free sock SIZE", MEMCG_LOCK_STOPPED },
	{ "drain", 0, cmd_drain, "drain", MEMCG_LOCK_STOPPED },
	{ "mount", 2, cmd_mount, "mount NAME disk|tmpfs", MEMCG_LOCK_EXCLUSIVE },
	{ "umount", 1, cmd_umount, "umount NAME", MEMCG_LOCK_EXCLUSIVE },
	{ "write", 2, cmd_write, "write FS/PATH SIZE [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "read", 1, cmd_read, "read FS/PATH [gfp=...]", MEMCG_LOCK_STOPPED },
	{ "access", 3, cmd_access, "access FS/PATH OFFSET SIZE [gfp=...]",
	  MEMCG_LOCK_STOPPED },
	{ "map", 1, cmd_map, "map FS/PATH", MEMCG_LOCK_STOPPED },
	{ "unmap", 1, cmd_unmap, "unmap FS/PATH", MEMCG_LOCK_STOPPED },
	{ "truncate", 2, cmd_truncate, "truncate FS/PATH SIZE", MEMCG_LOCK_STOPPED },
	{ "unlink", 1, cmd_unlink, "unlink FS/PATH", MEMCG_LOCK_STOPPED },
	{ "lookup", 2, cmd_lookup, "lookup FS COUNT [gfp=...]", MEMCG_LOCK_STOPPED },
};

/*
 * The retry a command asks for when the write runs in a weaker mode than
 * its row allows, 0 when it may run in this one.  MEMCG mode: anon and
 * free anon charge or free in the written group only, and ask for STOPPED
 * mode themselves when they need more (a reclaim, an OOM kill).  STOPPED
 * mode: the page cache, dentries, slab, percpu, sock and kstack charges,
 * which no MEMCG-mode write or reader touches, and which may reclaim and
 * OOM-kill as any charge (docs/locking.md).  cpu=K and in=self reach
 * beyond the CPU and the memcg a MEMCG-mode write holds.
 */
static int cmd_retry(const struct sim_cmd *cmd, const struct sim_args *a)
{
	enum memcg_lock_mode mode = memcg_lock_mode(), weakest = cmd->weakest;

	if (weakest == MEMCG_LOCK_MEMCG && (a->cpu >= 0 || a->self))
		weakest = MEMCG_LOCK_STOPPED;
	if (mode == weakest || mode == MEMCG_LOCK_EXCLUSIVE ||
	    weakest == MEMCG_LOCK_MEMCG)
		return 0;
	return weakest == MEMCG_LOCK_STOPPED ? MEMCG_RETRY_STOPPED :
					       MEMCG_RETRY_EXCLUSIVE;
}

static int parse_option(struct of *of, const char *opt, struct sim_args *a)
{
	unsigned int i;

	if (!strncmp(opt, "gfp=", 4)) {
		for (i = 0; i < NR_GFP_MODES; i++)
			if (!strcmp(opt + 4, gfp_mode_names[i])) {
				a->gfp = i;
				if ((i == GFP_NOFAIL || i == GFP_ATOMIC) &&
				    !writer_privileged(of))
					return of_fail(of, -EPERM,
						"gfp=nofail|atomic charge past "
						"limits: root or the mount "
						"owner only");
				return 0;
			}
		return of_fail(of, -EINVAL, "gfp= takes kernel|nowait|atomic|nofail");
	}
	if (!strcmp(opt, "in=self")) {
		a->self = true;
		return 0;
	}
	if (!strncmp(opt, "cpu=", 4)) {
		long long cpu;

		if (kstrtoll(opt + 4, 10, &cpu) || cpu < 0 || cpu >= nr_cpu_ids)
			return of_fail(of, -EINVAL, "cpu= takes 0..cpus-1");
		a->cpu = (int)cpu;
		return 0;
	}
	return of_fail(of, -EINVAL, "unknown option");
}

/* Split into words; key=value words are options, the rest positional. */
static int split_words(struct of *of, char *buf, char **words, int *nr,
		       struct sim_args *a)
{
	char *tok;
	int ret;

	*nr = 0;
	while ((tok = strsep(&buf, " \t\n"))) {
		if (!*tok)
			continue;
		if (strchr(tok, '=')) {
			ret = parse_option(of, tok, a);
			if (ret)
				return ret;
			continue;
		}
		if (*nr == MAX_ARGS)
			return of_fail(of, -EINVAL, "too many words");
		words[(*nr)++] = tok;
	}
	return 0;
}

/* Does @verb ("free anon") match the first words? Returns words used. */
static int match_verb(const char *verb, char **words, int nr)
{
	int used = 0;
	size_t len;

	while (*verb) {
		if (used == nr)
			return 0;
		len = strcspn(verb, " ");
		if (strlen(words[used]) != len || strncmp(words[used], verb, len))
			return 0;
		used++;
		verb += len;
		verb += *verb == ' ';
	}
	return used;
}

/*
 * in=self: the command acts in the writer's own group, whichever sim.ctl
 * it wrote (memcgfs-run's library keeps one fd open and follows moves).
 * The group the task holds stays referenced across the call: we hold
 * cgroup_mutex for writing.
 */
static int run_in_self(struct of *of, const struct sim_cmd *cmd,
		       struct sim_args *a)
{
	struct cgroup *written = of->cg;
	pid_t tgid = writer_tgid(of);
	int ret;

	if (tgid < 0)
		return tgid;
	of->cg = task_cgroup_of(tgid);
	ret = cmd->fn(of, a);
	of->cg = written;
	return ret;
}

int sim_ctl_write(struct of *of, char *buf)
{
	struct sim_args a = { .gfp = GFP_KERNEL, .cpu = -1 };
	char *words[MAX_ARGS];
	unsigned int i;
	int nr, used, ret = split_words(of, buf, words, &nr, &a);

	if (ret)
		return ret;
	for (i = 0; i < sizeof(sim_cmds) / sizeof(sim_cmds[0]); i++) {
		used = match_verb(sim_cmds[i].verb, words, nr);
		if (!used)
			continue;
		if (sim_cmds[i].nargs >= 0 ? nr - used != sim_cmds[i].nargs :
		    nr - used < 1 || nr - used > -sim_cmds[i].nargs)
			return of_fail(of, -EINVAL, sim_cmds[i].usage);
		memcpy(a.argv, words + used, sizeof(char *) * (nr - used));
		a.argc = nr - used;
		ret = cmd_retry(&sim_cmds[i], &a);
		if (ret)
			return ret;
		if (a.cpu >= 0)
			set_this_cpu((unsigned int)a.cpu);
		return a.self ? run_in_self(of, &sim_cmds[i], &a) :
				sim_cmds[i].fn(of, &a);
	}
	return of_fail(of, -EINVAL, "unknown command");
}

static int show_cache(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_stats st;

	if (kmem_cache_stats(s, &st))
		return 0;
	/* SLUB's line: no tunables, no shared caches. */
	sb_printf(arg, "%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u"
		  " : slabdata %6lu %6lu %6lu\n", kmem_cache_name(s),
		  st.active_objs, st.num_objs, st.objsize, st.objperslab,
		  st.pagesperslab, 0, 0, 0, st.active_slabs, st.num_slabs, 0UL);
	return 0;
}

static void slabinfo_header(struct strbuf *sb)
{
	sb_puts(sb, "slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> "
		"<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		"<sharedfactor> : slabdata <active_slabs> <num_slabs> "
		"<sharedavail>\n");
}

/* /proc/slabinfo, version 2.1, over every cache. */
int sim_slabinfo_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	slabinfo_header(sb);
	kmem_cache_for_each(show_cache, sb);
	return 0;
}

/* A <=5.8 per-memcg cache line: the objects charged to the group, in
 * as many slabs as they would fill. */
static void show_memcg_cache(struct kmem_cache *s, unsigned long nr,
			     void *arg)
{
	struct kmem_cache_stats st;
	unsigned long slabs;

	if (kmem_cache_stats(s, &st))
		return;
	slabs = (nr + st.objperslab - 1) / st.objperslab;
	sb_printf(arg, "%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u"
		  " : slabdata %6lu %6lu %6lu\n", kmem_cache_name(s), nr,
		  slabs * st.objperslab, st.objsize, st.objperslab,
		  st.pagesperslab, 0, 0, 0, slabs, slabs, 0UL);
}

/* memory.kmem.slabinfo as <=5.8 printed it (5.9+ prints nothing). */
int memory_kmem_slabinfo_show(struct of *of, struct strbuf *sb)
{
	slabinfo_header(sb);
	memcg_slabinfo(of_memcg(of), show_memcg_cache, sb);
	return 0;
}

static void show_lru(struct list_lru *lru, int id, long nr, void *arg)
{
	struct mem_cgroup *memcg = id ? mem_cgroup_from_id(id) : NULL;
	char *path = NULL;

	if (memcg && cgroup_path(memcg->cgroup, &path))
		path = NULL;
	sb_printf(arg, "%s ", lru->name);
	sb_put_escaped(arg, id ? (path ? path : "?") : "/");
	sb_printf(arg, " %ld\n", nr);
	free(path);
}

/* Every list_lru, one line per memcg list with items: LRU GROUP ITEMS. */
int sim_lru_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	list_lru_for_each(show_lru, sb);
	return 0;
}

static void show_policy(const char *key, const char *value, const char *era,
			void *arg)
{
	sb_printf(arg, "%s=%s (%s)\n", key, value, era);
}

int sim_policy_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	policy_show(show_policy, sb);
	return 0;
}

/* "KEY=VALUE": one policy per write. */
int sim_policy_write(struct of *of, char *buf)
{
	char *end = buf + strlen(buf), *eq;

	while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	eq = strchr(buf, '=');
	if (!eq || strchr(buf, ' '))
		return of_fail(of, -EINVAL, "one KEY=VALUE per write");
	*eq = '\0';
	return policy_set(buf, eq + 1, &of->why);
}

/* The reading thread's own cgroup, as its /proc/thread-self/cgroup would
 * read on a kernel (memcgfs-run's library fakes that file and
 * /proc/self/cgroup from this one). */
int sim_self_show(struct of *of, struct strbuf *sb)
{
	pid_t tgid = task_tgid(of->writer_pid, NULL);
	char *path = NULL;
	int ret;

	if (tgid < 0)
		return of_fail(of, -ESRCH, "the reader has exited");
	ret = cgroup_path(cgroup_thread_cgroup(tgid, of->writer_pid), &path);
	if (!ret)
		sb_printf(sb, "0::%s\n", path);
	free(path);
	return ret;
}

/* The machine's swap (-o swap=) as /proc/swaps shows a swap area: none
 * at all when there is none (memcgfs-run's library fakes /proc/swaps from
 * this file). */
int sim_swaps_show(struct of *of, struct strbuf *sb)
{
	struct mem_cgroup *root = root_mem_cgroup();
	int64_t max = atomic_load(&root->swap.max);

	(void)of;
	sb_puts(sb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (max > 0)
		sb_printf(sb, "/memcgfs.swap\t\t\t\tpartition\t%lld\t\t%lld\t\t-2\n",
			  (long long)max * 4, (long long)page_counter_read(&root->swap) * 4);
	return 0;
}

/* Users' lines to their writers and to the privileged only. */
int sim_log_show(struct of *of, struct strbuf *sb)
{
	uid_t uid = of->cred.uid;

	sim_log_render(sb, uid, uid == 0 || uid == cgroup_root()->uid);
	return 0;
}
