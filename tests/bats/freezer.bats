#!/usr/bin/env bats
# cgroup.freeze as kernel/cgroup/freezer.c (6.12) does it, emulated with
# job-control signals: a freeze that changes no state still notifies
# cgroup.events, and a task stopped before the freeze stays stopped.
load helper

IWAIT=${MEMCGFS_HELPERS:-}/inotifywait_ms
POLLWAIT=${MEMCGFS_HELPERS:-}/pollwait

state_of() {
	awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat"
}

@test "freezer: freezing a child of a frozen parent notifies its cgroup.events (inotify and poll)" {
	mkgroups f
	mkdir "$MNT/f/g"
	echo 1 >"$MNT/f/cgroup.freeze"
	[ "$(stat_of frozen "$MNT/f/g/cgroup.events")" = 1 ]
	run "$IWAIT" "$MNT/f/g/cgroup.events" 2000 \
		sh -c "echo 1 > '$MNT/f/g/cgroup.freeze'"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stat_of frozen "$MNT/f/g/cgroup.events")" = 1 ]
	# Thawing it while the parent holds it frozen: the same.
	run "$POLLWAIT" "$MNT/f/g/cgroup.events" 2000 \
		sh -c "echo 0 > '$MNT/f/g/cgroup.freeze'"
	[ "$output" = "POLLPRI POLLERR" ]
	[ "$(stat_of frozen "$MNT/f/g/cgroup.events")" = 1 ]
	# Writing the value it already has changes nothing and says nothing.
	run "$IWAIT" -n 0 -q 200 "$MNT/f/g/cgroup.events" 2000 \
		sh -c "echo 0 > '$MNT/f/g/cgroup.freeze'"
	[ "$output" = "total 0" ]
}

@test "freezer: a task stopped with SIGSTOP before the freeze is still stopped after the thaw" {
	mkgroups a
	spawn sleep 600
	local stopped=$LAST_PID
	spawn sleep 600
	local running=$LAST_PID
	echo "$stopped" >"$MNT/a/cgroup.procs"
	echo "$running" >"$MNT/a/cgroup.procs"
	kill -STOP "$stopped"
	wait_until "[ \$(state_of $stopped) = T ]"
	echo 1 >"$MNT/a/cgroup.freeze"
	wait_until "[ \$(state_of $running) = T ]"
	echo 0 >"$MNT/a/cgroup.freeze"
	wait_until "[ \$(state_of $running) = S ]"
	sleep 0.1
	[ "$(state_of "$stopped")" = T ]
	# Its own SIGCONT still resumes it.
	kill -CONT "$stopped"
	wait_until "[ \$(state_of $stopped) = S ]"
}

@test "freezer: moving a stopped task out of a frozen group leaves it stopped" {
	mkgroups a b
	spawn sleep 600
	local p=$LAST_PID
	echo "$p" >"$MNT/a/cgroup.procs"
	kill -STOP "$p"
	wait_until "[ \$(state_of $p) = T ]"
	echo 1 >"$MNT/a/cgroup.freeze"
	echo "$p" >"$MNT/b/cgroup.procs"
	sleep 0.1
	[ "$(state_of "$p")" = T ]
}
