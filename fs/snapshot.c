/*
 * snapshot.c - see snapshot.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

#define SNAPSHOT_BUCKETS 1024
#define SNAPSHOT_SHARE_MIN 4096		/* bytes: smaller ones stay private */

/* A leaf lock: taken with of->lock held, never the reverse. */
static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *buckets[SNAPSHOT_BUCKETS];
static size_t nr_snapshots, snapshot_bytes;

/* FNV-1a: cheap next to the rendering that made the bytes. */
static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h ^ len;
}

static struct snapshot **bucket_of(uint64_t hash)
{
	return &buckets[hash % SNAPSHOT_BUCKETS];
}

/* A live snapshot with these bytes, referenced; NULL if none. */
static struct snapshot *find_get(const char *buf, size_t len, uint64_t hash)
{
	struct snapshot *s;

	for (s = *bucket_of(hash); s; s = s->next)
		if (s->hash == hash && s->len == len &&
		    !memcmp(s->buf, buf, len)) {
			s->refs++;
			return s;
		}
	return NULL;
}

struct snapshot *snapshot_share(struct strbuf *sb)
{
	size_t len = sb->len;
	bool share = len >= SNAPSHOT_SHARE_MIN;
	uint64_t hash = share ? hash_bytes(sb->buf, len) : 0;
	struct snapshot *s = NULL, **b;
	char *buf;

	if (share) {
		pthread_mutex_lock(&snapshot_lock);
		s = find_get(sb->buf, len, hash);
		pthread_mutex_unlock(&snapshot_lock);
	}
	if (s) {
		sb_release(sb);
		return s;
	}
	s = malloc(sizeof(*s));
	/* Trim the doubling slack: a snapshot lives as long as its fds. */
	buf = sb->buf && len ? realloc(sb->buf, len) : sb->buf;
	if (!s || (len && !buf)) {
		free(s);
		sb_release(sb);
		return NULL;
	}
	*sb = (struct strbuf)STRBUF_INIT;
	*s = (struct snapshot){ .buf = buf, .len = len, .hash = hash,
				.refs = 1, .shared = share };
	if (!share)
		return s;
	pthread_mutex_lock(&snapshot_lock);
	b = bucket_of(hash);
	s->next = *b;
	*b = s;
	nr_snapshots++;
	snapshot_bytes += len;
	pthread_mutex_unlock(&snapshot_lock);
	return s;
}

struct snapshot *snapshot_get(struct snapshot *s)
{
	atomic_fetch_add(&s->refs, 1);
	return s;
}

void snapshot_put(struct snapshot *s)
{
	struct snapshot **p;

	if (!s)
		return;
	if (!s->shared) {
		if (atomic_fetch_sub(&s->refs, 1) == 1)
			goto free;
		return;
	}
	pthread_mutex_lock(&snapshot_lock);
	if (--s->refs) {
		pthread_mutex_unlock(&snapshot_lock);
		return;
	}
	for (p = bucket_of(s->hash); *p != s; p = &(*p)->next)
		;
	*p = s->next;
	nr_snapshots--;
	snapshot_bytes -= s->len;
	pthread_mutex_unlock(&snapshot_lock);
free:
	free(s->buf);
	free(s);
}

void snapshot_stats(size_t *nr, size_t *bytes)
{
	pthread_mutex_lock(&snapshot_lock);
	*nr = nr_snapshots;
	*bytes = snapshot_bytes;
	pthread_mutex_unlock(&snapshot_lock);
}

/* Bytes held per unprivileged uid: a short list, one entry per uid with
 * bytes held, under snapshot_lock. */
struct user_bytes {
	uid_t uid;
	size_t bytes;
	struct user_bytes *next;
};
static struct user_bytes *users;

static struct user_bytes **user_slot(uid_t uid)
{
	struct user_bytes **p;

	for (p = &users; *p && (*p)->uid != uid; p = &(*p)->next)
		;
	return p;
}

int snapshot_charge(uid_t uid, size_t bytes)
{
	struct user_bytes **p, *u;
	int ret = 0;

	pthread_mutex_lock(&snapshot_lock);
	p = user_slot(uid);
	u = *p;
	if (!u && (u = calloc(1, sizeof(*u)))) {
		u->uid = uid;
		*p = u;
	}
	if (!u || bytes > SNAPSHOT_USER_BUDGET - u->bytes)
		ret = -ENOMEM;
	else
		u->bytes += bytes;
	if (u && !u->bytes) {
		*p = u->next;
		free(u);
	}
	pthread_mutex_unlock(&snapshot_lock);
	return ret;
}

void snapshot_uncharge(uid_t uid, size_t bytes)
{
	struct user_bytes **p, *u;

	pthread_mutex_lock(&snapshot_lock);
	p = user_slot(uid);
	u = *p;
	if (u) {
		u->bytes -= bytes < u->bytes ? bytes : u->bytes;
		if (!u->bytes) {
			*p = u->next;
			free(u);
		}
	}
	pthread_mutex_unlock(&snapshot_lock);
}
