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
 * a virtual CPU touches that CPU's state without a lock, and code that
 * reaches into another CPU's state (drain_all_stock) holds cgroup_mutex
 * for writing, which every charging path in the daemon also holds.
 */
#ifndef MEMCGFS_SMP_H
#define MEMCGFS_SMP_H

#define NR_CPUS_MAX 1024

extern unsigned int nr_cpu_ids;
extern _Thread_local unsigned int this_cpu;

static inline unsigned int smp_processor_id(void)
{
	return this_cpu;
}

/* Run the calling thread on virtual CPU @cpu (taken modulo nr_cpu_ids);
 * it also points the thread's cached per-CPU pointers (this_cpu_stock,
 * memcg_stock.h) at that CPU's areas.  Everything that moves a thread
 * to another CPU goes through here. */
void set_this_cpu(unsigned int cpu);

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)

#endif
