/*
 * refd: the reference FUSE daemon for `make bench`.
 *
 * It measures the FUSE floor on this machine: the cheapest way the
 * low-level libfuse3 API can serve a small file whose content must be
 * fresh on every read.  memcgfs is compared against it.
 *
 * Layout of the mount:
 *
 *   /        directory; mkdir/rmdir of empty subdirectories is allowed
 *   /value   read-only file; each open renders a new counter value
 *
 * Settings are the best ones for fresh content, so that an
 * open+read+close costs the minimum number of requests (OPEN, READ,
 * RELEASE):
 *   - entry and attr timeouts of 86400 s: no LOOKUP or GETATTR once the
 *     dentry is cached (the mount only changes through the mount itself);
 *   - fi->direct_io: no page cache, so every read reaches the daemon and
 *     st_size (0, as kernfs reports) does not limit reads;
 *   - fi->noflush: close() sends no FLUSH.
 *
 * Content is generated like cgroupfs's memory.current: a read at offset 0
 * renders into a per-open buffer; reads at other offsets are served from
 * that snapshot, so `cat` sees one consistent value and then EOF.
 *
 * Usage: refd [-f] [-s] [-d] [-o opt,...] MOUNTPOINT
 *   -f foreground, -s single-threaded, -d libfuse debug (one line per
 *   request starting with "unique:"), the rest as for any libfuse3 fs.
 * Exits 0 on `fusermount3 -u MOUNTPOINT` and on SIGTERM/SIGINT/SIGHUP.
 *
 * Build: gcc -std=gnu11 -O2 -Wall -Wextra -Werror refd.c \
 *            $(pkg-config --cflags --libs fuse3) -o refd
 */

#define FUSE_USE_VERSION 312

#include <fuse_lowlevel.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REFD_TIMEOUT 86400.0 /* entry/attr cache timeout, seconds */
#define REFD_ROOT_INO FUSE_ROOT_ID
#define REFD_VALUE_INO 2
#define REFD_FIRST_DIR_INO 3
static const char refd_value_name[] = "value";

/*
 * A subdirectory of the root.  Inode numbers are never reused, so the
 * generation can stay 0.  A node removed by rmdir stays allocated until
 * the kernel forgets it (nlookup reaches 0): the kernel may still send
 * GETATTR/OPENDIR for it through an fd opened before the rmdir.
 */
struct refd_dir {
	struct refd_dir *next;
	fuse_ino_t ino;
	uint64_t nlookup; /* entry replies minus forgotten references */
	mode_t mode;
	bool removed;
	char name[];
};

struct refd {
	pthread_mutex_t lock; /* protects dirs, next_ino, ndirs */
	struct refd_dir *dirs; /* all nodes, live and removed */
	fuse_ino_t next_ino;
	size_t ndirs; /* live subdirectories */
	atomic_uint_fast64_t counter; /* source of the fresh content */
	struct timespec start; /* timestamps of every inode */
};

/* Per-open state of /value: the snapshot served to this open file. */
struct refd_file {
	pthread_mutex_t lock; /* two threads may read one fd at once */
	size_t len;
	char buf[24]; /* a uint64 in decimal plus '\n' */
};

/* Per-open state of a directory: the listing captured at opendir. */
struct refd_dirbuf {
	char *p;
	size_t size;
};

static struct refd *refd_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* Caller holds r->lock.  Returns the live subdirectory called name. */
static struct refd_dir *find_live(struct refd *r, const char *name)
{
	for (struct refd_dir *d = r->dirs; d; d = d->next)
		if (!d->removed && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* Caller holds r->lock.  Returns the node with this inode number. */
static struct refd_dir *find_ino(struct refd *r, fuse_ino_t ino)
{
	for (struct refd_dir *d = r->dirs; d; d = d->next)
		if (d->ino == ino)
			return d;
	return NULL;
}

/* Caller holds r->lock.  Frees d if it is removed and unreferenced. */
static void maybe_free(struct refd *r, struct refd_dir *d)
{
	if (!d->removed || d->nlookup > 0)
		return;
	for (struct refd_dir **pp = &r->dirs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			free(d);
			return;
		}
	}
}

/* Fills st for ino.  Returns 0 or ENOENT. */
static int refd_stat(struct refd *r, fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atim = st->st_mtim = st->st_ctim = r->start;

	if (ino == REFD_ROOT_INO) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (ino == REFD_VALUE_INO) {
		/* Size 0 as in kernfs: with direct_io it does not limit reads. */
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		return 0;
	}

	pthread_mutex_lock(&r->lock);
	struct refd_dir *d = find_ino(r, ino);
	if (d) {
		st->st_mode = S_IFDIR | d->mode;
		st->st_nlink = d->removed ? 0 : 2;
	}
	pthread_mutex_unlock(&r->lock);
	return d ? 0 : ENOENT;
}

static void refd_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct refd *r = refd_of(req);
	struct fuse_entry_param e = {
		.attr_timeout = REFD_TIMEOUT,
		.entry_timeout = REFD_TIMEOUT,
	};

	/* Subdirectories are always empty. */
	if (parent != REFD_ROOT_INO) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (strcmp(name, refd_value_name) == 0) {
		e.ino = REFD_VALUE_INO;
	} else {
		pthread_mutex_lock(&r->lock);
		struct refd_dir *d = find_live(r, name);
		if (d) {
			e.ino = d->ino;
			d->nlookup++;
		}
		pthread_mutex_unlock(&r->lock);
		if (!d) {
			fuse_reply_err(req, ENOENT);
			return;
		}
	}
	if (refd_stat(r, e.ino, &e.attr) != 0) {
		/* Cannot happen: the kernel holds a reference now. */
		fuse_reply_err(req, EIO);
		return;
	}
	fuse_reply_entry(req, &e);
}

/* Drops n kernel references to ino; the fixed inodes are not counted. */
static void refd_forget_one(struct refd *r, fuse_ino_t ino, uint64_t n)
{
	if (ino < REFD_FIRST_DIR_INO)
		return;
	pthread_mutex_lock(&r->lock);
	struct refd_dir *d = find_ino(r, ino);
	if (d) {
		d->nlookup = n > d->nlookup ? 0 : d->nlookup - n;
		maybe_free(r, d);
	}
	pthread_mutex_unlock(&r->lock);
}

static void refd_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	refd_forget_one(refd_of(req), ino, nlookup);
	fuse_reply_none(req);
}

static void refd_forget_multi(fuse_req_t req, size_t count,
			      struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		refd_forget_one(refd_of(req), forgets[i].ino,
				forgets[i].nlookup);
	fuse_reply_none(req);
}

static void refd_getattr(fuse_req_t req, fuse_ino_t ino,
			 struct fuse_file_info *fi)
{
	struct stat st;
	int err;

	(void)fi;
	err = refd_stat(refd_of(req), ino, &st);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_attr(req, &st, REFD_TIMEOUT);
}

static void refd_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		       mode_t mode)
{
	struct refd *r = refd_of(req);
	struct fuse_entry_param e = {
		.attr_timeout = REFD_TIMEOUT,
		.entry_timeout = REFD_TIMEOUT,
	};
	size_t len = strlen(name);
	struct refd_dir *d;
	int err = 0;

	if (parent != REFD_ROOT_INO) {
		fuse_reply_err(req, EPERM); /* only one level of directories */
		return;
	}
	if (len > NAME_MAX) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	d = malloc(sizeof(*d) + len + 1);
	if (!d) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(d->name, name, len + 1);
	d->mode = mode & 07777 & ~fuse_req_ctx(req)->umask;
	d->nlookup = 1; /* the entry reply below */
	d->removed = false;

	pthread_mutex_lock(&r->lock);
	if (strcmp(name, refd_value_name) == 0 || find_live(r, name)) {
		err = EEXIST;
	} else {
		d->ino = r->next_ino++;
		d->next = r->dirs;
		r->dirs = d;
		r->ndirs++;
		e.ino = d->ino;
	}
	pthread_mutex_unlock(&r->lock);
	if (err) {
		free(d);
		fuse_reply_err(req, err);
		return;
	}

	if (refd_stat(r, e.ino, &e.attr) != 0) {
		fuse_reply_err(req, EIO); /* cannot happen: we hold a ref */
		return;
	}
	/* If the reply is lost (interrupted), the kernel holds no reference. */
	if (fuse_reply_entry(req, &e) != 0)
		refd_forget_one(r, e.ino, 1);
}

static void refd_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct refd *r = refd_of(req);
	int err = 0;

	if (parent != REFD_ROOT_INO) {
		fuse_reply_err(req, ENOENT); /* subdirectories are empty */
		return;
	}
	if (strcmp(name, refd_value_name) == 0) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	pthread_mutex_lock(&r->lock);
	struct refd_dir *d = find_live(r, name);
	if (d) {
		/* Always empty, so always removable; freed on the last forget. */
		d->removed = true;
		r->ndirs--;
		maybe_free(r, d);
	} else {
		err = ENOENT;
	}
	pthread_mutex_unlock(&r->lock);
	fuse_reply_err(req, err);
}

/* Appends one entry to b; its offset is where the next entry starts. */
static int dirbuf_add(fuse_req_t req, struct refd_dirbuf *b, const char *name,
		      fuse_ino_t ino, mode_t type)
{
	struct stat st = { .st_ino = ino, .st_mode = type };
	size_t len = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	char *p = realloc(b->p, b->size + len);

	if (!p)
		return ENOMEM;
	b->p = p;
	fuse_add_direntry(req, b->p + b->size, len, name, &st, b->size + len);
	b->size += len;
	return 0;
}

/*
 * The listing is captured once per opendir, so readdir at any offset is
 * served from one consistent snapshot while mkdir/rmdir go on.
 */
static void refd_opendir(fuse_req_t req, fuse_ino_t ino,
			 struct fuse_file_info *fi)
{
	struct refd *r = refd_of(req);
	struct refd_dirbuf *b = calloc(1, sizeof(*b));
	struct stat st;
	int err;

	if (!b) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	err = refd_stat(r, ino, &st);
	if (!err && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	if (!err)
		err = dirbuf_add(req, b, ".", ino, S_IFDIR);
	if (!err)
		err = dirbuf_add(req, b, "..", REFD_ROOT_INO, S_IFDIR);
	if (!err && ino == REFD_ROOT_INO) {
		err = dirbuf_add(req, b, refd_value_name, REFD_VALUE_INO,
				 S_IFREG);
		pthread_mutex_lock(&r->lock);
		for (struct refd_dir *d = r->dirs; d && !err; d = d->next)
			if (!d->removed)
				err = dirbuf_add(req, b, d->name, d->ino,
						 S_IFDIR);
		pthread_mutex_unlock(&r->lock);
	}
	if (err) {
		free(b->p);
		free(b);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uintptr_t)b;
	if (fuse_reply_open(req, fi) != 0) { /* no releasedir will follow */
		free(b->p);
		free(b);
	}
}

static void refd_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			 off_t off, struct fuse_file_info *fi)
{
	struct refd_dirbuf *b = (struct refd_dirbuf *)(uintptr_t)fi->fh;

	(void)ino;
	if (off < 0 || (size_t)off >= b->size)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, b->p + off,
			       b->size - off < size ? b->size - off : size);
}

static void refd_releasedir(fuse_req_t req, fuse_ino_t ino,
			    struct fuse_file_info *fi)
{
	struct refd_dirbuf *b = (struct refd_dirbuf *)(uintptr_t)fi->fh;

	(void)ino;
	free(b->p);
	free(b);
	fuse_reply_err(req, 0);
}

static void refd_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct refd_file *f;

	if (ino != REFD_VALUE_INO) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_init(&f->lock, NULL);
	fi->fh = (uintptr_t)f;
	fi->direct_io = 1; /* every read reaches us: content is always fresh */
	fi->noflush = 1; /* close() sends no FLUSH round trip */
	if (fuse_reply_open(req, fi) != 0) { /* no release will follow */
		pthread_mutex_destroy(&f->lock);
		free(f);
	}
}

static void refd_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct refd *r = refd_of(req);
	struct refd_file *f = (struct refd_file *)(uintptr_t)fi->fh;
	char out[sizeof(f->buf)];
	size_t len = 0;
	int err = 0;

	(void)ino;
	pthread_mutex_lock(&f->lock);
	if (off == 0) {
		/* seq_file semantics: a read at offset 0 takes a new snapshot. */
		uint_fast64_t v = atomic_fetch_add(&r->counter, 1) + 1;
		int n = snprintf(f->buf, sizeof(f->buf), "%" PRIuFAST64 "\n",
				 v);

		if (n < 0 || (size_t)n >= sizeof(f->buf))
			err = EIO; /* never a silent EOF */
		else
			f->len = (size_t)n;
	}
	if (!err && off >= 0 && (size_t)off < f->len) {
		len = f->len - (size_t)off < size ? f->len - (size_t)off : size;
		memcpy(out, f->buf + off, len);
	}
	pthread_mutex_unlock(&f->lock);

	/*
	 * Reply only after dropping the lock and from a private copy: once
	 * the reply reaches the kernel, read(2) returns, the reader may
	 * close, and RELEASE (which frees f) can run on another thread
	 * before fuse_reply_buf() has even returned here.
	 */
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_buf(req, out, len);
}

static void refd_release(fuse_req_t req, fuse_ino_t ino,
			 struct fuse_file_info *fi)
{
	struct refd_file *f = (struct refd_file *)(uintptr_t)fi->fh;

	(void)ino;
	pthread_mutex_destroy(&f->lock);
	free(f);
	fuse_reply_err(req, 0);
}

static const struct fuse_lowlevel_ops refd_ops = {
	.lookup = refd_lookup,
	.forget = refd_forget,
	.forget_multi = refd_forget_multi,
	.getattr = refd_getattr,
	.mkdir = refd_mkdir,
	.rmdir = refd_rmdir,
	.opendir = refd_opendir,
	.readdir = refd_readdir,
	.releasedir = refd_releasedir,
	.open = refd_open,
	.read = refd_read,
	.release = refd_release,
};

static void usage(const char *prog)
{
	printf("usage: %s [-f] [-s] [-d] [-o opt,...] MOUNTPOINT\n\n", prog);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse_loop_config *cfg = NULL;
	struct fuse_session *se;
	struct refd r = { .next_ino = REFD_FIRST_DIR_INO };
	int ret = 1;

	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 1;
	if (opts.show_help) {
		usage(argv[0]);
		ret = 0;
		goto out_args;
	}
	if (opts.show_version) {
		printf("FUSE library version %s\n", fuse_pkgversion());
		fuse_lowlevel_version();
		ret = 0;
		goto out_args;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "usage: %s [-f] [-s] [-d] [-o opt,...] "
			"MOUNTPOINT\n", argv[0]);
		goto out_args;
	}

	pthread_mutex_init(&r.lock, NULL);
	atomic_init(&r.counter, 0);
	clock_gettime(CLOCK_REALTIME, &r.start);

	se = fuse_session_new(&args, &refd_ops, sizeof(refd_ops), &r);
	if (!se)
		goto out_state;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(opts.foreground) != 0)
		goto out_unmount;

	if (opts.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		cfg = fuse_loop_cfg_create();
		if (!cfg) {
			fprintf(stderr, "refd: fuse_loop_cfg_create failed\n");
			goto out_unmount;
		}
		/* Bounded pool (default 10); idle threads stay (the default). */
		fuse_loop_cfg_set_max_threads(cfg, opts.max_threads);
		fuse_loop_cfg_set_clone_fd(cfg, opts.clone_fd);
		ret = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	/*
	 * 0: unmounted (fusermount3 -u); > 0: the signal that stopped us
	 * (SIGTERM...), also a clean exit; < 0: -errno.
	 */
	if (ret < 0)
		fprintf(stderr, "refd: session loop failed: %s\n",
			strerror(-ret));
	ret = ret < 0 ? 1 : 0;

out_unmount:
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_state:
	while (r.dirs) {
		struct refd_dir *next = r.dirs->next;

		free(r.dirs);
		r.dirs = next;
	}
	pthread_mutex_destroy(&r.lock);
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
