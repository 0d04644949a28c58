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
	unmount_memcgfs
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
