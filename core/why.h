/*
 * why.h - a failure's reason, beside its errno.
 *
 * A model operation that can fail for a reason its caller should show
 * takes `const char **why` and sets it where the decision is made, so
 * the reply and sim.log say what happened instead of a guess from the
 * errno (fs/ renders *why; it never re-derives it).  NULL: the caller
 * does not want it.  Reasons are string literals: nothing to free.
 */
#ifndef MEMCGFS_WHY_H
#define MEMCGFS_WHY_H

/* Return @err, saying @reason. */
static inline int fail_why(const char **why, int err, const char *reason)
{
	if (why)
		*why = reason;
	return err;
}

#endif
