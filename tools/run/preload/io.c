/*
 * io.c - the libc entry points of file I/O (see io.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "sys.h"
#include <sys/uio.h>
#include <unistd.h>

#include "ctl.h"
#include "inotify.h"
#include "io.h"
#include "pagecache.h"
#include "procfs.h"

#define EXPORT __attribute__((visibility("default")))
#define NAME_LEN 4400

static bool under_root(int dirfd, const char *path)
{
	const char *root = ctl_root();
	size_t len = strlen(root);

	(void)dirfd;
	return path && path[0] == '/' && !strncmp(path, root, len) &&
	       (path[len] == '/' || !path[len]);
}

static int do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int fd;

	if (ctl_ready()) {
		fd = procfs_open(dirfd, path, flags);
		if (fd != -2)
			return fd;
		/* Reading the mount right after I/O: the I/O counts. */
		if (under_root(dirfd, path))
			pagecache_flush();
	}
	fd = (int)sys(SYS_openat, dirfd, path, flags, mode);
	if (!ctl_ready())
		return fd;
	if (fd >= 0)
		pagecache_opened(fd, flags);
	else if (errno == ENOENT)
		dentry_miss();
	return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
	       (mode_t)va_arg(ap, int) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(AT_FDCWD, path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
	__attribute__((alias("open")));

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
	__attribute__((alias("openat")));

/* _FORTIFY_SOURCE's entry points. */
EXPORT int __open_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

EXPORT int __open64_2(const char *path, int flags)
	__attribute__((alias("__open_2")));

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
	__attribute__((alias("__openat_2")));

EXPORT int creat(const char *path, mode_t mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

EXPORT int creat64(const char *path, mode_t mode)
	__attribute__((alias("creat")));

/* fopen's mode string as open(2) flags. */
static int fopen_flags(const char *mode)
{
	int flags = mode[0] == 'r' ? O_RDONLY :
		    mode[0] == 'w' ? O_WRONLY | O_CREAT | O_TRUNC :
				     O_WRONLY | O_CREAT | O_APPEND;

	for (const char *m = mode + 1; *m; m++) {
		if (*m == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'e')
			flags |= O_CLOEXEC;
		else if (*m == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
	int fd = do_openat(AT_FDCWD, path, fopen_flags(mode), 0666);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f)
		sys(SYS_close, fd);
	return f;
}

EXPORT FILE *fopen64(const char *path, const char *mode)
	__attribute__((alias("fopen")));

/* glibc closes a FILE's fd internally: the wrapper sees it first. */
EXPORT int fclose(FILE *f)
{
	static int (*real_fclose)(FILE *);

	if (!real_fclose)
		real_fclose = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	if (ctl_ready() && f)
		pagecache_closing(fileno(f));
	return real_fclose(f);
}

EXPORT int close(int fd)
{
	if (ctl_ready()) {
		pagecache_closing(fd);
		inotify_closing(fd);
	}
	return (int)sys(SYS_close, fd);
}

EXPORT int dup2(int old, int new)
{
	if (ctl_ready() && old != new)
		pagecache_closing(new);
	return (int)sys(SYS_dup2, old, new);
}

EXPORT int dup3(int old, int new, int flags)
{
	if (ctl_ready() && old != new)
		pagecache_closing(new);
	return (int)sys(SYS_dup3, old, new, flags);
}

/* --- reads and writes ---------------------------------------------------- */

static ssize_t done(int fd, int64_t off, ssize_t n)
{
	if (n > 0 && ctl_ready())
		pagecache_io(fd, off, (uint64_t)n);
	return n;
}

EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	return done(fd, -1, (ssize_t)sys(SYS_read, fd, buf, n));
}

EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	return done(fd, -1, (ssize_t)sys(SYS_write, fd, buf, n));
}

EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return done(fd, off, (ssize_t)sys(SYS_pread64, fd, buf, n, off));
}

EXPORT ssize_t pread64(int fd, void *buf, size_t n, off_t off)
	__attribute__((alias("pread")));

EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return done(fd, off, (ssize_t)sys(SYS_pwrite64, fd, buf, n, off));
}

EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
	__attribute__((alias("pwrite")));

EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return done(fd, -1, (ssize_t)sys(SYS_readv, fd, iov, cnt));
}

EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return done(fd, -1, (ssize_t)sys(SYS_writev, fd, iov, cnt));
}

EXPORT ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return done(fd, off, (ssize_t)sys(SYS_preadv, fd, iov, cnt, off, 0));
}

EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int cnt, off_t off)
	__attribute__((alias("preadv")));

EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return done(fd, off, (ssize_t)sys(SYS_pwritev, fd, iov, cnt, off, 0));
}

EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
	__attribute__((alias("pwritev")));

EXPORT off_t lseek(int fd, off_t off, int whence)
{
	if (ctl_ready())
		pagecache_seeking(fd);
	return (off_t)sys(SYS_lseek, fd, off, whence);
}

EXPORT off_t lseek64(int fd, off_t off, int whence)
	__attribute__((alias("lseek")));

/* --- names ---------------------------------------------------------------- */

EXPORT int truncate(const char *path, off_t size)
{
	char name[NAME_LEN];
	int ret = (int)sys(SYS_truncate, path, size);

	if (!ret && pagecache_name_at(AT_FDCWD, path, name, sizeof(name)))
		pagecache_truncated(name, (uint64_t)size);
	return ret;
}

EXPORT int truncate64(const char *path, off_t size)
	__attribute__((alias("truncate")));

EXPORT int ftruncate(int fd, off_t size)
{
	int ret = (int)sys(SYS_ftruncate, fd, size);

	if (!ret && ctl_ready())
		pagecache_truncated_fd(fd, (uint64_t)size);
	return ret;
}

EXPORT int ftruncate64(int fd, off_t size) __attribute__((alias("ftruncate")));

EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
	char name[NAME_LEN];
	bool named = !(flags & AT_REMOVEDIR) &&
		     pagecache_name_at(dirfd, path, name, sizeof(name));
	int ret = (int)sys(SYS_unlinkat, dirfd, path, flags);

	if (!ret && named)
		pagecache_unlinked(name);
	else if (ret && errno == ENOENT && ctl_ready())
		dentry_miss();
	return ret;
}

EXPORT int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

EXPORT int remove(const char *path)
{
	int ret = unlinkat(AT_FDCWD, path, 0);

	return ret && errno == EISDIR ? rmdir(path) : ret;
}

/* The page cache goes with the old name (the model has no rename):
 * the new name's is charged again at its next access. */
EXPORT int renameat2(int olddir, const char *old, int newdir, const char *new,
		     unsigned int flags)
{
	char oname[NAME_LEN], nname[NAME_LEN];
	bool o = pagecache_name_at(olddir, old, oname, sizeof(oname));
	bool n = pagecache_name_at(newdir, new, nname, sizeof(nname));
	int ret = (int)sys(SYS_renameat2, olddir, old, newdir, new, flags);

	if (!ret && o)
		pagecache_unlinked(oname);
	if (!ret && n)
		pagecache_unlinked(nname);
	return ret;
}

EXPORT int renameat(int olddir, const char *old, int newdir, const char *new)
{
	return renameat2(olddir, old, newdir, new, 0);
}

EXPORT int rename(const char *old, const char *new)
{
	return renameat2(AT_FDCWD, old, AT_FDCWD, new, 0);
}

/* --- lookups --------------------------------------------------------------- */

static int miss(int ret)
{
	if (ret && errno == ENOENT && ctl_ready())
		dentry_miss();
	return ret;
}

EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return miss((int)sys(SYS_newfstatat, dirfd, path, st, flags));
}

/* The 64 forms: the same structures on x86-64. */
EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

EXPORT int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

EXPORT int stat64(const char *path, struct stat64 *st)
{
	return fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

EXPORT int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

EXPORT int lstat64(const char *path, struct stat64 *st)
{
	return fstatat(AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}

EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return miss((int)sys(SYS_faccessat2, dirfd, path, mode, flags));
}

EXPORT int access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

/* --- statfs ----------------------------------------------------------------- */

static int fix_statfs(int ret, struct statfs *sf, int fd, const char *path)
{
	struct stat st;

	if (ret || !ctl_ready())
		return ret;
	if (fd >= 0 ? !fstat(fd, &st) : !sys(SYS_newfstatat, AT_FDCWD, path,
						  &st, 0))
		if (st.st_dev == ctl_root_dev())
			procfs_statfs(sf);
	return 0;
}

EXPORT int statfs(const char *path, struct statfs *sf)
{
	return fix_statfs((int)sys(SYS_statfs, path, sf), sf, -1, path);
}

EXPORT int statfs64(const char *path, struct statfs64 *sf)
{
	return statfs(path, (struct statfs *)sf);
}

EXPORT int fstatfs(int fd, struct statfs *sf)
{
	return fix_statfs((int)sys(SYS_fstatfs, fd, sf), sf, fd, NULL);
}

EXPORT int fstatfs64(int fd, struct statfs64 *sf)
{
	return fstatfs(fd, (struct statfs *)sf);
}
