/*
 * throttle.c - delayed replies of throttled writes; see throttle.h.
 *
 * Locking: throttle_lock is innermost and never held across a reply; the
 * interrupt callback only looks the request up under it.
 */
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/timekeeping.h"
#include "../core/psi.h"
#include "throttle.h"

struct sleeper {
	struct sleeper *next;		/* by deadline */
	fuse_req_t req;
	int err;
	size_t size;
	uint64_t deadline;		/* CLOCK_MONOTONIC ns */
	struct psi_group *psi;
};

static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t throttle_cond;
static struct sleeper *sleepers;
static bool stopping;
static pthread_t timer;

/* The writer's sleep ends: its stall and its write with it. */
static void end_sleep(fuse_req_t req, int err, size_t size,
		      struct psi_group *psi)
{
	psi_memstall_leave_group(psi);
	psi_task_leave(psi);
	psi_group_put(psi);
	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_write(req, size);
}

/* Caller holds throttle_lock. */
static void insert(struct sleeper *s)
{
	struct sleeper **p = &sleepers;

	while (*p && (*p)->deadline <= s->deadline)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

/* fatal_signal_pending(): SIGKILL pending for the writer (/proc). */
static bool fatal_signal_pending(pid_t pid)
{
	char path[64], line[128];
	bool fatal = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;	/* gone already */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long mask;

		if ((sscanf(line, "SigPnd: %llx", &mask) == 1 ||
		     sscanf(line, "ShdPnd: %llx", &mask) == 1) &&
		    (mask & (1ULL << (9 - 1))))
			fatal = true;
	}
	fclose(f);
	return fatal;
}

/* The sleep of @req ends now, if it still sleeps (only the pointer is
 * compared: a request already replied to may be freed). */
static void wake(fuse_req_t req)
{
	struct sleeper *s;

	pthread_mutex_lock(&throttle_lock);
	for (s = sleepers; s; s = s->next)
		if (s->req == req)
			s->deadline = 0;
	pthread_cond_signal(&throttle_cond);
	pthread_mutex_unlock(&throttle_lock);
}

/* FUSE_INTERRUPT for a sleeping write (another worker thread). */
static void interrupted(fuse_req_t req, void *data)
{
	pid_t pid = (pid_t)(intptr_t)data;

	if (fatal_signal_pending(pid))	/* TASK_KILLABLE: only a fatal one */
		wake(req);
}

void throttle_defer_write(void *req, int err, size_t size, uint64_t delay_ns,
			  struct psi_group *psi)
{
	struct sleeper *s = malloc(sizeof(*s));
	pid_t pid = fuse_req_ctx(req)->pid;

	if (!s) {		/* no memory to sleep on: reply at once */
		end_sleep(req, err, size, psi);
		return;
	}
	*s = (struct sleeper){ .req = req, .err = err, .size = size,
			       .deadline = ktime_get_ns() + delay_ns, .psi = psi };
	/* Before the timer can reply (and free req). */
	fuse_req_interrupt_func(req, interrupted, (void *)(intptr_t)pid);
	pthread_mutex_lock(&throttle_lock);
	insert(s);
	pthread_cond_signal(&throttle_cond);
	pthread_mutex_unlock(&throttle_lock);
	/* A SIGKILL that came while the write was served (the OOM killer
	 * chose the writer, or a kill whose interrupt beat the insert)
	 * found no sleeper: schedule_timeout_killable() would not sleep. */
	if (fatal_signal_pending(pid))
		wake(req);
}

static void *timer_fn(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&throttle_lock);
	for (;;) {
		struct sleeper *s = sleepers;
		uint64_t now = ktime_get_ns();

		if (s && (stopping || s->deadline <= now)) {
			sleepers = s->next;
			pthread_mutex_unlock(&throttle_lock);
			/* No lock held across a reply. */
			end_sleep(s->req, s->err, s->size, s->psi);
			free(s);
			pthread_mutex_lock(&throttle_lock);
			continue;
		}
		if (stopping)
			break;
		if (!s) {
			pthread_cond_wait(&throttle_cond, &throttle_lock);
		} else {
			struct timespec until = ns_to_timespec(s->deadline);

			pthread_cond_timedwait(&throttle_cond, &throttle_lock,
					       &until);
		}
	}
	pthread_mutex_unlock(&throttle_lock);
	return NULL;
}

int throttle_start(void)
{
	pthread_condattr_t attr;
	int ret;

	/* Deadlines are monotonic: a clock step must not wake or strand. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&throttle_cond, &attr);
	pthread_condattr_destroy(&attr);
	stopping = false;
	ret = pthread_create(&timer, NULL, timer_fn, NULL);
	return -ret;
}

void throttle_stop(void)
{
	pthread_mutex_lock(&throttle_lock);
	stopping = true;
	pthread_cond_signal(&throttle_cond);
	pthread_mutex_unlock(&throttle_lock);
	pthread_join(timer, NULL);
}
