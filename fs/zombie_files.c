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
#include "../core/memcg_kmem_cache.h"
#include "../core/memcg_zombie.h"
#include "../core/task.h"
#include "fs.h"


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

/* "/a/b" of a memcg's group: a dying one's former path, which its
 * pinned cgroup keeps. */
typedef char *(*escape_fn)(const char *s);

/* Names are users' bytes: escaped for a text file (str_escape: one
 * field, no terminal control) or for JSON (str_utf8_escape: valid UTF-8,
 * which jansson requires). */
static char *memcg_path_as(struct mem_cgroup *memcg, escape_fn escape)
{
	char *path = NULL, *e;

	if (cgroup_path(memcg->cgroup, &path))
		return strdup("?");
	e = escape(path);
	free(path);
	return e;
}

static char *memcg_path(struct mem_cgroup *memcg)
{
	return memcg_path_as(memcg, str_escape);
}

static char *file_name(const struct sim_inode *ino, escape_fn escape)
{
	char *raw = NULL, *e, *s = NULL;

	if (asprintf(&raw, "%s/%s", ino->fs->name, ino->path) < 0)
		return NULL;
	e = escape(raw);
	free(raw);
	if (e && asprintf(&s, "%s%s", e, ino->unlinked ? " (deleted)" : "") < 0)
		s = NULL;
	free(e);
	return s;
}

/* --- text ---------------------------------------------------------------- */

static void text_owner(pid_t pid, int64_t pages, void *arg)
{
	sb_printf(arg, "anon_owner %d %lld\n", pid,
		  (long long)(pages * PAGE_SIZE));
}

/* A process's mapping made in the zombie: it holds a pin until the
 * process unmaps it (from an ancestor's sim.ctl) or exits. */
static void text_map_owner(pid_t pid, struct sim_inode *ino, void *arg)
{
	char *name = file_name(ino, str_escape);

	sb_printf(arg, "map_owner %d %s\n", pid, name ? name : "?");
	free(name);
}

static void text_files(struct strbuf *sb, const struct zombie_pins *p)
{
	for (size_t i = 0; i < p->nr_files; i++) {
		const struct sim_inode *ino = p->files[i].inode;
		char *name = file_name(ino, str_escape);

		sb_printf(sb, "pinning_file %s %lld\n", name ? name : "?",
			  (long long)(p->files[i].pages * PAGE_SIZE));
		for (unsigned int u = 0; u < ino->nr_mappers; u++) {
			char *user = memcg_path(ino->mappers[u].memcg);

			sb_printf(sb, "user %s %s\n", name ? name : "?",
				  user ? user : "?");
			free(user);
		}
		free(name);
	}
}

/* What each pages= and kmem= policy would take off it now; the policy
 * as sim.policy names it. */
struct would_free_row {
	char policy[40];
	int64_t pages;
};

static void add_row(struct would_free_row *row, const char *key,
		    const char *value, int64_t pages)
{
	snprintf(row->policy, sizeof(row->policy), "%s=%s", key, value);
	row->pages = pages;
}

/* pages=pin acts at no offline: no row. */
#define NR_WOULD_FREE (NR_PAGES_POLICIES - 1 + NR_KMEM_POLICIES)
static int would_free_rows(struct mem_cgroup *memcg,
			   struct would_free_row rows[NR_WOULD_FREE])
{
	int64_t pages[NR_PAGES_POLICIES], kmem[NR_KMEM_POLICIES];
	int n = 0;

	memcg_pages_would_free(memcg, pages);
	for (int p = 0; p < NR_PAGES_POLICIES; p++)
		if (p != PAGES_PIN)
			add_row(&rows[n++], "pages", memcg_pages_policy_names[p],
				pages[p]);
	memcg_kmem_would_free(memcg, kmem);
	for (int k = 0; k < NR_KMEM_POLICIES; k++)
		add_row(&rows[n++], "kmem", memcg_kmem_policy_names[k], kmem[k]);
	return n;
}

static void text_would_free(struct strbuf *sb, struct mem_cgroup *memcg)
{
	struct would_free_row rows[NR_WOULD_FREE];
	int n = would_free_rows(memcg, rows);

	for (int i = 0; i < n; i++)
		sb_printf(sb, "would_free %s %lld\n", rows[i].policy,
			  (long long)(rows[i].pages * PAGE_SIZE));
}

/* kmem=clone-*: the caches holding it (name, bytes charged, objects). */
static void text_cache(const struct memcg_cache_info *ci, void *arg)
{
	sb_printf(arg, "slab_cache %s %lld %lld\n", ci->name,
		  (long long)(ci->pages * PAGE_SIZE), (long long)ci->objects);
}

struct zombie_render {
	struct strbuf *sb;
	int nr;		/* JSON objects written */
	int err;
};

static void text_zombie(struct mem_cgroup *memcg, void *arg)
{
	struct zombie_render *r = arg;
	struct strbuf *sb = r->sb;
	struct zombie_pins p;
	char created[32], removed[32], *path;

	if (memcg_zombie_pins(memcg, &p)) {
		r->err = -ENOMEM;
		return;
	}
	path = memcg_path(memcg);
	iso_time(&memcg->created, created, sizeof(created));
	iso_time(&memcg->offlined, removed, sizeof(removed));
	sb_printf(sb, "id %d\npath %s\ncreated %s\nremoved %s\nage_seconds %ld\n"
		  "refs %lld\nmemory %lld\nfile %lld\nshmem %lld\nanon %lld\n"
		  "swap %lld\nsock %lld\nsockets %lld\nstock %lld\ndying_children %d\n"
		  "unexplained_refs %lld\n",
		  memcg->former_id, path ? path : "?", created,
		  removed, age_seconds(&memcg->offlined), (long long)p.refs,
		  (long long)(p.usage_pages * PAGE_SIZE),
		  (long long)(p.file_pages * PAGE_SIZE),
		  (long long)(p.shmem_pages * PAGE_SIZE),
		  (long long)(p.anon_pages * PAGE_SIZE),
		  (long long)(p.swap_pages * PAGE_SIZE),
		  (long long)(p.sock_pages * PAGE_SIZE),
		  (long long)p.nr_sockets,
		  (long long)(p.stock_pages * PAGE_SIZE), p.nr_children,
		  (long long)p.unexplained);
	text_files(sb, &p);
	memcg_kmem_for_each_cache(memcg, text_cache, sb);
	task_for_each_owner(memcg, text_owner, sb);
	task_for_each_mapping(memcg, text_map_owner, sb);
	text_would_free(sb, memcg);
	sb_putc(sb, '\n');
	free(p.files);
	free(path);
}

int sim_zombies_show(struct of *of, struct strbuf *sb)
{
	struct zombie_render r = { sb, 0, 0 };

	if (of->cg->memcg)
		mem_cgroup_for_each_zombie(of->cg->memcg, text_zombie, &r);
	return r.err;
}

/* --- JSON ---------------------------------------------------------------- */

static void json_owner(pid_t pid, int64_t pages, void *arg)
{
	json_array_append_new(arg, json_pack("{s:i, s:I}", "pid", (int)pid,
					     "anon", (json_int_t)(pages * PAGE_SIZE)));
}

static json_t *json_files(const struct zombie_pins *p)
{
	json_t *files = json_array();

	for (size_t i = 0; files && i < p->nr_files; i++) {
		const struct sim_inode *ino = p->files[i].inode;
		json_t *users = json_array();
		char *name = file_name(ino, str_utf8_escape);

		for (unsigned int u = 0; users && u < ino->nr_mappers; u++) {
			char *user = memcg_path_as(ino->mappers[u].memcg,
						   str_utf8_escape);

			json_array_append_new(users, json_string(user ? user : "?"));
			free(user);
		}
		json_array_append_new(files, json_pack("{s:s, s:I, s:o*}",
			"file", name ? name : "?",
			"bytes", (json_int_t)(p->files[i].pages * PAGE_SIZE),
			"users", users));
		free(name);
	}
	return files;
}

static void json_cache(const struct memcg_cache_info *ci, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:I, s:I}", "cache",
		ci->name, "bytes", (json_int_t)(ci->pages * PAGE_SIZE),
		"objects", (json_int_t)ci->objects));
}

static json_t *json_caches(struct mem_cgroup *memcg)
{
	json_t *caches = json_array();

	if (caches)
		memcg_kmem_for_each_cache(memcg, json_cache, caches);
	return caches;
}

/* {"pages=POLICY": bytes, ..., "kmem=POLICY": bytes}, as
 * text_would_free(); NULL: no memory (json_pack "o" then fails the zombie). */
static json_t *json_would_free(struct mem_cgroup *memcg)
{
	struct would_free_row rows[NR_WOULD_FREE];
	int n = would_free_rows(memcg, rows);
	json_t *o = json_object();

	for (int i = 0; o && i < n; i++)
		if (json_object_set_new(o, rows[i].policy,
					json_integer(rows[i].pages * PAGE_SIZE))) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

/*
 * Appends one zombie's object to the array being written, exactly as
 * json_dumps(array, JSON_INDENT(1)) would lay it out (every line one
 * space deeper: newlines in a dump are all layout, strings escape
 * theirs).  One object at a time, so a render's jansson nodes are a
 * zombie's worth, not the whole array's (~100 small allocations per
 * zombie that the heap would keep).
 */
static int json_append(struct zombie_render *r, json_t *z)
{
	char *s = json_dumps(z, JSON_INDENT(1)), *p, *nl;

	if (!s)
		return -ENOMEM;
	sb_puts(r->sb, r->nr++ ? ",\n " : "[\n ");
	for (p = s; (nl = strchr(p, '\n')); p = nl + 1) {
		sb_printf(r->sb, "%.*s", (int)(nl + 1 - p), p);
		sb_putc(r->sb, ' ');
	}
	sb_puts(r->sb, p);
	free(s);
	return 0;
}

static void json_zombie(struct mem_cgroup *memcg, void *arg)
{
	struct zombie_render *r = arg;
	struct zombie_pins p;
	char created[32], removed[32], *path;
	json_t *owners = json_array(), *z;

	if (!owners || memcg_zombie_pins(memcg, &p)) {
		json_decref(owners);
		r->err = -ENOMEM;
		return;
	}
	task_for_each_owner(memcg, json_owner, owners);
	iso_time(&memcg->created, created, sizeof(created));
	iso_time(&memcg->offlined, removed, sizeof(removed));
	path = memcg_path_as(memcg, str_utf8_escape);
	z = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I, "
		      "s:I, s:I, s:I}, s:I, s:i, s:I, s:o*, s:o, s:o*, s:[], "
		      "s:o*}",
		      "id", memcg->former_id,
		      "path", path ? path : "?",
		      "created", created, "removed", removed,
		      "age_seconds", (json_int_t)age_seconds(&memcg->offlined),
		      "refs", (json_int_t)p.refs,
		      "charged",
		      "memory", (json_int_t)(p.usage_pages * PAGE_SIZE),
		      "file", (json_int_t)(p.file_pages * PAGE_SIZE),
		      "shmem", (json_int_t)(p.shmem_pages * PAGE_SIZE),
		      "anon", (json_int_t)(p.anon_pages * PAGE_SIZE),
		      "swap", (json_int_t)(p.swap_pages * PAGE_SIZE),
		      "sock", (json_int_t)(p.sock_pages * PAGE_SIZE),
		      "stock", (json_int_t)(p.stock_pages * PAGE_SIZE),
		      "sockets", (json_int_t)p.nr_sockets,
		      "dying_children", p.nr_children,
		      "unexplained_refs", (json_int_t)p.unexplained,
		      "files", json_files(&p), "anon_owners", owners,
		      "slab_caches", json_caches(memcg),
		      /* list_lrus are reparented at offline in every era */
		      "list_lrus", "would_free", json_would_free(memcg));
	free(p.files);
	free(path);
	if (!z || json_append(r, z))
		r->err = -ENOMEM;
	json_decref(z);
}

int sim_zombies_json_show(struct of *of, struct strbuf *sb)
{
	struct zombie_render r = { sb, 0, 0 };

	if (of->cg->memcg)
		mem_cgroup_for_each_zombie(of->cg->memcg, json_zombie, &r);
	if (r.err)
		return r.err;
	sb_puts(sb, r.nr ? "\n]\n" : "[]\n");
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
int sim_ids_show(struct of *of, struct strbuf *sb)
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
int sim_check_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	return memcg_check(sb);
}
