/*
 * smp.h - virtual CPUs.
 *
 * memcgfs emulates a machine of nr_cpu_ids CPUs (-o cpus=N).  Per-CPU
 * state (the charge stocks, later the per-CPU stat deltas) is indexed by
 * the virtual CPU the current thread runs on: smp_processor_id().  A
 * thread picks its CPU with set_this_cpu(): sim.ctl sets it per command
 * (cpu=K, else one derived from the writer's thread id), benchmarks bind
 * one thread per CPU.
 *
 * The rule that replaces preempt_disable(): only the thread running on
 * a virtual CPU touches that CPU's state without a lock.  A thread that
 * does not hold cgroup_mutex for writing runs on a CPU only while it
 * owns it (cpu_acquire(): one mutex per CPU, held for the whole write);
 * code that reaches into another CPU's state (drain_all_stock, the stat
 * flush, the parks' walks) holds cgroup_mutex for writing or owns every
 * CPU (cpus_stop(), the emulator's stop_machine()).  See core/cgroup.h
 * for where these locks sit in the lock order.
 */
#ifndef MEMCGFS_SMP_H
#define MEMCGFS_SMP_H

#include <stdbool.h>

#define NR_CPUS_MAX 1024

extern unsigned int nr_cpu_ids;
extern _Thread_local unsigned int this_cpu;

static inline unsigned int smp_processor_id(void)
{
	return this_cpu;
}

/* Run the calling thread on virtual CPU @cpu (taken modulo nr_cpu_ids).
 * Per-CPU state is found from smp_processor_id() at each use, as the
 * kernel's this_cpu_ptr() is: nothing here knows its users. */
void set_this_cpu(unsigned int cpu);

/*
 * Own a virtual CPU for the rest of the write, and run on it: @preferred
 * (modulo nr_cpu_ids) if it is free, else any free one (a woken task
 * goes to an idle CPU), else wait for @preferred.  @exact: @preferred
 * or nothing (sim.ctl's cpu=K).  The caller holds cgroup_mutex for
 * reading and no CPU yet.
 */
void cpu_acquire(unsigned int preferred, bool exact);
void cpu_release(void);
/* Own every CPU, in order (stop_machine()): no write that runs on one
 * is under way until cpus_start().  Caller owns none. */
void cpus_stop(void);
void cpus_start(void);

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)

#endif
