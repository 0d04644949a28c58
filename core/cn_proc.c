/*
 * cn_proc.c - follow forks through the process events connector
 * (drivers/connector/cn_proc.c, NETLINK_CONNECTOR / CN_IDX_PROC).
 *
 * In the kernel a child starts in its parent's cgroup (cgroup_post_fork).
 * memcgfs learns of forks only afterwards: the connector multicasts
 * PROC_EVENT_FORK to a listener with CAP_NET_ADMIN in the initial user,
 * pid and network namespaces, and this thread moves each child of a
 * member into its parent's group (task_fork()).  Until then the child is
 * in the root group: that window is measured in docs/clients.md.
 * Exits need no connector: every member has a pidfd (task.c).
 *
 * Where the connector cannot be had, sim.log says so and children stay
 * where memcgfs has always put processes it was not told about: the root.
 */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cn_proc.h"
#include "sim_log.h"
#include "task.h"

/* Nice value of the listening thread. */
#define CN_PROC_NICE (-10)

static int nl_fd = -1, stop_fd = -1;
static pthread_t listener;
static bool listening;

/* PROC_CN_MCAST_LISTEN / _IGNORE, as a connector message to the kernel. */
static int mcast_ctl(enum proc_cn_mcast_op op)
{
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;

	memset(&msg, 0, sizeof(msg));
	msg.nl.nlmsg_len = sizeof(msg);
	msg.nl.nlmsg_type = NLMSG_DONE;
	msg.nl.nlmsg_pid = (unsigned int)getpid();
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(op);
	msg.op = op;
	return send(nl_fd, &msg, sizeof(msg), 0) == (ssize_t)sizeof(msg)
	       ? 0 : -errno;
}

/* One PROC_EVENT_FORK of a new process (not a thread). */
static void on_fork(pid_t parent_tgid, pid_t child_tgid)
{
	bool followed;

	/* Most forks on a machine are nobody's business: look first. */
	pthread_rwlock_rdlock(&cgroup_mutex);
	followed = task_followed(parent_tgid);
	pthread_rwlock_unlock(&cgroup_mutex);
	if (!followed)
		return;
	pthread_rwlock_wrlock(&cgroup_mutex);
	task_fork(parent_tgid, child_tgid);
	pthread_rwlock_unlock(&cgroup_mutex);
}

static void handle(const char *buf, ssize_t len)
{
	const struct nlmsghdr *nl;

	for (nl = (const void *)buf; NLMSG_OK(nl, (size_t)len);
	     nl = NLMSG_NEXT(nl, len)) {
		const struct cn_msg *cn = NLMSG_DATA(nl);
		struct proc_event ev;

		if (nl->nlmsg_type != NLMSG_DONE || cn->id.idx != CN_IDX_PROC ||
		    cn->len < offsetof(struct proc_event, event_data) +
			      sizeof(ev.event_data.fork))
			continue;
		/* The event follows a 20-byte cn_msg: copy it out, aligned. */
		memcpy(&ev, cn->data, sizeof(ev) < cn->len ? sizeof(ev) : cn->len);
		if (ev.what == PROC_EVENT_FORK &&
		    ev.event_data.fork.child_pid == ev.event_data.fork.child_tgid)
			on_fork(ev.event_data.fork.parent_tgid,
				ev.event_data.fork.child_tgid);
	}
}

static void *listener_fn(void *arg)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct pollfd p[2] = {
		{ .fd = nl_fd, .events = POLLIN },
		{ .fd = stop_fd, .events = POLLIN },
	};
	bool overrun_logged = false;

	(void)arg;
	/* The adoption window is this thread's wake-up latency: run ahead
	 * of ordinary work when allowed (root has CAP_SYS_NICE). */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), CN_PROC_NICE);
	for (;;) {
		ssize_t len;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		len = recv(nl_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0 && errno == ENOBUFS && !overrun_logged) {
			/* The socket overflowed: some forks went unseen. */
			sim_log("cn_proc: fork events were lost (ENOBUFS); "
				"children forked meanwhile may be in the root");
			overrun_logged = true;
		}
		if (len > 0)
			handle(buf, len);
	}
	return NULL;
}

static int cn_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = CN_IDX_PROC,
				  .nl_pid = 0 };
	int rcvbuf = 4 << 20;

	nl_fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		       NETLINK_CONNECTOR);
	if (nl_fd < 0)
		return -errno;
	/* Fork storms come in bursts: room for ~100k events. */
	setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	return mcast_ctl(PROC_CN_MCAST_LISTEN);
}

int cn_proc_start(void)
{
	int err = cn_open();

	if (!err && (stop_fd = eventfd(0, EFD_CLOEXEC)) < 0)
		err = -errno;
	if (!err && pthread_create(&listener, NULL, listener_fn, NULL))
		err = -EAGAIN;
	if (err) {
		sim_log("cn_proc: not following forks: the process events "
			"connector is unavailable (%s; it needs CAP_NET_ADMIN "
			"in the initial namespaces). A member's children stay "
			"in the root until written to a cgroup.procs",
			strerror(-err));
		if (nl_fd >= 0)
			close(nl_fd);
		if (stop_fd >= 0)
			close(stop_fd);
		nl_fd = stop_fd = -1;
		return err;
	}
	listening = true;
	return 0;
}

void cn_proc_stop(void)
{
	uint64_t one = 1;

	if (!listening)
		return;
	if (write(stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(listener, NULL);
	mcast_ctl(PROC_CN_MCAST_IGNORE);
	close(nl_fd);
	close(stop_fd);
	nl_fd = stop_fd = -1;
	listening = false;
}

bool cn_proc_following(void)
{
	return listening;
}
