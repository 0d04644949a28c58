/*
 * pagecache.c - the page cache of the host's files (see pagecache.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "sys.h"
#include <unistd.h>

#include "ctl.h"
#include "pagecache.h"

#define TLS __attribute__((tls_model("initial-exec"))) static __thread
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define NAME_MAX_LEN 4096

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

enum fd_kind { FD_UNKNOWN, FD_SKIP, FD_FILE };

struct fdent {
	enum fd_kind kind;
	dev_t dev;
	ino_t ino;
	char *name;		/* "host/PATH", escaped */
};

static struct fdent fds[PC_MAX_FDS];

/* This thread's run of contiguous I/O, not yet sent. */
TLS int pend_fd = -1;
TLS dev_t pend_dev;
TLS ino_t pend_ino;
TLS uint64_t pend_lo, pend_hi;
TLS unsigned int misses;

static void fdent_reset(int fd)
{
	if (fd < 0 || fd >= PC_MAX_FDS)
		return;
	__libc_free(fds[fd].name);
	fds[fd] = (struct fdent){ .kind = FD_UNKNOWN };
}

/* "host" + @path, escaped; false if it does not fit. */
static bool make_name(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	char *p = out, *end = out + size - 4;

	p = ctl_put_str(p, end, CTL_FS);
	for (; *path && p < end; path++) {
		unsigned char c = (unsigned char)*path;

		if (c <= ' ' || c == '=' || c == '%' || c == 0x7f) {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return !*path;
}

/* What @fd is: a regular file of the host (not procfs, sysfs or the
 * mount itself), named from /proc/self/fd. */
static struct fdent *fdent_get(int fd)
{
	char link[32], path[NAME_MAX_LEN], name[NAME_MAX_LEN];
	struct fdent *e;
	struct statfs sf;
	struct stat st;
	ssize_t n;

	if (fd < 0 || fd >= PC_MAX_FDS || !ctl_ready())
		return NULL;
	e = &fds[fd];
	/* Known fds cost no system call: every wrapper that makes or ends
	 * an fd resets its entry, and a flush checks the identity. */
	if (e->kind == FD_SKIP)
		return NULL;
	if (e->kind == FD_FILE)
		return e;
	if (fstat(fd, &st))
		return NULL;
	e->kind = FD_SKIP;
	if (!S_ISREG(st.st_mode) || st.st_dev == ctl_root_dev() ||
	    fstatfs(fd, &sf) || sf.f_type == PROC_SUPER_MAGIC ||
	    sf.f_type == SYSFS_MAGIC)
		return NULL;
	memcpy(link, "/proc/self/fd/", 14);
	*ctl_put_u64(link + 14, link + sizeof(link) - 1, (uint64_t)fd) = '\0';
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return NULL;
	path[n] = '\0';
	/* "(deleted)": O_TMPFILE, or unlinked while open. */
	if (n > 10 && !strcmp(path + n - 10, " (deleted)"))
		path[n - 10] = '\0';
	if (!make_name(path, name, sizeof(name)))
		return NULL;
	e->name = __libc_malloc(strlen(name) + 1);
	if (!e->name)
		return NULL;
	strcpy(e->name, name);
	e->kind = FD_FILE;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	return e;
}

static void send_access(const char *name, uint64_t off, uint64_t len)
{
	char buf[NAME_MAX_LEN + 96], *p = buf, *end = buf + sizeof(buf) - 1;

	p = ctl_put_str(p, end, "access ");
	p = ctl_put_str(p, end, name);
	p = ctl_put_str(p, end, " ");
	p = ctl_put_u64(p, end, off);
	p = ctl_put_str(p, end, " ");
	p = ctl_put_u64(p, end, len);
	p = ctl_put_str(p, end, " in=self");
	*p = '\0';
	/* A refused charge cannot undo the I/O already done: the model
	 * keeps what it could charge, as a kernel whose charge failed
	 * mid-read returns a short read. */
	(void)ctl_cmd(buf);
}

static void flush_io(void)
{
	struct fdent *e;
	struct stat st;

	if (pend_fd < 0)
		return;
	e = pend_fd < PC_MAX_FDS ? &fds[pend_fd] : NULL;
	/* The fd still the file the batch was made on (glibc may have
	 * closed it internally and the number been reused)? */
	if (e && e->kind == FD_FILE && e->dev == pend_dev &&
	    e->ino == pend_ino && !fstat(pend_fd, &st) &&
	    st.st_dev == pend_dev && st.st_ino == pend_ino)
		send_access(e->name, pend_lo, pend_hi - pend_lo);
	else if (e && e->kind == FD_FILE)
		fdent_reset(pend_fd);
	pend_fd = -1;
}

static void flush_misses(void)
{
	if (misses && ctl_ready())
		(void)ctl_cmd_pages("lookup " CTL_FS, misses, "");
	misses = 0;
}

void pagecache_flush(void)
{
	flush_io();
	flush_misses();
}

void pagecache_io(int fd, int64_t off, uint64_t len)
{
	struct fdent *e;
	int saved = errno;

	if (!len || !(e = fdent_get(fd)))
		goto out;
	/* read/write continue where this thread's run on the fd ended (an
	 * lseek flushes the run); only a new run asks the kernel. */
	if (off < 0 && pend_fd == fd && pend_dev == e->dev &&
	    pend_ino == e->ino)
		off = (int64_t)pend_hi;
	if (off < 0) {
		off_t pos = (off_t)sys(SYS_lseek, fd, 0, SEEK_CUR);

		if (pos < (off_t)len)
			goto out;
		off = (int64_t)(pos - (off_t)len);
	}
	if (pend_fd == fd && pend_dev == e->dev && pend_ino == e->ino &&
	    (uint64_t)off == pend_hi) {
		pend_hi += len;
	} else {
		flush_io();
		pend_fd = fd;
		pend_dev = e->dev;
		pend_ino = e->ino;
		pend_lo = (uint64_t)off;
		pend_hi = (uint64_t)off + len;
	}
	if (pend_hi - pend_lo >= PC_BATCH)
		flush_io();
out:
	errno = saved;
}

void pagecache_seeking(int fd)
{
	if (pend_fd == fd)
		flush_io();
}

void pagecache_mapped(int fd, uint64_t off, uint64_t len)
{
	struct fdent *e;
	struct stat st;
	int saved = errno;

	/* The mapped part of the file that exists: a fault past EOF is
	 * SIGBUS, not page cache. */
	if ((e = fdent_get(fd)) && !fstat(fd, &st) &&
	    (uint64_t)st.st_size > off) {
		if (len > (uint64_t)st.st_size - off)
			len = (uint64_t)st.st_size - off;
		flush_io();
		send_access(e->name, off, len);
	}
	errno = saved;
}

void pagecache_opened(int fd, int flags)
{
	fdent_reset(fd);
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
		pagecache_truncated_fd(fd, 0);
}

void pagecache_closing(int fd)
{
	struct fdent *e;
	struct stat st;
	int saved = errno;

	if (fd < 0 || fd >= PC_MAX_FDS)
		return;
	if (pend_fd == fd)
		flush_io();
	e = &fds[fd];
	/* The last name gone: the inode and its page cache go with the
	 * close (iput).  Another fd of it, in this process or a child,
	 * would have kept it: see docs/memcgfs-run.md. */
	if (e->kind == FD_FILE && !fstat(fd, &st) && st.st_nlink == 0 &&
	    st.st_dev == e->dev && st.st_ino == e->ino)
		pagecache_unlinked(e->name);
	fdent_reset(fd);
	errno = saved;
}

static void send_name(const char *verb, const char *name, const char *tail)
{
	char buf[NAME_MAX_LEN + 64], *p = buf, *end = buf + sizeof(buf) - 1;

	if (!ctl_ready())
		return;
	p = ctl_put_str(p, end, verb);
	p = ctl_put_str(p, end, name);
	p = ctl_put_str(p, end, tail);
	*p = '\0';
	(void)ctl_cmd(buf);	/* ENOENT: the model never saw it */
}

void pagecache_unlinked(const char *name)
{
	flush_io();
	send_name("unlink ", name, "");
}

void pagecache_truncated(const char *name, uint64_t size)
{
	char tail[32];

	*ctl_put_u64(tail + 1, tail + sizeof(tail) - 1, size) = '\0';
	tail[0] = ' ';
	flush_io();
	send_name("truncate ", name, tail);
}

void pagecache_truncated_fd(int fd, uint64_t size)
{
	struct fdent *e = fdent_get(fd);

	if (e)
		pagecache_truncated(e->name, size);
}

/* The absolute path of @dirfd/@path's parent, plus its last component:
 * the name the file has (or had) without following a final symlink. */
bool pagecache_name_at(int dirfd, const char *path, char *name, size_t size)
{
	char dir[NAME_MAX_LEN], full[NAME_MAX_LEN + 256], link[32];
	const char *slash, *base;
	ssize_t n;
	int dfd;

	if (!ctl_ready() || !path || !*path)
		return false;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
	    strlen(base) > NAME_MAX)
		return false;
	if (slash) {
		size_t len = slash == path ? 1 : (size_t)(slash - path);

		if (len >= sizeof(dir))
			return false;
		memcpy(dir, path, len);
		dir[len] = '\0';
		dfd = (int)sys(SYS_openat, path[0] == '/' ? AT_FDCWD : dirfd,
				   dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else {
		dfd = (int)sys(SYS_openat, dirfd, ".",
				   O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (dfd < 0)
		return false;
	memcpy(link, "/proc/self/fd/", 14);
	*ctl_put_u64(link + 14, link + sizeof(link) - 1, (uint64_t)dfd) = '\0';
	n = readlink(link, full, NAME_MAX_LEN - 1);
	sys(SYS_close, dfd);
	if (n <= 0)
		return false;
	full[n] = '\0';
	if (n > 1)
		strcat(full, "/");
	strcat(full, base);
	return make_name(full, name, size);
}

void dentry_miss(void)
{
	if (++misses >= DENTRY_BATCH)
		flush_misses();
}
