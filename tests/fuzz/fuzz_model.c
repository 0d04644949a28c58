/*
 * fuzz_model.c - a libFuzzer target over the memcg model, without FUSE.
 *
 * Each input is a script, one command a line, run against a fresh model
 * (a 64M machine with 16M of swap, 2 CPUs, 64 memcg IDs):
 *
 *   mkdir PATH | rmdir PATH          a group ("/" is the root; "a/b")
 *   [@K] PATH FILE TEXT...           write TEXT + "\n" to PATH's FILE as
 *                                    process K (0..3), as `echo` does
 *   [@K] read PATH FILE              render FILE (its show handler)
 *   [@K] open F PATH FILE            hold file F (0..3) open, as an fd
 *   [@K] fd F TEXT... | fread F | close F
 *   kill K                           SIGKILL process K (the owner dies)
 *   reap | tick N                    the zombie reaper: now / at second N
 *
 * "$K" in TEXT is replaced by process K's pid ("@1 a cgroup.procs 0" moves
 * process 1 itself).  Bad lines are skipped.  Writes and reads go through
 * the same handlers as the daemon's (fs/files.c's table, fs/sim_files.c's
 * commands) with the daemon's locking; ops.c's FUSE plumbing is all that
 * is left out.  After every line root sim.check must say "ok 1"; at the
 * end every readable file of every group is rendered, every process is
 * forgotten, the model torn down, and every slab cache must be empty (and
 * LeakSanitizer sees every malloc).  A failure prints the script and the
 * line, and aborts.  MEMCGFS_FUZZ_TRACE=1 prints each write's result;
 * MEMCGFS_FUZZ_AVOID=writer-oom skips one known failure (see below).
 *
 * Processes are real: the model finds them in /proc, holds pidfds and
 * signals them (OOM killer, cgroup.kill, the freezer).  Each is a
 * clone(CLONE_VM) child that only pause()s, cheap to make again after a
 * kill.  After each line the target waits until every process that was
 * killed has exited and the model's watcher has released it, so a script
 * replays the same way every time (the OOM killer breaks ties between
 * equal owners in hash order of their pids: the one liberty left).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../allocator/kmalloc.h"
#include "../../allocator/page_alloc.h"
#include "../../allocator/slab.h"
#include "../../core/memcg_check.h"
#include "../../core/memcg_reaper.h"
#include "../../core/policy.h"
#include "../../core/sim_log.h"
#include "../../core/smp.h"
#include "../../core/task.h"
#include "../../fs/fs.h"
#include "../../fs/ops.h"

#define NR_PROCS 4
#define NR_FDS 4
#define MAX_LINE PAGE_SIZE	/* one write(2), as ops.c takes it */
#define CHILD_STACK (64 << 10)
#define EXIT_WAIT_MS 5000

/* --- what fs/ops.c provides to the handlers ------------------------- */

/* As ops.c: the memcg the file was opened on, if it is still there. */
struct mem_cgroup *of_memcg(struct of *of)
{
	struct mem_cgroup *memcg = of->cg->memcg;

	return memcg && memcg->serial == of->memcg_serial ? memcg : NULL;
}

/* No kernel dentry cache to invalidate here. */
uint64_t notify_inval_memory_files(struct cgroup *cg)
{
	(void)cg;
	return 0;
}

uint64_t notify_inval_ss_files(struct cgroup *cg, uint16_t gone)
{
	(void)cg;
	(void)gone;
	return 0;
}

uint64_t notify_inval_pressure_files(struct cgroup *cg)
{
	(void)cg;
	return 0;
}

/* No inotify watcher either. */
char *notify_file_path(struct cgroup *cg, const struct cftype *cft,
		       uint64_t *key)
{
	(void)cg;
	(void)cft;
	*key = 0;
	return NULL;
}

/* No poller waits on the target's fds. */
void notify_poll_wake(struct of *of)
{
	(void)of;
}

struct script {
	const char *text;	/* the whole input, for the failure report */
	size_t len;
	unsigned int lineno;	/* of the line running, from 1 */
	unsigned int writer;	/* @K of the current line */
	struct of *fds[NR_FDS];
	struct strbuf out;	/* renders, and sim.check */
};

static void fail(struct script *s, const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_model: %s (after line %u)\n%s\n--- script ---\n"
		"%.*s\n--------------\n", what, s->lineno, detail ? detail : "",
		(int)s->len, s->text);
	abort();
}

/* --- processes --------------------------------------------------------- */

struct proc {
	pid_t pid;		/* 0: not running (made on first use) */
	char *stack;
	int pidfd;		/* polls readable once it has exited */
	bool killed;		/* SIGKILL sent (__wrap_kill) */
};

static struct proc procs[NR_PROCS];
/* MEMCGFS_FUZZ_TRACE=1: each write's result on stderr (writing seeds). */
static bool trace;

__attribute__((no_sanitize("address", "undefined")))
static int child_main(void *arg)
{
	(void)arg;
	/* Raw system calls: the sanitizers' interceptors would run on this
	 * stack with the parent's thread-local state.  A crashed fuzzer
	 * leaves no process behind. */
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static pid_t proc_pid(unsigned int k)
{
	struct proc *p = &procs[k % NR_PROCS];

	if (p->pid)
		return p->pid;
	if (!p->stack) {
		p->stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (p->stack == MAP_FAILED)
			abort();
	}
	p->pid = clone(child_main, p->stack + CHILD_STACK, CLONE_VM | SIGCHLD,
		       NULL);
	if (p->pid < 0)
		abort();
	p->killed = false;
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd < 0)
		abort();
	return p->pid;
}

/*
 * The model's signals, seen on their way out: both builds link with
 * -Wl,--wrap=kill,--wrap=pidfd_send_signal, so core/task.c's kill() comes
 * here first.  A SIGKILL marks the process, and settle() waits for it.
 */
int __real_kill(pid_t pid, int sig);
int __wrap_kill(pid_t pid, int sig);
int __real_pidfd_send_signal(int pidfd, int sig, siginfo_t *info,
			     unsigned int flags);
int __wrap_pidfd_send_signal(int pidfd, int sig, siginfo_t *info,
			     unsigned int flags);

static void mark_killed(pid_t pid, int sig)
{
	unsigned int k;

	for (k = 0; k < NR_PROCS && sig == SIGKILL; k++)
		if (procs[k].pid && procs[k].pid == pid)
			procs[k].killed = true;
}

int __wrap_kill(pid_t pid, int sig)
{
	mark_killed(pid, sig);
	return __real_kill(pid, sig);
}

/* The pid behind a pidfd: its fdinfo's "Pid:" line. */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], line[128];
	pid_t pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return pid;
}

int __wrap_pidfd_send_signal(int pidfd, int sig, siginfo_t *info,
			     unsigned int flags)
{
	if (sig == SIGKILL)
		mark_killed(pidfd_pid(pidfd), sig);
	return __real_pidfd_send_signal(pidfd, sig, info, flags);
}

/* Killed (a SIGKILL seen), or already gone (a signal sent some other
 * way): a pidfd polls readable once its process has exited. */
static bool proc_dying(struct proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	int n;

	if (p->killed)
		return true;
	/* libFuzzer's SIGALRM may interrupt even a poll that does not wait */
	while ((n = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	return n > 0 && (pfd.revents & POLLIN);
}

static bool model_tracks(pid_t pid)
{
	bool t;

	pthread_rwlock_rdlock(&cgroup_mutex);
	t = task_tracked(pid);
	pthread_rwlock_unlock(&cgroup_mutex);
	return t;
}

/* Wait until @p has exited: false if it has not in EXIT_WAIT_MS. */
static bool proc_wait_exit(struct proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	int n;

	while ((n = poll(&pfd, 1, EXIT_WAIT_MS)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return false;
	while (waitpid(p->pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	return true;
}

/* Wait out every killed process: reaped here, released by the model. */
static void settle(struct script *s)
{
	char detail[64];
	unsigned int k;

	for (k = 0; k < NR_PROCS; k++) {
		struct proc *p = &procs[k];

		if (!p->pid || !proc_dying(p))
			continue;
		if (!proc_wait_exit(p)) {
			snprintf(detail, sizeof(detail), "process %u (pid %d)",
				 k, p->pid);
			fail(s, "a killed process did not exit", detail);
		}
		while (model_tracks(p->pid))
			sched_yield();
		close(p->pidfd);
		p->pid = 0;
	}
}

static void proc_kill(unsigned int k)
{
	if (procs[k % NR_PROCS].pid)
		__wrap_kill(procs[k % NR_PROCS].pid, SIGKILL);
}

/* --- the script ---------------------------------------------------------- */

/* PATH from the root: NULL if a component is missing.  Lock held. */
static struct cgroup *resolve(char *path)
{
	struct cgroup *cg = cgroup_root();
	char *name;

	while (cg && (name = strsep(&path, "/")))
		if (*name && strcmp(name, "."))
			cg = cgroup_find_child(cg, name);
	return cg;
}

/* The parent of PATH's last component, which *name is set to. */
static struct cgroup *resolve_parent(char *path, char **name)
{
	char *slash = strrchr(path, '/');

	if (!slash) {
		*name = path;
		return cgroup_root();
	}
	*slash = '\0';
	*name = slash + 1;
	return resolve(path);
}

/* ops.c's mc_mkdir, without the reply. */
static void do_mkdir(char *path)
{
	struct cgroup *parent, *child;
	char *name;

	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu(0);
	parent = resolve_parent(path, &name);
	if (parent && *name && !cftype_lookup(parent, name) &&
	    strlen(name) <= NAME_MAX)
		cgroup_mkdir(parent, name, 0, 0, 0755, &child);
	pthread_rwlock_unlock(&cgroup_mutex);
}

static void do_rmdir(char *path)
{
	struct cgroup *cg;

	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu(0);
	cg = resolve(path);
	if (cg && cg->parent)
		cgroup_rmdir(cg, NULL);
	pthread_rwlock_unlock(&cgroup_mutex);
}

/* ops.c's mc_open: NULL if PATH or FILE is not there. */
static struct of *of_open(char *path, const char *file)
{
	struct of *of = NULL;
	const struct cftype *cft;
	struct cgroup *cg;

	pthread_rwlock_rdlock(&cgroup_mutex);
	cg = resolve(path);
	cft = cg ? cftype_lookup(cg, file) : NULL;
	if (cft && (of = calloc(1, sizeof(*of)))) {
		cgroup_get(cg);
		of->cg = cg;
		of->cft = cft;
		of->memcg_serial = cg->memcg ? cg->memcg->serial : 0;
		of->flags = O_RDWR;
		of->peak.value = -1;
		INIT_LIST_HEAD(&of->peak.list);
		INIT_LIST_HEAD(&of->poll_node);
		pthread_mutex_init(&of->lock, NULL);
	}
	pthread_rwlock_unlock(&cgroup_mutex);
	return of;
}

/* ops.c's mc_release. */
static void of_close(struct of *of)
{
	if (!of)
		return;
	pressure_release(of);	/* a trigger written to a *.pressure file */
	pthread_rwlock_wrlock(&cgroup_mutex);
	if (of->peak_registered)
		memcg_peak_release(&of->peak);
	cgroup_put(of->cg);
	pthread_rwlock_unlock(&cgroup_mutex);
	pthread_mutex_destroy(&of->lock);
	free(of);
}

static bool of_dead(struct of *of)
{
	return of->cg->removed ||
	       ((of->cft->flags & CFTYPE_MEMORY) && !of_memcg(of));
}

/* Replace "$K" by process K's pid, append the "\n" echo adds. */
static void expand(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in && o + 16 < size; in++) {
		if (in[0] == '$' && in[1] >= '0' && in[1] <= '9') {
			o += snprintf(out + o, size - o, "%d",
				      proc_pid((unsigned int)(in[1] - '0')));
			in++;
		} else {
			out[o++] = *in;
		}
	}
	out[o++] = '\n';
	out[o] = '\0';
}

/*
 * MEMCGFS_FUZZ_AVOID=writer-oom: skip sim.ctl writes by member processes,
 * the one shape (a writer OOM-killed by its own charge) whose fix is
 * another branch's (issue 12, deliverable 1), so that a run can look for
 * everything else.  Off by default.
 */
static void match_pid(pid_t pid, void *arg)
{
	if (pid == *(pid_t *)arg)
		*(pid_t *)arg = 0;
}

/* Is @pid a member of the root group itself?  Lock held. */
static bool in_root(pid_t pid)
{
	task_for_each(cgroup_root(), match_pid, &pid);
	return pid == 0;
}

static bool avoid_writer_oom(struct script *s, struct of *of)
{
	static int avoid = -1;
	pid_t pid;
	bool member;

	if (avoid < 0) {
		const char *e = getenv("MEMCGFS_FUZZ_AVOID");

		avoid = e && strstr(e, "writer-oom");
	}
	if (!avoid || of->cft->write != sim_ctl_write)
		return false;
	pid = proc_pid(s->writer);
	pthread_rwlock_rdlock(&cgroup_mutex);
	member = task_cgroup_of(pid) != cgroup_root() || in_root(pid);
	pthread_rwlock_unlock(&cgroup_mutex);
	return member;
}

/* ops.c's do_write and of_write, as process @s->writer. */
static void of_write_text(struct script *s, struct of *of, const char *text)
{
	char kbuf[MAX_LINE + 1];
	int err;

	if (!of || !of->cft->write || avoid_writer_oom(s, of))
		return;
	expand(text, kbuf, sizeof(kbuf));
	pthread_mutex_lock(&of->lock);
	of->writer_pid = proc_pid(s->writer);
	of->writer_uid = 0;
	of->writer_gid = 0;
	of->why = NULL;
	of->notify_ticket = 0;
	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu(s->writer);
	err = of_dead(of) ? -ENODEV : of->cft->write(of, kbuf);
	pthread_rwlock_unlock(&cgroup_mutex);
	pthread_mutex_unlock(&of->lock);
	if (trace)
		fprintf(stderr, "line %u: %s: %s", s->lineno, of->cft->name,
			err ? strerror(-err) : "ok");
	if (trace && err)
		fprintf(stderr, " (%s)", of->why ? of->why : "");
	if (trace)
		fprintf(stderr, "\n");
}

/* A read renders into a buffer of its own: the target checks the
 * handlers, not ops.c's shared snapshots. */
static void of_read(struct of *of)
{
	struct strbuf sb = { 0 };

	if (!of || !of->cft->show)
		return;
	pthread_mutex_lock(&of->lock);
	pthread_rwlock_rdlock(&cgroup_mutex);
	if (!of_dead(of))
		of->cft->show(of, &sb);
	pthread_rwlock_unlock(&cgroup_mutex);
	pthread_mutex_unlock(&of->lock);
	sb_release(&sb);
}

static void check(struct script *s)
{
	int ret;

	sb_reset(&s->out);
	pthread_rwlock_rdlock(&cgroup_mutex);
	ret = memcg_check(&s->out);
	pthread_rwlock_unlock(&cgroup_mutex);
	if (ret || s->out.err)
		return;		/* -ENOMEM: no verdict */
	sb_putc(&s->out, '\0');
	if (!strstr(s->out.buf, "ok 1\n"))
		fail(s, "sim.check is not ok 1", s->out.buf);
}

static bool slot(const char *tok, unsigned int *k)
{
	if (!tok || tok[0] < '0' || tok[0] > '9' || tok[1])
		return false;
	*k = (unsigned int)(tok[0] - '0');
	return true;
}

/* The rest of the line after @n words (the text to write). */
static char *rest(char *line, int n)
{
	while (n-- > 0) {
		line += strspn(line, " ");
		line += strcspn(line, " ");
	}
	return line + strspn(line, " ");
}

static void fd_cmd(struct script *s, const char *verb, char *line)
{
	char *copy = strdupa(line), *w1, *w2, *w3;
	unsigned int f;

	w1 = strsep(&copy, " ");
	if (!slot(w1, &f) || f >= NR_FDS)
		return;
	if (!strcmp(verb, "open")) {
		w2 = strsep(&copy, " ");
		w3 = strsep(&copy, " ");
		if (!w2 || !w3)
			return;
		of_close(s->fds[f]);
		s->fds[f] = of_open(w2, w3);
	} else if (!strcmp(verb, "close")) {
		of_close(s->fds[f]);
		s->fds[f] = NULL;
	} else if (!strcmp(verb, "fread")) {
		of_read(s->fds[f]);
	} else {
		of_write_text(s, s->fds[f], rest(line, 1));
	}
}

static void file_cmd(struct script *s, char *path, char *line)
{
	char *file = strsep(&line, " ");
	struct of *of;

	if (!file || !*file)
		return;
	of = of_open(path, file);
	of_write_text(s, of, line ? line : "");
	of_close(of);
}

/* The reaper thread's work, done here: a tick at second @line, or now. */
static void do_reaper(bool tick, const char *line)
{
	long long sec = atoll(line);

	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu(0);
	if (tick)
		memcg_reaper_tick(sec < 0 ? 0 : (uint64_t)sec);
	else
		memcg_reap_zombies();
	pthread_rwlock_unlock(&cgroup_mutex);
}

static void read_cmd(char *line)
{
	char *path = strsep(&line, " ");
	struct of *of = of_open(path, line ? line : "");

	of_read(of);
	of_close(of);
}

static void run_line(struct script *s, char *line)
{
	char *verb;
	unsigned int k;

	s->writer = 0;
	if (line[0] == '@' && line[1] >= '0' && line[1] <= '9') {
		s->writer = (unsigned int)(line[1] - '0') % NR_PROCS;
		line += 2;
	}
	line += strspn(line, " ");
	verb = strsep(&line, " ");
	if (!line)
		line = "";
	if (!strcmp(verb, "mkdir")) {
		do_mkdir(line);
	} else if (!strcmp(verb, "rmdir")) {
		do_rmdir(line);
	} else if (!strcmp(verb, "kill")) {
		if (slot(line, &k))
			proc_kill(k);
	} else if (!strcmp(verb, "reap") || !strcmp(verb, "tick")) {
		do_reaper(*verb == 't', line);
	} else if (!strcmp(verb, "read")) {
		read_cmd(line);
	} else if (!strcmp(verb, "open") || !strcmp(verb, "close") ||
		   !strcmp(verb, "fd") || !strcmp(verb, "fread")) {
		fd_cmd(s, verb, line);
	} else if (*verb) {
		file_cmd(s, verb, line);
	}
}

/* --- one input: a fresh model, the script, the teardown ----------------- */

#define MAX_CACHES 256

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

/* The caches there after the first model_up(): the allocator's and the
 * model's own (anon.c and filemap.c keep a pointer to "sim_page"). */
static struct cache_list model_caches;

static bool model_cache(struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < model_caches.n; i++)
		if (model_caches.v[i] == s)
			return true;
	return false;
}

static const struct memcg_config fuzz_config = {
	.ids = 64, .cpus = 2, .memory_bytes = 64ULL << 20,
	.swap_bytes = 16ULL << 20,
};

static void model_up(void)
{
	/* sim.policy is global: back to the mount's defaults. */
	policy_set("kmem", "clone-leak", NULL);
	policy_set("kmem", "objcg", NULL);
	policy_set("pages", "pin", NULL);
	policy_set("ids", "recycle", NULL);
	policy_set("reaper", "off", NULL);
	trace = getenv("MEMCGFS_FUZZ_TRACE");
	nr_cpu_ids = fuzz_config.cpus;
	memcgfs_cpus = fuzz_config.cpus;
	if (kmem_caches_init() || cgroup_init(&fuzz_config, 0, 0) ||
	    task_init())
		abort();
	if (!model_caches.n)
		kmem_cache_for_each(collect_cache, &model_caches);
}

/*
 * Every cache must be empty: what kmem_caches_exit() checks at unmount,
 * without destroying the allocator's own caches or giving back their
 * slabs (mapping them afresh each time was most of an input's cost).
 * The watcher, the only other thread, has exited with its magazines;
 * ours are flushed.  Caches made by sim.ctl kmem_cache_create go.
 * (LeakSanitizer does not scan the allocator's mmap()ed chunks, where a
 * kept slab points to its obj_exts vector: tests/fuzz/lsan.supp.)
 */
static void caches_down(struct script *s)
{
	static struct cache_list left;
	struct kmem_cache_stats st;
	char detail[96];
	unsigned int i;

	kmem_cache_drain_local();
	left.n = 0;
	kmem_cache_for_each(collect_cache, &left);
	for (i = 0; i < left.n; i++) {
		if (kmem_cache_stats(left.v[i], &st) || st.active_objs) {
			snprintf(detail, sizeof(detail), "%s: %lu objects",
				 kmem_cache_name(left.v[i]), st.active_objs);
			fail(s, "objects still allocated at teardown", detail);
		}
		if (!model_cache(left.v[i]) && kmem_cache_destroy(left.v[i]))
			fail(s, "a created cache cannot be destroyed",
			     kmem_cache_name(left.v[i]));
	}
}

/* Render every readable file of @cg and its descendants, as `grep -r`
 * would: each show handler meets whatever state the script left. */
static void read_all(struct cgroup *cg, struct strbuf *sb)
{
	struct of of = { .cg = cg, .peak.value = -1 };
	struct cgroup *child;
	unsigned int i;

	of.memcg_serial = cg->memcg ? cg->memcg->serial : 0;
	INIT_LIST_HEAD(&of.peak.list);
	INIT_LIST_HEAD(&of.poll_node);
	for (i = 0; i < nr_cftypes; i++) {
		if (!cftypes[i].show || !cftype_visible(&cftypes[i], cg))
			continue;
		of.cft = &cftypes[i];
		sb_reset(sb);
		cftypes[i].show(&of, sb);
	}
	list_for_each_entry(child, &cg->children, sibling)
		read_all(child, sb);
}

/* main.c's model_stop(), and every cache must have been empty. */
static void model_down(struct script *s)
{
	unsigned int i;

	pthread_rwlock_rdlock(&cgroup_mutex);
	read_all(cgroup_root(), &s->out);
	pthread_rwlock_unlock(&cgroup_mutex);
	for (i = 0; i < NR_FDS; i++)
		of_close(s->fds[i]);
	for (i = 0; i < NR_PROCS; i++)
		if (procs[i].pid)
			kill(procs[i].pid, SIGCONT);	/* the freezer's */
	task_exit();
	cgroup_exit();
	caches_down(s);
	sim_log_clear();
	sb_release(&s->out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
void fuzz_model_exit(void);

/* The end of the process (replay.c): every cache destroyed, as main.c's
 * slab_stop() does, so nothing is left for LeakSanitizer's exit check. */
void fuzz_model_exit(void)
{
	static struct cache_list left;
	unsigned int i;

	kmem_caches_exit();
	left.n = 0;
	kmem_cache_for_each(collect_cache, &left);
	for (i = 0; i < left.n; i++)
		kmem_cache_destroy(left.v[i]);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct script s = { .text = (const char *)data, .len = size };
	char line[MAX_LINE + 1];
	size_t pos = 0;

	model_up();
	while (pos < size) {
		const unsigned char *nl = memchr(data + pos, '\n', size - pos);
		size_t len = (nl ? (size_t)(nl - data) : size) - pos;

		if (len <= MAX_LINE && !memchr(data + pos, '\0', len)) {
			memcpy(line, data + pos, len);
			line[len] = '\0';
			s.lineno++;
			run_line(&s, line);
			settle(&s);
			check(&s);
		}
		else
			s.lineno++;
		pos += len + 1;
	}
	model_down(&s);
	return 0;
}
