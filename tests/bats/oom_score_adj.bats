#!/usr/bin/env bats
# The memcg OOM killer honours /proc/PID/oom_score_adj as mm/oom_kill.c
# oom_badness() does in 6.12: points = rss + adj * (totalpages / 1000),
# totalpages = memory.max (+ usable swap) of the OOM domain, and an
# OOM_SCORE_ADJ_MIN (-1000) task is never killed, also not by
# memory.oom.group (oom_kill_memcg_member()).
load helper

# A member of group $1 with oom_score_adj $3 owning $2 of anon; pid in
# LAST_PID once its charge is in.
member_adj() {
	local flag="$MNT.m$RANDOM"
	spawn bash -c "echo $3 > /proc/self/oom_score_adj && echo 0 > '$MNT/$1/cgroup.procs' && echo 'anon $2' > '$MNT/$1/sim.ctl' && touch '$flag' && exec sleep 600"
	wait_until "[ -e '$flag' ]"
}

# Lowering oom_score_adj takes CAP_SYS_RESOURCE (proc_oom_score_adj_write).
need_adj_min() {
	bash -c 'echo -1000 > /proc/self/oom_score_adj' 2>/dev/null ||
		skip "setting oom_score_adj -1000 needs CAP_SYS_RESOURCE, which this process lacks"
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

@test "oom_score_adj: 10M at adj 1000 goes before 20M and 5M at 0 under max 50M" {
	mkgroups a
	echo 50M >"$MNT/a/memory.max"
	member_adj a 10M 1000
	local p1=$LAST_PID
	member_adj a 20M 0
	local p2=$LAST_PID
	member_adj a 5M 0
	local p3=$LAST_PID
	echo "anon 20M" >"$MNT/a/sim.ctl" || true
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	wait_until "gone $p1"
	kill -0 "$p2"
	kill -0 "$p3"
}

@test "oom_score_adj: adj counts in thousandths of memory.max: 10M at 500 goes before 30M at 0 under 50M" {
	mkgroups a
	echo 50M >"$MNT/a/memory.max"
	member_adj a 30M 0
	local big=$LAST_PID
	member_adj a 10M 500
	local small=$LAST_PID
	echo "anon 20M" >"$MNT/a/sim.ctl" || true
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	wait_until "gone $small"
	kill -0 "$big"
}

@test "oom_score_adj: 30M at 0 goes before 10M at 300 under 50M (2560 + 300 * 12 < 7680)" {
	mkgroups a
	echo 50M >"$MNT/a/memory.max"
	member_adj a 30M 0
	local big=$LAST_PID
	member_adj a 10M 300
	local small=$LAST_PID
	echo "anon 20M" >"$MNT/a/sim.ctl" || true
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	wait_until "gone $big"
	kill -0 "$small"
}

@test "oom_score_adj: -1000 is never killed; with no other member the charge fails with oom and no kill" {
	need_adj_min
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	member_adj a 20M -1000
	local p=$LAST_PID
	write_fails ENOMEM "anon 20M" "$MNT/a/sim.ctl"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 0 ]
	sleep 0.1
	kill -0 "$p"
}

@test "oom_score_adj: memory.oom.group kills every member but the -1000 ones" {
	need_adj_min
	mkgroups a
	echo 1 >"$MNT/a/memory.oom.group"
	echo 30M >"$MNT/a/memory.max"
	member_adj a 12M -1000
	local keep=$LAST_PID
	member_adj a 4M 0
	local p1=$LAST_PID
	member_adj a 2M 500
	local p2=$LAST_PID
	echo "anon 20M" >"$MNT/a/sim.ctl" || true
	[ "$(stat_of oom_group_kill "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 2 ]
	wait_until "gone $p1 && gone $p2"
	kill -0 "$keep"
	[ "$(cat "$MNT/a/cgroup.procs")" = "$keep" ]
}
