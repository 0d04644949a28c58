/*
 * sim_log.c - see sim_log.h.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim_log.h"

/* Innermost lock: taken with or without cgroup_mutex, never the reverse. */
static pthread_mutex_t sim_log_lock = PTHREAD_MUTEX_INITIALIZER;
/* Seen by every reader. */
#define SIM_LOG_EVERYONE ((uid_t)-1)

static struct log_line {
	char *text;
	uid_t uid;		/* whose input it shows, or SIM_LOG_EVERYONE */
} lines[SIM_LOG_LINES];
static unsigned long nr_logged;

static void vsim_log(uid_t uid, const char *fmt, va_list ap)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	char *msg = NULL, *line = NULL;
	struct log_line *l;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (!msg || asprintf(&line, "%s.%03ld %s\n", stamp,
			     ts.tv_nsec / 1000000, msg) < 0)
		line = NULL;
	free(msg);
	if (!line)
		return;		/* out of memory: the log is best effort */
	pthread_mutex_lock(&sim_log_lock);
	l = &lines[nr_logged++ % SIM_LOG_LINES];
	free(l->text);
	l->text = line;
	l->uid = uid;
	pthread_mutex_unlock(&sim_log_lock);
}

void sim_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsim_log(SIM_LOG_EVERYONE, fmt, ap);
	va_end(ap);
}

void sim_log_user(uid_t uid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsim_log(uid, fmt, ap);
	va_end(ap);
}

void sim_log_render(struct strbuf *sb, uid_t viewer, bool all)
{
	unsigned long i, first;

	pthread_mutex_lock(&sim_log_lock);
	first = nr_logged > SIM_LOG_LINES ? nr_logged - SIM_LOG_LINES : 0;
	for (i = first; i < nr_logged; i++) {
		struct log_line *l = &lines[i % SIM_LOG_LINES];

		if (all || l->uid == viewer || l->uid == SIM_LOG_EVERYONE)
			sb_puts(sb, l->text);
	}
	pthread_mutex_unlock(&sim_log_lock);
}

void sim_log_clear(void)
{
	unsigned int i;

	pthread_mutex_lock(&sim_log_lock);
	for (i = 0; i < SIM_LOG_LINES; i++) {
		free(lines[i].text);
		lines[i].text = NULL;
	}
	nr_logged = 0;
	pthread_mutex_unlock(&sim_log_lock);
}
