/*
 * pressure_files.c - cgroup.pressure and the {cpu,io,irq,memory}.pressure
 * files (kernel/cgroup/cgroup.c cgroup_psi_files[], psi_show(),
 * pressure_write(), cgroup_pressure_write() of 6.12; irq.pressure as
 * with CONFIG_IRQ_TIME_ACCOUNTING, which has only "full").
 *
 * Memory pressure moves (core/psi.c); cpu, io and irq stay at zero,
 * since nothing in memcgfs waits for a CPU, a disk or an interrupt, and
 * their triggers are accepted and never fire.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/psi.h"
#include "fs.h"
#include "fsnotify.h"
#include "notify.h"
#include "parse.h"

/* A file hidden by cgroup.pressure=0 is inactive: its open fds see
 * ENODEV until it is shown again (kernfs_show). */
static int psi_show_res(struct of *of, struct strbuf *sb, enum psi_res res)
{
	if (!psi_group_enabled(of->cg->psi))
		return of_fail(of, -ENODEV, "cgroup.pressure is 0");
	psi_show(of->cg->psi, res, sb);
	return 0;
}

/* The trigger fired (under psi_lock): wake this fd's poller, and raise
 * IN_MODIFY on its file as psi.c's kernfs_notify(t->of->kn) does; the
 * path was taken at creation, as cgroup_mutex cannot be taken here. */
static void trigger_fired(void *arg)
{
	struct of *of = arg;
	char *path = of->psi_path ? strdup(of->psi_path) : NULL;

	notify_poll_wake(of);
	if (path)
		fsnotify_modify(of->psi_key, path);
}

/* pressure_write(): one trigger per fd, checked before parsing. */
static int psi_write_res(struct of *of, char *buf, enum psi_res res)
{
	const char *why = NULL;
	int ret;

	if (!psi_group_enabled(of->cg->psi))
		return of_fail(of, -ENODEV, "cgroup.pressure is 0");
	if (of->psi_trigger)
		return of_fail(of, -EBUSY, "this fd already has a trigger");
	free(of->psi_path);	/* a failed write may have set it */
	of->psi_path = notify_file_path(of->cg, of->cft, &of->psi_key);
	/* CAP_SYS_RESOURCE of the opener (f_cred): root. */
	ret = psi_trigger_create(of->cg->psi, res, buf, of->cred.uid == 0,
				 trigger_fired, of, &of->psi_trigger, &why);
	return ret ? of_fail(of, ret, why) : 0;
}

/* The resource of a {cpu,io,irq,memory}.pressure file: its name's
 * prefix, as psi_res_names[] spells it. */
static enum psi_res pressure_res(const struct of *of)
{
	const char *dot = strchr(of->cft->name, '.');
	int res;

	for (res = 0; res < NR_PSI_RESOURCES; res++)
		if (!strncmp(of->cft->name, psi_res_names[res],
			     (size_t)(dot - of->cft->name)) &&
		    !psi_res_names[res][dot - of->cft->name])
			break;
	return (enum psi_res)res;
}

int pressure_show(struct of *of, struct strbuf *sb)
{
	return psi_show_res(of, sb, pressure_res(of));
}

int pressure_write(struct of *of, char *buf)
{
	return psi_write_res(of, buf, pressure_res(of));
}

void pressure_release(struct of *of)
{
	psi_trigger_destroy(of->psi_trigger);
	of->psi_trigger = NULL;
	free(of->psi_path);
	of->psi_path = NULL;
}

bool pressure_poll_pending(struct of *of)
{
	return psi_trigger_poll(of->psi_trigger);
}

int cgroup_pressure_show(struct of *of, struct strbuf *sb)
{
	sb_printf(sb, "%d\n", psi_group_enabled(of->cg->psi));
	return 0;
}

/* Show or hide this group's pressure files; the kernel's dentries of
 * them go before the writer sees success. */
int cgroup_pressure_write(struct of *of, char *buf)
{
	int enable, ret = kstrtoint(strstrip(buf), 0, &enable);

	if (ret)
		return of_fail(of, ret, "not an integer");
	if (enable < 0 || enable > 1)
		return of_fail(of, -ERANGE, "0 or 1");
	if (psi_group_enabled(of->cg->psi) == (bool)enable)
		return 0;
	psi_group_set_enabled(of->cg->psi, enable);
	of->notify_ticket = notify_inval_pressure_files(of->cg);
	return 0;
}
