#!/usr/bin/env bats
# Negative dentries on memcg-aware list_lrus, the superblock shrinker and
# sim.lru, in both list_lru designs (issue #4, parts 3 and 4).
load helper

# Items on the list_lrus, from sim.lru (LRU GROUP ITEMS per line).
lru_items() {
	awk -v g="$1" '$2 == g { n += $3 } END { print n + 0 }' "$MNT/sim.lru"
}

dentries_session() {
	remount -o "lru=$1"
	mkgroups a
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "lookup data 100000" >"$MNT/a/sim.ctl"
	echo drain >"$MNT/a/sim.ctl"
	local slab0
	slab0=$(stat_of slab "$MNT/a/memory.stat")
	[ "$slab0" = 20000000 ]		# 100,000 x (192 + 8)
	[ "$(cat "$MNT/sim.lru")" = "data.dentry /a 100000" ]
	# The selftest's bar: after memory.high=1M, slab and memory.current
	# are below half of the slab they started with.
	echo 1M >"$MNT/a/memory.high"
	[ "$(stat_of slab "$MNT/a/memory.stat")" -lt $((slab0 / 2)) ]
	[ "$(cat "$MNT/a/memory.current")" -lt $((slab0 / 2)) ]
	[ "$(lru_items /a)" -lt 50000 ]
}

@test "lru=lazy: 100k negative dentries, then memory.high=1M shrinks them" {
	dentries_session lazy
}

@test "lru=eager: 100k negative dentries, then memory.high=1M shrinks them" {
	dentries_session eager
}

reparent_and_umount() {
	remount -o "lru=$1"
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount logs disk" >"$MNT/sim.ctl"
	echo "lookup data 30" >"$MNT/p/c/sim.ctl"
	echo "lookup logs 5" >"$MNT/p/c/sim.ctl"
	echo "lookup data 7" >"$MNT/p/sim.ctl"
	[ "$(lru_items /p/c)" = 35 ]
	[ "$(lru_items /p)" = 7 ]
	# Offline splices c's lists into p's (memcg_reparent_list_lrus);
	# the dentries do not keep c dying (their objcg moved to p too).
	rmdir "$MNT/p/c"
	[ "$(lru_items /p)" = 42 ]
	grep -qx "data.dentry /p 37" "$MNT/sim.lru"
	grep -qx "logs.dentry /p 5" "$MNT/sim.lru"
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]
	# proactive reclaim reaches them through the shrinker
	echo 4K >"$MNT/p/memory.reclaim"
	[ "$(lru_items /p)" -lt 42 ]
	# umount frees every dentry of that filesystem
	echo "umount data" >"$MNT/sim.ctl"
	echo "umount logs" >"$MNT/sim.ctl"
	[ -z "$(cat "$MNT/sim.lru")" ]
	echo drain >"$MNT/p/sim.ctl"
	[ "$(stat_of slab_reclaimable "$MNT/p/memory.stat")" = 0 ]
}

@test "lru=lazy: rmdir splices a group's lists into its parent's; umount frees them" {
	reparent_and_umount lazy
}

@test "lru=eager: rmdir splices a group's lists into its parent's; umount frees them" {
	reparent_and_umount eager
}

@test "lookup: bad input is EINVAL or ENOENT and makes nothing; a refused charge makes nothing" {
	mkgroups a
	echo "mount data disk" >"$MNT/sim.ctl"
	write_fails ENOENT "lookup nosuch 5" "$MNT/a/sim.ctl"
	write_fails EINVAL "lookup data 0" "$MNT/a/sim.ctl"
	write_fails EINVAL "lookup data x" "$MNT/a/sim.ctl"
	write_fails EINVAL "lookup data 99999999" "$MNT/a/sim.ctl"
	write_fails EINVAL "lookup data" "$MNT/a/sim.ctl"
	echo 64K >"$MNT/a/memory.max"
	write_fails ENOMEM "lookup data 10000 gfp=nowait" "$MNT/a/sim.ctl"
	[ -z "$(cat "$MNT/sim.lru")" ]
	echo drain >"$MNT/a/sim.ctl"
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
}

# Seed 001's race through the mount: two loops mount and umount
# filesystems (list_lrus come and go) while two others mkdir/rmdir groups
# and make dentries in them.  Afterwards every dentry is on exactly one
# list: sim.lru's items add up to the dentries the slab holds.
stress() {
	remount -o "lru=$1,cpus=4"
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	echo "mount keep disk" >"$MNT/sim.ctl"
	local end=$((SECONDS + 4))
	local i
	for i in 1 2; do
		spawn bash -c "while [ \$SECONDS -lt $end ]; do
			echo 'mount fs$i disk' > '$MNT/sim.ctl'
			echo 'umount fs$i' > '$MNT/sim.ctl'
		done 2>/dev/null"
		spawn bash -c "n=0; while [ \$SECONDS -lt $end ]; do
			n=\$((n + 1)); d='$MNT/p/g$i.'\$n
			mkdir \$d && echo 'lookup keep 3' > \$d/sim.ctl
			echo 'lookup fs$i 2' > \$d/sim.ctl
			rmdir \$d
		done 2>/dev/null"
	done
	wait_until "[ \$SECONDS -ge $((end + 1)) ]"
	for pid in "${SPAWNED[@]}"; do wait "$pid" || true; done
	SPAWNED=()
	echo "umount fs1" >"$MNT/sim.ctl" 2>/dev/null || true
	echo "umount fs2" >"$MNT/sim.ctl" 2>/dev/null || true
	echo drain >"$MNT/sim.ctl"
	local items bytes
	items=$(awk '{ n += $3 } END { print n + 0 }' "$MNT/sim.lru")
	bytes=$(stat_of slab_reclaimable "$MNT/memory.stat")
	[ "$items" -gt 0 ]
	[ "$bytes" = $((items * 200)) ]
	# and every one of them is now p's (all the groups are gone)
	[ "$(lru_items /p)" = "$items" ]
}

@test "lru=lazy: list_lrus made and destroyed while groups come and go lose no dentry" {
	stress lazy
}

@test "lru=eager: list_lrus made and destroyed while groups come and go lose no dentry" {
	stress eager
}
