#!/usr/bin/env bats
# Emulated filesystems, page cache and its reclaim (issue #4, first part).
load helper

fs_setup() {
	mkgroups "$@"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
}

@test "page cache: write charges file pages, a dentry and an inode to the writer's group" {
	fs_setup a
	echo "write data/log 40M" >"$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 41943040 ]
	[ "$(stat_of inactive_file "$MNT/a/memory.stat")" = 41943040 ]
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 0 ]
	echo drain >"$MNT/a/sim.ctl"
	# 200 bytes of dentry, 616 of inode (strides plus their objcg pointer)
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = 816 ]
	[ "$(current_of a)" = $((41943040 + 4096)) ]
	# Appending extends; a second write of the same file adds its pages.
	echo "write data/log 1" >"$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = $((41943040 + 4096)) ]
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = 816 ]
}

@test "tmpfs pages are shmem on the anon lists; a mapping group does not pay for them" {
	fs_setup a b
	echo "write shm/buf 8M" >"$MNT/a/sim.ctl"
	echo "map shm/buf" >"$MNT/b/sim.ctl"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 8388608 ]
	[ "$(stat_of file "$MNT/a/memory.stat")" = 8388608 ]
	[ "$(stat_of inactive_anon "$MNT/a/memory.stat")" = 8388608 ]
	[ "$(stat_of file_mapped "$MNT/a/memory.stat")" = 8388608 ]
	[ "$(stat_of file "$MNT/b/memory.stat")" = 0 ]
	[ "$(current_of b)" = 0 ]
	# Without swap shmem cannot be reclaimed.
	write_fails EAGAIN 4M "$MNT/a/memory.reclaim"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 8388608 ]
}

@test "read: absent pages are charged to the reader, present ones are not; a second access activates" {
	fs_setup a b
	echo "write data/f 1M" >"$MNT/a/sim.ctl"
	echo "read data/f" >"$MNT/b/sim.ctl"
	[ "$(stat_of file "$MNT/b/memory.stat")" = 0 ]
	[ "$(stat_of active_file "$MNT/a/memory.stat")" = 0 ]
	echo "read data/f" >"$MNT/b/sim.ctl"
	# written, then read twice: the second read is the second access
	[ "$(stat_of active_file "$MNT/a/memory.stat")" = 1048576 ]
	[ "$(stat_of pgactivate "$MNT/a/memory.stat")" = 256 ]
	echo 1M >"$MNT/a/memory.reclaim"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 0 ]
	echo "read data/f" >"$MNT/b/sim.ctl"
	[ "$(stat_of file "$MNT/b/memory.stat")" = 1048576 ]
	[ "$(stat_of file "$MNT/a/memory.stat")" = 0 ]
}

@test "memory.reclaim evicts page cache and counts pgscan/pgsteal_proactive; EAGAIN when short" {
	fs_setup a
	echo "write data/log 40M" >"$MNT/a/sim.ctl"
	echo 20M >"$MNT/a/memory.reclaim"
	local file
	file=$(stat_of file "$MNT/a/memory.stat")
	[ "$file" -le $((20 * 1048576)) ]
	[ "$(stat_of pgsteal_proactive "$MNT/a/memory.stat")" -ge 5120 ]
	[ "$(stat_of pgscan_proactive "$MNT/a/memory.stat")" -ge 5120 ]
	[ "$(stat_of pgsteal_direct "$MNT/a/memory.stat")" = 0 ]
	write_fails EAGAIN 100M "$MNT/a/memory.reclaim"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 0 ]
}

@test "50M of page cache under memory.max=30M settles within 5% of 30M, with max events" {
	fs_setup a
	echo 30M >"$MNT/a/memory.max"
	echo "write data/big 50M" >"$MNT/a/sim.ctl"
	local cur
	cur=$(cat "$MNT/a/memory.current")
	[ "$cur" -le $((30 * 1048576)) ]
	[ "$cur" -ge $((30 * 1048576 * 95 / 100)) ]
	[ "$(stat_of max "$MNT/a/memory.events")" -ge 1 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 0 ]
	[ "$(stat_of pgsteal_direct "$MNT/a/memory.stat")" -ge 5120 ]
}

@test "memory.high write reclaims page cache synchronously down to high" {
	fs_setup a
	echo "write data/log 20M" >"$MNT/a/sim.ctl"
	echo 1M >"$MNT/a/memory.high"
	[ "$(cat "$MNT/a/memory.current")" -le 1048576 ]
	[ "$(stat_of high "$MNT/a/memory.events")" = 0 ]
}

@test "mapped pages are never evicted; unmapping makes them reclaimable" {
	fs_setup a
	echo "write data/m 4M" >"$MNT/a/sim.ctl"
	echo "map data/m" >"$MNT/a/sim.ctl"
	write_fails EAGAIN 4M "$MNT/a/memory.reclaim"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 4194304 ]
	[ "$(stat_of file_mapped "$MNT/a/memory.stat")" = 4194304 ]
	echo "unmap data/m" >"$MNT/a/sim.ctl"
	[ "$(stat_of file_mapped "$MNT/a/memory.stat")" = 0 ]
	echo 4M >"$MNT/a/memory.reclaim"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 0 ]
}

@test "truncate and unlink uncharge; an unlinked mapped file lives until unmapped; umount EBUSY while mapped" {
	fs_setup a b
	echo "write shm/t 8M" >"$MNT/a/sim.ctl"
	echo "truncate shm/t 2M" >"$MNT/a/sim.ctl"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 2097152 ]
	echo "map shm/t" >"$MNT/b/sim.ctl"
	write_fails EBUSY "umount shm" "$MNT/sim.ctl"
	echo "unlink shm/t" >"$MNT/a/sim.ctl"
	write_fails ENOENT "read shm/t" "$MNT/a/sim.ctl"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 2097152 ]
	echo "unmap shm/t" >"$MNT/b/sim.ctl"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 0 ]
	echo "umount shm" >"$MNT/sim.ctl"
	write_fails ENOENT "write shm/x 1M" "$MNT/a/sim.ctl"
	echo drain >"$MNT/a/sim.ctl"
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
	[ "$(current_of a)" = 0 ]
}

@test "page cache keeps a removed group dying until it is reclaimed" {
	fs_setup p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo "write data/z 4M" >"$MNT/p/c/sim.ctl"
	rmdir "$MNT/p/c"
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 1 ]
	[ "$(stat_of file "$MNT/p/memory.stat")" = 4194304 ]
	echo 4M >"$MNT/p/memory.reclaim"
	[ "$(stat_of file "$MNT/p/memory.stat")" = 0 ]
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]
}

@test "filesystem commands: bad names, paths, types and sizes, and root-only mounts" {
	fs_setup a
	write_fails EINVAL "mount x ext4" "$MNT/sim.ctl"
	write_fails EEXIST "mount data disk" "$MNT/sim.ctl"
	write_fails EINVAL "mount a/b disk" "$MNT/sim.ctl"
	write_fails ENAMETOOLONG "mount $(printf 'n%.0s' {1..40}) disk" "$MNT/sim.ctl"
	write_fails EINVAL "mount y disk" "$MNT/a/sim.ctl"
	write_fails EINVAL "umount nosuch" "$MNT/sim.ctl"
	write_fails ENOENT "write nosuch/f 1M" "$MNT/a/sim.ctl"
	write_fails ENOENT "read data/none" "$MNT/a/sim.ctl"
	write_fails EINVAL "write data/../f 1M" "$MNT/a/sim.ctl"
	write_fails EINVAL "write data//f 1M" "$MNT/a/sim.ctl"
	write_fails EINVAL "write data 1M" "$MNT/a/sim.ctl"
	write_fails ENAMETOOLONG "write data/$(printf 'x%.0s' {1..256}) 1M" "$MNT/a/sim.ctl"
	write_fails EINVAL "write data/f lots" "$MNT/a/sim.ctl"
	write_fails ENOENT "unmap data/f" "$MNT/a/sim.ctl"
	echo "write data/f 4K" >"$MNT/a/sim.ctl"
	write_fails EINVAL "unmap data/f" "$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 4096 ]
}

@test "a write refused by the limit leaves nothing behind" {
	fs_setup a
	echo 1M >"$MNT/a/memory.max"
	echo "write data/pin 512K" >"$MNT/a/sim.ctl"
	echo "map data/pin" >"$MNT/a/sim.ctl"
	write_fails ENOMEM "write shm/big 4M gfp=nowait" "$MNT/a/sim.ctl"
	[ "$(stat_of shmem "$MNT/a/memory.stat")" = 0 ]
	write_fails ENOENT "read shm/big" "$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 524288 ]
}

# p with children x and y holding 10M of page cache each.
two_children_with_cache() {
	fs_setup "$1"
	echo +memory >"$MNT/$1/cgroup.subtree_control"
	mkdir "$MNT/$1/x" "$MNT/$1/y"
	echo "write data/x 10M" >"$MNT/$1/x/sim.ctl"
	echo "write data/y 10M" >"$MNT/$1/y/sim.ctl"
}

mib() {
	echo $(($(stat_of file "$MNT/$1/memory.stat") / 1048576))
}

# Protected down to the setting: a group's usage also holds its file's
# dentry and inode page and what its CPU stock keeps, so reclaim may take
# up to that much of the cache (as on a kernel) and no more.
kept_10m() {
	[ "$(stat_of file "$MNT/$1/memory.stat")" -ge $((10 * 1048576 - 65 * 4096)) ]
}

@test "memory.min is a wall: reclaim takes the unprotected sibling, then fails with EAGAIN" {
	two_children_with_cache p
	echo 10M >"$MNT/p/x/memory.min"
	write_fails EAGAIN 15M "$MNT/p/memory.reclaim"
	kept_10m p/x
	[ "$(mib p/y)" = 0 ]
	[ "$(stat_of low "$MNT/p/x/memory.events")" = 0 ]
}

@test "memory.low is a fence: crossed only when nothing else is left, counting low events" {
	two_children_with_cache p
	echo 10M >"$MNT/p/x/memory.low"
	echo 5M >"$MNT/p/memory.reclaim"
	kept_10m p/x
	[ "$(mib p/y)" -le 5 ]
	[ "$(stat_of low "$MNT/p/x/memory.events")" = 0 ]
	echo 10M >"$MNT/p/memory.reclaim"
	[ "$(mib p/y)" = 0 ]
	[ "$(mib p/x)" -lt 9 ]
	[ "$(stat_of low "$MNT/p/x/memory.events")" -ge 1 ]
	[ "$(stat_of low "$MNT/p/memory.events")" -ge 1 ]
	[ "$(stat_of low "$MNT/p/memory.events.local")" = 0 ]
}

@test "effective low: siblings asking for more than their parent is granted share it in proportion" {
	fs_setup g
	echo +memory >"$MNT/g/cgroup.subtree_control"
	mkdir "$MNT/g/p"
	echo +memory >"$MNT/g/p/cgroup.subtree_control"
	mkdir "$MNT/g/p/x" "$MNT/g/p/y"
	echo "write data/x 10M" >"$MNT/g/p/x/sim.ctl"
	echo "write data/y 10M" >"$MNT/g/p/y/sim.ctl"
	echo 10M >"$MNT/g/p/memory.low"
	echo 10M >"$MNT/g/p/x/memory.low"
	echo 10M >"$MNT/g/p/y/memory.low"
	# p is granted 10M; x and y ask 10M each: 5M effective apiece.
	echo 10M >"$MNT/g/memory.reclaim"
	local x y
	x=$(stat_of file "$MNT/g/p/x/memory.stat")
	y=$(stat_of file "$MNT/g/p/y/memory.stat")
	[ "$x" -ge $((4 * 1048576)) ] && [ "$x" -le $((6 * 1048576)) ]
	[ "$y" -ge $((4 * 1048576)) ] && [ "$y" -le $((6 * 1048576)) ]
	[ "$(stat_of low "$MNT/g/memory.events")" = 0 ]
}

@test "no command makes the daemon hold more than the emulated RAM, forced charges included" {
	remount -o memory=64M
	fs_setup a
	write_fails ENOMEM "write data/f 1T" "$MNT/a/sim.ctl"
	write_fails ENOMEM "write data/f 100M gfp=nofail" "$MNT/a/sim.ctl"
	echo "write data/f 4K" >"$MNT/a/sim.ctl"
	echo "truncate data/f 1T" >"$MNT/a/sim.ctl"
	write_fails ENOMEM "read data/f gfp=nofail" "$MNT/a/sim.ctl"
	write_fails ENOMEM "lookup data 16000000 gfp=nofail" "$MNT/a/sim.ctl"
	write_fails ENOMEM "slab task_struct 100000 gfp=nofail" "$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 4096 ]
	echo "truncate data/f 0" >"$MNT/a/sim.ctl"
	[ "$(stat_of file "$MNT/a/memory.stat")" = 0 ]
}

# Objects of cache $1 charged to group $2 (memory.kmem.slabinfo).
objs_of() {
	awk -v c="$1" '$1 == c { print $2 }' "$MNT/$2/memory.kmem.slabinfo"
}

@test "inode shrinking: unused disk inodes are on the inode list_lru; reclaim frees them with their dentries" {
	mkgroups a b
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	local i
	for i in $(seq 50); do echo "write data/f$i 4K" >"$MNT/a/sim.ctl"; done
	echo "write shm/t 4K" >"$MNT/a/sim.ctl"
	echo "write data/m 4K" >"$MNT/a/sim.ctl"
	echo "map data/m" >"$MNT/a/sim.ctl"
	# Inodes with page cache are kept off the list (as since 5.18).
	! grep -q '^data.inode ' "$MNT/sim.lru"
	echo "truncate data/f1 0" >"$MNT/a/sim.ctl"
	grep -qx 'data.inode /a 1' "$MNT/sim.lru"
	[ "$(objs_of inode_cache a)" = 52 ]
	[ "$(objs_of dentry a)" = 52 ]
	# Reclaim drops the page cache, then the shrinker the unused inodes
	# and their dentries; the mapped file and the tmpfs file stay.
	echo 1M >"$MNT/a/memory.reclaim" || true
	[ "$(objs_of inode_cache a)" = 2 ]
	[ "$(objs_of dentry a)" = 2 ]
	! grep -q '^data.inode ' "$MNT/sim.lru"
	# The files are still there: a read loads the inode again, charged
	# to the reader, and its page cache keeps it off the list.
	echo "read data/f2" >"$MNT/b/sim.ctl"
	[ "$(objs_of inode_cache b)" = 1 ]
	[ "$(objs_of dentry b)" = 1 ]
	[ "$(stat_of file "$MNT/b/memory.stat")" = 4096 ]
	! grep -q '^data.inode ' "$MNT/sim.lru"
	echo "unlink data/f2" >"$MNT/sim.ctl"
	[ -z "$(objs_of inode_cache b)" ] || [ "$(objs_of inode_cache b)" = 0 ]
}

@test "inode shrinking: an unused inode on a removed group's list is reparented and still reclaimable" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "write data/f 4K" >"$MNT/p/c/sim.ctl"
	echo "truncate data/f 0" >"$MNT/p/c/sim.ctl"
	grep -qx 'data.inode /p/c 1' "$MNT/sim.lru"
	rmdir "$MNT/p/c"
	grep -qx 'data.inode /p 1' "$MNT/sim.lru"
	echo 1M >"$MNT/p/memory.reclaim" || true
	! grep -q '^data.inode ' "$MNT/sim.lru"
	[ "$(objs_of inode_cache p)" = 0 ] || [ -z "$(objs_of inode_cache p)" ]
}

@test "sim.ctl filesystem errors carry core's reason to sim.log, not a guess from the errno" {
	fs_setup a
	# ENOMEM decided before any charge: the request exceeds the machine.
	write_fails ENOMEM "write data/huge 1000G" "$MNT/a/sim.ctl"
	grep -q "write data/huge 1000G.*: more than the machine's RAM (ENOMEM)" "$MNT/sim.log"
	# EINVAL of umount: nothing of that name is mounted (a valid name).
	write_fails EINVAL "umount nosuch" "$MNT/sim.ctl"
	grep -q "umount nosuch.*: no filesystem of that name is mounted (EINVAL)" "$MNT/sim.log"
	write_fails EINVAL "mount x ext4" "$MNT/sim.ctl"
	grep -q "mount x ext4.*: TYPE is disk or tmpfs (EINVAL)" "$MNT/sim.log"
	write_fails ENOENT "read data/none" "$MNT/a/sim.ctl"
	grep -q "read data/none.*: no such file (ENOENT)" "$MNT/sim.log"
	write_fails ENOENT "read nofs/x" "$MNT/a/sim.ctl"
	grep -q "read nofs/x.*: no such filesystem mounted (ENOENT)" "$MNT/sim.log"
	[ "$(current_of a)" = 0 ]
}
