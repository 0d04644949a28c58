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
static char *lines[SIM_LOG_LINES];
static unsigned long nr_logged;

void sim_log(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	char *msg = NULL, *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
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
	free(lines[nr_logged % SIM_LOG_LINES]);
	lines[nr_logged++ % SIM_LOG_LINES] = line;
	pthread_mutex_unlock(&sim_log_lock);
}

void sim_log_render(struct strbuf *sb)
{
	unsigned long i, first;

	pthread_mutex_lock(&sim_log_lock);
	first = nr_logged > SIM_LOG_LINES ? nr_logged - SIM_LOG_LINES : 0;
	for (i = first; i < nr_logged; i++)
		sb_puts(sb, lines[i % SIM_LOG_LINES]);
	pthread_mutex_unlock(&sim_log_lock);
}

void sim_log_clear(void)
{
	unsigned int i;

	pthread_mutex_lock(&sim_log_lock);
	for (i = 0; i < SIM_LOG_LINES; i++) {
		free(lines[i]);
		lines[i] = NULL;
	}
	nr_logged = 0;
	pthread_mutex_unlock(&sim_log_lock);
}
