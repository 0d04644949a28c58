/*
 * ctl.c - the channel to the daemon (see ctl.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sys.h"
#include <unistd.h>

#include "ctl.h"

static char root[4096];
static dev_t root_dev;
bool ctl_is_ready;

/* A kept file: its fd and identity, reopened if the program closed or
 * replaced it (closefrom, dup2 over it). */
struct kept {
	const char *name;
	int flags;
	int fd;
	dev_t dev;
	ino_t ino;
};

static struct kept ctl_file = { "sim.ctl", O_WRONLY, -1, 0, 0 };
static struct kept self_file = { "sim.self", O_RDONLY, -1, 0, 0 };

char *ctl_put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

char *ctl_put_u64(char *p, char *end, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && p < end)
		*p++ = tmp[--n];
	return p;
}

static int kept_open(struct kept *k)
{
	char path[4200], *p = path, *end = path + sizeof(path) - 1;
	struct stat st;
	int fd;

	p = ctl_put_str(p, end, root);
	p = ctl_put_str(p, end, "/");
	p = ctl_put_str(p, end, k->name);
	*p = '\0';
	fd = (int)sys(SYS_openat, AT_FDCWD, path, k->flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	k->fd = fcntl(fd, F_DUPFD_CLOEXEC, CTL_FD_BASE);
	sys(SYS_close, fd);
	if (k->fd < 0 || fstat(k->fd, &st))
		return -EBADF;
	k->dev = st.st_dev;
	k->ino = st.st_ino;
	return 0;
}

/* The kept fd, checked: an fstat is ~1% of a round trip. */
static int kept_fd(struct kept *k)
{
	struct stat st;

	if (k->fd >= 0 && !fstat(k->fd, &st) && st.st_dev == k->dev &&
	    st.st_ino == k->ino)
		return k->fd;
	k->fd = -1;
	return kept_open(k) ? -1 : k->fd;
}

bool ctl_init(void)
{
	const char *r = getenv("MEMCGFS_RUN_ROOT");
	struct stat st;

	if (!r || !*r || strlen(r) >= sizeof(root) || stat(r, &st))
		return false;
	strcpy(root, r);
	root_dev = st.st_dev;
	ctl_is_ready = kept_open(&ctl_file) == 0;
	return ctl_is_ready;
}

const char *ctl_root(void)
{
	return root;
}

dev_t ctl_root_dev(void)
{
	return root_dev;
}

int ctl_cmd(const char *cmd)
{
	int saved = errno, ret = 0, fd = kept_fd(&ctl_file);
	size_t len = strlen(cmd);

	if (fd < 0)
		ret = -EBADF;
	else if (sys(SYS_write, fd, cmd, len) != (long)len)
		ret = -errno;
	errno = saved;
	return ret;
}

int ctl_cmd_pages(const char *verb, uint64_t n, const char *suffix)
{
	char buf[256], *p = buf, *end = buf + sizeof(buf) - 1;

	p = ctl_put_str(p, end, verb);
	p = ctl_put_str(p, end, " ");
	p = ctl_put_u64(p, end, n);
	p = ctl_put_str(p, end, suffix);
	p = ctl_put_str(p, end, " in=self");
	*p = '\0';
	return ctl_cmd(buf);
}

ssize_t ctl_self_cgroup(char *buf, size_t size)
{
	int saved = errno, fd = kept_fd(&self_file);
	ssize_t n = fd < 0 ? -1 : (ssize_t)sys(SYS_pread64, fd, buf,
						   size, 0);

	errno = saved;
	return n;
}
