/*
 * zombie_files.c - sim.zombies (flat "key value" lines per dying memcg,
 * blank-line separated), sim.zombies.json (the same through jansson) and
 * the root's sim.ids.  Each group's files cover the zombies of its
 * subtree.  The model is core/memcg_zombie.c's; this file only renders.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/filemap.h"
#include "../core/memcg_check.h"
#include "../core/memcg_pages.h"
#include "../core/memcg_zombie.h"
#include "fs.h"

#define PAGE_BYTES 4096

static void iso_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
}

static long age_seconds(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (long)(now.tv_sec - since->tv_sec);
}

/* "/a/b" of a live memcg's group, its former path if dying. */
static char *memcg_path(struct mem_cgroup *memcg)
{
	char *path = NULL;

	if (!memcg->online)
		return strdup(memcg->former_path ? memcg->former_path : "?");
	return cgroup_path(memcg->cgroup, &path) ? strdup("?") : path;
}

static char *file_name(const struct sim_inode *ino)
{
	char *s = NULL;

	if (asprintf(&s, "%s/%s%s", ino->fs->name, ino->path,
		     ino->unlinked ? " (deleted)" : "") < 0)
		return NULL;
	return s;
}

/* --- text ---------------------------------------------------------------- */

static void text_owner(pid_t pid, int64_t pages, void *arg)
{
	sb_printf(arg, "anon_owner %d %lld\n", pid,
		  (long long)(pages * PAGE_BYTES));
}

static void text_files(struct strbuf *sb, const struct zombie_pins *p)
{
	for (size_t i = 0; i < p->nr_files; i++) {
		const struct sim_inode *ino = p->files[i].inode;
		char *name = file_name(ino);

		sb_printf(sb, "pinning_file %s %lld\n", name ? name : "?",
			  (long long)(p->files[i].pages * PAGE_BYTES));
		for (unsigned int u = 0; u < ino->nr_mappers; u++) {
			char *user = memcg_path(ino->mappers[u].memcg);

			sb_printf(sb, "user %s %s\n", name ? name : "?",
				  user ? user : "?");
			free(user);
		}
		free(name);
	}
}

/* The pages= policies that act at offline, as sim.policy names them. */
static const char *const would_free_keys[NR_PAGES_POLICIES] = {
	[PAGES_REPARENT_WALK] = "pages=reparent-walk",
	[PAGES_REPARENT] = "pages=reparent",
	[PAGES_RECHARGE] = "pages=recharge",
	[PAGES_DEFERRED] = "pages=deferred",
	[PAGES_EVICT] = "pages=evict",
};

/* What each pages= policy would take off it now, in bytes. */
static void text_would_free(struct strbuf *sb, struct mem_cgroup *memcg)
{
	int64_t would[NR_PAGES_POLICIES];

	memcg_pages_would_free(memcg, would);
	for (int p = 0; p < NR_PAGES_POLICIES; p++)
		if (would_free_keys[p])
			sb_printf(sb, "would_free %s %lld\n", would_free_keys[p],
				  (long long)(would[p] * PAGE_BYTES));
}

struct zombie_render {
	struct strbuf *sb;
	json_t *array;
	int err;
};

static void text_zombie(struct mem_cgroup *memcg, void *arg)
{
	struct zombie_render *r = arg;
	struct strbuf *sb = r->sb;
	struct zombie_pins p;
	char created[32], removed[32];

	if (memcg_zombie_pins(memcg, &p)) {
		r->err = -ENOMEM;
		return;
	}
	iso_time(&memcg->created, created, sizeof(created));
	iso_time(&memcg->offlined, removed, sizeof(removed));
	sb_printf(sb, "id %d\npath %s\ncreated %s\nremoved %s\nage_seconds %ld\n"
		  "refs %lld\nmemory %lld\nfile %lld\nshmem %lld\nanon %lld\n"
		  "sock %lld\nsockets %lld\nstock %lld\ndying_children %d\n"
		  "unexplained_refs %lld\n",
		  memcg->former_id,
		  memcg->former_path ? memcg->former_path : "?", created,
		  removed, age_seconds(&memcg->offlined), (long long)p.refs,
		  (long long)(p.usage_pages * PAGE_BYTES),
		  (long long)(p.file_pages * PAGE_BYTES),
		  (long long)(p.shmem_pages * PAGE_BYTES),
		  (long long)(p.anon_pages * PAGE_BYTES),
		  (long long)(p.sock_pages * PAGE_BYTES),
		  (long long)p.nr_sockets,
		  (long long)(p.stock_pages * PAGE_BYTES), p.nr_children,
		  (long long)p.unexplained);
	text_files(sb, &p);
	task_for_each_owner(memcg, text_owner, sb);
	text_would_free(sb, memcg);
	sb_putc(sb, '\n');
	free(p.files);
}

SHOW(sim_zombies_show)
{
	struct zombie_render r = { sb, NULL, 0 };

	if (of->cg->memcg)
		mem_cgroup_for_each_zombie(of->cg->memcg, text_zombie, &r);
	return r.err;
}

/* --- JSON ---------------------------------------------------------------- */

static void json_owner(pid_t pid, int64_t pages, void *arg)
{
	json_array_append_new(arg, json_pack("{s:i, s:I}", "pid", (int)pid,
					     "anon", (json_int_t)(pages * PAGE_BYTES)));
}

static json_t *json_files(const struct zombie_pins *p)
{
	json_t *files = json_array();

	for (size_t i = 0; files && i < p->nr_files; i++) {
		const struct sim_inode *ino = p->files[i].inode;
		json_t *users = json_array();
		char *name = file_name(ino);

		for (unsigned int u = 0; users && u < ino->nr_mappers; u++) {
			char *user = memcg_path(ino->mappers[u].memcg);

			json_array_append_new(users, json_string(user ? user : "?"));
			free(user);
		}
		json_array_append_new(files, json_pack("{s:s, s:I, s:o*}",
			"file", name ? name : "?",
			"bytes", (json_int_t)(p->files[i].pages * PAGE_BYTES),
			"users", users));
		free(name);
	}
	return files;
}

/* {"pages=POLICY": bytes, ...}, as text_would_free(); NULL: no memory
 * (json_pack "o" then fails the zombie). */
static json_t *json_would_free(struct mem_cgroup *memcg)
{
	int64_t would[NR_PAGES_POLICIES];
	json_t *o = json_object();

	memcg_pages_would_free(memcg, would);
	for (int p = 0; o && p < NR_PAGES_POLICIES; p++)
		if (would_free_keys[p] &&
		    json_object_set_new(o, would_free_keys[p],
					json_integer(would[p] * PAGE_BYTES))) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

static void json_zombie(struct mem_cgroup *memcg, void *arg)
{
	struct zombie_render *r = arg;
	struct zombie_pins p;
	char created[32], removed[32];
	json_t *owners = json_array(), *z;

	if (!owners || memcg_zombie_pins(memcg, &p)) {
		json_decref(owners);
		r->err = -ENOMEM;
		return;
	}
	task_for_each_owner(memcg, json_owner, owners);
	iso_time(&memcg->created, created, sizeof(created));
	iso_time(&memcg->offlined, removed, sizeof(removed));
	z = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I, "
		      "s:I, s:I}, s:I, s:i, s:I, s:o*, s:o, s:[], s:[], "
		      "s:o}",
		      "id", memcg->former_id,
		      "path", memcg->former_path ? memcg->former_path : "?",
		      "created", created, "removed", removed,
		      "age_seconds", (json_int_t)age_seconds(&memcg->offlined),
		      "refs", (json_int_t)p.refs,
		      "charged",
		      "memory", (json_int_t)(p.usage_pages * PAGE_BYTES),
		      "file", (json_int_t)(p.file_pages * PAGE_BYTES),
		      "shmem", (json_int_t)(p.shmem_pages * PAGE_BYTES),
		      "anon", (json_int_t)(p.anon_pages * PAGE_BYTES),
		      "sock", (json_int_t)(p.sock_pages * PAGE_BYTES),
		      "stock", (json_int_t)(p.stock_pages * PAGE_BYTES),
		      "sockets", (json_int_t)p.nr_sockets,
		      "dying_children", p.nr_children,
		      "unexplained_refs", (json_int_t)p.unexplained,
		      "files", json_files(&p), "anon_owners", owners,
		      /* objcg era: slab and list_lrus never hold a zombie */
		      "slab_caches", "list_lrus",
		      "would_free", json_would_free(memcg));
	free(p.files);
	if (!z || json_array_append_new(r->array, z))
		r->err = -ENOMEM;
}

SHOW(sim_zombies_json_show)
{
	struct zombie_render r = { sb, json_array(), 0 };
	char *s;

	if (!r.array)
		return -ENOMEM;
	if (of->cg->memcg)
		mem_cgroup_for_each_zombie(of->cg->memcg, json_zombie, &r);
	s = r.err ? NULL : json_dumps(r.array, JSON_INDENT(1));
	json_decref(r.array);
	if (!s)
		return r.err ? r.err : -ENOMEM;
	sb_puts(sb, s);
	sb_putc(sb, '\n');
	free(s);
	return 0;
}

/* --- sim.ids --------------------------------------------------------------- */

static void count_zombie(struct mem_cgroup *memcg, void *arg)
{
	unsigned int *n = arg;

	n[0]++;
	if (memcg->id > 0)	/* ids=hold */
		n[1]++;
}

/* IDs of live groups, dying groups and those of them still holding one
 * (ids=hold), free, and the limit. */
SHOW(sim_ids_show)
{
	unsigned int used = mem_cgroup_ids_in_use(), max = mem_cgroup_ids_max();
	unsigned int dying[2] = { 0, 0 };

	(void)of;
	mem_cgroup_for_each_zombie(root_mem_cgroup(), count_zombie, dying);
	sb_printf(sb, "live %u\ndying %u\ndying_holding_ids %u\nfree %u\n"
		  "max %u\n", used - dying[1], dying[0], dying[1], max - used,
		  max);
	return 0;
}

/* Root sim.check: the accounting invariant, recounted (core/memcg_check.c). */
SHOW(sim_check_show)
{
	(void)of;
	return memcg_check(sb);
}
