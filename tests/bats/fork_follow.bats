#!/usr/bin/env bats
# Forks followed through the process events connector (core/cn_proc.c):
# a member's children join its group as cgroup_post_fork() puts them, and
# cgroup.kill of a forking group ends with the group empty.
load helper

FORKWINDOW=${MEMCGFS_HELPERS:-}/forkwindow

setup() {
	mount_memcgfs
	if grep -q "cn_proc: not following forks" "$MNT/sim.log"; then
		skip "$(grep -o 'cn_proc: .*' "$MNT/sim.log")"
	fi
}

@test "fork: a member's background child is listed in its group" {
	mkgroups g
	local out
	out=$(sh -c "echo 0 > '$MNT/g/cgroup.procs'; sleep 100.301 & sleep 0.2; cat '$MNT/g/cgroup.procs'; kill \$!")
	echo "$out"
	# sh, sleep 100.301 and the cat: three processes, as a kernel lists.
	[ "$(wc -l <<<"$out")" -ge 3 ]
	wait_until "[ -z \"\$(cat '$MNT/g/cgroup.procs')\" ]"
	[ "$(stat_of populated "$MNT/g/cgroup.events")" = 0 ]
}

@test "fork: a child whose parent exited at once still joins the parent's group" {
	mkgroups g
	sh -c "echo 0 > '$MNT/g/cgroup.procs'; (exec sleep 100.302) & exit 0"
	local pid
	wait_until "pid=\$(pgrep -f 'sleep 100.302')"
	SPAWNED+=("$pid")
	wait_until "grep -qx '$pid' '$MNT/g/cgroup.procs'"
	kill "$pid"
}

@test "fork: the adoption window (forkwindow) is under 100 ms at the 90th percentile" {
	mkgroups g
	run "$FORKWINDOW" "$MNT/g" 50
	echo "$output"
	[ "$status" -eq 0 ]
	local p90=${output#* p90 }
	p90=${p90%% *}
	[ "$p90" -lt $((100000 * TIME_SCALE)) ]
}

@test "fork: cgroup.kill on a fork bomb leaves the group empty and nothing alive" {
	mkgroups g
	local bomb=$MNT.bomb
	# A bounded bomb: a binary tree 7 deep (~255 processes, all forking
	# at once), leaves sleeping 60 s, so that nothing can run away even
	# if the daemon dies mid-test.
	cat >"$bomb" <<-'SH'
	#!/bin/bash
	b() { [ "$1" -gt 0 ] || exec sleep 60; b $(($1 - 1)) & b $(($1 - 1)) & wait; }
	b 7
	SH
	chmod +x "$bomb"
	spawn sh -c "echo 0 > '$MNT/g/cgroup.procs'; exec '$bomb'"
	wait_until "[ \$(wc -l < '$MNT/g/cgroup.procs') -gt 50 ]"
	echo 1 >"$MNT/g/cgroup.kill"
	wait_until "[ -z \"\$(cat '$MNT/g/cgroup.procs')\" ]"
	sleep 0.3
	[ -z "$(cat "$MNT/g/cgroup.procs")" ]
	[ "$(stat_of populated "$MNT/g/cgroup.events")" = 0 ]
	run pgrep -f "$bomb"
	echo "survivors: $output"
	[ "$status" -ne 0 ]
}
