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

#include <stdbool.h>
#include <sys/types.h>

/* A line about the model itself, which every reader sees. */
__attribute__((format(printf, 1, 2)))
void sim_log(const char *fmt, ...);
/* A line about what user @uid typed: only @uid and the privileged see
 * it (docs/security.md), as users' input is theirs. */
__attribute__((format(printf, 2, 3)))
void sim_log_user(uid_t uid, const char *fmt, ...);
/* The lines @viewer may see; @all: every line (root, mount owner). */
void sim_log_render(struct strbuf *sb, uid_t viewer, bool all);
void sim_log_clear(void);

#endif
