/*
 * inotify.c - IN_MODIFY on the mount's files, by polling (see inotify.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "ctl.h"
#include "inotify.h"
#include "sys.h"

#define EXPORT __attribute__((visibility("default")))
#define PATH_LEN 512

struct watch {
	int ifd, wd;		/* ifd < 0: free slot */
	char path[PATH_LEN];
	char snap[INOTIFY_SNAP_MAX];
	ssize_t len;
};

static struct watch watches[INOTIFY_MAX_WATCHES] = {
	[0 ... INOTIFY_MAX_WATCHES - 1] = { .ifd = -1 },
};
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t snapshot(const char *path, char *buf)
{
	int fd = (int)sys(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;	/* gone: a change too */
	n = (ssize_t)sys(SYS_read, fd, buf, INOTIFY_SNAP_MAX);
	sys(SYS_close, fd);
	return n;
}

EXPORT int inotify_add_watch(int ifd, const char *path, uint32_t mask)
{
	int wd = (int)sys(SYS_inotify_add_watch, ifd, path, mask);
	struct stat st;

	if (wd < 0 || !ctl_ready() || !(mask & IN_MODIFY) ||
	    strlen(path) >= PATH_LEN || stat(path, &st) ||
	    st.st_dev != ctl_root_dev() || !S_ISREG(st.st_mode))
		return wd;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < INOTIFY_MAX_WATCHES; i++) {
		struct watch *w = &watches[i];

		if (w->ifd >= 0)
			continue;
		w->ifd = ifd;
		w->wd = wd;
		strcpy(w->path, path);
		w->len = snapshot(path, w->snap);
		break;
	}
	pthread_mutex_unlock(&lock);
	return wd;
}

EXPORT int inotify_rm_watch(int ifd, int wd)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < INOTIFY_MAX_WATCHES; i++)
		if (watches[i].ifd == ifd && watches[i].wd == wd)
			watches[i].ifd = -1;
	pthread_mutex_unlock(&lock);
	return (int)sys(SYS_inotify_rm_watch, ifd, wd);
}

void inotify_closing(int fd)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < INOTIFY_MAX_WATCHES; i++)
		if (watches[i].ifd == fd)
			watches[i].ifd = -1;
	pthread_mutex_unlock(&lock);
}

/* Has a watched file of @ifd changed since it was last looked at? */
static bool changed(int ifd)
{
	char now[INOTIFY_SNAP_MAX];
	bool any = false;

	pthread_mutex_lock(&lock);
	for (int i = 0; i < INOTIFY_MAX_WATCHES; i++) {
		struct watch *w = &watches[i];
		ssize_t n;

		if (w->ifd != ifd)
			continue;
		n = snapshot(w->path, now);
		if (n != w->len || (n > 0 && memcmp(now, w->snap, (size_t)n))) {
			w->len = n;
			if (n > 0)
				memcpy(w->snap, now, (size_t)n);
			any = true;
		}
	}
	pthread_mutex_unlock(&lock);
	return any;
}

static bool watched(int ifd)
{
	bool any = false;

	pthread_mutex_lock(&lock);
	for (int i = 0; i < INOTIFY_MAX_WATCHES && !any; i++)
		any = watches[i].ifd == ifd;
	pthread_mutex_unlock(&lock);
	return any;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Emulated events of the watched inotify fds among @fds: how many. */
static int emulate(struct pollfd *fds, nfds_t n)
{
	int ready = 0;

	for (nfds_t i = 0; i < n; i++)
		if ((fds[i].events & POLLIN) && watched(fds[i].fd) &&
		    changed(fds[i].fd)) {
			fds[i].revents |= POLLIN;
			ready++;
		}
	return ready;
}

EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	long end = timeout < 0 ? -1 : now_ms() + timeout;
	bool any = false;
	int ret;

	if (ctl_ready())
		for (nfds_t i = 0; i < n && !any; i++)
			any = (fds[i].events & POLLIN) && watched(fds[i].fd);
	if (!any)
		return (int)sys(SYS_poll, fds, n, timeout);
	for (;;) {
		long left = end < 0 ? INOTIFY_POLL_MS : end - now_ms();
		int slice = left < INOTIFY_POLL_MS ? (int)(left > 0 ? left : 0) :
			    INOTIFY_POLL_MS;

		ret = (int)sys(SYS_poll, fds, n, slice);
		if (ret != 0)
			return ret;
		ret = emulate(fds, n);
		if (ret)
			return ret;
		if (end >= 0 && now_ms() >= end) {
			/* A long wait with no change at all: an error, not
			 * 0, so a caller that waits forever in a loop (the
			 * selftests' cg_wait_for) fails instead of hanging
			 * on a change the model never makes. */
			if (timeout >= INOTIFY_GIVE_UP_MS) {
				errno = ETIMEDOUT;
				return -1;
			}
			return 0;
		}
	}
}
