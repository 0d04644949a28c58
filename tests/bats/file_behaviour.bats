#!/usr/bin/env bats
# Mechanics common to every cgroupfs file (kernfs), from a real mount:
# Documentation/admin-guide/cgroup-v2.rst
#
# fdread (tests/helpers/fdread.c) does what the shell cannot: seek, pread,
# exact single write(2)s; pollwait (tests/helpers/pollwait.c) waits for
# POLLPRI.  File descriptors 5-7 are held by the test shell where an fd
# must outlive one command (bats owns fd 3).
load helper

FDREAD=${MEMCGFS_HELPERS:-}/fdread
POLLWAIT=${MEMCGFS_HELPERS:-}/pollwait

teardown() {
	exec 5<&- 6<&- 7<&-
	unmount_memcgfs
}

@test "st_size is 0 for every kind of file, also when it has content (§1)" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	local f
	for f in cgroup.procs cgroup.controllers cgroup.subtree_control \
		cgroup.stat memory.stat memory.reclaim memory.pressure \
		a/cgroup.events a/cgroup.kill a/memory.current a/memory.max \
		a/memory.stat a/memory.events a/memory.peak a/memory.numa_stat; do
		[ "$(stat -c %s "$MNT/$f")" = 0 ]
	done
	# ...while reading gives bytes.
	[ "$(cat "$MNT/a/memory.current")" = 8388608 ]
}

@test "reading in 7-byte chunks gives the same bytes as cat (§1)" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	local f whole chunked
	for f in a/memory.stat memory.stat a/memory.events cgroup.stat \
		a/memory.numa_stat a/cgroup.events a/memory.current; do
		whole=$(cat "$MNT/$f"; echo .)
		chunked=$(dd if="$MNT/$f" bs=7 status=none; echo .)
		[ "$whole" = "$chunked" ] || {
			echo "$f differs in 7-byte reads" >&2
			false
		}
	done
	[ "$(dd if="$MNT/a/memory.stat" bs=7 status=none | wc -c)" -gt 1000 ]
}

@test "pread at an offset without an earlier read returns the bytes from there (§1)" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	local f=$MNT/a/memory.stat
	[ "$(dd if="$f" bs=4096 iflag=skip_bytes skip=5 status=none)" = \
		"$(tail -c +6 "$f")" ]
	[ "$(dd if="$f" bs=4096 iflag=skip_bytes skip=5 status=none | head -n 1)" = \
		"8388608" ]
	run "$FDREAD" "$f" pread=5,7
	[ "$status" = 0 ]
	[ "$output" = 8388608 ]
	# past the end: 0 bytes
	run "$FDREAD" "$f" pread=100000,10
	[ "$status" = 0 ]
	[ "$output" = "" ]
}

@test "reads past offset 0 continue one snapshot; a read at offset 0 renders a new one (§1)" {
	mkgroups a
	exec 5<"$MNT/a/memory.stat"
	# "anon 0\n" is exactly the first 7 bytes.
	[ "$("$FDREAD" -F 5 read=7)" = "anon 0" ]
	echo "anon 4M" >"$MNT/a/sim.ctl"
	# The rest comes from the snapshot taken before the charge...
	run "$FDREAD" -F 5 read
	[ "$status" = 0 ]
	[[ "$output" == *$'\ninactive_anon 0\n'* ]]
	[[ "$output" != *4194304* ]]
	# ...and a read at offset 0 on the same fd shows the charge.
	run "$FDREAD" -F 5 seek=0 read
	[ "$status" = 0 ]
	[[ "$output" == $'anon 4194304\n'* ]]
	[[ "$output" == *$'\ninactive_anon 4194304\n'* ]]
	exec 5<&-
}

@test "the same fd: EOF after the snapshot, seek to 0 re-reads the current value (§1)" {
	mkgroups a
	exec 5<"$MNT/a/memory.current"
	[ "$("$FDREAD" -F 5 read)" = 0 ]
	echo "anon 4M" >"$MNT/a/sim.ctl"
	run "$FDREAD" -F 5 read
	[ "$status" = 0 ]
	[ "$output" = "" ]
	[ "$("$FDREAD" -F 5 seek=0 read)" = 4194304 ]
	echo "free anon 4M" >"$MNT/a/sim.ctl"
	[ "$("$FDREAD" -F 5 seek=0 read)" = 0 ]
	exec 5<&-
}

@test "a write of 4097+ bytes is E2BIG and changes nothing; 4096 bytes are parsed (§1)" {
	mkgroups a
	local f=$MNT/a/memory.max pad
	pad=$(printf '%4094s' '')
	[ "${#pad}" = 4094 ]
	run "$FDREAD" -m w "$f" "write=${pad}1M"		# 4096 bytes
	[ "$status" = 0 ]
	[ "$(cat "$f")" = 1048576 ]
	run "$FDREAD" -m w "$f" "write= ${pad}2M"		# 4097 bytes
	[ "$status" = 1 ]
	[ "$output" = "write: E2BIG" ]
	[ "$(cat "$f")" = 1048576 ]
	run "$FDREAD" -m w "$f" "write=$(printf '%10000s' 3M)"
	[ "$output" = "write: E2BIG" ]
	[ "$(cat "$f")" = 1048576 ]
	# what a tool reports: one 5002-byte write(2) from dd
	run bash -c "dd if=<(printf '%5000s' 4M) of='$f' bs=8192 count=1 iflag=fullblock status=none"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Argument list too long"* ]]
	[ "$(cat "$f")" = 1048576 ]
}

@test "O_TRUNC and O_APPEND opens are accepted (§1)" {
	mkgroups a
	echo 1M >"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 1048576 ]
	echo 2M >>"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 2097152 ]
	run "$FDREAD" -a -m w "$MNT/a/memory.max" write=3M
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 3145728 ]
	echo +memory >>"$MNT/a/cgroup.subtree_control"
	[ "$(cat "$MNT/a/cgroup.subtree_control")" = memory ]
}

@test "a trailing NUL is tolerated: the value ends at the first NUL (§1)" {
	mkgroups a
	printf '1M\0' >"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 1048576 ]
	run "$FDREAD" -m w "$MNT/a/memory.max" 'writee=2M\n\0'
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 2097152 ]
	# strstrip() and the parsers stop at the NUL, like the kernel's
	run "$FDREAD" -m w "$MNT/a/memory.max" 'writee=3M\0junk'
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 3145728 ]
	run "$FDREAD" -m w "$MNT/a/memory.oom.group" 'writee=1\0'
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.oom.group")" = 1 ]
}

@test "each write(2) is one command; the offset is ignored; \"1M\\n2M\" is EINVAL (§1)" {
	mkgroups a
	run "$FDREAD" -m w "$MNT/a/memory.max" write=1M write=2M write=3M
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 3145728 ]
	run "$FDREAD" -m w "$MNT/a/memory.max" 'writee=1M\n2M'
	[ "$output" = "write: EINVAL" ]
	[ "$(cat "$MNT/a/memory.max")" = 3145728 ]
}

@test "a zero-length write returns 0 and calls no handler (§1)" {
	mkgroups a
	echo 1M >"$MNT/a/memory.max"
	run "$FDREAD" -m w "$MNT/a/memory.max" write=
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 1048576 ]
	# memory.reclaim would say EINVAL for "\n"; for nothing it is not asked.
	run "$FDREAD" -m w "$MNT/a/memory.reclaim" write=
	[ "$status" = 0 ]
	run "$FDREAD" -m w "$MNT/a/memory.reclaim" 'writee=\n'
	[ "$output" = "write: EINVAL" ]
}

@test "reading a write-only file and writing a read-only one are EINVAL as root (§1)" {
	mkgroups a
	run "$FDREAD" "$MNT/a/memory.reclaim" read
	[ "$output" = "read: EINVAL" ]
	run "$FDREAD" "$MNT/a/cgroup.kill" read
	[ "$output" = "read: EINVAL" ]
	local f
	for f in a/memory.current a/memory.stat a/memory.events a/cgroup.events \
		cgroup.controllers cgroup.stat; do
		run "$FDREAD" -m w "$MNT/$f" write=1
		[ "$output" = "write: EINVAL" ] || { echo "$f: $output" >&2; false; }
	done
	write_fails EINVAL 0 "$MNT/a/memory.current"
}

@test "open fds of a removed group: read and write are ENODEV (§1)" {
	mkgroups a
	exec 5<"$MNT/a/memory.current"
	exec 6>"$MNT/a/memory.max"
	exec 7<"$MNT/a/cgroup.procs"
	[ "$("$FDREAD" -F 5 read)" = 0 ]
	rmdir "$MNT/a"
	[ ! -e "$MNT/a" ]
	run "$FDREAD" -F 5 seek=0 read
	[ "$status" = 1 ]
	[ "$output" = "read: ENODEV" ]
	run "$FDREAD" -F 6 write=1M
	[ "$status" = 1 ]
	[ "$output" = "write: ENODEV" ]
	run "$FDREAD" -F 7 read
	[ "$output" = "read: ENODEV" ]
	run bash -c 'echo 2M >&6'
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such device"* ]]
	run "$FDREAD" -F 5 seek=0 read
	[ "$output" = "read: ENODEV" ]
	exec 5<&- 6>&- 7<&-
	# The name can be reused at once, with fresh files.
	mkdir "$MNT/a"
	[ "$(cat "$MNT/a/memory.max")" = max ]
}

@test "open fds of a removed group: fstat keeps working, so cat reports ENODEV (kernfs)" {
	# The spec (§1) lists read/write/poll only; the kernel's kernfs inode
	# lives until the last close, so fstat(2) of such an fd succeeds, and
	# tools that fstat first (cat, dd) report the read's ENODEV.
	mkgroups a
	exec 5<"$MNT/a/memory.current"
	rmdir "$MNT/a"
	run "$FDREAD" -F 5 fstat
	[ "$status" = 0 ]
	[ "$output" = "size 0 mode 0444" ]
	run "$FDREAD" -F 5 seek=0 read
	[ "$output" = "read: ENODEV" ]
	run "$FDREAD" -F 5 fstat
	[ "$status" = 0 ]
	[ "$output" = "size 0 mode 0444" ]
	run cat <&5
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such device"* ]]
	run cat <&5
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such device"* ]]
	exec 5<&-
}

@test "poll: cgroup.events wakes with POLLPRI|POLLERR when populated flips, until re-read (§3.3)" {
	mkdir "$MNT/a"
	spawn sleep 600
	local pid=$LAST_PID
	run "$POLLWAIT" -s "$MNT/a/cgroup.events" 3000 \
		sh -c "echo $pid >'$MNT/a/cgroup.procs'"
	[ "$status" = 0 ]
	[ "${lines[0]}" = "POLLPRI POLLERR" ]
	[ "${lines[1]}" = "again: POLLPRI POLLERR" ]
	[ "${lines[2]}" = "after read: timeout" ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 1 ]
	# ...and back to 0 when it leaves
	run "$POLLWAIT" "$MNT/a/cgroup.events" 3000 \
		sh -c "echo $pid >'$MNT/cgroup.procs'"
	[ "$status" = 0 ]
	[ "$output" = "POLLPRI POLLERR" ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 0 ]
}

@test "poll: an ancestor's cgroup.events wakes when its populated flips (§3.3)" {
	mkdir -p "$MNT/a/b"
	spawn sleep 600
	run "$POLLWAIT" "$MNT/a/cgroup.events" 3000 \
		sh -c "echo $LAST_PID >'$MNT/a/b/cgroup.procs'"
	[ "$status" = 0 ]
	[ "$output" = "POLLPRI POLLERR" ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 1 ]
}

@test "poll: memory.events and memory.events.local wake on a max event (§3.3)" {
	mkgroups a
	echo 4M >"$MNT/a/memory.max"
	local f
	for f in memory.events memory.events.local; do
		run "$POLLWAIT" "$MNT/a/$f" 3000 \
			sh -c "exec 2>/dev/null; echo 'anon 8M' >'$MNT/a/sim.ctl'"
		[ "$status" = 0 ] || { echo "$f: $output" >&2; false; }
		[ "$output" = "POLLPRI POLLERR" ]
	done
	[ "$(stat_of oom "$MNT/a/memory.events")" = 2 ]
}

@test "poll: a child's event wakes the parent's memory.events, not its .local (§3.3)" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	echo 4M >"$MNT/a/b/memory.max"
	run "$POLLWAIT" "$MNT/a/memory.events" 3000 \
		sh -c "exec 2>/dev/null; echo 'anon 8M' >'$MNT/a/b/sim.ctl'"
	[ "$status" = 0 ]
	[ "$output" = "POLLPRI POLLERR" ]
	run "$POLLWAIT" "$MNT/a/memory.events.local" 300 \
		sh -c "exec 2>/dev/null; echo 'anon 8M' >'$MNT/a/b/sim.ctl'"
	[ "$status" = 1 ]
	[ "$output" = timeout ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 2 ]
	[ "$(stat_of oom "$MNT/a/memory.events.local")" = 0 ]
}

@test "poll: files that never notify time out (§3.3)" {
	mkgroups a
	spawn sleep 600
	local f
	for f in memory.current memory.stat memory.peak; do
		run "$POLLWAIT" "$MNT/a/$f" 300 \
			sh -c "echo 'anon 4K' >'$MNT/a/sim.ctl'"
		[ "$status" = 1 ] || { echo "$f: $output" >&2; false; }
		[ "$output" = timeout ]
	done
	# cgroup.procs: no notification on this file
	run "$POLLWAIT" "$MNT/a/cgroup.procs" 300 \
		sh -c "echo $LAST_PID >'$MNT/a/cgroup.procs'"
	[ "$status" = 1 ]
	[ "$output" = timeout ]
	# memory.events with a charge that raises no event
	run "$POLLWAIT" "$MNT/a/memory.events" 300 \
		sh -c "echo 'anon 4K' >'$MNT/a/sim.ctl'"
	[ "$status" = 1 ]
	[ "$output" = timeout ]
}

@test "poll on an fd of a removed group: POLLPRI|POLLERR at once (§1)" {
	mkgroups a
	exec 5<"$MNT/a/cgroup.events"
	exec 6<"$MNT/a/memory.events"
	[ "$("$FDREAD" -F 5 read)" = $'populated 0\nfrozen 0' ]
	"$FDREAD" -F 6 read >/dev/null
	rmdir "$MNT/a"
	run "$POLLWAIT" -N -F 5 300
	[ "$status" = 0 ]
	[ "$output" = "POLLPRI POLLERR" ]
	run "$POLLWAIT" -N -F 6 300
	[ "$status" = 0 ]
	[ "$output" = "POLLPRI POLLERR" ]
	exec 5<&- 6<&-
}

@test "O_NONBLOCK opens of memory.max and memory.high set the limit (§3)" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	run "$FDREAD" -n -m w "$MNT/a/memory.high" write=4M
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.high")" = 4194304 ]
	run "$FDREAD" -n -m w "$MNT/a/memory.max" write=4M
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 4194304 ]
	[ "$(cat "$MNT/a/memory.current")" = 8388608 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 0 ]
	# The same write without O_NONBLOCK runs the OOM path once.
	echo 4M >"$MNT/a/memory.max"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
}
