/*
 * fsnotify.c - IN_MODIFY through the mount (see fsnotify.h for why).
 *
 * The kernel side (kernel/cgroup/cgroup.c cgroup_file_notify(), 6.12):
 * a file notified within CGROUP_FILE_NOTIFY_MIN_INTV of its last
 * notification gets one more, deferred to the end of that interval; and
 * kernfs_notify() sends fsnotify_modify() from a work item.  Here each
 * file that was notified recently has a struct kick (its rate-limit
 * state); one thread, the kicker, sends the due ones.
 *
 * The kicker holds no lock while it opens and writes: its request is
 * served by a FUSE worker (or, with -s, by the loop thread), which must be
 * free to take cgroup_mutex.  It is stopped only after the unmount, so a
 * kick blocked on a connection that nobody serves any more is failed by
 * the kernel (the connection is aborted) instead of hanging the exit.
 *
 * Lock order: cgroup_mutex -> kick_lock (innermost; nothing nests in it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../core/timekeeping.h"
#include "../core/hashtable.h"
#include "../core/list.h"
#include "../core/sim_log.h"
#include "../core/memcg_lock.h"
#include "fsnotify.h"

struct kick {
	struct hnode hnode;	/* in kicks, by key */
	struct list_head node;	/* on kick_list */
	uint64_t key;
	char *path;		/* relative to the mount root */
	uint64_t notified_at;	/* cgroup_file->notified_at; 0: never */
	uint64_t timer_due;	/* cgroup_file->notify_timer; 0: idle */
	bool queued;		/* kernfs_notify() work not yet sent */
	bool busy;		/* being sent: the kicker uses k->path */
};

static pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kick_cond;
static struct hashtable kicks;
static struct list_head kick_list = LIST_HEAD_INIT(kick_list);
static char *mount_root;
static bool stopping, started;
static pthread_t kicker;
static _Atomic pid_t kicker_tid;
static bool warned;

static bool key_match(const struct hnode *n, const void *key)
{
	return container_of(n, struct kick, hnode)->key ==
	       *(const uint64_t *)key;
}

static struct kick *kick_find(uint64_t key)
{
	struct hnode *n = hashtable_find(&kicks, key, key_match, &key);

	return n ? container_of(n, struct kick, hnode) : NULL;
}

/* cgroup_file_notify(), caller holds kick_lock. */
static void kick_notify(struct kick *k, uint64_t now)
{
	uint64_t next = k->notified_at + FSNOTIFY_MIN_INTERVAL_NS;

	if (k->notified_at && now <= next) {
		/* timer_reduce(): the earliest deadline wins. */
		if (!k->timer_due || next < k->timer_due)
			k->timer_due = next;
	} else {
		k->queued = true;
		k->notified_at = now;
	}
}

static void kick_fire(struct kick *k)
{
	kick_notify(k, ktime_get_ns());
	pthread_cond_signal(&kick_cond);
}

/* Notifies the kick kept for @key.  False when none is kept and the
 * kicker runs: the caller must make one.  Caller holds kick_lock. */
static bool kick_kept(uint64_t key)
{
	struct kick *k;

	if (!started || stopping)
		return true;	/* no kicker to tell */
	k = kick_find(key);
	if (k)
		kick_fire(k);
	return k;
}

void fsnotify_modify(uint64_t key, char *path)
{
	struct kick *k;

	pthread_mutex_lock(&kick_lock);
	if (kick_kept(key))
		goto out_free;
	k = calloc(1, sizeof(*k));
	if (!k)
		goto out_free;	/* poll() still wakes; inotify misses */
	k->key = key;
	k->path = path;
	path = NULL;
	hashtable_add(&kicks, &k->hnode, key);
	list_add_tail(&k->node, &kick_list);
	kick_fire(k);
out_free:
	pthread_mutex_unlock(&kick_lock);
	free(path);
}

bool fsnotify_modify_known(uint64_t key)
{
	bool kept;

	pthread_mutex_lock(&kick_lock);
	kept = kick_kept(key);
	pthread_mutex_unlock(&kick_lock);
	return kept;
}

bool fsnotify_is_self(pid_t pid)
{
	return pid != 0 && pid == atomic_load(&kicker_tid);
}

static void kick_free(struct kick *k)
{
	hashtable_del(&kicks, &k->hnode);
	list_del(&k->node);
	free(k->path);
	free(k);
}

/*
 * Caller holds kick_lock.  Fires the timers that are due, and returns a
 * queued kick, or NULL with *wait_ns the time to the next timer (0: none).
 * Kicks idle for a whole interval have no rate limit left to keep and
 * are freed.
 */
static struct kick *next_due(uint64_t now, uint64_t *wait_ns)
{
	struct kick *k, *n, *found = NULL;

	*wait_ns = 0;
	list_for_each_entry_safe(k, n, &kick_list, node) {
		if (k->timer_due && k->timer_due <= now) {
			k->timer_due = 0;
			kick_notify(k, now);
		}
		if (k->queued && !found)
			found = k;
		else if (k->timer_due && (!*wait_ns || k->timer_due - now < *wait_ns))
			*wait_ns = k->timer_due - now;
		else if (!k->queued && !k->timer_due && !k->busy &&
			 now > k->notified_at + FSNOTIFY_MIN_INTERVAL_NS)
			kick_free(k);
	}
	return found;
}

/*
 * One write through the mount: vfs_write() raises IN_MODIFY.  Only on
 * the file that was notified (its inode number is @key): if its group was
 * removed and another made under the same name, the new file is not
 * told, as cgroup_rm_file() deletes the pending timer with the file.
 */
static int kick_send(const char *path, uint64_t key)
{
	char full[PATH_MAX];
	struct stat st;
	int fd, err = 0;

	if (snprintf(full, sizeof(full), "%s%s", mount_root, path) >=
	    (int)sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if ((uint64_t)st.st_ino != key)
		err = -ENOENT;		/* another group's file now */
	else if (write(fd, "\n", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

static void kick_failed(const char *path, int err)
{
	/* The group went away meanwhile, or the mount did: nothing to say. */
	if (err == -ENOENT || err == -ENOTCONN || err == -ENODEV || warned)
		return;
	warned = true;
	sim_log("inotify: no IN_MODIFY for %s: writing it through the mount "
		"failed (%s); FUSE has no server-side fsnotify, and the write "
		"needs a root daemon (CAP_DAC_OVERRIDE). poll() still works",
		path, strerror(-err));
}

static void wait_for(uint64_t wait_ns)
{
	struct timespec ts;

	if (!wait_ns) {
		pthread_cond_wait(&kick_cond, &kick_lock);
		return;
	}
	ts = ns_to_timespec(ktime_get_ns() + wait_ns);
	pthread_cond_timedwait(&kick_cond, &kick_lock, &ts);
}

static void *kicker_fn(void *arg)
{
	(void)arg;
	atomic_store(&kicker_tid, (pid_t)syscall(SYS_gettid));
	pthread_mutex_lock(&kick_lock);
	while (!stopping) {
		uint64_t now = ktime_get_ns(), wait_ns;
		struct kick *k = next_due(now, &wait_ns);
		int err;

		if (!k) {
			wait_for(wait_ns);
			continue;
		}
		k->queued = false;
		k->busy = true;	/* keeps k and k->path while unlocked */
		pthread_mutex_unlock(&kick_lock);
		/* A reclaim under way raises one event per group it visits:
		 * its inotify writes (a FUSE round trip each) wait for it to
		 * end rather than compete with it for the CPUs. */
		while (memcg_stopped_writes() && !stopping)
			usleep(1000);
		err = kick_send(k->path, k->key);
		pthread_mutex_lock(&kick_lock);
		k->busy = false;
		if (err)
			kick_failed(k->path, err);
	}
	pthread_mutex_unlock(&kick_lock);
	return NULL;
}

int fsnotify_start(const char *mountpoint)
{
	pthread_condattr_t ca;
	int ret;

	mount_root = strdup(mountpoint);
	if (!mount_root || hashtable_init(&kicks))
		return -ENOMEM;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&kick_cond, &ca);
	pthread_condattr_destroy(&ca);
	ret = -pthread_create(&kicker, NULL, kicker_fn, NULL);
	started = !ret;
	return ret;
}

/* Called after the unmount: see the comment at the top. */
void fsnotify_stop(void)
{
	struct kick *k, *n;

	if (!started)
		return;
	pthread_mutex_lock(&kick_lock);
	stopping = true;
	pthread_cond_signal(&kick_cond);
	pthread_mutex_unlock(&kick_lock);
	pthread_join(kicker, NULL);
	list_for_each_entry_safe(k, n, &kick_list, node)
		kick_free(k);
	hashtable_destroy(&kicks);
	free(mount_root);
	started = false;
}
