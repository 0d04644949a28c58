#!/usr/bin/env bats
# The user session of the hierarchy issue, end to end from the mount.
load helper

@test "README session: limits, joining, anon charge, ENOMEM with max and oom events" {
	echo +memory >"$MNT/cgroup.subtree_control"
	mkdir -p "$MNT/a/b"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	[ -f "$MNT/a/b/memory.max" ]
	echo 100M >"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 104857600 ]
	spawn sleep 600
	echo "$LAST_PID" >"$MNT/a/b/cgroup.procs"
	[ "$(cat "$MNT/a/b/cgroup.procs")" = "$LAST_PID" ]
	echo "anon 50M" >"$MNT/a/b/sim.ctl"
	[ "$(user_current_of a)" = 52428800 ]
	[ "$(stat_of anon "$MNT/a/b/memory.stat")" = 52428800 ]
	write_fails ENOMEM "anon 80M" "$MNT/a/b/sim.ctl"
	# try_charge_memcg raises max on each of its 18 passes, then oom once.
	[ "$(stat_of max "$MNT/a/memory.events")" = 18 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of max "$MNT/a/memory.events.local")" = 18 ]
	[ "$(stat_of max "$MNT/a/b/memory.events")" = 0 ]
	[ "$(user_current_of a)" = 52428800 ]
	grep -q 'a/b/sim.ctl: write "anon 80M": .*ENOMEM' "$MNT/sim.log"
}

@test "unmount ends the daemon with status 0" {
	mkgroups x
	fusermount3 -u "$MNT"
	wait "$DAEMON_PID"
	DAEMON_PID=
}

@test "SIGTERM ends the daemon with status 0 and unmounts" {
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	DAEMON_PID=
	! mountpoint -q "$MNT"
}

@test "anon dies with its owner" {
	mkgroups a
	spawn bash -c "echo 'anon 8M' > '$MNT/a/sim.ctl'; sleep 600"
	for i in $(seq 50); do
		[ "$(cat "$MNT/a/memory.current")" = 8388608 ] && break
		sleep 0.1
	done
	[ "$(cat "$MNT/a/memory.current")" = 8388608 ]
	kill -9 "$LAST_PID"
	for i in $(seq 50); do
		[ "$(cat "$MNT/a/memory.current")" = 0 ] && break
		sleep 0.1
	done
	[ "$(cat "$MNT/a/memory.current")" = 0 ]
	[ "$(stat_of anon "$MNT/memory.stat")" = 0 ]
}

@test "an owner outliving its emptied charges and their released memcg exits cleanly" {
	# Regression (found by make stress under ASan): a failed or fully
	# freed charge must not leave the owner pointing at a memcg that is
	# released when its group goes.
	mkgroups a b
	echo 1M >"$MNT/a/memory.max"
	spawn bash -c "echo 'anon 4M' > '$MNT/a/sim.ctl'; echo 'anon 8K' > '$MNT/b/sim.ctl'; echo 'free anon 8K' > '$MNT/b/sim.ctl'; touch '$MNT.ready'; sleep 600"
	for i in $(seq 50); do [ -e "$MNT.ready" ] && break; sleep 0.1; done
	[ -e "$MNT.ready" ]
	rmdir "$MNT/a" "$MNT/b"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	kill -9 "$LAST_PID"
	sleep 0.3
	[ "$(stat_of anon "$MNT/memory.stat")" = 0 ]
}
