/*
 * smp.c - the virtual CPUs' globals; see smp.h.
 */
#include "memcg_stock.h"
#include "smp.h"

unsigned int nr_cpu_ids = 1;
_Thread_local unsigned int this_cpu;

void set_this_cpu(unsigned int cpu)
{
	this_cpu = cpu % nr_cpu_ids;
	this_cpu_stock = &memcg_stock[this_cpu];
}
