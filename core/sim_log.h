/*
 * sim_log.h - why writes failed, in words (root sim.log).
 *
 * A bounded ring of the last SIM_LOG_LINES lines, so a user who types the
 * same bad command forever costs memcgfs a fixed amount of memory.
 */
#ifndef MEMCGFS_SIM_LOG_H
#define MEMCGFS_SIM_LOG_H

#include "strbuf.h"

#define SIM_LOG_LINES 1000

__attribute__((format(printf, 1, 2)))
void sim_log(const char *fmt, ...);
void sim_log_render(struct strbuf *sb);
void sim_log_clear(void);

#endif
