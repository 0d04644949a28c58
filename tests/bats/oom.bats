#!/usr/bin/env bats
# The memcg OOM killer (issue #4, part 5).
load helper

# A member process of group $1 owning $2 of anon, sleeping; its pid in
# LAST_PID once its charge is in.
member_with_anon() {
	local flag="$MNT.m$RANDOM"
	spawn bash -c "echo 0 > '$MNT/$1/cgroup.procs' && echo 'anon $2' > '$MNT/$1/sim.ctl' && touch '$flag' && exec sleep 600"
	wait_until "[ -e '$flag' ]"
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

@test "OOM: 100M of anon under memory.max=30M fails with one oom and one oom_kill of the biggest member" {
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	member_with_anon a 4M
	local small=$LAST_PID
	member_with_anon a 12M
	local big=$LAST_PID
	write_fails ENOMEM "anon 100M" "$MNT/a/sim.ctl"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_group_kill "$MNT/a/memory.events")" = 0 ]
	wait_until "! kill -0 $big 2>/dev/null"
	kill -0 "$small"
	# The victim's anon came back at once (the oom_reaper's work).
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 4194304 ]
	wait_until "[ \"\$(cat '$MNT/a/cgroup.procs')\" = $small ]"
}

@test "OOM: the kill counts on the victim's group and its ancestors; the domain is the group over its limit" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/x" "$MNT/p/y"
	echo 20M >"$MNT/p/memory.max"
	member_with_anon p/x 8M
	local victim=$LAST_PID
	write_fails ENOMEM "anon 16M" "$MNT/p/y/sim.ctl"
	[ "$(stat_of oom "$MNT/p/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/p/x/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/p/x/memory.events.local")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/p/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/p/memory.events.local")" = 0 ]
	[ "$(stat_of oom_kill "$MNT/p/y/memory.events")" = 0 ]
	wait_until "! kill -0 $victim 2>/dev/null"
}

@test "OOM: memory.oom.group kills every member of the group and counts oom_group_kill" {
	mkgroups a
	echo 1 >"$MNT/a/memory.oom.group"
	echo 20M >"$MNT/a/memory.max"
	member_with_anon a 2M
	local p1=$LAST_PID
	member_with_anon a 6M
	local p2=$LAST_PID
	write_fails ENOMEM "anon 30M" "$MNT/a/sim.ctl"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 2 ]
	[ "$(stat_of oom_group_kill "$MNT/a/memory.events")" = 1 ]
	wait_until "! kill -0 $p1 2>/dev/null && ! kill -0 $p2 2>/dev/null"
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 0 ]
}

@test "OOM: memory.max below usage kills members until the group fits; the write succeeds" {
	mkgroups a
	member_with_anon a 8M
	local p1=$LAST_PID
	member_with_anon a 4M
	local p2=$LAST_PID
	echo 6M >"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 6291456 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(current_of a)" = 4194304 ]
	wait_until "! kill -0 $p1 2>/dev/null"
	kill -0 "$p2"
}

@test "OOM: with no member to kill the charge fails with oom and no oom_kill" {
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	write_fails ENOMEM "anon 20M" "$MNT/a/sim.ctl"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 0 ]
}
