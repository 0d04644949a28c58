/*
 * misc_files.c - the misc controller's files (kernel/cgroup/misc.c,
 * Linux 6.12: misc_cg_max_write()).  The emulated machine has no misc
 * resource with a capacity (AMD SEV/SEV-ES), so every file lists
 * nothing and a write of a known resource is EINVAL.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "parse.h"

static const char *const misc_res_name[] = { "sev", "sev_es" };

int misc_max_write(struct of *of, char *buf)
{
	char *token;
	unsigned long long max;
	unsigned int i;
	int ret;

	buf = strstrip(buf);
	token = strsep(&buf, " ");
	if (!token || !buf)
		return of_fail(of, -EINVAL, "expected RESOURCE max|N");
	for (i = 0; i < 2; i++)
		if (!strcmp(misc_res_name[i], token))
			break;
	if (i == 2)
		return of_fail(of, -EINVAL, "no such misc resource");
	if (strcmp(buf, "max")) {
		ret = kstrtoull(buf, 0, &max);
		if (ret)
			return of_fail(of, ret, "not a number");
	}
	return of_fail(of, -EINVAL, "the resource has no capacity here");
}
