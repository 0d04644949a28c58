#!/usr/bin/env bats
# The daemon's request loop (fs/worker_pool.c, issue 15): one worker per
# CPU waits for requests; spares are woken only when every one of those
# is held, so that a read never waits for a reclaim.

load helper

# Threads of the daemon waiting for a FUSE request, and its workers.
readers() {
	grep -lx fuse_dev_do_read /proc/"$DAEMON_PID"/task/*/wchan | wc -l
}
workers() {
	grep -lx fuse_worker /proc/"$DAEMON_PID"/task/*/comm | wc -l
}

# read_during's "reads N write_ms T max_read_ms M": reads ran beside the
# write.  A read that waited for the write took most of it (0.6-0.9 T
# with -o max_threads=1), and reads issued before the write reached the
# daemon count too, so neither a count alone nor a fixed figure holds on
# a faster machine: the longest read must stay under a third of the
# write, and at least 10 reads must have been served in it.
served_beside() {
	echo "$1" >&2
	echo "$1" | awk '{ exit !($2 >= 10 && $6 * 3 < $4) }'
}

# A daemon on one CPU has one reader: a reclaim holds it.
setup() {
	MEMCGFS_PREFIX="taskset -c 0" mount_memcgfs
	mkgroups a b
	echo 'mount data disk' >"$MNT/sim.ctl"
	echo "write data/big 2G" >"$MNT/b/sim.ctl"
}

@test "a daemon on one CPU keeps one worker waiting for requests" {
	# setup's 2 GiB page cache write may have woken a spare (under a
	# sanitizer it holds the only reader long enough): spares park.
	wait_until '[ "$(readers)" = 1 ]'
	[ "$(workers)" -ge 1 ]
}

@test "a read is served while the only reader reclaims: a spare reads it" {
	# One worker waits in read(2): b's 2 GiB reclaim holds it, and a
	# pool of one would let a read of a's memory.current through only
	# when the reclaim ends (1-2 reads).  The reclaim's LRU scan wakes
	# a spare (cond_resched()'s tick).
	run "$MEMCGFS_HELPERS/read_during" "$MNT/a/memory.current" \
		"$MNT/b/memory.reclaim" 2G
	[ "$status" = 0 ]
	served_beside "$output"
	[ "$(workers)" -ge 2 ]
	# The spare parks again: libfuse's pool left every idle worker in
	# read(2), where the kernel hands requests to the coldest first.
	cat "$MNT/a/memory.current" "$MNT/b/memory.current" >/dev/null
	wait_until '[ "$(readers)" = 1 ]'
}

@test "a read is served while the only reader allocates: the watchdog wakes a spare" {
	# A million slab objects: a loop with no cond_resched(), so only
	# the watchdog sees that no worker has read for a tick while a
	# request waits.
	run "$MEMCGFS_HELPERS/read_during" "$MNT/a/memory.current" \
		"$MNT/b/sim.ctl" "slab kmalloc-64 1000000"
	[ "$status" = 0 ]
	served_beside "$output"
	echo "free slab kmalloc-64 1000000" >"$MNT/b/sim.ctl"
}

@test "reads go on while two reclaims hold a worker each" {
	# The second reclaim waits for the first to give back every CPU,
	# a worker held by a lock wait rather than by a loop.
	echo "write data/big2 2G" >"$MNT/a/sim.ctl"
	echo 2G >"$MNT/a/memory.reclaim" &
	local bg=$!
	run "$MEMCGFS_HELPERS/read_during" "$MNT/memory.current" \
		"$MNT/b/memory.reclaim" 2G
	wait "$bg"
	[ "$status" = 0 ]
	served_beside "$output"
}

@test "SIGTERM ends a daemon with parked spares with status 0" {
	"$MEMCGFS_HELPERS/read_during" "$MNT/a/memory.current" \
		"$MNT/b/memory.reclaim" 2G >/dev/null
	[ "$(workers)" -ge 2 ]
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	DAEMON_PID=
	! mountpoint -q "$MNT"
}
