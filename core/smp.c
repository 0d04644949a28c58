/*
 * smp.c - the virtual CPUs' globals; see smp.h.
 */
#include "smp.h"

unsigned int nr_cpu_ids = 1;
_Thread_local unsigned int this_cpu;
