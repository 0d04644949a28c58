#!/usr/bin/env bats
# Nothing lost when the process a charge is made for dies during it
# (issue #12): OOM-killed by that very charge, killed by cgroup.kill, or
# exiting.  Every test here has the WRITER as the victim; after each the
# group is empty, sim.check says ok 1 (teardown), and nothing is left
# allocated when the daemon exits.
load helper

# The writer's pid ($BASHPID of `sh -c`) joins $1 and runs the sim.ctl
# commands "$2", "$3", ... in turn; its exit status is in $status.
writer_in() {
	local g=$1 script="echo 0 > '$MNT/$1/cgroup.procs'" cmd
	shift
	for cmd in "$@"; do
		script+=" && echo '$cmd' > '$MNT/$g/sim.ctl'"
	done
	run sh -c "$script"
}

# A member of $1 owning $2 of anon, sleeping (the selftests'
# alloc_anon_noexit); its pid in LAST_PID once its charge is in.
member_with_anon() {
	local flag="$MNT.m$RANDOM"
	spawn sh -c "echo 0 > '$MNT/$1/cgroup.procs' && echo 'anon $2' > '$MNT/$1/sim.ctl' && touch '$flag' && exec sleep 600"
	wait_until "[ -e '$flag' ]"
}

# Group $1 has no member left (the exit watcher has run).
emptied() {
	wait_until "[ -z \"\$(cat '$MNT/$1/cgroup.procs')\" ]"
}

# Unmount now and require that the daemon freed every object it made.
unmount_clean() {
	local log=$DAEMON_LOG
	# (In an || list: its kills of members already dead must not stop it.)
	unmount_memcgfs || return 1
	if grep -q 'objects still allocated' "$log"; then
		echo "objects left at unmount:" >&2
		cat "$log" >&2
		return 1
	fi
}

sim_ok() {
	[ "$(tail -n 1 "$MNT/sim.check")" = "ok 1" ] || {
		cat "$MNT/sim.check" >&2
		return 1
	}
}

@test "lost: a writer OOM-killed by its own anon charge leaves nothing charged (30M, 29M + 2M)" {
	mkgroups L
	echo 30M >"$MNT/L/memory.max"
	echo 0 >"$MNT/L/memory.swap.max"
	writer_in L "anon 29M" "anon 2M"
	[ "$status" -eq 137 ]
	emptied L
	[ "$(current_of L)" = 0 ]
	[ "$(stat_of oom_kill "$MNT/L/memory.events")" = 1 ]
	sim_ok
	rmdir "$MNT/L"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

@test "lost: 64M and two 40M writes: the second OOM-kills the writer, all 40M come back" {
	mkgroups L
	echo 64M >"$MNT/L/memory.max"
	echo 0 >"$MNT/L/memory.swap.max"
	writer_in L "anon 40M" "anon 40M"
	[ "$status" -eq 137 ]
	emptied L
	[ "$(current_of L)" = 0 ]
	sim_ok
	rmdir "$MNT/L"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# The root's usage, stocks drained (sim.check's recount).
root_usage() {
	echo drain >"$MNT/sim.ctl"
	stat_of root_usage "$MNT/sim.check"
}

@test "lost: the README's first session, whose second anon OOM-kills the shell itself" {
	mkgroups a/b
	echo +memory >"$MNT/a/cgroup.subtree_control"
	echo 100M >"$MNT/a/memory.max"
	local base
	base=$(root_usage)
	writer_in a/b "anon 50M" "anon 80M"
	[ "$status" -eq 137 ]
	emptied a/b
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 0 ]
	[ "$(root_usage)" = "$base" ]
	sim_ok
	rmdir "$MNT/a/b" "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# test_memcg_max / test_memcg_oom_events (tools/testing/selftests/cgroup/
# test_memcontrol.c, 6.12): the process charging 100M under 30M with no
# swap is the member, and is killed: one oom, one oom_kill, procs empty.
# The allocator touches its 100M in two steps, as alloc_anon's loop does
# page by page: the kill lands with 10M already owned.
@test "lost: selftest shape test_memcg_max / oom_events: the 100M allocator is the victim" {
	mkgroups memcg_test_0
	local g=memcg_test_0 base
	echo 30M >"$MNT/$g/memory.max"
	echo 0 >"$MNT/$g/memory.swap.max"
	base=$(root_usage)
	writer_in $g "anon 10M" "anon 100M"
	[ "$status" -eq 137 ]
	emptied $g
	[ "$(stat_of oom "$MNT/$g/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/$g/memory.events")" = 1 ]
	[ "$(stat_of max "$MNT/$g/memory.events")" -gt 0 ]
	[ "$(current_of $g)" = 0 ]
	[ "$(root_usage)" = "$base" ]
	sim_ok
	rmdir "$MNT/$g"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# test_memcg_oom_group_leaf_events: 60M in the parent's subtree (in a
# sibling leaf k: cgroup v2 keeps processes out of a group that enables
# memory for its children), two 1M members in the oom.group child c, and
# c's 100M allocator kills them all; k's process lives.
@test "lost: selftest shape oom_group_leaf_events: the allocator and its group go, the parent's stays" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c" "$MNT/p/k"
	echo 50M >"$MNT/p/c/memory.max"
	echo 0 >"$MNT/p/c/memory.swap.max"
	echo 1 >"$MNT/p/c/memory.oom.group"
	member_with_anon p/k 60M
	local keeper=$LAST_PID base
	member_with_anon p/c 1M
	member_with_anon p/c 1M
	base=$(root_usage)
	writer_in p/c "anon 10M" "anon 100M"
	[ "$status" -eq 137 ]
	emptied p/c
	[ "$(stat_of oom_kill "$MNT/p/c/memory.events")" = 3 ]
	[ "$(stat_of oom_group_kill "$MNT/p/c/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/p/memory.events")" = 3 ]
	kill -0 "$keeper"
	[ "$(current_of p/c)" = 0 ]
	[ "$(stat_of anon "$MNT/p/memory.stat")" = 62914560 ]
	# The two 1M members went too: 2M less than before the allocator.
	[ "$(root_usage)" = "$((base - 2097152))" ]
	kill "$keeper"
	sim_ok
	emptied p/k
	rmdir "$MNT/p/c" "$MNT/p/k" "$MNT/p"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# test_memcg_oom_group_parent_events: oom.group on the parent with the
# limit; the child's allocator brings down every process of the subtree
# (the parent's 60M in the sibling leaf k, as above).
@test "lost: selftest shape oom_group_parent_events: the allocator's whole oom.group subtree goes" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c" "$MNT/p/k"
	echo 80M >"$MNT/p/memory.max"
	echo 0 >"$MNT/p/memory.swap.max"
	echo 1 >"$MNT/p/memory.oom.group"
	member_with_anon p/k 60M
	member_with_anon p/c 1M
	member_with_anon p/c 1M
	writer_in p/c "anon 10M" "anon 100M"
	[ "$status" -eq 137 ]
	emptied p/c
	emptied p/k
	[ "$(stat_of oom_kill "$MNT/p/memory.events")" = 4 ]
	[ "$(stat_of oom_group_kill "$MNT/p/memory.events")" = 1 ]
	[ "$(current_of p)" = "$(stat_of kernel "$MNT/p/memory.stat")" ]
	[ "$(stat_of anon "$MNT/p/memory.stat")" = 0 ]
	sim_ok
	rmdir "$MNT/p/c" "$MNT/p/k" "$MNT/p"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# --- a removed group that still maps a file (issue #12, hardening list) ---
# Mappings belong to the process that wrote "map": they end with its
# "unmap" (from the group or any ancestor) or at its exit.

@test "lost: a removed group's mapping ends when the mapping process exits" {
	mkgroups z
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "write data/m 4K" >"$MNT/z/sim.ctl"
	local flag="$MNT.mapped"
	spawn sh -c "echo 'map data/m' > '$MNT/z/sim.ctl' && touch '$flag' && exec sleep 600"
	local mapper=$LAST_PID
	wait_until "[ -e '$flag' ]"
	rmdir "$MNT/z"
	echo "unlink data/m" >"$MNT/sim.ctl"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	# The pin is named: the process and the file it maps.
	grep -qx "map_owner $mapper data/m (deleted)" "$MNT/sim.zombies"
	[ "$(stat_of unexplained_refs "$MNT/sim.zombies")" = 0 ]
	write_fails EBUSY "umount data" "$MNT/sim.ctl"
	kill "$mapper"
	wait_until "[ \"\$(stat_of nr_dying_descendants '$MNT/cgroup.stat')\" = 0 ]"
	echo "umount data" >"$MNT/sim.ctl"
	sim_ok
	unmount_clean
}

@test "lost: the issue's sequence: the writer ends z's mapping from the root after rmdir and unlink" {
	mkgroups z
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "write data/m 4K" >"$MNT/z/sim.ctl"
	echo "map data/m" >"$MNT/z/sim.ctl"
	rmdir "$MNT/z"
	echo "unlink data/m" >"$MNT/sim.ctl"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	[ "$(stat_of unexplained_refs "$MNT/sim.zombies")" = 0 ]
	echo "unmap data/m" >"$MNT/sim.ctl"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	echo "umount data" >"$MNT/sim.ctl"
	sim_ok
	unmount_clean
}

@test "lost: unmap takes the writer's own mappings, in the group or below, nobody else's" {
	mkgroups a a/b
	echo +memory >"$MNT/a/cgroup.subtree_control"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "write data/f 8K" >"$MNT/a/sim.ctl"
	local flag="$MNT.mapped"
	spawn sh -c "echo 'map data/f' > '$MNT/a/b/sim.ctl' && touch '$flag' && exec sleep 600"
	wait_until "[ -e '$flag' ]"
	# Another process's mapping is not the writer's to end.
	write_fails EINVAL "unmap data/f" "$MNT/a/b/sim.ctl"
	write_fails EINVAL "unmap data/f" "$MNT/a/sim.ctl"
	write_fails ENOENT "unmap data/none" "$MNT/a/sim.ctl"
	echo "map data/f" >"$MNT/a/b/sim.ctl"
	[ "$(stat_of file_mapped "$MNT/a/memory.stat")" = 8192 ]
	# From the ancestor a: the writer's mapping made in a/b.
	echo "unmap data/f" >"$MNT/a/sim.ctl"
	write_fails EINVAL "unmap data/f" "$MNT/a/sim.ctl"
	# The other process still maps it; its exit ends that too.
	[ "$(stat_of file_mapped "$MNT/a/memory.stat")" = 8192 ]
	kill "$LAST_PID"
	wait_until "[ \"\$(stat_of file_mapped '$MNT/a/memory.stat')\" = 0 ]"
	echo "umount data" >"$MNT/sim.ctl"
}

# --- signals go through the pidfds the daemon holds ---

@test "lost: the OOM killer, cgroup.kill and the freezer signal through pidfds, never by pid" {
	command -v strace >/dev/null || skip "strace is not installed"
	unmount_memcgfs
	local real=$MEMCGFS_BIN trace="$MEMCGFS_TMP/signals.$RANDOM"
	MEMCGFS_BIN="$MEMCGFS_TMP/traced.$RANDOM"
	# (LeakSanitizer cannot run under ptrace: off for this daemon.)
	printf '#!/bin/sh\nexport ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"\nexec strace -f -qq -o %s -e trace=kill,tgkill,tkill,pidfd_send_signal %s "$@"\n' \
		"$trace" "$real" >"$MEMCGFS_BIN"
	chmod +x "$MEMCGFS_BIN"
	mount_memcgfs
	MEMCGFS_BIN=$real
	mkgroups f k o
	member_with_anon f 1M
	echo 1 >"$MNT/f/cgroup.freeze"
	echo 0 >"$MNT/f/cgroup.freeze"
	member_with_anon k 1M
	echo 1 >"$MNT/k/cgroup.kill"
	emptied k
	echo 30M >"$MNT/o/memory.max"
	echo 0 >"$MNT/o/memory.swap.max"
	writer_in o "anon 10M" "anon 40M"
	[ "$status" -eq 137 ]
	emptied o
	unmount_clean
	grep -q 'pidfd_send_signal(.*SIGSTOP' "$trace"
	grep -q 'pidfd_send_signal(.*SIGCONT' "$trace"
	[ "$(grep -c 'pidfd_send_signal(.*SIGKILL' "$trace")" -ge 2 ]
	# glibc signals its own threads with SIGRTMIN (pthread_cancel) and
	# SIGRT_1 (setxid): within the daemon, never a victim.
	if grep -E '(^|[^_])(kill|tgkill|tkill)\(' "$trace" | grep -Ev 'SIGRTMIN|SIGRT_1'; then
		echo "signals sent by pid" >&2
		return 1
	fi
}

# --- the multi-step commands, each failing in the middle ---

@test "lost audit: anon refused at a middle chunk frees exactly what that command added" {
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	echo 0 >"$MNT/a/memory.swap.max"
	# The writer is no member of a: nobody to OOM-kill, the charge fails
	# after 4M + 6M of 32-page chunks went in.
	echo "anon 4M" >"$MNT/a/sim.ctl"
	write_fails ENOMEM "anon 8M" "$MNT/a/sim.ctl"
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 4194304 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 0 ]
	echo "free anon 4M" >"$MNT/a/sim.ctl"
	[ "$(current_of a)" = 0 ]
}

@test "lost audit: a swap-in (touch anon) that OOM-kills its own writer in the middle leaves nothing" {
	remount -o swap=64M
	mkgroups a
	echo 16M >"$MNT/a/memory.max"
	# 24M under 16M: 8M goes to swap.  Then no new swap (and the swap
	# "full", so swap-ins keep no entry) and 2M more room: the first 512
	# swap-ins fit, the next one OOM-kills the writer.
	run sh -c "echo 0 > '$MNT/a/cgroup.procs' && echo 'anon 24M' > '$MNT/a/sim.ctl' &&
		echo 0 > '$MNT/a/memory.swap.max' &&
		echo 18M > '$MNT/a/memory.max' &&
		echo 'touch anon 24M' > '$MNT/a/sim.ctl'"
	[ "$status" -eq 137 ]
	emptied a
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of pswpin "$MNT/a/memory.stat")" = 512 ]
	[ "$(current_of a)" = 0 ]
	[ "$(cat "$MNT/a/memory.swap.current")" = 0 ]
	sim_ok
	unmount_clean
}

@test "lost audit: a tmpfs write that OOM-kills its own writer mid-file writes nothing" {
	mkgroups a
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo 20M >"$MNT/a/memory.max"
	echo 0 >"$MNT/a/memory.swap.max"
	writer_in a "anon 10M" "write shm/f 16M"
	[ "$status" -eq 137 ]
	emptied a
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 0 ]
	write_fails ENOENT "read shm/f" "$MNT/sim.ctl"
	# Only the file system's own objects are left: no anon, no pages.
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 0 ]
	[ "$(user_current_of a)" = 0 ]
	echo "umount shm" >"$MNT/sim.ctl"
	sim_ok
	unmount_clean
}

@test "lost audit: slab and lookup loops that OOM-kill their writer at the Nth object keep none" {
	mkgroups a
	echo "mount data disk" >"$MNT/sim.ctl"
	echo 12M >"$MNT/a/memory.max"
	echo 0 >"$MNT/a/memory.swap.max"
	# (A CPU's object stock may keep bytes and stat deltas of the objects
	# freed: drained before reading, as current_of does.)
	writer_in a "anon 10M" "slab dentry 100000"
	[ "$status" -eq 137 ]
	emptied a
	[ "$(current_of a)" = 0 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
	writer_in a "anon 10M" "lookup data 100000"
	[ "$status" -eq 137 ]
	emptied a
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 2 ]
	[ "$(current_of a)" = 0 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
	echo "umount data" >"$MNT/sim.ctl"
	sim_ok
	unmount_clean
}

@test "lost audit: cgroup.kill racing a writer's charges and frees leaves nothing owned" {
	mkgroups a
	echo 0 >"$MNT/a/memory.swap.max"
	spawn sh -c "echo 0 > '$MNT/a/cgroup.procs' && while :; do
		echo 'anon 3M' > '$MNT/a/sim.ctl'; echo 'kstack 4' > '$MNT/a/sim.ctl'
		echo 'free anon 1M' > '$MNT/a/sim.ctl'; done"
	wait_until "[ \"\$(stat_of anon '$MNT/a/memory.stat')\" -gt 20000000 ]"
	echo 1 >"$MNT/a/cgroup.kill"
	emptied a
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of kernel_stack "$MNT/a/memory.stat")" = 0 ]
	[ "$(current_of a)" = 0 ]
	sim_ok
	rmdir "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

@test "lost audit: writers exiting right after their charges (50 at once) are all released" {
	mkgroups a
	local i pids=()
	for i in $(seq 50); do
		sh -c "echo 'anon 1M' > '$MNT/a/sim.ctl'; echo 'kstack 1' > '$MNT/a/sim.ctl'" &
		pids+=($!)
	done
	wait "${pids[@]}"
	wait_until "[ \"\$(current_of a)\" = 0 ]"
	[ "$(stat_of kernel_stack "$MNT/a/memory.stat")" = 0 ]
	sim_ok
	unmount_clean
}

@test "lost audit: a writer that moved groups is OOM-killed in the second: both groups' charges go" {
	mkgroups a b
	echo 20M >"$MNT/b/memory.max"
	echo 0 >"$MNT/b/memory.swap.max"
	run sh -c "echo 0 > '$MNT/a/cgroup.procs' && echo 'anon 5M' > '$MNT/a/sim.ctl' &&
		echo 'kstack 8' > '$MNT/a/sim.ctl' && echo 0 > '$MNT/b/cgroup.procs' &&
		echo 'anon 8M' > '$MNT/b/sim.ctl' && echo 'anon 16M' > '$MNT/b/sim.ctl'"
	[ "$status" -eq 137 ]
	emptied b
	[ "$(stat_of oom_kill "$MNT/b/memory.events")" = 1 ]
	[ "$(current_of a)" = 0 ]
	[ "$(current_of b)" = 0 ]
	sim_ok
	rmdir "$MNT/a" "$MNT/b"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	unmount_clean
}

# Offline and policy switches while a dying group is pinned by a writer's
# anon: the writer's OOM kill elsewhere releases it under every pages=.
@test "lost audit: a removed group pinned by anon goes when its owner is OOM-killed, under each pages= policy" {
	local p
	for p in pin reparent reparent-walk recharge deferred evict; do
		mkgroups a b
		echo 20M >"$MNT/b/memory.max"
		echo 0 >"$MNT/b/memory.swap.max"
		echo "pages=$p" >"$MNT/sim.policy"
		run sh -c "echo 0 > '$MNT/a/cgroup.procs' && echo 'anon 5M' > '$MNT/a/sim.ctl' &&
			echo 0 > '$MNT/b/cgroup.procs' && rmdir '$MNT/a' &&
			echo pages=pin > '$MNT/sim.policy' &&
			echo 'anon 8M' > '$MNT/b/sim.ctl' && echo 'anon 16M' > '$MNT/b/sim.ctl'"
		[ "$status" -eq 137 ]
		emptied b
		rmdir "$MNT/b"
		wait_until "[ \"\$(stat_of nr_dying_descendants '$MNT/cgroup.stat')\" = 0 ]"
		sim_ok
	done
	unmount_clean
}
