/*
 * task.c - processes, their membership and the memory they own (anon and
 * kernel stacks); see task.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anon.h"
#include "cgroup.h"
#include "cgroup_rstat.h"
#include "filemap.h"
#include "hashtable.h"
#include "memcg_check.h"
#include "memcg_lock_mode.h"
#include "memcg_zombie.h"
#include "proc_pid.h"
#include "obj_cgroup.h"
#include "task.h"
#include "why.h"

#define PF_KTHREAD 0x00200000

/*
 * What one process owns of one kind: anon pages made in a group (each
 * charged to, and pinning, a memcg, or swapped out); kernel stacks
 * charged through an obj_cgroup, as kmem pages are since 5.14, so they
 * follow the objcg to the parent at offline.
 */
struct task_charge {
	/* TASK_ANON: the group written to, found by its never-reused
	 * serial (the slot does not pin it: its pages may have moved on,
	 * by reparenting or swap, and it may be gone); the pointer is
	 * valid only when the serial was just matched. */
	struct mem_cgroup *memcg;
	uint64_t memcg_serial;
	struct anon_vma *av;		/* TASK_ANON: its pages and entries */
	struct obj_cgroup *objcg;	/* TASK_KSTACK, a reference */
	enum task_charge_kind kind;
	/* TASK_KSTACK: pages charged.  Anon has no count of its own: what
	 * the process owns is what its anon_vma holds, so a charge cut
	 * short (an OOM kill of this very process reaping the anon_vma in
	 * the middle of its fault) can never leave pages no owner counts. */
	int64_t nr_pages;
};

/* How a kind is charged, with the memory.stat items it moves. */
struct charge_kind {
	int (*charge)(struct task_charge *c, int64_t nr, enum gfp_mode gfp,
		      const char **why);
	void (*uncharge)(struct task_charge *c, int64_t nr);
	int64_t (*pages)(const struct task_charge *c);	/* owned now */
};

/* Page by page (anon.c): new anon starts inactive and may be swapped. */
static int anon_charge(struct task_charge *c, int64_t nr, enum gfp_mode gfp,
		       const char **why)
{
	return anon_fault(c->av, c->memcg, nr, gfp, why);
}

static void anon_uncharge(struct task_charge *c, int64_t nr)
{
	anon_zap(c->av, nr);
}

static int64_t anon_pages(const struct task_charge *c)
{
	return anon_vma_pages(c->av);
}

/* Kernel stacks are kmem pages, counted in KiB (account_kernel_stack). */
static int kstack_charge(struct task_charge *c, int64_t nr,
			 enum gfp_mode gfp, const char **why)
{
	int ret = obj_cgroup_charge_pages(c->objcg, gfp, nr);

	if (memcg_retry(ret))
		return ret;
	if (ret)
		return fail_why(why, ret, "over a memory limit, nothing "
				"reclaimable");
	mod_memcg_state(c->objcg->memcg, NR_KERNEL_STACK_KB, nr * 4);
	c->nr_pages += nr;
	return 0;
}

static void kstack_uncharge(struct task_charge *c, int64_t nr)
{
	mod_memcg_state(c->objcg->memcg, NR_KERNEL_STACK_KB, -nr * 4);
	obj_cgroup_uncharge_pages(c->objcg, nr);
	c->nr_pages -= nr;
}

static int64_t kstack_pages(const struct task_charge *c)
{
	return c->nr_pages;
}

static const struct charge_kind charge_kinds[] = {
	[TASK_ANON] = { anon_charge, anon_uncharge, anon_pages },
	[TASK_KSTACK] = { kstack_charge, kstack_uncharge, kstack_pages },
};

static int64_t slot_pages(const struct task_charge *c)
{
	return charge_kinds[c->kind].pages(c);
}

/* A file the process maps, made in a group the mapping pins. */
struct task_map {
	struct sim_inode *ino;
	struct mem_cgroup *memcg;
};

struct task {
	pid_t pid;
	int pidfd;
	uint64_t serial;		/* tells a reused pid apart */
	struct cgroup *cgroup;		/* NULL: never attached (root) */
	struct list_head node;		/* on cgroup->tasks */
	struct hnode hnode;		/* in task_table by pid */
	struct task_charge *charges;
	unsigned int nr_charges;
	struct task_map *maps;		/* one per mmap, ended by munmap */
	unsigned int nr_maps;
	bool oom_killed;		/* SIGKILLed by the OOM killer */
	bool stopped_before_freeze;	/* in job-control stop when frozen */
	bool killed;			/* by cgroup.kill */
	bool anon_from_smaps;		/* task_smaps.c reconciles its anon */
	struct task_cputime cputime;	/* at the last cpu.stat sample */
	/* mmap_lock's part: a charge or free of this process's anon in
	 * MEMCG mode (memcg_lock.h) holds it across the slots it changes;
	 * two threads of one process may write to two groups at once. */
	pthread_mutex_t lock;
};

/*
 * Processes that left lately: fork events come through the connector
 * after the fact, and the parent may have exited (and been released by
 * the pidfd watcher) before its child's fork event is read.  Its group
 * and whether cgroup.kill killed it are kept here for a while.
 */
#define RECENT_EXITS 1024
struct recent_exit {
	pid_t pid;
	uint64_t cgroup_serial;		/* 0: none */
	bool killed;
};
static struct recent_exit recent_exits[RECENT_EXITS];
static unsigned int recent_next;

/* The table may grow under a write in MEMCG mode (a new writer is
 * tracked) while others look processes up: lookups take tasks_lock for
 * reading, adds and removals for writing.  A read lock, since every
 * sim.ctl command looks its writer up two or three times: as a mutex it
 * put one of two writers on disjoint groups to sleep about once a
 * command (perf, a futex wait per command).  Its walks (task_iter) hold
 * cgroup_mutex for writing or own every CPU, and so exclude every write
 * in MEMCG mode. */
static struct hashtable task_table;
static pthread_rwlock_t tasks_lock = PTHREAD_RWLOCK_INITIALIZER;
static uint64_t next_task_serial = 1;
static int epfd = -1, stop_efd = -1;
static pthread_t watcher;
static bool watcher_started;

static bool pid_match(const struct hnode *n, const void *key)
{
	return container_of(n, struct task, hnode)->pid == *(const pid_t *)key;
}

/* Caller holds tasks_lock. */
static struct task *task_lookup(pid_t pid)
{
	struct hnode *n = hashtable_find(&task_table, (uint64_t)pid,
					 pid_match, &pid);

	return n ? container_of(n, struct task, hnode) : NULL;
}

static struct task *task_find(pid_t pid)
{
	struct task *t;

	pthread_rwlock_rdlock(&tasks_lock);
	t = task_lookup(pid);
	pthread_rwlock_unlock(&tasks_lock);
	return t;
}

/* /proc/<tid>/stat: the flags field says whether it is a kernel thread. */
static int read_stat_flags(pid_t tid, unsigned long *flags)
{
	char buf[1024];
	const char *f = proc_pid_stat_fields(tid, buf, sizeof(buf));

	if (!f || sscanf(f, " %*c %*d %*d %*d %*d %*d %lu", flags) != 1)
		return -ESRCH;
	return 0;
}

pid_t task_parent(pid_t tgid, const char **why)
{
	char buf[1024];
	const char *f = proc_pid_stat_fields(tgid, buf, sizeof(buf));
	int ppid;

	if (!f || sscanf(f, " %*c %d", &ppid) != 1 || ppid <= 0)
		return fail_why(why, -ESRCH, "the process or its parent has "
				"exited");
	return ppid;
}

/*
 * Is @tid the main thread of a process we track?  Then it is its own
 * tgid, and no kernel thread.  The record's pidfd names the very process
 * tracked: while that is not reaped (sig 0 finds it; EPERM is found too)
 * its pid names nobody else.  One syscall instead of the two /proc reads
 * below, on every sim.ctl command of a single-threaded writer.
 */
static bool tracked_leader(pid_t tid)
{
	struct task *t;
	bool ret;

	pthread_rwlock_rdlock(&tasks_lock);
	t = task_lookup(tid);
	ret = t && (!syscall(SYS_pidfd_send_signal, t->pidfd, 0, NULL, 0) ||
		    errno == EPERM);
	pthread_rwlock_unlock(&tasks_lock);
	return ret;
}

pid_t task_tgid(pid_t tid, const char **why)
{
	char path[64], line[128];
	unsigned long flags;
	pid_t tgid = -ESRCH;
	FILE *f;

	if (tid > 0 && tracked_leader(tid))
		return tid;
	if (tid <= 0 || read_stat_flags(tid, &flags))
		goto esrch;
	if (flags & PF_KTHREAD)
		goto einval;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		goto esrch;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	if (tgid == getpid())
		goto einval;
	if (tgid < 0)
		goto esrch;
	return tgid;
esrch:
	return fail_why(why, -ESRCH, "no such process or thread");
einval:
	return fail_why(why, -EINVAL,
			"kernel threads and the memcgfs daemon stay put");
}

static uint64_t task_cookie(const struct task *t);

static struct task *task_track(pid_t pid)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct task *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (t->pidfd < 0) {
		free(t);
		return NULL;
	}
	t->pid = pid;
	t->serial = next_task_serial++;
	task_cputime_start(pid, &t->cputime);
	INIT_LIST_HEAD(&t->node);
	pthread_mutex_init(&t->lock, NULL);
	ev.data.u64 = task_cookie(t);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, t->pidfd, &ev)) {
		close(t->pidfd);
		free(t);
		return NULL;
	}
	hashtable_add(&task_table, &t->hnode, (uint64_t)pid);
	return t;
}

/* Found, or tracked under one hold of tasks_lock for writing: two
 * writes of a new process in MEMCG mode must not track it twice. */
static struct task *task_get_or_track(pid_t pid)
{
	struct task *t = task_find(pid);

	if (t)
		return t;
	pthread_rwlock_wrlock(&tasks_lock);
	t = task_lookup(pid);
	if (!t)
		t = task_track(pid);
	pthread_rwlock_unlock(&tasks_lock);
	return t;
}

/*
 * Signal @t through its pidfd, never by pid: once the process is gone its
 * pid may be another process's, but the pidfd still names the one we
 * track (pidfd_send_signal then fails with ESRCH and nobody is hit).
 */
static void task_signal(const struct task *t, int sig)
{
	syscall(SYS_pidfd_send_signal, t->pidfd, sig, NULL, 0);
}

/* /proc/<pid>/stat's state: 'T' for a job-control stop. */
static char proc_state(pid_t pid)
{
	char buf[512];
	const char *f = proc_pid_stat_fields(pid, buf, sizeof(buf));

	return f && f[0] == ' ' ? f[1] : '?';
}

/*
 * The freezer, emulated with job-control signals.  A kernel-frozen task
 * that was stopped (SIGSTOP) before the freeze is still stopped after the
 * thaw (kernel/cgroup/freezer.c only clears JOBCTL_TRAP_FREEZE), so a
 * process found in state T when frozen is left alone by the thaw.
 */
static void task_freeze(struct task *t, bool frozen)
{
	if (frozen) {
		t->stopped_before_freeze = proc_state(t->pid) == 'T';
		if (!t->stopped_before_freeze)
			task_signal(t, SIGSTOP);
	} else if (t->stopped_before_freeze) {
		t->stopped_before_freeze = false;
	} else {
		task_signal(t, SIGCONT);
	}
}

static void task_set_cgroup(struct task *t, struct cgroup *dst)
{
	struct cgroup *src = t->cgroup;
	bool was_frozen = src && cgroup_frozen(src);

	/* The time it ran so far is the old group's (moves and exits). */
	cgroup_rstat_account(src ? src : cgroup_root(), t->pid, &t->cputime);
	if (src) {
		list_del(&t->node);
		cgroup_update_populated(src, -1);
		cgroup_put(src);
	}
	t->cgroup = dst;
	if (!dst)
		return;
	cgroup_get(dst);
	list_add_tail(&t->node, &dst->tasks);
	cgroup_update_populated(dst, 1);
	if (cgroup_frozen(dst) != was_frozen)
		task_freeze(t, cgroup_frozen(dst));
}

static void remember_exit(const struct task *t)
{
	struct recent_exit *r = &recent_exits[recent_next++ % RECENT_EXITS];

	r->pid = t->pid;
	r->cgroup_serial = t->cgroup ? t->cgroup->serial : 0;
	r->killed = t->killed;
}

static const struct recent_exit *recent_exit_find(pid_t pid)
{
	unsigned int i;

	/* Newest first: a reused pid's latest exit wins. */
	for (i = 1; i <= RECENT_EXITS; i++) {
		const struct recent_exit *r =
			&recent_exits[(recent_next - i) % RECENT_EXITS];

		if (r->pid == pid && r->cgroup_serial)
			return r;
	}
	return NULL;
}

/* exit_mm() + cgroup_exit(): forget @t entirely. */
static void task_release(struct task *t)
{
	unsigned int i;

	remember_exit(t);
	for (i = 0; i < t->nr_charges; i++) {
		struct task_charge *c = &t->charges[i];

		charge_kinds[c->kind].uncharge(c, slot_pages(c));
		if (c->objcg)
			obj_cgroup_put(c->objcg);
		anon_vma_free(c->av);
	}
	free(t->charges);
	/* exit_mmap(): the file mappings end too. */
	for (i = 0; i < t->nr_maps; i++)
		filemap_munmap(t->maps[i].ino, t->maps[i].memcg);
	free(t->maps);
	task_set_cgroup(t, NULL);
	pthread_rwlock_wrlock(&tasks_lock);
	hashtable_del(&task_table, &t->hnode);
	pthread_rwlock_unlock(&tasks_lock);
	epoll_ctl(epfd, EPOLL_CTL_DEL, t->pidfd, NULL);
	close(t->pidfd);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

bool task_known(pid_t tgid)
{
	return task_find(tgid) != NULL;
}

struct cgroup *task_cgroup_of(pid_t tgid)
{
	struct task *t = task_find(tgid);

	return t && t->cgroup ? t->cgroup : cgroup_root();
}

int task_attach(struct cgroup *dst, pid_t tgid, const char **why)
{
	struct task *t = task_get_or_track(tgid);

	if (!t)
		return errno == ESRCH ?
			fail_why(why, -ESRCH, "the process has exited") :
			fail_why(why, -ENOMEM, "out of memory");
	if (t->cgroup != dst)
		task_set_cgroup(t, dst);
	return 0;
}

static bool charge_slot_match(const struct task_charge *c,
			      struct mem_cgroup *memcg,
			      enum task_charge_kind kind)
{
	if (c->kind != kind)
		return false;
	return kind == TASK_ANON ? c->memcg_serial == memcg->serial
				 : c->objcg == memcg->objcg;
}

static struct task_charge *charge_slot(struct task *t,
				       struct mem_cgroup *memcg,
				       enum task_charge_kind kind, bool create)
{
	struct task_charge *c;
	unsigned int i;

	for (i = 0; i < t->nr_charges; i++)
		if (charge_slot_match(&t->charges[i], memcg, kind)) {
			t->charges[i].memcg = memcg;
			return &t->charges[i];
		}
	if (!create)
		return NULL;
	c = realloc(t->charges, (t->nr_charges + 1) * sizeof(*c));
	if (!c)
		return NULL;
	t->charges = c;
	c += t->nr_charges;
	*c = (struct task_charge){ .kind = kind };
	if (kind == TASK_ANON) {
		c->av = anon_vma_alloc();
		if (!c->av)
			return NULL;
		c->memcg = memcg;
		c->memcg_serial = memcg->serial;
	} else {
		c->objcg = memcg->objcg;
		obj_cgroup_get(c->objcg);
	}
	t->nr_charges++;
	return c;
}

/*
 * An anon slot pins nothing by itself (only charged pages pin a memcg),
 * so an empty one must go at once: its memcg may be released under it.
 */
static void charge_slot_put(struct task *t, struct task_charge *c)
{
	if (slot_pages(c))
		return;
	if (c->objcg)
		obj_cgroup_put(c->objcg);
	anon_vma_free(c->av);
	*c = t->charges[--t->nr_charges];
}

int task_charge(pid_t tgid, struct mem_cgroup *memcg,
		enum task_charge_kind kind, int64_t nr_pages,
		enum gfp_mode gfp, const char **why)
{
	struct task *t = task_get_or_track(tgid);
	struct task_charge *c;
	int ret;

	if (!t)
		return errno == ESRCH ?
			fail_why(why, -ESRCH, "the writer has exited") :
			fail_why(why, -ENOMEM, "out of memory");
	pthread_mutex_lock(&t->lock);
	c = charge_slot(t, memcg, kind, true);
	if (!c) {
		pthread_mutex_unlock(&t->lock);
		return fail_why(why, -ENOMEM, "out of memory");
	}
	/* Whatever happened in between (this process OOM-killed by its
	 * own charge and reaped), the slot owns exactly what its pages say:
	 * kept if it holds any, dropped if empty. */
	ret = charge_kinds[kind].charge(c, nr_pages, gfp, why);
	charge_slot_put(t, c);
	pthread_mutex_unlock(&t->lock);
	return ret;
}

/* Give back @nr of what slot @c owns (the caller checked it does); the
 * kind keeps its own count (slot_pages). */
static void slot_uncharge(struct task *t, struct task_charge *c, int64_t nr)
{
	charge_kinds[c->kind].uncharge(c, nr);
	charge_slot_put(t, c);
}

int task_uncharge(pid_t tgid, struct mem_cgroup *memcg,
		  enum task_charge_kind kind, int64_t nr_pages, const char **why)
{
	struct task *t = task_find(tgid);
	struct task_charge *c;
	int ret = -EINVAL;

	if (!t)
		goto out;
	pthread_mutex_lock(&t->lock);
	c = charge_slot(t, memcg, kind, false);
	if (c && slot_pages(c) >= nr_pages) {
		slot_uncharge(t, c, nr_pages);
		ret = 0;
	}
	pthread_mutex_unlock(&t->lock);
out:
	return ret ? fail_why(why, ret, "the writer owns less of that here")
		   : 0;
}

/* What @t owns of @kind, in every group. */
static int64_t task_owned(const struct task *t, enum task_charge_kind kind)
{
	int64_t pages = 0;

	for (unsigned int i = 0; i < t->nr_charges; i++)
		if (t->charges[i].kind == kind)
			pages += slot_pages(&t->charges[i]);
	return pages;
}

int task_uncharge_any(pid_t tgid, struct mem_cgroup *memcg,
		      enum task_charge_kind kind, int64_t nr_pages,
		      const char **why)
{
	struct task *t = task_find(tgid);
	struct task_charge *c;
	unsigned int i = 0;

	if (!t || task_owned(t, kind) < nr_pages)
		return fail_why(why, -EINVAL,
				"the writer owns less of that in all groups");
	/* @memcg's slot first, then the others in the order they came;
	 * a slot the OOM killer emptied goes on the way. */
	c = charge_slot(t, memcg, kind, false);
	while (nr_pages) {
		int64_t n;

		if (!c) {
			while (t->charges[i].kind != kind ||
			       !slot_pages(&t->charges[i]))
				i++;
			c = &t->charges[i];
		}
		n = slot_pages(c) < nr_pages ? slot_pages(c) : nr_pages;
		slot_uncharge(t, c, n);
		nr_pages -= n;
		c = NULL;
	}
	return 0;
}

int task_touch_anon(pid_t tgid, struct mem_cgroup *memcg, int64_t nr_pages,
		    enum gfp_mode gfp, const char **why)
{
	struct task *t = task_find(tgid);
	struct task_charge *c = t ? charge_slot(t, memcg, TASK_ANON, false)
				  : NULL;

	if (!c || slot_pages(c) < nr_pages)
		return fail_why(why, -EINVAL,
				"the writer owns less of that here");
	return anon_touch(c->av, memcg, nr_pages, gfp, why);
}

int task_map(pid_t tgid, struct mem_cgroup *memcg, const char *fspath,
	     const char **why)
{
	struct task *t = task_get_or_track(tgid);
	struct sim_inode *ino;
	struct task_map *m;
	int ret;

	if (!t)
		return errno == ESRCH ?
			fail_why(why, -ESRCH, "the writer has exited") :
			fail_why(why, -ENOMEM, "out of memory");
	/* Room first: once mapped, nothing may fail. */
	m = realloc(t->maps, (t->nr_maps + 1) * sizeof(*m));
	if (!m)
		return fail_why(why, -ENOMEM, "out of memory");
	t->maps = m;
	ret = filemap_mmap(memcg, fspath, &ino, why);
	if (ret)
		return ret;
	t->maps[t->nr_maps++] = (struct task_map){ ino, memcg };
	return 0;
}

/* A mapping @t made of @fspath made in @memcg (@below: or under it). */
static int task_map_find(struct task *t, struct mem_cgroup *memcg,
			 const char *fspath, bool below)
{
	for (int i = (int)t->nr_maps - 1; i >= 0; i--) {
		struct task_map *m = &t->maps[i];

		if ((below ? mem_cgroup_is_descendant(m->memcg, memcg)
			   : m->memcg == memcg) &&
		    !filemap_inode_named(m->ino, fspath))
			return i;
	}
	return -1;
}

int task_unmap(pid_t tgid, struct mem_cgroup *memcg, const char *fspath,
	       const char **why)
{
	struct task *t = task_find(tgid);
	const char *name_why = NULL;
	int i = -1, ret = filemap_name_exists(fspath, &name_why);

	if (t && (i = task_map_find(t, memcg, fspath, false)) < 0)
		i = task_map_find(t, memcg, fspath, true);
	if (i < 0)	/* no such file, a bad name, or not mapped here */
		return ret ? fail_why(why, ret, name_why) :
		       fail_why(why, -EINVAL, "the writer maps it neither in "
				"this group nor below");
	filemap_munmap(t->maps[i].ino, t->maps[i].memcg);
	t->maps[i] = t->maps[--t->nr_maps];
	return 0;
}

/* A walk of every tracked task, bucket by bucket (hashtable order). */
struct task_iter {
	size_t b;
	struct hnode *n;
};

static struct task *task_iter_next(struct task_iter *it)
{
	struct task *t;

	while (!it->n && it->b < task_table.nr_buckets)
		it->n = task_table.buckets[it->b++];
	if (!it->n)
		return NULL;
	t = container_of(it->n, struct task, hnode);
	it->n = it->n->next;
	return t;
}

void task_for_each_mapping(struct mem_cgroup *memcg,
			   void (*fn)(pid_t pid, struct sim_inode *ino,
				      void *arg),
			   void *arg)
{
	struct task_iter it = { 0 };
	struct task *t;

	while ((t = task_iter_next(&it)))
		for (unsigned int i = 0; i < t->nr_maps; i++)
			if (t->maps[i].memcg == memcg)
				fn(t->pid, t->maps[i].ino, arg);
}

/* --- the OOM killer (mm/oom_kill.c) ------------------------------------- */

/* include/uapi/linux/oom.h */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/* /proc/<pid>/oom_score_adj; 0 if it cannot be read (it exited). */
static int oom_score_adj(pid_t pid)
{
	char buf[16];
	int adj;

	if (proc_pid_read(pid, "oom_score_adj", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%d", &adj) != 1 || adj < OOM_SCORE_ADJ_MIN ||
	    adj > OOM_SCORE_ADJ_MAX)
		return 0;
	return adj;
}

/*
 * oom_badness() of mm/oom_kill.c (6.12): the pages a process owns (its
 * anon and kernel stacks stand for rss, swap entries and page tables),
 * plus oom_score_adj in thousandths of @totalpages; INT64_MIN (never a
 * victim) at OOM_SCORE_ADJ_MIN.
 */
static int64_t oom_badness(const struct task *t, int64_t totalpages)
{
	int64_t pages = 0, adj = oom_score_adj(t->pid);

	if (adj == OOM_SCORE_ADJ_MIN)
		return INT64_MIN;
	for (unsigned int i = 0; i < t->nr_charges; i++)
		pages += slot_pages(&t->charges[i]);
	/* The kernel's order: adj *= totalpages / 1000. */
	return pages + adj * (totalpages / 1000);
}

/* mem_cgroup_get_max(): the memcg's memory.max plus the swap it may use
 * (cgroup v2, swappiness > 0), bounded by the machine's. */
static int64_t oom_totalpages(struct mem_cgroup *domain)
{
	struct mem_cgroup *root = root_mem_cgroup();
	int64_t max = atomic_load(&domain->memory.max);
	int64_t swap = atomic_load(&domain->swap.max);
	int64_t ram = atomic_load(&root->memory.max);
	int64_t total_swap = atomic_load(&root->swap.max);

	max = max < ram ? max : ram;
	return (max + (swap < total_swap ? swap : total_swap)) ?: 1;
}

/* Is @t a member of a group whose memcg is in @domain's subtree? */
static bool task_in_domain(const struct task *t, struct mem_cgroup *domain)
{
	return t->cgroup && !t->oom_killed &&
	       mem_cgroup_is_descendant(cgroup_effective_memcg(t->cgroup),
					domain);
}

/* select_bad_process(): the member with the highest badness in @domain's
 * subtree, scored against @totalpages; the first on ties. */
static struct task *select_bad_process(struct mem_cgroup *domain,
				       int64_t totalpages)
{
	struct task *t, *victim = NULL;
	struct task_iter it = { 0 };
	int64_t best = INT64_MIN;

	while ((t = task_iter_next(&it))) {
		int64_t points;

		if (!task_in_domain(t, domain))
			continue;
		points = oom_badness(t, totalpages);
		if (points != INT64_MIN && (!victim || points > best)) {
			best = points;
			victim = t;
		}
	}
	return victim;
}

/*
 * SIGKILL, then what the oom_reaper does: the victim's anon is uncharged
 * at once (its slots stay, empty, until the watcher sees it exit), so the
 * limit that called for the kill sees the memory come back.
 */
static void task_anon_zap_all(struct task *t)
{
	for (unsigned int i = 0; i < t->nr_charges; i++) {
		struct task_charge *c = &t->charges[i];

		/* All of it, pages of a fault still under way included. */
		if (c->kind == TASK_ANON)
			charge_kinds[TASK_ANON].uncharge(c, slot_pages(c));
	}
}

static void oom_kill_task(struct task *t)
{
	task_signal(t, SIGKILL);
	t->oom_killed = true;
	memcg_memory_event(cgroup_effective_memcg(t->cgroup), MEMCG_OOM_KILL);
	task_anon_zap_all(t);
}

/* mem_cgroup_get_oom_group(): the highest memory.oom.group ancestor of
 * the victim's memcg within the OOM domain, if any. */
static struct mem_cgroup *oom_group_of(struct task *victim,
				       struct mem_cgroup *domain)
{
	struct mem_cgroup *m = cgroup_effective_memcg(victim->cgroup), *g = NULL;

	for (; m; m = m->parent) {
		if (m->oom_group)
			g = m;
		if (m == domain)
			break;
	}
	return g;
}

bool mem_cgroup_out_of_memory(struct mem_cgroup *domain)
{
	int64_t totalpages = oom_totalpages(domain);
	struct task *victim = select_bad_process(domain, totalpages), *t;
	struct mem_cgroup *group;

	if (!victim)
		return false;
	group = oom_group_of(victim, domain);
	if (!group) {
		oom_kill_task(victim);
		return true;
	}
	/* memory.oom.group: every member of the group's subtree goes, but
	 * for OOM_SCORE_ADJ_MIN ones (oom_kill_memcg_member()), which
	 * select_bad_process() never returns. */
	memcg_memory_event(group, MEMCG_OOM_GROUP_KILL);
	while ((t = select_bad_process(group, totalpages)))
		oom_kill_task(t);
	return true;
}

void task_for_each_owner(struct mem_cgroup *memcg,
			 void (*fn)(pid_t pid, int64_t pages, void *arg),
			 void *arg)
{
	struct task_iter it = { 0 };
	struct task *t;

	while ((t = task_iter_next(&it))) {
		for (unsigned int i = 0; i < t->nr_charges; i++) {
			const struct task_charge *c = &t->charges[i];
			int64_t pages;

			if (c->kind != TASK_ANON || !slot_pages(c))
				continue;
			pages = anon_vma_charged_to(c->av, memcg);
			if (pages)
				fn(t->pid, pages, arg);
		}
	}
}

void task_freeze_cgroup(struct cgroup *cg, bool frozen)
{
	struct task *t;

	list_for_each_entry(t, &cg->tasks, node)
		task_freeze(t, frozen);
}

void task_kill_subtree(struct cgroup *cg)
{
	struct cgroup *child;
	struct task *t;

	list_for_each_entry(t, &cg->tasks, node) {
		t->killed = true;	/* its late-reported forks die too */
		task_signal(t, SIGKILL);
	}
	list_for_each_entry(child, &cg->children, sibling)
		task_kill_subtree(child);
}

bool task_followed(pid_t tgid)
{
	const struct task *t = task_find(tgid);

	return (t && t->cgroup) || recent_exit_find(tgid);
}

void task_fork(pid_t parent, pid_t child)
{
	const struct task *p = task_find(parent);
	const struct recent_exit *r = p ? NULL : recent_exit_find(parent);
	struct cgroup *cg = p ? p->cgroup : r ? cgroup_find_by_serial(r->cgroup_serial)
					      : NULL;
	bool killed = p ? p->killed : r && r->killed;
	struct task *t;

	if (!cg || cg->removed || child == getpid())
		return;
	/* Already placed (written to a cgroup.procs since): leave it. */
	if (task_find(child))
		return;
	if (task_attach(cg, child, NULL))
		return;		/* it is gone already */
	t = task_find(child);
	if (t && p && p->anon_from_smaps)
		t->anon_from_smaps = true;
	if (killed && t) {
		t->killed = true;
		kill(child, SIGKILL);
	}
}

int task_anon_from_smaps(pid_t tgid, const char **why)
{
	struct task *t = task_find(tgid);

	if (!t)
		return fail_why(why, -ESRCH, "the process is not a member of "
				"any group (write it to a cgroup.procs first)");
	t->anon_from_smaps = true;
	return 0;
}

unsigned int task_smaps_pids(pid_t *pids, unsigned int max)
{
	struct task_iter it = { 0 };
	unsigned int n = 0;
	struct task *t;

	while ((t = task_iter_next(&it)))
		if (t->anon_from_smaps && n < max)
			pids[n++] = t->pid;
	return n;
}

static int64_t task_anon_owned(const struct task *t)
{
	int64_t pages = 0;
	unsigned int i;

	for (i = 0; i < t->nr_charges; i++)
		if (t->charges[i].kind == TASK_ANON)
			pages += slot_pages(&t->charges[i]);
	return pages;
}

int task_anon_set(pid_t tgid, int64_t pages)
{
	struct task *t = task_find(tgid);
	struct mem_cgroup *memcg;
	int64_t owned;

	if (!t || !t->anon_from_smaps || t->oom_killed)
		return -ESRCH;
	memcg = cgroup_effective_memcg(t->cgroup ? t->cgroup : cgroup_root());
	owned = task_anon_owned(t);
	if (pages > owned)
		return task_charge(tgid, memcg, TASK_ANON, pages - owned,
				   GFP_KERNEL, NULL);
	if (pages < owned)
		return task_uncharge_any(tgid, memcg, TASK_ANON, owned - pages,
					 NULL);
	return 0;
}

void task_anon_bridged(pid_t tgid)
{
	struct task *t = task_find(tgid);

	if (!t || !t->anon_from_smaps)
		return;
	t->anon_from_smaps = false;
	task_anon_zap_all(t);
}

void task_cputime_flush(struct cgroup *cg)
{
	struct cgroup *child;
	struct task *t;

	list_for_each_entry(t, &cg->tasks, node)
		cgroup_rstat_account(cg, t->pid, &t->cputime);
	list_for_each_entry(child, &cg->children, sibling)
		task_cputime_flush(child);
}

bool task_tracked(pid_t tgid)
{
	return task_find(tgid) != NULL;
}

void task_for_each(struct cgroup *cg, void (*fn)(pid_t pid, void *arg),
		   void *arg)
{
	struct task *t;

	list_for_each_entry(t, &cg->tasks, node)
		fn(t->pid, arg);
}

/* epoll data: pid and serial, so an event of a reused pid is told apart. */
static uint64_t task_cookie(const struct task *t)
{
	return (uint64_t)t->pid << 32 | (uint32_t)t->serial;
}

static void reap_exited(const struct epoll_event *evs, int n)
{
	int i;

	pthread_rwlock_wrlock(&cgroup_mutex);
	for (i = 0; i < n; i++) {
		struct task *t = task_find((pid_t)(evs[i].data.u64 >> 32));

		if (t && task_cookie(t) == evs[i].data.u64)
			task_release(t);
	}
	pthread_rwlock_unlock(&cgroup_mutex);
}

/* The caller holds cgroup_mutex for writing.  The watcher may see the
 * same pidfds ready (epoll is level-triggered): the cookie check in
 * reap_exited() makes the second release of a task a no-op. */
void task_reap_pending(void)
{
	struct epoll_event evs[64];
	int i, n, m;

	while ((n = epoll_wait(epfd, evs, 64, 0)) > 0) {
		for (i = m = 0; i < n; i++)
			if (evs[i].data.u64)	/* not task_exit()'s */
				evs[m++] = evs[i];
		for (i = 0; i < m; i++) {
			struct task *t = task_find((pid_t)(evs[i].data.u64 >> 32));

			if (t && task_cookie(t) == evs[i].data.u64)
				task_release(t);
		}
		if (m == 0 || n < 64)
			break;
	}
}

static void *watcher_fn(void *arg)
{
	struct epoll_event evs[64];

	(void)arg;
	for (;;) {
		int i, n = epoll_wait(epfd, evs, 64, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (i = 0; i < n; i++)
			if (evs[i].data.u64 == 0)
				return NULL;	/* task_exit() */
		reap_exited(evs, n);
	}
	return NULL;
}

int task_init(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };

	if (hashtable_init(&task_table))
		return -ENOMEM;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	stop_efd = eventfd(0, EFD_CLOEXEC);
	if (epfd < 0 || stop_efd < 0 ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, stop_efd, &ev))
		return -errno;
	if (pthread_create(&watcher, NULL, watcher_fn, NULL))
		return -EAGAIN;
	watcher_started = true;
	return 0;
}

void task_exit(void)
{
	size_t b;

	if (watcher_started) {
		uint64_t one = 1;

		if (write(stop_efd, &one, sizeof(one)) == sizeof(one))
			pthread_join(watcher, NULL);
		watcher_started = false;
	}
	pthread_rwlock_wrlock(&cgroup_mutex);
	for (b = 0; task_table.buckets && b < task_table.nr_buckets; b++)
		while (task_table.buckets[b])
			task_release(container_of(task_table.buckets[b],
						  struct task, hnode));
	pthread_rwlock_unlock(&cgroup_mutex);
	hashtable_destroy(&task_table);
	close(epfd);
	close(stop_efd);
}

void task_for_each_kstack(void (*fn)(struct obj_cgroup *objcg, int64_t pages,
				     void *arg), void *arg)
{
	struct task_iter it = { 0 };
	struct task *t;

	while ((t = task_iter_next(&it)))
		for (unsigned int i = 0; i < t->nr_charges; i++)
			if (t->charges[i].kind == TASK_KSTACK)
				fn(t->charges[i].objcg,
				   t->charges[i].nr_pages, arg);
}
