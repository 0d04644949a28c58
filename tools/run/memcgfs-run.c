/*
 * memcgfs-run - run a program as a member of a memcgfs group, its memory
 * charged to the model through libmemcgfs-preload.so.
 *
 *   memcgfs-run [--root MNT] [--bind] [GROUP] -- CMD [ARG...]
 *
 * GROUP is a directory of a memcgfs mount (absolute, or relative to
 * --root); without it the program runs in the root group of --root.
 * --bind (root only) runs CMD in a private mount namespace in which the
 * host's cgroup mounts are detached and the mount is bound at
 * /sys/fs/cgroup.  A statically linked CMD loads no library: the daemon
 * then charges its anon from /proc/PID/smaps_rollup (sim.ctl `smaps`).
 * See docs/memcgfs-run.md.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <mntent.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546
#define BIND_TARGET "/sys/fs/cgroup"
#define PRELOAD_NAME "libmemcgfs-preload.so"

struct opts {
	const char *root;	/* --root, or found from GROUP */
	const char *group;
	bool bind;
	char **cmd;
};

static void usage(void)
{
	fprintf(stderr, "usage: memcgfs-run [--root MNT] [--bind] [GROUP] -- "
		"CMD [ARG...]\n");
	exit(2);
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "memcgfs-run: %s: %s\n", what, why);
	return 1;
}

static void parse(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			o->cmd = argv + i + 1;
			break;
		} else if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			o->root = argv[++i];
		} else if (!strcmp(argv[i], "--bind")) {
			o->bind = true;
		} else if (!strcmp(argv[i], "--help") || argv[i][0] == '-' ||
			   o->group) {
			usage();
		} else {
			o->group = argv[i];
		}
	}
	if (!o->cmd || !o->cmd[0] || (!o->root && !o->group))
		usage();
}

static bool is_memcgfs(const char *dir)
{
	char path[PATH_MAX + 16];
	struct statfs sf;

	snprintf(path, sizeof(path), "%s/sim.ctl", dir);
	return !statfs(dir, &sf) && sf.f_type == FUSE_SUPER_MAGIC &&
	       !access(path, W_OK);
}

/* The mount a group directory is in: up while the device stays. */
static int find_root(const char *group, char *root)
{
	struct stat st, up;
	char *slash;

	if (!realpath(group, root) || stat(root, &st))
		return -errno;
	while ((slash = strrchr(root, '/')) && slash != root) {
		*slash = '\0';		/* up one */
		if (stat(root, &up) || up.st_dev != st.st_dev) {
			*slash = '/';
			return 0;
		}
	}
	return 0;
}

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[2 * PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

/* The file execvp() would run for @cmd, into @path. */
static bool find_in_path(const char *cmd, char *path, size_t size)
{
	const char *dirs = getenv("PATH"), *end;

	if (strchr(cmd, '/'))
		return snprintf(path, size, "%s", cmd) < (int)size;
	for (dirs = dirs ? dirs : "/usr/bin:/bin"; *dirs; dirs = end + !!*end) {
		end = strchrnul(dirs, ':');
		snprintf(path, size, "%.*s/%s", (int)(end - dirs), dirs, cmd);
		if (!access(path, X_OK))
			return true;
	}
	return false;
}

/* A 64-bit ELF executable with no PT_INTERP: no dynamic loader will
 * load the library into it.  Scripts and anything unreadable: false. */
static bool is_static_elf(const char *cmd)
{
	char path[PATH_MAX];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool interp = false;
	int fd, i;

	if (!find_in_path(cmd, path, sizeof(path)))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return false;
	}
	for (i = 0; i < eh.e_phnum && !interp; i++)
		interp = pread(fd, &ph, sizeof(ph),
			       (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize))
			 == sizeof(ph) && ph.p_type == PT_INTERP;
	close(fd);
	return !interp;
}

/* Detach every cgroup mount of this (private) namespace, deepest first. */
static int detach_cgroup_mounts(void)
{
	for (int round = 0; round < 64; round++) {
		FILE *f = setmntent("/proc/self/mounts", "r");
		struct mntent *m;
		int found = 0;

		if (!f)
			return -errno;
		while ((m = getmntent(f)))
			if (!strcmp(m->mnt_type, "cgroup") ||
			    !strcmp(m->mnt_type, "cgroup2")) {
				found++;
				umount2(m->mnt_dir, MNT_DETACH);
			}
		endmntent(f);
		if (!found)
			return 0;
	}
	return -EBUSY;
}

static int bind_at_sys_fs_cgroup(const char *root)
{
	if (geteuid() != 0)
		return -EPERM;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	if (detach_cgroup_mounts())
		return -EBUSY;
	if (mount(root, BIND_TARGET, NULL, MS_BIND, NULL))
		return -errno;
	return 0;
}

static int set_preload(void)
{
	const char *env = getenv("MEMCGFS_PRELOAD"), *old;
	char exe[PATH_MAX], lib[PATH_MAX + 32], *val;
	ssize_t n;

	if (env) {
		snprintf(lib, sizeof(lib), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return -errno;
		exe[n] = '\0';
		snprintf(lib, sizeof(lib), "%s/%s", dirname(exe), PRELOAD_NAME);
	}
	if (access(lib, R_OK))
		return -ENOENT;
	old = getenv("LD_PRELOAD");
	if (asprintf(&val, "%s%s%s", lib, old && *old ? ":" : "",
		     old ? old : "") < 0)
		return -ENOMEM;
	setenv("LD_PRELOAD", val, 1);
	free(val);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	char root[PATH_MAX], group[2 * PATH_MAX + 16], pid[24];
	size_t rootlen;
	int ret;

	parse(argc, argv, &o);
	if (o.root ? !realpath(o.root, root) : find_root(o.group, root) < 0)
		return fail(o.root ? o.root : o.group, "no such mount");
	if (!is_memcgfs(root))
		return fail(root, "not a memcgfs mount (no writable sim.ctl)");
	rootlen = strlen(root);
	if (!o.group)
		snprintf(group, sizeof(group), "%s", root);
	else if (o.group[0] != '/' && o.root)
		snprintf(group, sizeof(group), "%s/%s", root, o.group);
	else if (!realpath(o.group, group))
		return fail(o.group, strerror(errno));
	if (strncmp(group, root, rootlen) ||
	    (group[rootlen] && group[rootlen] != '/'))
		return fail(group, "not in the mount");
	/* The emulated filesystem the host's files are mirrored in. */
	ret = write_file(root, "sim.ctl", "mount host disk");
	if (ret && ret != -EEXIST)
		return fail("sim.ctl mount host disk", strerror(-ret));
	if (o.bind) {
		char rel[sizeof(group)];

		ret = bind_at_sys_fs_cgroup(root);
		if (ret)
			return fail("--bind", strerror(-ret));
		snprintf(rel, sizeof(rel), "%s", group + rootlen);
		snprintf(root, sizeof(root), "%s", BIND_TARGET);
		if (snprintf(group, sizeof(group), "%s%.*s", BIND_TARGET,
			     PATH_MAX, rel) >= (int)sizeof(group))
			return fail(rel, "path too long");
	}
	ret = write_file(group, "cgroup.procs", "0");
	if (ret)
		return fail(group, strerror(-ret));
	/* Same process after exec: the mode carries over to CMD. */
	if (is_static_elf(o.cmd[0])) {
		ret = write_file(group, "sim.ctl", "smaps");
		if (ret)
			return fail("sim.ctl smaps", strerror(-ret));
	}
	ret = set_preload();
	if (ret)
		return fail(PRELOAD_NAME, strerror(-ret));
	/* Negative: the library's first image, already in its group. */
	snprintf(pid, sizeof(pid), "-%d", getpid());
	setenv("MEMCGFS_RUN_ROOT", root, 1);
	setenv("MEMCGFS_RUN_PID", pid, 1);
	execvp(o.cmd[0], o.cmd);
	return fail(o.cmd[0], strerror(errno)) + 126;
}
