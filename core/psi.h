/*
 * psi.h - pressure stall information for memory (kernel/sched/psi.c).
 *
 * One psi_group per cgroup; the root's is the system's (psi_system).
 * memcgfs has no scheduler: a "task" is a writer inside one write(2) to
 * the mount, non-idle in the group it wrote to and every ancestor, and
 * it is stalled on memory while it reclaims, sleeps a memory.high
 * penalty, waits on an OOM kill, swaps in or refaults a workingset page
 * (psi_memstall_enter/leave, as the kernel brackets the same waits).
 * The states are the kernel's with one CPU: SOME while any non-idle
 * task of the subtree is stalled, FULL while every non-idle one is.
 *
 * Locking: psi_lock (inside psi.c) is innermost; every function here may
 * be called with or without cgroup_mutex.  A psi_group is refcounted on
 * its own, so a writer's stall can end after its cgroup went.
 */
#ifndef MEMCGFS_PSI_H
#define MEMCGFS_PSI_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

/* Resources of the pressure files (enum psi_res). */
enum psi_res { PSI_IO, PSI_MEM, PSI_CPU, PSI_IRQ, NR_PSI_RESOURCES };
extern const char *const psi_res_names[NR_PSI_RESOURCES];

/* FIXED_1 fixed point of include/linux/sched/loadavg.h. */
#define PSI_FSHIFT	11
#define PSI_FIXED_1	(1UL << PSI_FSHIFT)
#define PSI_EXP_10s	1677UL
#define PSI_EXP_60s	1981UL
#define PSI_EXP_300s	2034UL
#define PSI_WINDOW_MAX_US 10000000U
/* psi_period: PSI_FREQ = 2 * HZ + 1 jiffies, HZ = 250 (Debian's). */
#define PSI_HZ		250U
#define PSI_PERIOD_NS	((2ULL * PSI_HZ + 1) * (1000000000ULL / PSI_HZ))

struct psi_group;
struct psi_trigger;

struct psi_group *psi_group_alloc(struct psi_group *parent);
void psi_group_get(struct psi_group *g);
void psi_group_put(struct psi_group *g);
/* cgroup.pressure: shown or hidden pressure files (psi->enabled). */
bool psi_group_enabled(const struct psi_group *g);
void psi_group_set_enabled(struct psi_group *g, bool enabled);

/* A writer enters/leaves @g as a non-idle task (one write(2)). */
void psi_task_enter(struct psi_group *g);
void psi_task_leave(struct psi_group *g);
/* psi_task_enter() on the group in *@slot (a cgroup's ->psi) with a
 * reference for the caller, who leaves and puts it; NULL, and nothing
 * entered, once psi_group_clear() emptied the slot. */
struct psi_group *psi_task_enter_slot(struct psi_group *const *slot);
/* Empty *@slot and drop the reference it held (a removed cgroup's:
 * rmdir frees its pressure, which nothing can read or raise again). */
void psi_group_clear(struct psi_group **slot);
/* The group psi_memstall_*() of the calling thread count in (its
 * current writer's), or NULL after the write's handler ran. */
void psi_set_current(struct psi_group *g);
/* The calling thread's current group (NULL outside a write). */
struct psi_group *psi_current(void);
/* psi_memstall_enter()/leave() for the calling thread's current group
 * (no-ops outside a write); they nest, as PF_MEMSTALL does. */
void psi_memstall_enter(void);
void psi_memstall_leave(void);
/*
 * -o io_latency=USEC: the time one page takes to read back from swap or
 * disk, 0 by default (reads are instant).  A writer that swaps in or
 * refaults a workingset page owes that much more sleep, as a memory stall,
 * slept with its memory.high penalty after every lock is dropped.
 */
extern uint64_t psi_io_latency_ns;
void psi_memstall_read(int64_t nr_pages);
/* What the calling thread's writer owes in such reads; cleared. */
uint64_t psi_take_deferred(void);
/* The same for a stall that another thread ends (a throttle sleep). */
void psi_memstall_enter_group(struct psi_group *g);
void psi_memstall_leave_group(struct psi_group *g);

/* The pressure file of @res: "some ..." and "full ..." (irq: full only;
 * the system's cpu full is zeros), averages brought up to date. */
void psi_show(struct psi_group *g, enum psi_res res, struct strbuf *sb);
/* Stall totals in ns, up to now: [0] some, [1] full (memory). */
void psi_mem_totals(struct psi_group *g, uint64_t out[2]);

/*
 * psi_trigger_create(): parse "some|full THRESHOLD_US WINDOW_US" for
 * @res, with the kernel's checks; @privileged is CAP_SYS_RESOURCE.
 * @notify(@arg) is called (under psi_lock: it must only queue work)
 * when the trigger fires.  Returns 0 and *out, or -EINVAL with *why.
 */
int psi_trigger_create(struct psi_group *g, enum psi_res res,
		       const char *buf, bool privileged,
		       void (*notify)(void *arg), void *arg,
		       struct psi_trigger **out, const char **why);
void psi_trigger_destroy(struct psi_trigger *t);
/* psi_trigger_poll(): true (POLLPRI) once per event, clearing it. */
bool psi_trigger_poll(struct psi_trigger *t);

/* The aggregator thread: averages every PSI_PERIOD_NS while any group
 * is non-idle, triggers every window/10 while any exist. */
int psi_start(void);
void psi_stop(void);

/* Pure fixed-point helpers, exported for the unit tests. */
unsigned long psi_calc_load(unsigned long load, unsigned long exp,
			    unsigned long active);
unsigned long psi_calc_load_n(unsigned long load, unsigned long exp,
			      unsigned long active, unsigned int n);

#endif
