/*
 * smp.c - the virtual CPUs' globals and their ownership; see smp.h.
 */
#include <pthread.h>

#include "smp.h"

unsigned int nr_cpu_ids = 1;
_Thread_local unsigned int this_cpu;

/* Held by the thread running on the CPU (cpu_acquire) or by cpus_stop().
 * Statically initialised: nr_cpu_ids may change between mounts of the
 * unit tests, the mutexes never need to. */
static pthread_mutex_t cpu_lock[NR_CPUS_MAX] = {
	[0 ... NR_CPUS_MAX - 1] = PTHREAD_MUTEX_INITIALIZER
};

void set_this_cpu(unsigned int cpu)
{
	this_cpu = cpu % nr_cpu_ids;
}

void cpu_acquire(unsigned int preferred, bool exact)
{
	unsigned int n = nr_cpu_ids, first = preferred % n;

	for (unsigned int i = 0; !exact && i < n; i++) {
		unsigned int cpu = (first + i) % n;

		if (!pthread_mutex_trylock(&cpu_lock[cpu])) {
			set_this_cpu(cpu);
			return;
		}
	}
	pthread_mutex_lock(&cpu_lock[first]);
	set_this_cpu(first);
}

void cpu_release(void)
{
	pthread_mutex_unlock(&cpu_lock[this_cpu]);
}

void cpus_stop(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		pthread_mutex_lock(&cpu_lock[cpu]);
}

void cpus_start(void)
{
	for (unsigned int cpu = nr_cpu_ids; cpu-- > 0;)
		pthread_mutex_unlock(&cpu_lock[cpu]);
}
