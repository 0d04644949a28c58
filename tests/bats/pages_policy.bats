#!/usr/bin/env bats
# pages=reparent and pages=deferred (issue #5), and the sim.check
# accounting invariant that every test's teardown also runs.
load helper

checked_ok() {	# sim.check recounts everything and finds nothing wrong
	run cat "$MNT/sim.check"
	[ "$status" = 0 ]
	[ "${lines[-1]}" = "ok 1" ]
	! grep -q '^mismatch' <<<"$output"
}

# p/a fills a tmpfs file b maps, and a disk file; the page stock is
# drained so that memory.current holds only what the objects charge.
tmpfs_zombie() {
	remount -o "policy=pages=$1"
	mkgroups p b
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/a"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "write shm/log 4M" >"$MNT/p/a/sim.ctl"
	echo "write data/d 1M" >"$MNT/p/a/sim.ctl"
	echo "map shm/log" >"$MNT/b/sim.ctl"
	echo drain >"$MNT/sim.ctl"
}

@test "sim.policy: pages=reparent and pages=deferred with their eras" {
	echo pages=reparent >"$MNT/sim.policy"
	grep -qx "pages=reparent (2026 (7.1-rc): objcg-based LRU reparenting, O(1) flip and list splice)" "$MNT/sim.policy"
	echo pages=deferred >"$MNT/sim.policy"
	grep -q "^pages=deferred (2023 proposal: parked on the parent" "$MNT/sim.policy"
	remount -o policy=pages=reparent
	grep -q "^pages=reparent " "$MNT/sim.policy"
}

@test "pages=reparent: the tmpfs zombie is released at rmdir, its pages now the parent's own" {
	tmpfs_zombie reparent
	local before
	before=$(cat "$MNT/p/memory.current")
	[ "$(cat "$MNT/p/a/memory.current")" -ge 5242880 ]
	rmdir "$MNT/p/a"
	# released at once: nothing else pinned it
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	[ -z "$(cat "$MNT/sim.zombies")" ]
	# p's usage is unchanged (what release frees of a's own structures
	# goes to the CPU's stock) and now all its own: no child holds it
	[ "$(cat "$MNT/p/memory.current")" = "$before" ]
	[ -z "$(ls -d "$MNT"/p/*/ 2>/dev/null)" ]
	[ "$(stat_of shmem "$MNT/p/memory.stat")" = 4194304 ]
	[ "$(stat_of file "$MNT/p/memory.stat")" = 5242880 ]
	[ "$(stat_of inactive_anon "$MNT/p/memory.stat")" = 4194304 ]
	[ "$(stat_of moved_to_parent "$MNT/sim.check")" = 5242880 ]
	# the pages are p's: unlinking them uncharges p
	echo "unmap shm/log" >"$MNT/b/sim.ctl"
	echo "unlink shm/log" >"$MNT/sim.ctl"
	[ "$(stat_of shmem "$MNT/p/memory.stat")" = 0 ]
	checked_ok
}

@test "pages=reparent: a whole subtree, grandchild first, lands on the live ancestor" {
	tmpfs_zombie reparent
	echo +memory >"$MNT/p/a/cgroup.subtree_control"
	mkdir "$MNT/p/a/g"
	echo "write shm/g 1M" >"$MNT/p/a/g/sim.ctl"
	echo pages=pin >"$MNT/sim.policy"
	rmdir "$MNT/p/a/g"	# pinned by its page: a zombie under a
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	# switching the policy acts on groups going offline afterwards: g
	# stays pinned, a's pages (not g's) go to p
	echo pages=reparent >"$MNT/sim.policy"
	rmdir "$MNT/p/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 2 ]
	grep -qx "path /p/a/g" "$MNT/sim.zombies"
	grep -qx "shmem 1048576" "$MNT/sim.zombies"
	checked_ok
	echo "unlink shm/g" >"$MNT/sim.ctl"
	echo drain >"$MNT/sim.ctl"
	wait_until "[ \"\$(stat_of nr_dying_descendants '$MNT/cgroup.stat')\" = 0 ]"
	checked_ok
}

@test "pages=deferred: parked on the parent at rmdir, then 4M moves to b when b maps the file" {
	tmpfs_zombie deferred
	echo "unmap shm/log" >"$MNT/b/sim.ctl"
	rmdir "$MNT/p/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	[ "$(stat_of shmem "$MNT/p/memory.stat")" = 4194304 ]
	[ "$(stat_of moved_to_parent "$MNT/sim.check")" = 5242880 ]
	local b0
	b0=$(cat "$MNT/b/memory.current")
	echo "map shm/log" >"$MNT/b/sim.ctl"
	[ "$(stat_of shmem "$MNT/b/memory.stat")" = 4194304 ]
	[ "$(stat_of shmem "$MNT/p/memory.stat")" = 0 ]
	[ "$(cat "$MNT/b/memory.current")" -ge $((b0 + 4194304)) ]
	[ "$(stat_of moved_to_groups "$MNT/sim.check")" = 4194304 ]
	# the disk file stays parked on p until someone reads it
	[ "$(stat_of file "$MNT/p/memory.stat")" = 1048576 ]
	echo "read data/d" >"$MNT/b/sim.ctl"
	[ "$(stat_of file "$MNT/p/memory.stat")" = 0 ]
	[ "$(stat_of moved_to_groups "$MNT/sim.check")" = 5242880 ]
	checked_ok
}

@test "pages=deferred: a touch never reclaims or OOMs for the move; what does not fit stays parked" {
	tmpfs_zombie deferred
	echo "unmap shm/log" >"$MNT/b/sim.ctl"
	rmdir "$MNT/p/a"
	echo 1M >"$MNT/b/memory.max"
	echo "map shm/log" >"$MNT/b/sim.ctl"
	[ "$(cat "$MNT/b/memory.current")" -le 1048576 ]
	[ "$(stat_of oom "$MNT/b/memory.events")" = 0 ]
	[ "$(stat_of max "$MNT/b/memory.events")" = 0 ]
	[ "$(stat_of shmem "$MNT/p/memory.stat")" -ge $((4194304 - 1048576)) ]
	[ "$(stat_of shmem "$MNT/p/memory.stat")" -lt 4194304 ]
	checked_ok
}

@test "sim.zombies: would_free names pages=reparent and pages=deferred too" {
	tmpfs_zombie pin
	rmdir "$MNT/p/a"
	grep -qx "would_free pages=reparent 5242880" "$MNT/sim.zombies"
	grep -qx "would_free pages=deferred 5242880" "$MNT/sim.zombies"
	[ "$(jq '.[0].would_free["pages=reparent"]' "$MNT/sim.zombies.json")" = 5242880 ]
	[ "$(jq '.[0].would_free["pages=deferred"]' "$MNT/sim.zombies.json")" = 5242880 ]
	checked_ok
}

@test "sim.check: every policy leaves the accounting exact, kmem and sockets included" {
	local p
	for p in pin reparent-walk reparent recharge deferred evict; do
		tmpfs_zombie "$p"
		echo "slab dentry 50" >"$MNT/p/a/sim.ctl"
		echo "sock 8K" >"$MNT/p/a/sim.ctl"
		echo "percpu 3000" >"$MNT/p/a/sim.ctl"
		rmdir "$MNT/p/a"
		checked_ok
		echo "free slab dentry 50" >"$MNT/p/sim.ctl"
		echo "free sock 8K" >"$MNT/p/sim.ctl"
		echo "free percpu 3000" >"$MNT/p/sim.ctl"
		checked_ok
		# Regression: freeing the per-CPU area once released a (its
		# socket's pages were the last pin, in this CPU's page stock)
		# from inside the stock's refill, whose frees refilled the same
		# stock: p got pinned twice and could never be released.
		echo "unmap shm/log" >"$MNT/b/sim.ctl"
		echo "unlink shm/log" >"$MNT/sim.ctl"
		echo "unlink data/d" >"$MNT/sim.ctl"
		rmdir "$MNT/p" "$MNT/b"
		echo drain >"$MNT/sim.ctl"
		[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
		[ "$(stat_of memcgs "$MNT/sim.check")" = 1 ]
		checked_ok
	done
}

@test "sim.check: root only, read only, and it names what it counted" {
	mkgroups a
	[ ! -e "$MNT/a/sim.check" ]
	write_fails EACCES x "$MNT/sim.check" || write_fails EPERM x "$MNT/sim.check" ||
		write_fails EINVAL x "$MNT/sim.check"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo "write shm/f 64K" >"$MNT/a/sim.ctl"
	[ "$(stat_of pages "$MNT/sim.check")" = 16 ]
	[ "$(stat_of memcgs "$MNT/sim.check")" = 2 ]
	[ "$(stat_of root_usage "$MNT/sim.check")" = "$(stat_of sum_local_usage "$MNT/sim.check")" ]
	checked_ok
}

@test "sim.check: consistent while other groups charge, uncharge and go offline" {
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo pages=deferred >"$MNT/sim.policy"
	mkgroups b
	spawn bash -c "for i in \$(seq 200); do
		mkdir '$MNT/g\$i' || exit 1
		echo 'write shm/f\$i 64K' >'$MNT/g\$i/sim.ctl'
		echo 'slab dentry 20' >'$MNT/g\$i/sim.ctl'
		rmdir '$MNT/g\$i'
		echo 'read shm/f\$i' >'$MNT/b/sim.ctl'
		echo 'unlink shm/f\$i' >'$MNT/sim.ctl'
	done; touch '$MNT.done'"
	local n=0
	while [ ! -e "$MNT.done" ] && [ $n -lt 400 ]; do
		checked_ok
		n=$((n + 1))
	done
	[ -e "$MNT.done" ] || wait_until "[ -e '$MNT.done' ]"
	[ "$n" -gt 0 ]
	checked_ok
}
