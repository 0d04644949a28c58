/*
 * notify.c - everything memcgfs tells the kernel unasked: poll wake-ups
 * and dentry invalidations.
 *
 * libfuse's rule (doc/README.notifications, libfuse): a notify
 * must not be sent from a request handler or while holding a lock that a
 * handler needs, or the kernel and the daemon can wait on each other.  So
 * the core's hook only queues work under poll_lock, and one thread sends
 * it with no lock held.
 *
 * Lock order: cgroup_mutex -> psi_lock (core/psi.c) -> poll_lock.  poll_lock
 * is innermost.
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs.h"
#include "fsnotify.h"
#include "ino.h"
#include "notify.h"

struct nwork {
	struct nwork *next;
	struct fuse_pollhandle *ph;	/* a poll wake-up, or */
	fuse_ino_t parent;		/* an entry to invalidate */
	const char *name;		/* (a cftype name: static) */
};

static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static struct list_head pollers = LIST_HEAD_INIT(pollers);
static struct nwork *work_head, **work_tail = &work_head;
static bool stopping;
/* Work items queued and sent so far, for notify_wait(). */
static uint64_t queued_seq, done_seq;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static pthread_t notifier;
static struct fuse_session *session;

/* Caller holds poll_lock. */
static void queue_work(struct nwork *w)
{
	queued_seq++;
	w->next = NULL;
	*work_tail = w;
	work_tail = &w->next;
	pthread_cond_signal(&work_cond);
}

/* Caller holds poll_lock: hand @of's poll handle to the notifier. */
static void wake_poller(struct of *of)
{
	struct nwork *w = calloc(1, sizeof(*w));

	list_del(&of->poll_node);
	if (!w) {
		/* No memory to queue: the waiter re-polls on its timeout. */
		fuse_pollhandle_destroy(of->ph);
	} else {
		w->ph = of->ph;
		queue_work(w);
	}
	of->ph = NULL;
}

/* Does @cg show @cft?  A removed group's files are gone with it. */
static bool file_shown(struct cgroup *cg, const struct cftype *cft)
{
	return !cg->removed && cftype_visible(cft, cg);
}

/* @cft's path under the mount, malloc'd (NULL: no memory). */
static char *file_path(struct cgroup *cg, const struct cftype *cft)
{
	char *dir, *path;

	if (cgroup_path(cg, &dir))
		return NULL;
	if (asprintf(&path, "%s/%s", cg->parent ? dir : "", cft->name) < 0)
		path = NULL;
	free(dir);
	return path;
}

char *notify_file_path(struct cgroup *cg, const struct cftype *cft,
		       uint64_t *key)
{
	if (!file_shown(cg, cft))
		return NULL;
	*key = file_ino(cg, cft);	/* the key is the inode number */
	return file_path(cg, cft);
}

void notify_file_modified(struct cgroup *cg, const struct cftype *cft)
{
	uint64_t key;
	char *path;

	if (!file_shown(cg, cft))
		return;
	/* The key is the inode number, never reused: a kick still kept
	 * for it is this very file's. */
	key = file_ino(cg, cft);
	if (fsnotify_modify_known(key))
		return;
	path = file_path(cg, cft);
	if (path)
		fsnotify_modify(key, path);
}

void notify_file_modified_name(struct cgroup *cg, const char *name)
{
	const struct cftype *cft = cftype_lookup(cg, name);

	if (cft)
		notify_file_modified(cg, cft);
}

/* core's cgroup_file_notify() hook; runs under cgroup_mutex. */
static void notify_hook(struct cgroup *cg, enum cgroup_notify_file file)
{
	struct of *of, *n;
	unsigned int i;

	/* kernfs_notify(): inotify watchers of the file(s) as well. */
	for (i = 0; file < CGRP_NR_NOTIFY && i < nr_cftypes; i++)
		if (cftypes[i].notify == (int)file)
			notify_file_modified(cg, &cftypes[i]);
	pthread_mutex_lock(&poll_lock);
	list_for_each_entry_safe(of, n, &pollers, poll_node)
		if (of->cg == cg && (file == CGRP_NOTIFY_REMOVED ||
				     of->cft->notify == (int)file))
			wake_poller(of);
	pthread_mutex_unlock(&poll_lock);
}

void notify_poll_register(struct of *of, void *ph)
{
	pthread_mutex_lock(&poll_lock);
	/* One notification clears every older handle: keep the newest. */
	if (of->ph)
		fuse_pollhandle_destroy(of->ph);
	else
		list_add_tail(&of->poll_node, &pollers);
	of->ph = ph;
	pthread_mutex_unlock(&poll_lock);
}

void notify_poll_unregister(struct of *of)
{
	pthread_mutex_lock(&poll_lock);
	if (of->ph) {
		list_del(&of->poll_node);
		fuse_pollhandle_destroy(of->ph);
		of->ph = NULL;
	}
	pthread_mutex_unlock(&poll_lock);
}

/* Queue the invalidation of @cg's files that @match (with @arg); false
 * when out of memory (the kernel's cached entries then expire by their
 * timeout).  Caller holds poll_lock. */
static bool queue_inval_files(const struct cgroup *cg,
			      bool (*match)(const struct cftype *, unsigned int),
			      unsigned int arg)
{
	for (unsigned int i = 0; i < nr_cftypes; i++) {
		struct nwork *w;

		if (!match(&cftypes[i], arg))
			continue;
		w = calloc(1, sizeof(*w));
		if (!w)
			return false;
		w->parent = cgroup_ino(cg);
		w->name = cftypes[i].name;
		queue_work(w);
	}
	return true;
}

/* The same for every child of @cg; returns a ticket for notify_wait(). */
static uint64_t inval_children_files(struct cgroup *cg,
				     bool (*match)(const struct cftype *,
						   unsigned int),
				     unsigned int arg)
{
	struct cgroup *child;
	uint64_t ticket;

	pthread_mutex_lock(&poll_lock);
	list_for_each_entry(child, &cg->children, sibling)
		if (!queue_inval_files(child, match, arg))
			break;
	ticket = queued_seq;
	pthread_mutex_unlock(&poll_lock);
	return ticket;
}

static bool is_memory_file(const struct cftype *cft, unsigned int arg)
{
	(void)arg;
	return cft->flags & CFTYPE_MEMORY;
}

static bool in_controllers(const struct cftype *cft, unsigned int gone)
{
	int ss = CFTYPE_SS_ID(cft->flags);

	return ss >= 0 && (gone & (1u << ss));
}

static bool is_pressure_file(const struct cftype *cft, unsigned int arg)
{
	(void)arg;
	return cft->flags & CFTYPE_PSI;
}

uint64_t notify_inval_memory_files(struct cgroup *cg)
{
	return inval_children_files(cg, is_memory_file, 0);
}

/* The same for the files of the controllers in @gone (-cpu, -pids...). */
uint64_t notify_inval_ss_files(struct cgroup *cg, uint16_t gone)
{
	return inval_children_files(cg, in_controllers, gone);
}

uint64_t notify_inval_pressure_files(struct cgroup *cg)
{
	uint64_t ticket;

	pthread_mutex_lock(&poll_lock);
	queue_inval_files(cg, is_pressure_file, 0);
	ticket = queued_seq;
	pthread_mutex_unlock(&poll_lock);
	return ticket;
}

void notify_poll_wake(struct of *of)
{
	pthread_mutex_lock(&poll_lock);
	if (of->ph)
		wake_poller(of);
	pthread_mutex_unlock(&poll_lock);
}

/*
 * Wait until the work queued up to @ticket has been sent, at most
 * @timeout_ms.  Called by a request handler after it dropped every lock,
 * so that "-memory" returns only once the kernel has forgotten the files;
 * the bound keeps -s mode (or a pool with every worker busy) from
 * waiting forever on a lookup that needs this very thread.
 */
void notify_wait(uint64_t ticket, unsigned int timeout_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&poll_lock);
	while (done_seq < ticket && !stopping &&
	       pthread_cond_timedwait(&done_cond, &poll_lock, &until) == 0)
		;
	pthread_mutex_unlock(&poll_lock);
}

static void send_work(struct nwork *w)
{
	if (w->ph) {
		fuse_lowlevel_notify_poll(w->ph);
		fuse_pollhandle_destroy(w->ph);
	} else {
		/* -ENOENT: the kernel never looked it up; nothing to drop. */
		fuse_lowlevel_notify_inval_entry(session, w->parent, w->name,
						 strlen(w->name));
	}
	free(w);
}

static void *notifier_fn(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&poll_lock);
	for (;;) {
		struct nwork *w;

		while (!work_head && !stopping)
			pthread_cond_wait(&work_cond, &poll_lock);
		if (!work_head)
			break;
		w = work_head;
		work_head = w->next;
		if (!work_head)
			work_tail = &work_head;
		/* Send with no lock held: the kernel may call back into us. */
		pthread_mutex_unlock(&poll_lock);
		send_work(w);
		pthread_mutex_lock(&poll_lock);
		done_seq++;
		pthread_cond_broadcast(&done_cond);
	}
	pthread_mutex_unlock(&poll_lock);
	return NULL;
}

int notify_start(void *se)
{
	session = se;
	cgroup_set_notify_hook(notify_hook);
	return -pthread_create(&notifier, NULL, notifier_fn, NULL);
}

void notify_stop(void)
{
	struct nwork *w;

	cgroup_set_notify_hook(NULL);
	pthread_mutex_lock(&poll_lock);
	stopping = true;
	/* The mount is gone: drop what nobody can receive any more. */
	while ((w = work_head)) {
		work_head = w->next;
		if (w->ph)
			fuse_pollhandle_destroy(w->ph);
		free(w);
	}
	work_tail = &work_head;
	pthread_cond_signal(&work_cond);
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&poll_lock);
	pthread_join(notifier, NULL);
}
