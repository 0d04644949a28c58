/*
 * cn_proc.h - follow forks through the process events connector.
 */
#ifndef MEMCGFS_CN_PROC_H
#define MEMCGFS_CN_PROC_H

#include <stdbool.h>

/* Start listening; -errno (and a sim.log line saying forks are not
 * followed) if the connector is unavailable, e.g. not root. */
int cn_proc_start(void);
void cn_proc_stop(void);
bool cn_proc_following(void);

#endif
