/*
 * rdma_files.c - the rdma controller's files (kernel/cgroup/rdma.c,
 * Linux 6.12: rdmacg_resource_set_max(), parse_resource()).  The
 * emulated machine has no RDMA device: rdma.max and rdma.current list
 * none, and a well-formed write names a device that does not exist.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "parse.h"

int empty_show(struct of *of, struct strbuf *sb)
{
	(void)of;
	(void)sb;
	return 0;
}

/* parse_resource(): hca_handle|hca_object = int >= 0, or a prefix of
 * "max" (match_int() first, then strncmp(value, "max", len)). */
static int parse_resource(char *c)
{
	char *value = c, *name = strsep(&value, "=");
	int v;

	if (!name || !value)
		return -EINVAL;
	if (strcmp(name, "hca_handle") && strcmp(name, "hca_object"))
		return -EINVAL;
	if (*value && !kstrtoint(value, 0, &v))
		return v < 0 ? -EINVAL : 0;
	return strncmp(value, "max", strlen(value)) ? -EINVAL : 0;
}

int rdma_max_write(struct of *of, char *buf)
{
	char *options = strstrip(buf), *c;

	strsep(&options, " ");	/* the device name */
	while ((c = strsep(&options, " ")))
		if (parse_resource(c))
			return of_fail(of, -EINVAL,
				       "expected DEV hca_handle=N|max hca_object=N|max");
	return of_fail(of, -ENODEV, "no RDMA device on this machine");
}
