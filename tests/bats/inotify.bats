#!/usr/bin/env bats
# inotify IN_MODIFY where the kernel raises it (kernfs_notify() from
# cgroup_file_notify(), kernel/cgroup/cgroup.c 6.12), raised through the
# mount by the daemon (fs/fsnotify.c); rate-limited to one per 10 ms.
load helper

IWAIT=${MEMCGFS_HELPERS:-}/inotifywait_ms

# A member of $1 charging $2 of anon that fails or succeeds, then exits.
charge_in() {
	echo "echo 0 > '$MNT/$1/cgroup.procs'; echo 'anon $2' > '$MNT/$1/sim.ctl'"
}

@test "inotify: IN_MODIFY on memory.events within 100 ms of an OOM event" {
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	run "$IWAIT" "$MNT/a/memory.events" 2000 sh -c "$(charge_in a 20M)"
	[ "$status" -eq 0 ]
	echo "$output"
	local ms=${output#modify }
	ms=${ms% ms}
	[ "$ms" -lt $((100 * TIME_SCALE)) ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
}

@test "inotify: inotifywait -e modify memory.events returns on an OOM event" {
	command -v inotifywait >/dev/null || skip "inotify-tools not installed"
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	local out=$MNT.iw start end
	timeout 5 inotifywait -q -e modify "$MNT/a/memory.events" >"$out" &
	local iw=$!
	sleep 0.3	# the watch is in place
	# The OOM happens inside the charge: time from its end, an upper
	# bound on the time from the event.
	sh -c "$(charge_in a 20M)" || true
	start=$(date +%s%N)
	wait "$iw"
	end=$(date +%s%N)
	cat "$out"
	grep -q "memory.events MODIFY" "$out"
	echo "returned $(((end - start) / 1000000)) ms after the charge ended"
	[ $(((end - start) / 1000000)) -lt $((100 * TIME_SCALE)) ]
}

@test "inotify: memory.events of ancestors, memory.events.local of the group only" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo 10M >"$MNT/p/c/memory.max"
	run "$IWAIT" "$MNT/p/memory.events" 2000 sh -c "$(charge_in p/c 20M)"
	[ "$status" -eq 0 ]
	run "$IWAIT" "$MNT/p/c/memory.events.local" 2000 sh -c "$(charge_in p/c 20M)"
	[ "$status" -eq 0 ]
	# The parent's local counters did not change: no event on them.
	run "$IWAIT" -n 0 -q 300 "$MNT/p/memory.events.local" 2000 \
		sh -c "$(charge_in p/c 20M)"
	[ "$output" = "total 0" ]
}

@test "inotify: cgroup.events on populated and frozen changes, not on a read" {
	mkgroups a
	run "$IWAIT" "$MNT/a/cgroup.events" 2000 \
		sh -c "echo 0 > '$MNT/a/cgroup.procs'"
	[ "$status" -eq 0 ]
	run "$IWAIT" "$MNT/a/cgroup.events" 2000 \
		sh -c "echo 1 > '$MNT/a/cgroup.freeze'"
	[ "$status" -eq 0 ]
	run "$IWAIT" "$MNT/a/cgroup.events" 2000 \
		sh -c "echo 0 > '$MNT/a/cgroup.freeze'"
	[ "$status" -eq 0 ]
	run "$IWAIT" -n 0 -q 300 "$MNT/a/cgroup.events" 2000 \
		sh -c "cat '$MNT/a/cgroup.events' '$MNT/a/memory.events' >/dev/null"
	[ "$output" = "total 0" ]
}

@test "inotify: a burst of events is rate-limited to one IN_MODIFY per 10 ms, the last one kept" {
	mkgroups a
	echo 1M >"$MNT/a/memory.high"
	local n
	# 300 charges over memory.high, each past the stock: 300 high events.
	run "$IWAIT" -q 200 "$MNT/a/memory.events" 5000 sh -c \
		"echo 0 > '$MNT/a/cgroup.procs'; for i in \$(seq 300); do echo 'anon 300K' > '$MNT/a/sim.ctl'; done"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stat_of high "$MNT/a/memory.events")" -ge 300 ]
	local line=${output##*total }
	n=${line%% *}
	local over=${line##* over }
	over=${over% ms}
	# At most one per started 10 ms, and more than one: the deferred one.
	[ "$n" -ge 2 ]
	[ "$n" -le $((over / 10 + 2)) ]
}

@test "inotify: the daemon's own writes change nothing and log nothing" {
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	local before
	before=$(cat "$MNT/a/memory.events")
	run "$IWAIT" "$MNT/a/cgroup.events" 2000 \
		sh -c "echo 0 > '$MNT/a/cgroup.procs'"
	[ "$status" -eq 0 ]
	[ "$(cat "$MNT/a/memory.events")" = "$before" ]
	[ -z "$(cat "$MNT/sim.log")" ]
	# A write of our own, by anyone else, is still refused as read-only.
	write_fails EINVAL "x" "$MNT/a/memory.events"
}

@test "inotify: a group removed while its event is rate-limited costs nothing" {
	mkgroups a
	echo 1M >"$MNT/a/memory.high"
	sh -c "$(charge_in a 2M)"
	sh -c "$(charge_in a 8K)"
	rmdir "$MNT/a" 2>/dev/null || wait_until "rmdir '$MNT/a'"
	sleep 0.05
	[ ! -e "$MNT/a" ]
	[ -z "$(grep inotify "$MNT/sim.log")" ]
}

@test "inotify: a removed group's pending IN_MODIFY does not reach the group made under its name" {
	remount -o high_delay=0	# no penalty: the writes come within 10 ms
	mkgroups a
	echo 1M >"$MNT/a/memory.high"
	# Five high events within the rate limit leave one notification on
	# its timer when a goes; the new a (reused names: the selftests'
	# "memcg_test") must not see it, as cgroup_rm_file() deletes it.
	run "$MEMCGFS_HELPERS/renotify" "$MNT/a" memory.events "anon 2M" 5 200
	[ "$status" -eq 0 ]
	[ "$output" = "IN_MODIFY 0" ]
}
