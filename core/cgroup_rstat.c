/*
 * cgroup_rstat.c - cpu.stat's CPU time and cgroup.stat.local's frozen
 * time; see cgroup_rstat.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timekeeping.h"
#include "cgroup.h"
#include "cgroup_controllers.h"
#include "cgroup_rstat.h"
#include "proc_pid.h"

/* Readers of cpu.stat flush under cgroup_mutex held for reading, so the
 * samples and sums need a lock of their own (inside cgroup_mutex). */
static pthread_mutex_t rstat_lock = PTHREAD_MUTEX_INITIALIZER;

int proc_pid_stat_read(pid_t pid, struct proc_pid_stat *st)
{
	char buf[1024];
	const char *f = proc_pid_stat_fields(pid, buf, sizeof(buf));
	unsigned long long utime, stime;

	/* From state (field 3): utime 14, stime 15, nice 19, num_threads 20. */
	if (!f || sscanf(f, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
			 " %llu %llu %*d %*d %*d %ld %ld", &utime, &stime,
			 &st->nice, &st->num_threads) != 4)
		return -ESRCH;
	st->utime = utime;
	st->stime = stime;
	return 0;
}

static uint64_t ticks_to_us(uint64_t ticks)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	return ticks * (1000000 / (uint64_t)hz);
}

void task_cputime_start(pid_t pid, struct task_cputime *last)
{
	struct proc_pid_stat st;

	pthread_mutex_lock(&rstat_lock);
	last->valid = !proc_pid_stat_read(pid, &st);
	if (last->valid) {
		last->utime = st.utime;
		last->stime = st.stime;
	}
	pthread_mutex_unlock(&rstat_lock);
}

void cgroup_rstat_account(struct cgroup *cg, pid_t pid,
			  struct task_cputime *last)
{
	struct cgroup_bstat d = { 0 };
	struct proc_pid_stat st;

	pthread_mutex_lock(&rstat_lock);
	/* Gone (reaped before we looked): the time since the last sample is
	 * lost, the time before it stays. */
	if (!last->valid || proc_pid_stat_read(pid, &st))
		goto out;
	if (st.utime >= last->utime && st.stime >= last->stime) {
		d.user_us = ticks_to_us(st.utime - last->utime);
		d.system_us = ticks_to_us(st.stime - last->stime);
		/* account_user_time(): a niced task's user time is also
		 * CPUTIME_NICE; the nice value now stands for the interval. */
		if (st.nice > 0)
			d.nice_us = d.user_us;
	}
	last->utime = st.utime;
	last->stime = st.stime;
	for (; cg; cg = cg->parent) {
		cg->ctl->bstat.user_us += d.user_us;
		cg->ctl->bstat.system_us += d.system_us;
		cg->ctl->bstat.nice_us += d.nice_us;
	}
out:
	pthread_mutex_unlock(&rstat_lock);
}

/* root_cgroup_cputime(): the machine's time from the cpu line of
 * /proc/stat (user nice system idle iowait irq softirq ...). */
static void root_cputime(struct cgroup_bstat *out)
{
	unsigned long long user, nice, system, idle, iowait, irq, softirq;
	FILE *f = fopen("/proc/stat", "re");

	memset(out, 0, sizeof(*out));
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
		   &system, &idle, &iowait, &irq, &softirq) == 7) {
		out->user_us = ticks_to_us(user + nice);
		out->system_us = ticks_to_us(system + irq + softirq);
		out->nice_us = ticks_to_us(nice);
	}
	fclose(f);
}

void cgroup_base_stat(struct cgroup *cg, struct cgroup_bstat *out)
{
	if (!cg->parent) {
		root_cputime(out);
		return;
	}
	pthread_mutex_lock(&rstat_lock);
	*out = cg->ctl->bstat;
	pthread_mutex_unlock(&rstat_lock);
}

void cgroup_freezer_time_update(struct cgroup *cg, bool freezing)
{
	struct cgroup_freezer_time *f = &cg->ctl->freezer;
	uint64_t now = ktime_get_ns();

	if (freezing == f->freezing)
		return;
	if (freezing)
		f->freeze_start_nsec = now;
	else
		f->frozen_nsec += now - f->freeze_start_nsec;
	f->freezing = freezing;
}

uint64_t cgroup_frozen_usec(struct cgroup *cg)
{
	const struct cgroup_freezer_time *f = &cg->ctl->freezer;
	uint64_t ns = f->frozen_nsec;

	/* cgroup_core_local_stat_show(): the current interval counts too. */
	if (f->freezing)
		ns += ktime_get_ns() - f->freeze_start_nsec;
	return ns / 1000;
}
