/*
 * ctl.h - memcgfs-run's library: the channel to the daemon.
 *
 * Every charge is one write(2) of a sim.ctl command with "in=self" to the
 * root's sim.ctl, kept open on a high fd: the daemon charges the group the
 * writer is a member of at that moment, so moves need no bookkeeping here.
 * Nothing here allocates (it runs inside malloc).
 */
#ifndef MEMCGFS_RUN_CTL_H
#define MEMCGFS_RUN_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The emulated filesystem that mirrors the host's files. */
#define CTL_FS "host"
/* The fd numbers the library keeps its own files at (out of the way of
 * programs that assume small fds). */
#define CTL_FD_BASE 1000

/* Open the channel from $MEMCGFS_RUN_ROOT; false if not under memcgfs-run. */
bool ctl_init(void);
/* Inline: malloc's fast path asks it. */
extern bool ctl_is_ready;
static inline bool ctl_ready(void)
{
	return __builtin_expect(ctl_is_ready, 1);
}
/* The mount as the process sees it, and its device. */
const char *ctl_root(void);
dev_t ctl_root_dev(void);

/* One command: "WORDS... in=self".  Returns 0 or -errno. */
int ctl_cmd(const char *cmd);
/* Build and send "VERB NUMBERSUFFIX [in=self]" without malloc. */
int ctl_cmd_pages(const char *verb, uint64_t n, const char *suffix);
/* The reader's own "0::/PATH\n" (root sim.self) into @buf. */
ssize_t ctl_self_cgroup(char *buf, size_t size);

/* Formatting helpers that never allocate. */
char *ctl_put_str(char *p, char *end, const char *s);
char *ctl_put_u64(char *p, char *end, uint64_t v);

#endif
