/*
 * cgroup_files.c - render and parse the core cgroup.* files and PSI
 * (Documentation/admin-guide/cgroup-v2.rst).  State changes are
 * core/cgroup.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cgroup_controllers.h"
#include "../core/cgroup_threaded.h"
#include "../core/cgroup_threads.h"
#include "../core/task.h"
#include "fs.h"
#include "parse.h"

/* cgroup_print_ss_mask(): names in ssid order; an empty list is zero
 * bytes, not even "\n". */
static void show_ss_mask(struct strbuf *sb, uint16_t mask)
{
	bool first = true;

	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		if (!(mask & SS_BIT(i)) ||
		    (cgroup_subsys[i].flags & SS_IMPLICIT))
			continue;
		sb_printf(sb, "%s%s", first ? "" : " ", cgroup_subsys[i].name);
		first = false;
	}
	if (!first)
		sb_putc(sb, '\n');
}

int cgroup_controllers_show(struct of *of, struct strbuf *sb)
{
	show_ss_mask(sb, cgroup_control(of->cg));
	return 0;
}

int cgroup_subtree_control_show(struct of *of, struct strbuf *sb)
{
	show_ss_mask(sb, cgroup_subtree_ss_mask(of->cg));
	return 0;
}

/* Tokens separated by single spaces: +name / -name, the last one for a
 * name wins; unknown names (and those -o controllers= left out, as
 * cgroup_disable= would) are EINVAL. */
static int parse_subtree_control(struct of *of, char *buf, uint16_t *enable,
				 uint16_t *disable)
{
	char *tok;

	buf = strstrip(buf);
	while ((tok = strsep(&buf, " "))) {
		int ss;

		if (!*tok)
			continue;
		ss = cgroup_subsys_find(tok + 1);
		if (ss < 0)
			return of_fail(of, -EINVAL, "unknown controller");
		if (*tok == '+') {
			*enable |= SS_BIT(ss);
			*disable &= ~SS_BIT(ss);
		} else if (*tok == '-') {
			*disable |= SS_BIT(ss);
			*enable &= ~SS_BIT(ss);
		} else {
			return of_fail(of, -EINVAL, "token needs + or -");
		}
	}
	return 0;
}

/* A controller's files come and go with +/-name; a chown of the old ones
 * does not carry over to the new (they are new kernfs nodes). */
static void forget_file_attrs(struct cgroup *cg, uint16_t changed)
{
	struct cgroup *child;
	unsigned int i;

	list_for_each_entry(child, &cg->children, sibling)
		for (i = 0; i < nr_cftypes; i++) {
			int ss = CFTYPE_SS_ID(cftypes[i].flags);

			if (cftypes[i].flags & CFTYPE_MEMORY)
				ss = SS_MEMORY;
			if (ss >= 0 && (changed & SS_BIT(ss)))
				cgroup_clear_file_attr(child, i);
		}
}

int cgroup_subtree_control_write(struct of *of, char *buf)
{
	uint16_t enable = 0, disable = 0, before, gone;
	struct cgroup *cg = of->cg;
	int ret;

	ret = parse_subtree_control(of, buf, &enable, &disable);
	if (ret)
		return ret;
	before = cgroup_subtree_ss_mask(cg);
	ret = cgroup_apply_subtree_control(cg, enable, disable, of->writer_uid,
					   of->writer_gid, &of->why);
	if (ret)
		return ret;
	gone = before & ~cgroup_subtree_ss_mask(cg);
	if (gone & SS_BIT(SS_MEMORY))
		of->notify_ticket = notify_inval_memory_files(cg);
	if (gone & ~SS_BIT(SS_MEMORY))
		of->notify_ticket = notify_inval_ss_files(cg, gone);
	forget_file_attrs(cg, before ^ cgroup_subtree_ss_mask(cg));
	return 0;
}

static void show_pid(pid_t pid, void *arg)
{
	sb_printf(arg, "%d\n", pid);
}

int cgroup_procs_show(struct of *of, struct strbuf *sb)
{
	task_for_each(of->cg, show_pid, sb);
	return 0;
}

/* cgroup_procs_write_start(): the pid to act on, as a process. */
static pid_t parse_pid(struct of *of, char *buf)
{
	int pid, ret = kstrtoint(strstrip(buf), 0, &pid);

	if (ret)
		return of_fail(of, ret, "not a pid");
	if (pid < 0)
		return of_fail(of, -EINVAL, "negative pid");
	return task_tgid(pid ? pid : of->writer_pid, &of->why);
}

int cgroup_procs_write(struct of *of, char *buf)
{
	pid_t tgid = parse_pid(of, buf);
	struct cgroup *dst = of->cg, *src;
	int ret;

	if (tgid < 0)
		return tgid;
	src = task_cgroup_of(tgid);
	/* cgroup_procs_write_permission(), with the opener's credentials. */
	if (!cftype_may_write(of->cft, cgroup_common_ancestor(src, dst),
			      &of->cred))
		return of_fail(of, -EACCES,
			       "no write access to the common ancestor's cgroup.procs");
	ret = cgroup_migrate_vet_dst(dst, &of->why);
	if (!ret)
		ret = task_attach(dst, tgid, &of->why);
	if (!ret) {
		cgroup_threads_rejoin(tgid);	/* all threads move */
		cgroup_pids_update_peaks(dst);
	}
	return ret;
}

/* A member process's threads, but those moved to another cgroup. */
struct threads_of {
	struct strbuf *sb;
	struct cgroup *cg;
};

static void show_threads(pid_t pid, void *arg)
{
	struct threads_of *to = arg;
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;		/* exited: the watcher will drop it */
	while ((d = readdir(dir))) {
		struct cgroup *to_cg;

		if (d->d_name[0] == '.')
			continue;
		to_cg = cgroup_thread_moved_to(pid, atoi(d->d_name));
		if (!to_cg || to_cg == to->cg)
			sb_printf(to->sb, "%s\n", d->d_name);
	}
	closedir(dir);
}

static void show_moved_thread(pid_t tid, void *arg)
{
	struct threads_of *to = arg;

	if (task_cgroup_of(task_tgid(tid, NULL)) != to->cg)
		sb_printf(to->sb, "%d\n", tid);
}

int cgroup_threads_show(struct of *of, struct strbuf *sb)
{
	struct threads_of to = { sb, of->cg };

	task_for_each(of->cg, show_threads, &to);
	cgroup_for_each_moved_thread(of->cg, show_moved_thread, &to);
	return 0;
}

/* cgroup_threads_write(): a thread moves alone, within its threaded
 * domain (cgroup_attach_permissions() with threadgroup false). */
int cgroup_threads_write(struct of *of, char *buf)
{
	int tid, ret = kstrtoint(strstrip(buf), 0, &tid);
	struct cgroup *dst = of->cg, *src;
	pid_t tgid;

	if (ret)
		return of_fail(of, ret, "not a pid");
	if (tid < 0)
		return of_fail(of, -EINVAL, "negative pid");
	if (!tid)
		tid = of->writer_pid;	/* the writing thread */
	tgid = task_tgid(tid, &of->why);
	if (tgid < 0)
		return tgid;
	src = cgroup_thread_cgroup(tgid, tid);
	if (!cftype_may_write(of->cft, cgroup_common_ancestor(src, dst),
			      &of->cred))
		return of_fail(of, -EACCES,
			       "no write access to the common ancestor's cgroup.threads");
	if (cgroup_dom_cgrp(src) != cgroup_dom_cgrp(dst))
		return of_fail(of, -EOPNOTSUPP,
			       "a thread cannot leave its threaded domain (only the whole process can, through cgroup.procs)");
	ret = cgroup_migrate_vet_dst(dst, &of->why);
	if (!ret)
		ret = cgroup_thread_attach(dst, tgid, tid);
	return ret;
}

int cgroup_events_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "populated %d\nfrozen %d\n", cgroup_populated(of->cg),
		  cgroup_frozen(of->cg));
	return 0;
}

/* cgroup_stat_show(): every controller bound to v2, in ssid order; the
 * other controllers' csses are released at once, so none is dying. */
int cgroup_stat_show(struct of *of, struct strbuf *sb)
{
	struct cgroup *cg = of->cg;
	int i;

	sb_printf(sb, "nr_descendants %d\n", cg->nr_descendants);
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		if (cgrp_dfl_enabled_mask & SS_BIT(i))
			sb_printf(sb, "nr_subsys_%s %d\n", cgroup_subsys[i].name,
				  i == SS_MEMORY ? cgroup_nr_subsys_memory(cg)
						 : cgroup_nr_subsys(cg, i));
	sb_printf(sb, "nr_dying_descendants %d\n", cg->nr_dying_descendants);
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		if (cgrp_dfl_enabled_mask & SS_BIT(i))
			sb_printf(sb, "nr_dying_subsys_%s %d\n",
				  cgroup_subsys[i].name,
				  i == SS_MEMORY ? cg->nr_dying_subsys_memory : 0);
	return 0;
}

static void show_max_or_int(struct strbuf *sb, int v)
{
	if (v == CGROUP_MAX_UNLIMITED)
		sb_puts(sb, "max\n");
	else
		sb_printf(sb, "%d\n", v);
}

static int write_max_or_int(struct of *of, char *buf,
			    void (*set)(struct cgroup *cg, int max))
{
	int v, ret = parse_max_or_int(buf, &v);

	if (ret)
		return of_fail(of, ret, "expected max or an integer >= 0");
	set(of->cg, v);
	return 0;
}

int cgroup_max_descendants_show(struct of *of, struct strbuf *sb)
{
	show_max_or_int(sb, of->cg->max_descendants);
	return 0;
}

int cgroup_max_descendants_write(struct of *of, char *buf)
{
	return write_max_or_int(of, buf, cgroup_set_max_descendants);
}

int cgroup_max_depth_show(struct of *of, struct strbuf *sb)
{
	show_max_or_int(sb, of->cg->max_depth);
	return 0;
}

int cgroup_max_depth_write(struct of *of, char *buf)
{
	return write_max_or_int(of, buf, cgroup_set_max_depth);
}

int cgroup_type_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%s\n", cgroup_type_name(of->cg));
	return 0;
}

int cgroup_type_write(struct of *of, char *buf)
{
	uint16_t before = cgroup_control(of->cg), gone;
	bool had_memcg = of->cg->memcg;
	int ret;

	if (strcmp(strstrip(buf), "threaded"))
		return of_fail(of, -EINVAL, "only \"threaded\" can be written");
	ret = cgroup_enable_threaded(of->cg, &of->why);
	if (ret)
		return ret;
	/* Its domain controllers' files go (the dentries are dropped per
	 * parent: the siblings' are only looked up again). */
	gone = before & ~cgroup_control(of->cg) & ~SS_BIT(SS_MEMORY);
	if (had_memcg)
		of->notify_ticket = notify_inval_memory_files(of->cg->parent);
	if (gone)
		of->notify_ticket = notify_inval_ss_files(of->cg->parent, gone);
	return 0;
}

/* cgroup.kill and cgroup.freeze take an int; only some values mean anything. */
static int parse_bool_int(struct of *of, char *buf, int max, int *v)
{
	int ret = kstrtoint(strstrip(buf), 0, v);

	if (ret)
		return of_fail(of, ret, "not an integer");
	if (*v < 0 || *v > max)
		return of_fail(of, -ERANGE, "value out of range");
	return 0;
}

int cgroup_kill_write(struct of *of, char *buf)
{
	int v, ret = parse_bool_int(of, buf, 1, &v);

	if (ret)
		return ret;
	if (v != 1)
		return of_fail(of, -ERANGE, "only 1 kills");
	task_kill_subtree(of->cg);
	return 0;
}

int cgroup_freeze_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", of->cg->freeze);
	return 0;
}

int cgroup_freeze_write_h(struct of *of, char *buf)
{
	int v, ret = parse_bool_int(of, buf, 1, &v);

	return ret ? ret : cgroup_freeze_write(of->cg, v);
}
