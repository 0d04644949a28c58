/*
 * ops.c - the FUSE low-level operations: lookup, attributes, directories,
 * and the read/write/poll dispatch through the cftype table.  The inode
 * numbers are ino.c's.
 *
 * Every handler takes cgroup_mutex (read to render, write to change) for
 * exactly the span it touches the model, and replies after dropping it;
 * reads of most files also own every virtual CPU, and the writes the
 * table marks run in a weaker mode first (core/memcg_lock.h).
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/memcg_high.h"
#include "../core/memcg_lock.h"
#include "../core/psi.h"
#include "../core/sim_log.h"
#include "../core/smp.h"
#include "../core/task.h"
#include "../core/cgroup_controllers.h"
#include "fs.h"
#include "fsnotify.h"
#include "ino.h"
#include "ops.h"
#include "snapshot.h"
#include "throttle.h"

/* Every change to the tree goes through this mount, and what does not
 * (-memory removing files) is invalidated explicitly: cache for a day. */
#define TIMEOUT 86400.0
#define ROW_DIR (-1)
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Caller holds cgroup_mutex.  *row is ROW_DIR for the directory. */
static struct cgroup *ino_resolve(fuse_ino_t ino, int *row)
{
	if (ino == FUSE_ROOT_ID) {
		*row = ROW_DIR;
		return cgroup_root();
	}
	*row = (int)(ino & 0xff) - 1;
	return cgroup_find_by_serial(ino >> 8);
}

static const struct cftype *row_cft(struct cgroup *cg, int row)
{
	if (row < 0 || (unsigned int)row >= nr_cftypes)
		return NULL;
	/* Files of a removed group lost their memcg; only open fds reach
	 * them, and fstat() of those must keep working. */
	if (!cg->removed && !cftype_visible(&cftypes[row], cg))
		return NULL;
	return &cftypes[row];
}

static void fill_time(struct stat *st, const struct cgroup *cg)
{
	st->st_atim = st->st_mtim = st->st_ctim = cg->created;
}

static void dir_attr(struct cgroup *cg, struct stat *st)
{
	const struct cgroup_file_attr *a = cgroup_file_attr(cg, UINT32_MAX);

	memset(st, 0, sizeof(*st));
	st->st_ino = cgroup_ino(cg);
	st->st_mode = S_IFDIR | (a ? a->mode : cg->mode);
	st->st_uid = a ? a->uid : cg->uid;
	st->st_gid = a ? a->gid : cg->gid;
	st->st_nlink = 2;
	st->st_blksize = 4096;
	fill_time(st, cg);
}

static void file_attr(struct cgroup *cg, const struct cftype *cft,
		      struct stat *st)
{
	mode_t mode;

	memset(st, 0, sizeof(*st));
	st->st_ino = file_ino(cg, cft);
	cftype_attr(cft, cg, &st->st_uid, &st->st_gid, &mode);
	/* st_size 0: seq files, as kernfs; readers must not trust it. */
	st->st_mode = S_IFREG | mode;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	fill_time(st, cg);
}

static int ino_attr(fuse_ino_t ino, struct stat *st)
{
	int row;
	struct cgroup *cg = ino_resolve(ino, &row);
	const struct cftype *cft;

	if (!cg)
		return -ENOENT;
	if (row == ROW_DIR) {
		dir_attr(cg, st);
		return 0;
	}
	cft = row_cft(cg, row);
	if (!cft)
		return -ENOENT;
	file_attr(cg, cft, st);
	return 0;
}

static void reply_entry(fuse_req_t req, const struct stat *st)
{
	struct fuse_entry_param e = {
		.ino = st->st_ino, .generation = 1, .attr = *st,
		.attr_timeout = TIMEOUT, .entry_timeout = TIMEOUT,
	};

	fuse_reply_entry(req, &e);
}

/* The directory cgroup of @ino, or NULL with *err set. */
static struct cgroup *dir_cgroup(fuse_ino_t ino, int *err)
{
	int row;
	struct cgroup *cg = ino_resolve(ino, &row);

	*err = !cg ? -ENOENT : row != ROW_DIR ? -ENOTDIR : 0;
	return *err ? NULL : cg;
}

static void mc_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct cgroup *cg, *child;
	const struct cftype *cft;
	struct stat st;
	int err;

	pthread_rwlock_rdlock(&cgroup_mutex);
	cg = dir_cgroup(parent, &err);
	if (cg && cg->removed)
		cg = NULL, err = -ENOENT;	/* a removed directory is empty */
	if (cg && (child = cgroup_find_child(cg, name)))
		dir_attr(child, &st);
	else if (cg && (cft = cftype_lookup(cg, name)))
		file_attr(cg, cft, &st);
	else if (cg)
		err = -ENOENT;
	pthread_rwlock_unlock(&cgroup_mutex);
	/* A plain ENOENT is not cached, so +memory's files show at once. */
	if (err)
		fuse_reply_err(req, -err);
	else
		reply_entry(req, &st);
}

static void reply_attr(fuse_req_t req, int err, const struct stat *st)
{
	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_attr(req, st, TIMEOUT);
}

/*
 * fstat() of an open file works until the last close, even after rmdir
 * (the kernel's file keeps its inode): a file handle answers from the
 * open file itself.  Directory handles hold a dirbuf, not an of.
 */
static void mc_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct of *of = fi && ino != FUSE_ROOT_ID && (ino & 0xff) ?
			(struct of *)(uintptr_t)fi->fh : NULL;
	struct stat st;
	int err = 0;

	pthread_rwlock_rdlock(&cgroup_mutex);
	if (of)
		file_attr(of->cg, of->cft, &st);
	else
		err = ino_attr(ino, &st);
	pthread_rwlock_unlock(&cgroup_mutex);
	reply_attr(req, err, &st);
}

/* chown/chmod: delegation works by changing the owners of single files. */
static int apply_setattr(fuse_ino_t ino, struct stat *attr, int to_set)
{
	struct cgroup_file_attr a;
	struct stat cur;
	int row, err = ino_attr(ino, &cur);
	struct cgroup *cg = ino_resolve(ino, &row);

	if (err || !(to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID |
			       FUSE_SET_ATTR_GID)))
		return err;	/* size (O_TRUNC) and times: accepted, no-op */
	a.file = row == ROW_DIR ? UINT32_MAX : (unsigned int)row;
	a.mode = (to_set & FUSE_SET_ATTR_MODE ? attr->st_mode : cur.st_mode) &
		 07777;
	a.uid = to_set & FUSE_SET_ATTR_UID ? attr->st_uid : cur.st_uid;
	a.gid = to_set & FUSE_SET_ATTR_GID ? attr->st_gid : cur.st_gid;
	return cgroup_set_file_attr(cg, &a);
}

static void mc_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	struct stat st;
	int err;

	(void)fi;
	pthread_rwlock_wrlock(&cgroup_mutex);
	err = apply_setattr(ino, attr, to_set);
	if (!err)
		err = ino_attr(ino, &st);
	pthread_rwlock_unlock(&cgroup_mutex);
	reply_attr(req, err, &st);
}

/* Shown in sim.log: the input, its trailing newline dropped and other
 * control characters escaped, so every failure stays one line. */
static void sanitize(char *dst, size_t dstsize, const char *src, size_t len)
{
	size_t i, o = 0;

	while (len && (src[len - 1] == '\n' || src[len - 1] == '\0'))
		len--;
	for (i = 0; i < len && o + 5 < dstsize; i++) {
		unsigned char c = src[i];

		if (c >= 0x20 && c != '\\' && c != 0x7f && c != '"')
			dst[o++] = c;
		else
			o += snprintf(dst + o, dstsize - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

/*
 * Log a failed operation in sim.log: the file, the input, the reason.
 * Caller holds cgroup_mutex (either way) for the path.
 */
static void log_failure(uid_t uid, struct cgroup *cg, const char *file,
			const char *what, const char *input, int err,
			const char *why)
{
	char *raw = NULL, *path = NULL;

	if (!cgroup_path(cg, &raw))
		path = str_escape(raw);
	free(raw);
	sim_log_user(uid, "%s%s%s: %s \"%s\": %s (%s)", path ? path : "?",
		path && path[1] ? "/" : "", file, what, input,
		why ? why : strerror(-err),
		strerrorname_np(-err));
	free(path);
}

/* log_failure() for raw bytes: a name, or a write's input. */
static void log_failure_raw(uid_t uid, struct cgroup *cg, const char *file,
			    const char *what, const char *raw, size_t len,
			    int err, const char *why)
{
	char input[256];

	sanitize(input, sizeof(input), raw, len);
	log_failure(uid, cg, file, what, input, err, why);
}

static void mc_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct cgroup *cg, *child = NULL;
	struct stat st;
	int err;

	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu((unsigned int)ctx->pid);	/* css_alloc charges here */
	cg = dir_cgroup(parent, &err);
	if (cg && cftype_lookup(cg, name))
		err = -EEXIST;	/* interface files are names too */
	else if (cg && strlen(name) > NAME_MAX)
		err = -ENAMETOOLONG;	/* FUSE passes up to 1024 bytes */
	else if (cg)
		err = cgroup_mkdir(cg, name, ctx->uid, ctx->gid, mode & 07777,
				   &child);
	if (!err)
		dir_attr(child, &st);
	else if (cg)
		log_failure_raw(ctx->uid, cg, "", "mkdir", name, strlen(name), err,
				NULL);
	pthread_rwlock_unlock(&cgroup_mutex);
	if (err)
		fuse_reply_err(req, -err);
	else
		reply_entry(req, &st);
}

static void mc_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct cgroup *cg, *child = NULL;
	int err;

	pthread_rwlock_wrlock(&cgroup_mutex);
	set_this_cpu((unsigned int)fuse_req_ctx(req)->pid);
	cg = dir_cgroup(parent, &err);
	if (cg && !(child = cgroup_find_child(cg, name)))
		err = cftype_lookup(cg, name) ? -ENOTDIR : -ENOENT;
	if (child) {
		const char *why = NULL;

		/* A member whose parent's wait() has returned has done the
		 * kernel's cgroup_exit(); the pidfd watcher may not have seen
		 * it yet.  Release such members now, not after the EBUSY. */
		if (cgroup_populated(child))
			task_reap_pending();
		err = cgroup_rmdir(child, &why);
		if (err)
			log_failure_raw(fuse_req_ctx(req)->uid, child, "",
				    "rmdir", name, strlen(name), err, why);
	}
	pthread_rwlock_unlock(&cgroup_mutex);
	fuse_reply_err(req, -err);
}

/* unlink of an interface file is EPERM, as kernfs has no .unlink. */
static void mc_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct cgroup *cg;
	int err;

	pthread_rwlock_rdlock(&cgroup_mutex);
	cg = dir_cgroup(parent, &err);
	if (cg)
		err = cgroup_find_child(cg, name) ? -EISDIR :
		      cftype_lookup(cg, name) ? -EPERM : -ENOENT;
	pthread_rwlock_unlock(&cgroup_mutex);
	fuse_reply_err(req, -err);
}

/* cgroup_kf_syscall_ops has no .rename in v2; no symlinks, no links. */
static void mc_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	(void)parent; (void)name; (void)newparent; (void)newname; (void)flags;
	fuse_reply_err(req, EPERM);
}

static void mc_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		       const char *name)
{
	(void)link; (void)parent; (void)name;
	fuse_reply_err(req, EPERM);
}

static void mc_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		    const char *newname)
{
	(void)ino; (void)newparent; (void)newname;
	fuse_reply_err(req, EPERM);
}

/* vfs_mknod() on a filesystem without .mknod is EPERM. */
static void mc_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	(void)parent; (void)name; (void)mode; (void)rdev;
	fuse_reply_err(req, EPERM);
}

/* Creating a regular file: kernfs has no .create, so EACCES. */

static void mc_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	(void)parent; (void)name; (void)mode; (void)fi;
	fuse_reply_err(req, EACCES);
}

struct dirbuf {
	char *buf;
	size_t len, cap;
	/*
	 * Held across a readdir reply: once the kernel has the bytes, the
	 * reader may close the directory and RELEASEDIR can arrive on
	 * another thread before fuse_reply_buf() has returned.
	 */
	pthread_mutex_t lock;
};

static int dirbuf_add(fuse_req_t req, struct dirbuf *b, const char *name,
		      const struct stat *st)
{
	size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);

	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *nb;

		while (cap < b->len + need)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb)
			return -ENOMEM;
		b->buf = nb;
		b->cap = cap;
	}
	fuse_add_direntry(req, b->buf + b->len, need, name, st,
			  b->len + need);
	b->len += need;
	return 0;
}

/* One snapshot per opendir, so offsets stay valid while the tree moves. */
static int fill_dir(fuse_req_t req, struct cgroup *cg, struct dirbuf *b)
{
	struct cgroup *child;
	struct stat st;
	unsigned int i;
	int err;

	dir_attr(cg, &st);
	err = dirbuf_add(req, b, ".", &st);
	if (!err && cg->parent)
		dir_attr(cg->parent, &st);
	if (!err)
		err = dirbuf_add(req, b, "..", &st);
	for (i = 0; i < nr_cftypes && !err; i++) {
		if (!cftype_visible(&cftypes[i], cg))
			continue;
		file_attr(cg, &cftypes[i], &st);
		err = dirbuf_add(req, b, cftypes[i].name, &st);
	}
	list_for_each_entry(child, &cg->children, sibling) {
		if (err)
			break;
		dir_attr(child, &st);
		err = dirbuf_add(req, b, child->name, &st);
	}
	return err;
}

static void mc_opendir(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct dirbuf *b = calloc(1, sizeof(*b));
	struct cgroup *cg;
	int err = b ? 0 : -ENOMEM;

	pthread_rwlock_rdlock(&cgroup_mutex);
	cg = err ? NULL : dir_cgroup(ino, &err);
	if (cg)
		err = fill_dir(req, cg, b);
	pthread_rwlock_unlock(&cgroup_mutex);
	if (err) {
		if (b)
			free(b->buf);
		free(b);
		fuse_reply_err(req, -err);
		return;
	}
	pthread_mutex_init(&b->lock, NULL);
	fi->fh = (uintptr_t)b;
	fuse_reply_open(req, fi);
}

static void reply_slice(fuse_req_t req, const char *buf, size_t len,
			off_t off, size_t size)
{
	if ((size_t)off >= len)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, buf + off,
			       len - off < size ? len - off : size);
}

static void mc_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct dirbuf *b = (struct dirbuf *)(uintptr_t)fi->fh;

	(void)ino;
	pthread_mutex_lock(&b->lock);
	reply_slice(req, b->buf, b->len, off, size);
	pthread_mutex_unlock(&b->lock);
}

static void mc_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	struct dirbuf *b = (struct dirbuf *)(uintptr_t)fi->fh;

	(void)ino;
	pthread_mutex_lock(&b->lock);	/* wait out a replying readdir */
	pthread_mutex_unlock(&b->lock);
	pthread_mutex_destroy(&b->lock);
	free(b->buf);
	free(b);
	fuse_reply_err(req, 0);
}

struct mem_cgroup *of_memcg(struct of *of)
{
	struct mem_cgroup *memcg = of->cg->memcg;

	return memcg && memcg->serial == of->memcg_serial ? memcg : NULL;
}

/* The css of a controller's file, 0 for the others and in a removed
 * cgroup, whose csses are freed (its fds are dead by ->removed). */
static uint64_t of_css_serial(const struct cftype *cft, struct cgroup *cg)
{
	int ss = CFTYPE_SS_ID(cft->flags);

	return ss < 0 || cg->removed ? 0 : cg->ctl->css_serial[ss];
}

/* The file was removed under this fd (rmdir, or -memory for memory.*,
 * -cpu for cpu.*...). */
static bool of_dead(struct of *of)
{
	return of->cg->removed ||
	       ((of->cft->flags & CFTYPE_MEMORY) && !of_memcg(of)) ||
	       of_css_serial(of->cft, of->cg) != of->css_serial;
}

/*
 * The opener's credentials (f_cred), kept for the checks a write makes
 * (cgroup.procs migration).  fuse_req_getgroups() reads /proc twice, a
 * third of a read's cost, so only opens that can write pay for it.
 */
static void of_cred(fuse_req_t req, int flags, struct cred *cred)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	int n = 0;

	cred->uid = ctx->uid;
	cred->gid = ctx->gid;
	if ((flags & O_ACCMODE) != O_RDONLY && ctx->uid != 0)
		n = fuse_req_getgroups(req, 32, cred->groups);
	cred->nr_groups = n < 0 ? 0 : n > 32 ? 32 : n;
}

/* Every open file's state, so the daemon's exit can free what the
 * kernel never released.  Lock order: open_files_lock is a leaf. */
static struct list_head open_files = LIST_HEAD_INIT(open_files);
static pthread_mutex_t open_files_lock = PTHREAD_MUTEX_INITIALIZER;

static void open_files_add(struct of *of)
{
	pthread_mutex_lock(&open_files_lock);
	list_add(&of->open_node, &open_files);
	pthread_mutex_unlock(&open_files_lock);
}

static void open_files_del(struct of *of)
{
	pthread_mutex_lock(&open_files_lock);
	list_del(&of->open_node);
	pthread_mutex_unlock(&open_files_lock);
}

static void mc_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct of *of = calloc(1, sizeof(*of));
	struct cgroup *cg = NULL;
	int row, err = of ? 0 : -ENOMEM;

	pthread_rwlock_rdlock(&cgroup_mutex);
	if (of && !(cg = ino_resolve(ino, &row)))
		err = -ENOENT;
	else if (of && row == ROW_DIR)
		err = -EISDIR;
	else if (of && !(of->cft = row_cft(cg, row)))
		err = -ENOENT;
	if (!err) {
		cgroup_get(cg);
		of->cg = cg;
		of->memcg_serial = cg->memcg ? cg->memcg->serial : 0;
		of->css_serial = of_css_serial(of->cft, cg);
		if (of->cft->notify >= 0)
			of->seen_seq = atomic_load(&cg->notify_seq[of->cft->notify]);
	}
	pthread_rwlock_unlock(&cgroup_mutex);
	if (err) {
		free(of);
		fuse_reply_err(req, -err);
		return;
	}
	of->flags = fi->flags;
	of->peak.value = -1;
	INIT_LIST_HEAD(&of->peak.list);
	INIT_LIST_HEAD(&of->poll_node);
	pthread_mutex_init(&of->lock, NULL);
	of->fsnotify_self = fsnotify_is_self(fuse_req_ctx(req)->pid);
	if (!of->fsnotify_self)
		of_cred(req, fi->flags, &of->cred);
	open_files_add(of);
	fi->fh = (uintptr_t)of;
	/* Fresh content on every read, and no FLUSH round trip on close. */
	fi->direct_io = 1;
	fi->noflush = 1;
	fuse_reply_open(req, fi);
}

static bool of_privileged(const struct of *of)
{
	return of->cred.uid == 0 || of->cred.uid == cgroup_root()->uid;
}

static void of_drop_snapshot(struct of *of)
{
	if (of->snap_charged)
		snapshot_uncharge(of->cred.uid, of->snap_charged);
	of->snap_charged = 0;
	snapshot_put(of->snap);
	of->snap = NULL;
}

/* Render the whole file into the fd's snapshot (seq_file at offset 0),
 * shared with the opens that hold the same bytes (snapshot.h). */
static int of_render(struct of *of)
{
	struct strbuf sb = STRBUF_INIT;
	bool stop = !(of->cft->flags & CFTYPE_READ_ATOMIC);
	int err;

	memcg_read_begin(stop);
	if (of_dead(of)) {
		err = -ENODEV;
	} else {
		err = of->cft->show(of, &sb);
		if (!err)
			err = sb.err;
		if (of->cft->notify >= 0)
			of->seen_seq =
				atomic_load(&of->cg->notify_seq[of->cft->notify]);
	}
	memcg_read_end(stop);
	of_drop_snapshot(of);
	if (err) {
		sb_release(&sb);
		return err;
	}
	of->snap = snapshot_share(&sb);
	if (!of->snap)
		return -ENOMEM;
	/* What an unprivileged user's fds hold is bounded (snapshot.h). */
	if (!of_privileged(of)) {
		if (snapshot_charge(of->cred.uid, of->snap->len)) {
			of_drop_snapshot(of);
			return -ENOMEM;
		}
		of->snap_charged = of->snap->len;
	}
	return 0;
}

static void mc_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct of *of = (struct of *)(uintptr_t)fi->fh;
	struct snapshot *snap = NULL;
	int err = 0;

	(void)ino;
	if (!of->cft->show) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	pthread_mutex_lock(&of->lock);
	of->writer_pid = fuse_req_ctx(req)->pid;	/* sim.self's reader */
	if (off == 0 || !of->snap)
		err = of_render(of);
	if (!err)
		snap = snapshot_get(of->snap);
	pthread_mutex_unlock(&of->lock);
	/*
	 * Reply with no lock held: the reply wakes the reader, which may
	 * take this thread's CPU and send its next read (or its close) at
	 * once, to another thread that must not wait for this one to run
	 * again (on two cores beside a reclaim, that wait was milliseconds).
	 */
	if (err)
		fuse_reply_err(req, -err);
	else
		reply_slice(req, snap->buf, snap->len, off, size);
	snapshot_put(snap);
}

/* How a write ends: at once, or after a memory.high penalty sleep in
 * which @psi (referenced) has the writer stalled. */
struct write_exit {
	uint64_t delay_ns;
	struct psi_group *psi;
};

/*
 * The write's return to user space (exit_to_user_mode): what its charges
 * owe for memory.high, reclaimed now, and the penalty left, logged; the
 * sleep itself comes after every lock is dropped.  Caller writes in
 * STOPPED or EXCLUSIVE mode (the reclaim owns every CPU).
 */
static void return_to_user(pid_t pid, struct write_exit *ex)
{
	struct mem_cgroup *memcg;
	unsigned long jiffies;
	const char *limits;
	char *path = NULL;

	ex->delay_ns = mem_cgroup_return_to_user(&memcg, &jiffies, &limits);
	/* Reads from swap and disk it waited for (-o io_latency=). */
	ex->delay_ns += psi_take_deferred();
	if (ex->delay_ns)
		psi_memstall_enter_group(ex->psi);
	if (!memcg)
		return;
	if (cgroup_path(memcg->cgroup, &path))
		path = NULL;
	sim_log("%s: writer %d throttled over %s: penalty %lu "
		"jiffies, sleeps %llu.%03llu ms (high_delay=%g)",
		path ? path : "?", (int)pid, limits, jiffies,
		(unsigned long long)(ex->delay_ns / 1000000),
		(unsigned long long)(ex->delay_ns / 1000 % 1000),
		memcg_high_delay_scale);
	free(path);
	mem_cgroup_unpin(memcg, 1);
}

/* The mode a row's write is tried in first (core/memcg_lock.h). */
static enum memcg_lock_mode write_mode(const struct cftype *cft)
{
	if (cft->flags & CFTYPE_WRITE_MEMCG)
		return MEMCG_LOCK_MEMCG;
	if (cft->flags & CFTYPE_WRITE_STOPPED)
		return MEMCG_LOCK_STOPPED;
	return MEMCG_LOCK_EXCLUSIVE;
}

/* The mode a write that answered @err in @mode runs in next: MEMCG ->
 * STOPPED -> EXCLUSIVE, never the same one twice. */
static enum memcg_lock_mode stronger_mode(enum memcg_lock_mode mode, int err)
{
	if (mode == MEMCG_LOCK_MEMCG && err == MEMCG_RETRY_STOPPED)
		return MEMCG_LOCK_STOPPED;
	return MEMCG_LOCK_EXCLUSIVE;
}

/*
 * Run the handler in @mode; when it answers MEMCG_RETRY_* (nothing
 * changed), again in the stronger mode it asks for, from the bytes as
 * written: the handler parses @kbuf in place.  Returns holding the model as the
 * write ended (memcg_write_end() is the caller's).
 */
static int write_locked(struct of *of, const struct fuse_ctx *ctx,
			char *kbuf, size_t size)
{
	enum memcg_lock_mode mode = write_mode(of->cft);
	char again[PAGE_SIZE + 1];
	int err;

	if (mode != MEMCG_LOCK_EXCLUSIVE)
		memcpy(again, kbuf, size + 1);
	for (;;) {
		/* The writer's virtual CPU; sim.ctl's cpu=K may override. */
		err = memcg_write_begin(mode, of->cg, (unsigned int)ctx->pid);
		if (!err) {
			err = of_dead(of) ? -ENODEV : of->cft->write(of, kbuf);
			if (!memcg_retry(err) || mode == MEMCG_LOCK_EXCLUSIVE)
				return err;
			memcg_write_end();
		}
		mode = stronger_mode(mode, err);
		of->why = NULL;
		of->notify_ticket = 0;
		memcpy(kbuf, again, size + 1);
	}
}

static int of_write(struct of *of, const struct fuse_ctx *ctx, char *kbuf,
		    size_t size, struct write_exit *ex)
{
	char input[256];	/* as written: handlers parse kbuf in place */
	int err;

	sanitize(input, sizeof(input), kbuf, size);
	of->writer_pid = ctx->pid;
	of->writer_uid = ctx->uid;
	of->writer_gid = ctx->gid;
	of->why = NULL;
	of->notify_ticket = 0;
	/* The writer is a task of the group written to while it writes;
	 * of none in a removed group (the write fails with ENODEV). */
	ex->psi = psi_task_enter_slot(&of->cg->psi);
	psi_set_current(ex->psi);
	err = write_locked(of, ctx, kbuf, size);
	if (err)
		log_failure(ctx->uid, of->cg, of->cft->name, "write", input,
			    err, of->why);
	/* Reclaim owed for memory.high needs every CPU (STOPPED mode). */
	if (memcg_lock_mode() == MEMCG_LOCK_MEMCG && mem_cgroup_high_debt()) {
		memcg_write_end();
		memcg_write_begin(MEMCG_LOCK_STOPPED, of->cg,
				  (unsigned int)ctx->pid);
	}
	return_to_user(ctx->pid, ex);
	psi_set_current(NULL);
	memcg_write_end();
	return err;
}

/* A write refused before its handler runs is logged all the same. */
static int refuse_write(struct of *of, const char *buf, size_t size, int err,
			const char *why)
{
	pthread_rwlock_rdlock(&cgroup_mutex);
	log_failure_raw(of->writer_uid, of->cg, of->cft->name, "write", buf,
			size, err, why);
	pthread_rwlock_unlock(&cgroup_mutex);
	return err;
}

static int do_write(struct of *of, fuse_req_t req, const char *buf,
		    size_t size, struct write_exit *ex)
{
	char kbuf[PAGE_SIZE + 1];
	int err;

	of->writer_uid = fuse_req_ctx(req)->uid;
	if (size > PAGE_SIZE)	/* kernfs's atomic_write_len */
		return refuse_write(of, buf, 64, -E2BIG,
				    "more than 4096 bytes in one write");
	if (!of->cft->write)
		return refuse_write(of, buf, size, -EINVAL, "read-only file");
	if (size == 0)		/* the handler is not called, as in kernfs */
		return 0;
	memcpy(kbuf, buf, size);
	kbuf[size] = '\0';
	pthread_mutex_lock(&of->lock);
	err = of_write(of, fuse_req_ctx(req), kbuf, size, ex);
	/* Files the write removed are gone from the kernel's cache before
	 * the writer sees success, as with kernfs. */
	if (of->notify_ticket)
		notify_wait(of->notify_ticket, 1000);
	pthread_mutex_unlock(&of->lock);
	return err;
}

static void mc_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct of *of = (struct of *)(uintptr_t)fi->fh;
	struct write_exit ex = { 0 };
	int err;

	(void)ino;
	(void)off;	/* one command per write(2); the offset is ignored */
	/* Our own kick: its only purpose was the IN_MODIFY of this write. */
	err = of->fsnotify_self ? 0 : do_write(of, req, buf, size, &ex);
	/* The kernel drops replies with errno >= 512 and the writer would
	 * wait forever: never let one out. */
	if (err <= -512)
		err = -EIO;
	if (ex.delay_ns) {	/* throttled: the reply comes after the sleep */
		throttle_defer_write(req, err, size, ex.delay_ns, ex.psi);
		return;
	}
	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_write(req, size);
	if (ex.psi) {
		psi_task_leave(ex.psi);
		psi_group_put(ex.psi);
	}
}

/* The per-open state, unlinked from open_files, goes. */
static void of_free(struct of *of)
{
	notify_poll_unregister(of);
	pressure_release(of);	/* no trigger can wake this fd after it */
	/* A close waits for no reclaim: the write lock only when the peak
	 * list changes or this may free the group. */
	if (of->peak_registered || !cgroup_put_not_last(of->cg)) {
		pthread_rwlock_wrlock(&cgroup_mutex);
		if (of->peak_registered)
			memcg_peak_release(&of->peak);
		cgroup_put(of->cg);
		pthread_rwlock_unlock(&cgroup_mutex);
	}
	of_drop_snapshot(of);
	pthread_mutex_destroy(&of->lock);
	free(of);
}

static void mc_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct of *of = (struct of *)(uintptr_t)fi->fh;

	(void)ino;
	/* A read may still be unlocking after its reply woke our caller. */
	pthread_mutex_lock(&of->lock);
	pthread_mutex_unlock(&of->lock);
	open_files_del(of);
	of_free(of);
	fuse_reply_err(req, 0);
}

void ops_release_open_files(void)
{
	struct of *of;

	/* The session loop has ended: no request can race us. */
	while (!list_empty(&open_files)) {
		of = list_entry(open_files.next, struct of, open_node);
		list_del(&of->open_node);
		of_free(of);
	}
}

/* psi_trigger_poll(): an fd without a trigger always has POLLERR|POLLPRI;
 * one with a trigger has POLLPRI once per event.  Registered first, so an
 * event in between is never missed. */
static void mc_poll_pressure(fuse_req_t req, struct of *of,
			     struct fuse_pollhandle *ph)
{
	unsigned int mask = DEFAULT_POLLMASK;

	pthread_mutex_lock(&of->lock);	/* the trigger is set under it */
	if (!of->psi_trigger) {
		mask |= POLLERR | POLLPRI;
		if (ph)
			fuse_pollhandle_destroy(ph);
	} else {
		if (ph)
			notify_poll_register(of, ph);
		if (pressure_poll_pending(of))
			mask |= POLLPRI;
	}
	pthread_mutex_unlock(&of->lock);
	fuse_reply_poll(req, mask);
}

/*
 * kernfs_fop_poll(): POLLERR|POLLPRI once the file changed since this fd
 * last read it, or once the cgroup is gone.  The handle is registered
 * before the check, so a change in between is never missed.
 */
static void mc_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct of *of = (struct of *)(uintptr_t)fi->fh;
	unsigned int mask = DEFAULT_POLLMASK;

	(void)ino;
	if (of->cft->flags & CFTYPE_PSI) {
		mc_poll_pressure(req, of, ph);
		return;
	}
	if (of->cft->notify < 0) {
		if (ph)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, mask);
		return;
	}
	if (ph)
		notify_poll_register(of, ph);
	if (of->cg->removed ||
	    atomic_load(&of->cg->notify_seq[of->cft->notify]) != of->seen_seq)
		mask |= POLLERR | POLLPRI;
	fuse_reply_poll(req, mask);
}

static void mc_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs st = { .f_bsize = 4096, .f_frsize = 4096,
			      .f_namemax = 255 };

	(void)ino;
	fuse_reply_statfs(req, &st);
}

static void mc_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* O_TRUNC arrives with open: one setattr round trip fewer per echo. */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
}

const struct fuse_lowlevel_ops memcgfs_ops = {
	.init = mc_init,
	.lookup = mc_lookup,
	.getattr = mc_getattr,
	.setattr = mc_setattr,
	.mkdir = mc_mkdir,
	.rmdir = mc_rmdir,
	.unlink = mc_unlink,
	.rename = mc_rename,
	.symlink = mc_symlink,
	.link = mc_link,
	.mknod = mc_mknod,
	.create = mc_create,
	.opendir = mc_opendir,
	.readdir = mc_readdir,
	.releasedir = mc_releasedir,
	.open = mc_open,
	.read = mc_read,
	.write = mc_write,
	.release = mc_release,
	.poll = mc_poll,
	.statfs = mc_statfs,
};
