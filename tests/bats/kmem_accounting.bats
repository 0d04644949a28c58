#!/usr/bin/env bats
# Per-memcg kmem accounting, the 5.9+ design: slab objects, per-CPU memory
# and socket memory charged through sim.ctl (obj_cgroup byte stocks on top of
# the per-CPU page stocks), reparenting, and the parent paying for a child's
# memcg.
load helper

# obj_full_size: the <objsize> stride of sim.slabinfo plus the 8-byte
# obj_cgroup pointer.
DENTRY=200       # dentry: 192 + 8
KM64=72          # kmalloc-64: 64 + 8
KM4K=4104        # kmalloc-4k: 4096 + 8
KM8K=8200        # kmalloc-8k: 8192 + 8
PAGE=4096

round_page() {
	echo $((($1 + PAGE - 1) / PAGE * PAGE))
}

# obj_full_size of CACHE, from sim.slabinfo.
full_size() {
	awk -v c="$1" '$1 == c { print $4 + 8 }' "$MNT/sim.slabinfo"
}

# active_objs of CACHE in a memory.kmem.slabinfo (or sim.slabinfo); empty
# when the cache has no line.
objs_of() {
	awk -v c="$1" '$1 == c { print $2 }' "$2"
}

# Drain group $1's subtree, then print KEY of its memory.stat.
drained_stat() {
	echo drain >"$MNT/$1/sim.ctl"
	stat_of "$2" "$MNT/$1/memory.stat"
}

@test "issue session: 100000 dentries and 5000 kmalloc-64, memory.stat, sim.slabinfo, a 10M kmem limit" {
	mkgroups a b
	echo "slab dentry 100000" >"$MNT/a/sim.ctl"
	echo "slab kmalloc-64 5000 gfp=nowait" >"$MNT/a/sim.ctl"
	# The keys the issue greps for, in the kernel's memory.stat order.
	run grep -E '^(kernel|percpu|sock|slab_reclaimable|slab_unreclaimable|slab) ' "$MNT/a/memory.stat"
	[ "${#lines[@]}" = 6 ]
	[[ "${lines[0]}" == "kernel "* ]]
	[[ "${lines[1]}" == "percpu "* ]]
	[[ "${lines[2]}" == "sock "* ]]
	[[ "${lines[3]}" == "slab_reclaimable "* ]]
	[[ "${lines[4]}" == "slab_unreclaimable "* ]]
	[[ "${lines[5]}" == "slab "* ]]
	local slab=$((100000 * DENTRY + 5000 * KM64))
	[ "$(current_of a)" = "$(round_page $slab)" ]
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = $((100000 * DENTRY)) ]
	[ "$(stat_of slab_unreclaimable "$MNT/a/memory.stat")" = $((5000 * KM64)) ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $slab ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = "$(round_page $slab)" ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = "$(round_page $slab)" ]
	# Hierarchical: the root sees a's slab.
	[ "$(drained_stat . slab_reclaimable)" -ge $((100000 * DENTRY)) ]
	# sim.slabinfo lists every cache, and the objects are real ones in it.
	for c in kmalloc-8 kmalloc-16 kmalloc-32 kmalloc-64 kmalloc-96 kmalloc-128 \
		kmalloc-192 kmalloc-256 kmalloc-512 kmalloc-1k kmalloc-2k kmalloc-4k \
		kmalloc-8k dentry inode_cache radix_tree_node task_struct mm_struct \
		sock_inode_cache; do
		grep -q "^$c " "$MNT/sim.slabinfo"
	done
	[ "$(objs_of dentry "$MNT/sim.slabinfo")" -ge 100000 ]
	[ "$(objs_of kmalloc-64 "$MNT/sim.slabinfo")" -ge 5000 ]
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 100000 ]
	[ "$(objs_of kmalloc-64 "$MNT/a/memory.kmem.slabinfo")" = 5000 ]
	# 10M is below a's ~19.4M of kmem; in the empty b it is a hard limit.
	write_fails EBUSY 10M "$MNT/a/memory.kmem.limit_in_bytes"
	echo 10M >"$MNT/b/memory.kmem.limit_in_bytes"
	write_fails ENOMEM "slab dentry 200000" "$MNT/b/sim.ctl"
	[ "$(cat "$MNT/b/memory.kmem.failcnt")" = 1 ]
	[ "$(current_of b)" = 0 ]
	[ "$(stat_of slab "$MNT/b/memory.stat")" = 0 ]
	[ "$(cat "$MNT/b/memory.kmem.usage_in_bytes")" = 0 ]
	[ -z "$(objs_of dentry "$MNT/b/memory.kmem.slabinfo")" ]
	grep -q 'b/sim.ctl: write "slab dentry 200000": .*ENOMEM' "$MNT/sim.log"
	# Freeing the dentries leaves the kmalloc-64 objects.
	echo "free slab dentry 100000" >"$MNT/a/sim.ctl"
	[ "$(current_of a)" = "$(round_page $((5000 * KM64)))" ]
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $((5000 * KM64)) ]
	[ -z "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" ]
}

@test "slab: obj_full_size charging, reclaimable by cache flag, exact after a drain" {
	mkgroups a
	echo "slab dentry 21" >"$MNT/a/sim.ctl"
	echo "slab inode_cache 3" >"$MNT/a/sim.ctl"
	echo "slab mm_struct 5" >"$MNT/a/sim.ctl"
	local ino mm
	ino=$(full_size inode_cache)
	mm=$(full_size mm_struct)
	[ "$mm" = 1096 ]
	local slab=$((21 * DENTRY + 3 * ino + 5 * mm))
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -ge "$(round_page $slab)" ]
	[ "$(current_of a)" = "$(round_page $slab)" ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = "$(round_page $slab)" ]
	# dentry and inode_cache are SLAB_RECLAIM_ACCOUNT caches, as in the kernel.
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = $((21 * DENTRY + 3 * ino)) ]
	[ "$(stat_of slab_unreclaimable "$MNT/a/memory.stat")" = $((5 * mm)) ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $slab ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = "$(round_page $slab)" ]
	[ "$(stat_of kernel_stack "$MNT/a/memory.stat")" = 0 ]
}

@test "gfp modes at a full memory.max: kernel and nowait fail, atomic and nofail force past it" {
	mkgroups a
	echo 1M >"$MNT/a/memory.max"
	echo "anon 1M" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 1048576 ]
	# kernel: 18 reclaim passes raise max, then one oom, then ENOMEM.
	write_fails ENOMEM "slab kmalloc-8k 1" "$MNT/a/sim.ctl"
	[ "$(stat_of max "$MNT/a/memory.events")" = 18 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	# nowait: ENOMEM at once, no max event.
	write_fails ENOMEM "slab kmalloc-8k 1 gfp=nowait" "$MNT/a/sim.ctl"
	[ "$(stat_of max "$MNT/a/memory.events")" = 18 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(current_of a)" = 1048576 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
	[ -z "$(objs_of kmalloc-8k "$MNT/a/memory.kmem.slabinfo")" ]
	# atomic: no reclaim, forced; force: raises max once.
	echo "slab kmalloc-8k 1 gfp=atomic" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" -gt 1048576 ]
	[ "$(stat_of max "$MNT/a/memory.events")" = 19 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(current_of a)" = $((1048576 + $(round_page $KM8K))) ]
	[ "$(stat_of slab_unreclaimable "$MNT/a/memory.stat")" = $KM8K ]
	# nofail: the full reclaim loop (18 max) and the OOM attempt, then forced.
	echo "slab kmalloc-8k 1 gfp=nofail" >"$MNT/a/sim.ctl"
	[ "$(stat_of max "$MNT/a/memory.events")" = 37 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 2 ]
	[ "$(current_of a)" = $((1048576 + $(round_page $((2 * KM8K))))) ]
	[ "$(stat_of slab_unreclaimable "$MNT/a/memory.stat")" = $((2 * KM8K)) ]
	[ "$(objs_of kmalloc-8k "$MNT/a/memory.kmem.slabinfo")" = 2 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = "$(round_page $((2 * KM8K)))" ]
}

@test "gfp modes at a full kmem limit: only nofail gets past it, each refusal counts in failcnt" {
	mkgroups a
	echo 64K >"$MNT/a/memory.kmem.limit_in_bytes"
	echo "slab kmalloc-4k 15" >"$MNT/a/sim.ctl"
	# 15 * 4104 bytes take all 16 pages of the limit.
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 65536 ]
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 0 ]
	local n=0 g
	for g in kernel nowait atomic; do
		write_fails ENOMEM "slab kmalloc-4k 1 gfp=$g" "$MNT/a/sim.ctl"
		n=$((n + 1))
		[ "$(cat "$MNT/a/memory.kmem.failcnt")" = $n ]
	done
	# The kmem limit is not memory.max: no memory.events.
	[ "$(stat_of max "$MNT/a/memory.events")" = 0 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 0 ]
	[ "$(drained_stat a slab_unreclaimable)" = $((15 * KM4K)) ]
	[ "$(objs_of kmalloc-4k "$MNT/a/memory.kmem.slabinfo")" = 15 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 65536 ]
	echo "slab kmalloc-4k 1 gfp=nofail" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 4 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -gt 65536 ]
	[ "$(cat "$MNT/a/memory.kmem.max_usage_in_bytes")" -gt 65536 ]
	[ "$(drained_stat a slab_unreclaimable)" = $((16 * KM4K)) ]
	# Drained: 16 * 4104 bytes in 17 whole pages.
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 69632 ]
	[ "$(current_of a)" = 69632 ]
	write_fails EBUSY 64K "$MNT/a/memory.kmem.limit_in_bytes"
	echo "free slab kmalloc-4k 16" >"$MNT/a/sim.ctl"
	[ "$(current_of a)" = 0 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 0 ]
}

@test "kmem limit: a slab command crossing it fails whole, with nothing left allocated" {
	mkgroups a
	echo 1M >"$MNT/a/memory.kmem.limit_in_bytes"
	echo "slab dentry 1000" >"$MNT/a/sim.ctl"
	# 1000 more would need 400,000 bytes > 1M: none of them stays.
	write_fails ENOMEM "slab dentry 5000" "$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 1 ]
	[ "$(drained_stat a slab_reclaimable)" = $((1000 * DENTRY)) ]
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 1000 ]
	[ "$(current_of a)" = "$(round_page $((1000 * DENTRY)))" ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = "$(round_page $((1000 * DENTRY)))" ]
	# The watermark saw the attempt reach the limit.
	[ "$(cat "$MNT/a/memory.kmem.max_usage_in_bytes")" = 1048576 ]
}

@test "free slab: newest first across the subtree, dying children included" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b" "$MNT/a/c" "$MNT/a/d"
	echo "slab dentry 10" >"$MNT/a/b/sim.ctl"
	echo "slab dentry 5" >"$MNT/a/c/sim.ctl"
	echo "slab dentry 3" >"$MNT/a/b/sim.ctl"
	# The newest 4: b's last 3 and one of c's.
	echo "free slab dentry 4" >"$MNT/a/sim.ctl"
	[ "$(objs_of dentry "$MNT/a/b/memory.kmem.slabinfo")" = 10 ]
	[ "$(objs_of dentry "$MNT/a/c/memory.kmem.slabinfo")" = 4 ]
	# More than exists below the writer's group: EINVAL, nothing freed.
	write_fails EINVAL "free slab dentry 5" "$MNT/a/c/sim.ctl"
	write_fails EINVAL "free slab dentry 15" "$MNT/a/sim.ctl"
	[ "$(objs_of dentry "$MNT/a/b/memory.kmem.slabinfo")" = 10 ]
	[ "$(objs_of dentry "$MNT/a/c/memory.kmem.slabinfo")" = 4 ]
	# A group frees only its own subtree's objects: c's 4, not b's.
	echo "free slab dentry 4" >"$MNT/a/c/sim.ctl"
	[ -z "$(objs_of dentry "$MNT/a/c/memory.kmem.slabinfo")" ]
	[ "$(objs_of dentry "$MNT/a/b/memory.kmem.slabinfo")" = 10 ]
	# d's objects are the newest; d dies and a inherits them.
	echo "slab dentry 2" >"$MNT/a/d/sim.ctl"
	rmdir "$MNT/a/d"
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 2 ]
	echo "free slab dentry 2" >"$MNT/a/sim.ctl"
	[ -z "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" ]
	[ "$(objs_of dentry "$MNT/a/b/memory.kmem.slabinfo")" = 10 ]
	[ "$(drained_stat a/b slab_reclaimable)" = $((10 * DENTRY)) ]
	[ "$(drained_stat a/c slab_reclaimable)" = 0 ]
	[ "$(drained_stat a slab_reclaimable)" = $((10 * DENTRY)) ]
}

@test "slab does not pin a removed child: objects reparent to the parent through obj_cgroup" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	echo "slab dentry 100" >"$MNT/a/b/sim.ctl"
	rmdir "$MNT/a/b"
	[ ! -e "$MNT/a/b" ]
	[ "$(stat_of nr_dying_descendants "$MNT/a/cgroup.stat")" = 0 ]
	[ "$(drained_stat a slab_reclaimable)" = $((100 * DENTRY)) ]
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 100 ]
	echo "free slab dentry 100" >"$MNT/a/sim.ctl"
	[ "$(drained_stat a slab)" = 0 ]
	[ "$(current_of a)" = 0 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 0 ]
}

@test "sock memory pins a removed child until it is freed" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	echo "sock 1M" >"$MNT/a/b/sim.ctl"
	rmdir "$MNT/a/b"
	[ "$(stat_of nr_dying_descendants "$MNT/a/cgroup.stat")" = 1 ]
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 1048576 ]
	echo "free sock 1M" >"$MNT/a/sim.ctl"
	echo drain >"$MNT/a/sim.ctl"
	wait_until "[ \"\$(stat_of nr_dying_descendants '$MNT/a/cgroup.stat')\" = 0 ]"
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 0 ]
	[ "$(current_of a)" = 0 ]
}

@test "percpu and sock: exact bytes and whole pages, frees beyond them are EINVAL" {
	mkgroups a
	echo "percpu 8K" >"$MNT/a/sim.ctl"
	[ "$(drained_stat a percpu)" = 8192 ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = 8192 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 8192 ]
	echo "sock 5000" >"$MNT/a/sim.ctl"
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 8192 ]
	[ "$(current_of a)" = 16384 ]
	# Socket memory is not kmem.
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = 8192 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 8192 ]
	# Bytes of percpu share pages with the rest of the group's kmem.
	echo "percpu 100" >"$MNT/a/sim.ctl"
	[ "$(drained_stat a percpu)" = 8292 ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = 12288 ]
	[ "$(current_of a)" = $((12288 + 8192)) ]
	write_fails EINVAL "free percpu 8293" "$MNT/a/sim.ctl"
	write_fails EINVAL "free sock 12K" "$MNT/a/sim.ctl"
	[ "$(drained_stat a percpu)" = 8292 ]
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 8192 ]
	echo "free percpu 8292" >"$MNT/a/sim.ctl"
	echo "free sock 5000" >"$MNT/a/sim.ctl"
	[ "$(current_of a)" = 0 ]
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = 0 ]
}

@test "sim.ctl kmem commands: bad input is EINVAL and changes nothing" {
	remount -o cpus=4
	mkgroups a
	echo "slab dentry 10" >"$MNT/a/sim.ctl"
	echo "percpu 8K" >"$MNT/a/sim.ctl"
	echo "sock 5000" >"$MNT/a/sim.ctl"
	local before slabinfo
	before=$(current_of a; grep -E '^(kernel|percpu|sock|slab) ' "$MNT/a/memory.stat")
	slabinfo=$(cat "$MNT/a/memory.kmem.slabinfo")
	local c
	for c in "slab nosuch 1" "slab DENTRY 1" "slab dentry 0" "slab dentry -1" \
		"slab dentry lots" "slab dentry 1.5" "slab dentry 1K" \
		"slab kmalloc-8k 131073" "slab dentry 6000000" \
		"slab dentry 1 cpu=4" "slab dentry 1 cpu=-1" "slab dentry 1 cpu=x" \
		"slab dentry 1 gfp=sometimes" "slab dentry 1 color=blue" \
		"slab dentry" "slab" "slab dentry 1 2" \
		"free slab dentry 11" "free slab nosuch 1" \
		"free slab dentry 0" "free slab dentry" "free slab" \
		"percpu 0" "percpu abc" "percpu -4K" "percpu 2G" "free percpu 8193" \
		"sock 0" "sock 1.5K" "sock 2G" "free sock 16K" "free sock" \
		"slabs dentry 1"; do
		write_fails EINVAL "$c" "$MNT/a/sim.ctl"
	done
	[ "$(current_of a; grep -E '^(kernel|percpu|sock|slab) ' "$MNT/a/memory.stat")" = "$before" ]
	[ "$(cat "$MNT/a/memory.kmem.slabinfo")" = "$slabinfo" ]
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 0 ]
	grep -q 'a/sim.ctl: write "slab nosuch 1": .*EINVAL' "$MNT/sim.log"
}

@test "free of a kind the subtree holds none of is EINVAL" {
	# Regression: collect() once passed qsort(NULL, 0, ...) here, which
	# the UBSan build (make asan) turned into a daemon abort.
	mkgroups a
	echo "slab dentry 1" >"$MNT/a/sim.ctl"
	write_fails EINVAL "free slab kmalloc-64 1" "$MNT/a/sim.ctl"
	write_fails EINVAL "free percpu 4K" "$MNT/a/sim.ctl"
	write_fails EINVAL "free sock 4K" "$MNT/a/sim.ctl"
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 1 ]
}

@test "memory.kmem.slabinfo: a 2.1 header and one line per cache with objects charged to the group" {
	mkgroups a b
	[ ! -e "$MNT/memory.kmem.slabinfo" ]
	[ "$(stat -c %a "$MNT/a/memory.kmem.slabinfo")" = 444 ]
	run cat "$MNT/a/memory.kmem.slabinfo"
	[ "${#lines[@]}" = 2 ]
	[ "${lines[0]}" = "slabinfo - version: 2.1" ]
	[ "${lines[1]}" = "$(sed -n 2p "$MNT/sim.slabinfo")" ]
	echo "slab dentry 100" >"$MNT/a/sim.ctl"
	echo "slab task_struct 2" >"$MNT/a/sim.ctl"
	echo "slab dentry 7" >"$MNT/b/sim.ctl"
	run cat "$MNT/a/memory.kmem.slabinfo"
	[ "${#lines[@]}" = 4 ]
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 100 ]
	[ "$(objs_of task_struct "$MNT/a/memory.kmem.slabinfo")" = 2 ]
	[ "$(objs_of dentry "$MNT/b/memory.kmem.slabinfo")" = 7 ]
	# The rest of the line has sim.slabinfo's shape.
	grep -qE '^dentry +100 +[0-9]+ +192 +[0-9]+ +[0-9]+ : tunables +0 +0 +0 : slabdata +[0-9]+ +[0-9]+ +0$' "$MNT/a/memory.kmem.slabinfo"
	echo "free slab dentry 100" >"$MNT/a/sim.ctl"
	! grep -q '^dentry ' "$MNT/a/memory.kmem.slabinfo"
	[ "$(objs_of task_struct "$MNT/a/memory.kmem.slabinfo")" = 2 ]
	[ "$(objs_of dentry "$MNT/b/memory.kmem.slabinfo")" = 7 ]
}

@test "cpu=K: each virtual CPU charges through its own page stock" {
	remount -o cpus=4
	mkgroups a
	# mkdir left the root's objcg (a's memcg structure) in the stocks of
	# the mkdir's CPU; switching that CPU to a would uncharge root pages
	# into its page stock and so flush a's.  Start from empty stocks.
	echo drain >"$MNT/sim.ctl"
	echo "slab kmalloc-64 1 cpu=0" >"$MNT/a/sim.ctl"
	# One batch of MEMCG_CHARGE_BATCH pages, 63 of them in CPU 0's stock.
	[ "$(cat "$MNT/a/memory.current")" = 262144 ]
	echo "slab kmalloc-64 1 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 524288 ]
	# CPU 1's byte stock covers another object: no new charge.
	echo "slab kmalloc-64 1 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 524288 ]
	# The kmem counter takes whole pages, not batches: one per CPU.
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 8192 ]
	write_fails EINVAL "slab kmalloc-64 1 cpu=4" "$MNT/a/sim.ctl"
	echo "slab kmalloc-64 1 cpu=3" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 786432 ]
	# The drain returns the stocks; 4 * 72 bytes fit one page.
	[ "$(current_of a)" = 4096 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $((4 * KM64)) ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 4096 ]
}

@test "mkdir charges the child's memcg (slab + percpu of cpus x a fixed size) to the parent" {
	remount -o cpus=2
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	[ "$(cat "$MNT/p/c/memory.current")" = 0 ]
	[ "$(stat_of slab "$MNT/p/c/memory.stat")" = 0 ]
	[ "$(stat_of percpu "$MNT/p/c/memory.stat")" = 0 ]
	local pcpu2 slab2
	pcpu2=$(drained_stat p percpu)
	slab2=$(stat_of slab "$MNT/p/memory.stat")
	[ "$pcpu2" -gt 0 ]
	[ "$slab2" -gt 0 ]
	[ "$(current_of p)" = "$(round_page $((pcpu2 + slab2)))" ]
	remount -o cpus=4
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	[ "$(drained_stat p percpu)" = $((2 * pcpu2)) ]
	[ "$(stat_of slab "$MNT/p/memory.stat")" = "$slab2" ]
	# Nothing of it is the child's own.
	[ "$(current_of p/c)" = 0 ]
	[ "$(cat "$MNT/p/c/memory.kmem.usage_in_bytes")" = 0 ]
	rmdir "$MNT/p/c"
	[ "$(current_of p)" = 0 ]
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 0 ]
	[ "$(stat_of slab "$MNT/p/memory.stat")" = 0 ]
}

@test "1,000 empty children: the parent holds exactly their memcgs, and gets it all back" {
	remount -o cpus=4
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c1"
	local pcpu1 slab1
	pcpu1=$(drained_stat p percpu)
	slab1=$(stat_of slab "$MNT/p/memory.stat")
	mkdir "$MNT"/p/c{2..1000}
	[ "$(stat_of nr_descendants "$MNT/p/cgroup.stat")" = 1000 ]
	[ "$(cat "$MNT/p/c500/memory.current")" = 0 ]
	[ "$(stat_of percpu "$MNT/p/c1000/memory.stat")" = 0 ]
	# Undrained: the stocks hold at most a batch and a page per CPU more.
	local cur pcpu slab
	cur=$(cat "$MNT/p/memory.current")
	pcpu=$(stat_of percpu "$MNT/p/memory.stat")
	slab=$(stat_of slab "$MNT/p/memory.stat")
	[ $((cur - pcpu - slab)) -ge 0 ]
	[ $((cur - pcpu - slab)) -lt $(((64 + 1) * PAGE * 4)) ]
	# Drained: exact.
	pcpu=$(drained_stat p percpu)
	slab=$(stat_of slab "$MNT/p/memory.stat")
	[ "$pcpu" = $((1000 * pcpu1)) ]
	[ "$slab" = $((1000 * slab1)) ]
	[ "$(cat "$MNT/p/memory.current")" = "$(round_page $((pcpu + slab)))" ]
	[ "$(stat_of kernel "$MNT/p/memory.stat")" = "$(round_page $((pcpu + slab)))" ]
	[ "$(cat "$MNT/p/memory.kmem.usage_in_bytes")" = "$(round_page $((pcpu + slab)))" ]
	rmdir "$MNT"/p/c{1..1000}
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]
	[ "$(current_of p)" = 0 ]
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 0 ]
	[ "$(stat_of slab "$MNT/p/memory.stat")" = 0 ]
	[ "$(stat_of kernel "$MNT/p/memory.stat")" = 0 ]
	[ "$(cat "$MNT/p/memory.kmem.usage_in_bytes")" = 0 ]
}

@test "every kmem counter returns to zero in the group and its parent" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo "slab dentry 1000" >"$MNT/p/c/sim.ctl"
	echo "slab kmalloc-64 300 gfp=nowait" >"$MNT/p/c/sim.ctl"
	echo "slab radix_tree_node 50 gfp=atomic" >"$MNT/p/c/sim.ctl"
	echo "percpu 12K" >"$MNT/p/c/sim.ctl"
	echo "sock 10000" >"$MNT/p/c/sim.ctl"
	[ "$(current_of p/c)" -gt 0 ]
	[ "$(cat "$MNT/p/c/memory.kmem.max_usage_in_bytes")" -gt 0 ]
	# The hierarchical sums: p = c + c's memcg.
	# radix_tree_node is SLAB_RECLAIM_ACCOUNT, as in the kernel.
	[ "$(stat_of slab_reclaimable "$MNT/p/memory.stat")" = $((1000 * DENTRY + 50 * $(full_size radix_tree_node))) ]
	[ "$(stat_of slab_unreclaimable "$MNT/p/c/memory.stat")" = $((300 * KM64)) ]
	[ "$(stat_of sock "$MNT/p/memory.stat")" = 12288 ]
	[ "$(current_of p)" = $(($(stat_of kernel "$MNT/p/memory.stat") + 12288)) ]
	echo "free slab radix_tree_node 50" >"$MNT/p/c/sim.ctl"
	echo "free slab kmalloc-64 300" >"$MNT/p/sim.ctl"
	echo "free slab dentry 1000" >"$MNT/p/c/sim.ctl"
	echo "free percpu 12K" >"$MNT/p/c/sim.ctl"
	echo "free sock 10000" >"$MNT/p/c/sim.ctl"
	local k
	[ "$(current_of p/c)" = 0 ]
	for k in kernel slab slab_reclaimable slab_unreclaimable percpu sock; do
		[ "$(stat_of $k "$MNT/p/c/memory.stat")" = 0 ]
	done
	[ "$(cat "$MNT/p/c/memory.kmem.usage_in_bytes")" = 0 ]
	[ -z "$(sed 1,2d "$MNT/p/c/memory.kmem.slabinfo")" ]
	# p keeps only c's memcg, which goes with c.
	[ "$(user_current_of p)" = 0 ]
	rmdir "$MNT/p/c"
	[ "$(current_of p)" = 0 ]
	for k in kernel slab slab_reclaimable slab_unreclaimable percpu sock; do
		[ "$(stat_of $k "$MNT/p/memory.stat")" = 0 ]
	done
	[ "$(cat "$MNT/p/memory.kmem.usage_in_bytes")" = 0 ]
	[ -z "$(sed 1,2d "$MNT/p/memory.kmem.slabinfo")" ]
}

@test "parked objects: freed ones stay charged on their CPU, as stock, until a drain or a reuse" {
	mkgroups a
	echo "slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	echo "free slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	# Freed: memory.stat and memory.kmem.slabinfo no longer show them...
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
	[ -z "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" ]
	# ...but CPU 1 keeps their charge, like the rest of its stock.
	[ "$(cat "$MNT/a/memory.current")" -ge $((100 * DENTRY)) ]
	grep -qx 'ok 1' "$MNT/sim.check"
	# The next 100 on CPU 1 reuse them: no new charge, same usage.
	local before
	before=$(cat "$MNT/a/memory.current")
	echo "slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = "$before" ]
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 100 ]
	echo "free slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	# A drain gives them back.
	[ "$(current_of a)" = 0 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = 0 ]
}

@test "parked objects go back under kmem limits and reclaim" {
	mkgroups a
	echo 64K >"$MNT/a/memory.kmem.limit_in_bytes"
	echo "slab dentry 300 cpu=1" >"$MNT/a/sim.ctl"
	echo "free slab dentry 300 cpu=1" >"$MNT/a/sim.ctl"
	# Another CPU may use the whole limit: the charge path drains the
	# stocks, parks included, before it gives up.
	echo "slab dentry 300 cpu=0" >"$MNT/a/sim.ctl"
	[ "$(objs_of dentry "$MNT/a/memory.kmem.slabinfo")" = 300 ]
	echo "free slab dentry 300 cpu=0" >"$MNT/a/sim.ctl"
	echo "slab dentry 300 cpu=1" >"$MNT/a/sim.ctl"
	echo "free slab dentry 300 cpu=1" >"$MNT/a/sim.ctl"
	# Proactive reclaim leaves no parked charge behind (it finds nothing
	# else to reclaim here, so it answers EAGAIN).
	# (The pages go to the page stock, as any uncharge's do, so it is
	# the kmem counter that shows it.)
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -ge $((300 * DENTRY)) ]
	echo 1M >"$MNT/a/memory.reclaim" || true
	# What is left are the byte stocks of CPUs 0 and 1: under a page each.
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -le $((2 * PAGE)) ]
}

@test "parked objects: a switch to a kmem=clone-* policy gives them back" {
	mkgroups a
	echo "slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	echo "free slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -ge $((100 * DENTRY)) ]
	echo kmem=clone-leak >"$MNT/sim.policy"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 0 ]
	# Clones allocate and free by whole slab pages; nothing parks.
	echo "slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	echo "free slab dentry 100 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" -lt $((100 * DENTRY)) ]
}
