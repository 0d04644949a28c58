#!/usr/bin/env bats
# The slab allocator seen from the mount: sim.slabinfo and kmem_cache_create.
load helper

@test "sim.slabinfo: /proc/slabinfo 2.1 header and every built-in cache" {
	run cat "$MNT/sim.slabinfo"
	[ "${lines[0]}" = "slabinfo - version: 2.1" ]
	[[ "${lines[1]}" == "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>" ]]
	for c in kmalloc-8 kmalloc-64 kmalloc-8k dentry inode_cache radix_tree_node task_struct mm_struct sock_inode_cache; do
		grep -qE "^$c +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ : tunables +0 +0 +0 : slabdata +[0-9]+ +[0-9]+ +0$" "$MNT/sim.slabinfo"
	done
	[ "$(stat -c %a "$MNT/sim.slabinfo")" = 444 ]
	mkgroups a
	[ ! -e "$MNT/a/sim.slabinfo" ]
}

@test "kmem_cache_create at the root adds a cache with its object size" {
	echo "kmem_cache_create my_objs 100 account reclaim" >"$MNT/sim.ctl"
	run awk '$1 == "my_objs" { print $4 }' "$MNT/sim.slabinfo"
	[ "$output" -ge 100 ]
	echo "kmem_cache_create plain 24" >"$MNT/sim.ctl"
	grep -q '^plain ' "$MNT/sim.slabinfo"
}

@test "kmem_cache_create: bad input is refused and changes nothing" {
	write_fails EEXIST "kmem_cache_create dentry 64" "$MNT/sim.ctl"
	write_fails EINVAL "kmem_cache_create x 0" "$MNT/sim.ctl"
	write_fails EINVAL "kmem_cache_create x -5" "$MNT/sim.ctl"
	write_fails EINVAL "kmem_cache_create x 64 sticky" "$MNT/sim.ctl"
	write_fails EINVAL "kmem_cache_create x" "$MNT/sim.ctl"
	write_fails EINVAL "kmem_cache_create $(printf 'n%.0s' $(seq 40)) 64" "$MNT/sim.ctl"
	mkgroups a
	write_fails EINVAL "kmem_cache_create y 64" "$MNT/a/sim.ctl"
	! grep -qE '^(x|y) ' "$MNT/sim.slabinfo"
	grep -q 'kmem_cache_create dentry 64": a cache of that name exists (EEXIST)' "$MNT/sim.log"
}
