#!/usr/bin/env bats
# kmem= policies (issue #5): the pre-5.9 per-memcg cache clones and seed
# 000's four ways for dead caches, against 5.9's objcg; and reaper=.
load helper

zkey() {	# zkey KEY FILE: the value of KEY in the first zombie block
	awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$2"
}

dying_of() {	# nr_dying_descendants of group $1 (root when empty)
	stat_of nr_dying_descendants "$MNT/${1:+$1/}cgroup.stat"
}

clones_of() {	# lines of sim.slabinfo for clones of cache $1
	grep -c "^$1(" "$MNT/sim.slabinfo" || true
}

# p/c made 50 dentry objects with sim.ctl, then c was removed.
dead_child() {
	remount -o "policy=kmem=$1"
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	echo "slab dentry 50" >"$MNT/p/c/sim.ctl"
	rmdir "$MNT/p/c"
}

# memory.current == anon + file + kernel + sock at group $1 (drained).
selftest_sum_holds() {
	local cur sum
	cur=$(current_of "$1")
	sum=$(awk '$1 ~ /^(anon|file|kernel|sock)$/ { n += $2 } END { print n }' "$MNT/$1/memory.stat")
	[ "$cur" = "$sum" ] || {
		echo "memory.current $cur != anon+file+kernel+sock $sum" >&2
		return 1
	}
}

@test "clone modes: a group's first object makes its clone; slab is charged by the whole page" {
	remount -o policy=kmem=clone-leak
	mkgroups a
	echo "slab dentry 1000" >"$MNT/a/sim.ctl"
	# 192-byte dentries, 21 to a 1-page slab: 48 slabs, charged whole
	local clone
	clone=$(awk '$1 ~ /^dentry\(/ { print $1 }' "$MNT/sim.slabinfo")
	[[ "$clone" =~ ^dentry\([0-9]+:a\)$ ]]
	[ "$(awk -v c="$clone" '$1 == c { print $2, $15 }' "$MNT/sim.slabinfo")" = "1000 48" ]
	[ "$(stat_of slab_reclaimable "$MNT/a/memory.stat")" = $((48 * 4096)) ]
	[ "$(stat_of kernel "$MNT/a/memory.stat")" = $((48 * 4096)) ]
	[ "$(stat_of "$clone" "$MNT/a/memory.kmem.slabinfo")" = 1000 ]
	# the root cache holds none of it
	[ "$(awk '$1 == "dentry" { print $2 }' "$MNT/sim.slabinfo")" = 0 ]
	selftest_sum_holds a
	# a live cache keeps up to 4 empty slabs, still charged
	echo "free slab dentry 1000" >"$MNT/a/sim.ctl"
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $((4 * 4096)) ]
	selftest_sum_holds a
	# the second command reuses the clone
	echo "slab dentry 10" >"$MNT/a/sim.ctl"
	[ "$(clones_of dentry)" = 1 ]
	[ "$(stat_of slab "$MNT/a/memory.stat")" = $((4 * 4096)) ]
}

@test "kmem=clone-leak: a group whose dentries outlive it stays dying with its cache listed, even once they are gone" {
	remount -o policy=kmem=clone-leak
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	echo "mount data disk" >"$MNT/sim.ctl"
	mkdir "$MNT/p/c"
	echo "lookup data 100" >"$MNT/p/c/sim.ctl"
	rmdir "$MNT/p/c"
	[ "$(dying_of p)" = 1 ]
	local z=$MNT/sim.zombies
	[[ "$(zkey slab_cache "$z")" =~ ^dentry\([0-9]+:c\)\ 20480\ 100$ ]]
	[ "$(zkey refs "$z")" = 1 ]
	# the dentries go (reclaim of p walks the lists c's moved to) ...
	echo 1G >"$MNT/p/memory.reclaim" || true
	[[ "$(zkey slab_cache "$z")" =~ \ 0$ ]]
	# ... and the dead cache keeps its empty slabs: the memcg leaks
	[ "$(dying_of p)" = 1 ]
	[ "$(clones_of dentry)" = 1 ]
	[ "$(zkey 'would_free' "$z")" = "pages=reparent-walk 0" ]
	grep -qx "would_free kmem=clone-leak 0" "$z"
	grep -qx "would_free kmem=clone-nocache 16384" "$z"
	grep -qx "would_free kmem=clone-refcount 16384" "$z"
	# JSON names the cache too
	jq -e '.[0].slab_caches[0].objects == 0 and .[0].slab_caches[0].bytes == 16384
	       and .[0].would_free["kmem=clone-reparent"] == 16384' "$MNT/sim.zombies.json"
	selftest_sum_holds p
}

# dead_child POLICY, then 49 of its 50 dentries freed: the dead cache
# still holds BYTES with one object; the last free releases the zombie.
last_free_releases() {
	dead_child "$1"
	[ "$(dying_of p)" = 1 ]
	echo "free slab dentry 49" >"$MNT/p/sim.ctl"
	[ "$(zkey slab_cache "$MNT/sim.zombies" | awk '{ print $2, $3 }')" = "$2 1" ]
	[ "$(dying_of p)" = 1 ]
	echo "free slab dentry 1" >"$MNT/p/sim.ctl"
	[ "$(dying_of p)" = 0 ]
	[ "$(clones_of dentry)" = 0 ]
	selftest_sum_holds p
}

@test "kmem=clone-nocache: emptied slabs of a dead cache go at once; the last free releases the zombie" {
	# 50 dentries in 3 slabs; 49 freed: the two emptied slabs are gone
	last_free_releases clone-nocache 4096
}

@test "kmem=clone-refcount: dead caches keep their slabs until the last object, then go at once" {
	last_free_releases clone-refcount 12288
}

@test "kmem=clone-reap: an emptied dead cache goes at the next periodic reap" {
	dead_child clone-reap
	echo "free slab dentry 50" >"$MNT/p/sim.ctl"
	# nothing is destroyed on free; the reaper walks dead caches each second
	wait_until '[ "$(dying_of p)" = 0 ]'
	[ "$(clones_of dentry)" = 0 ]
	selftest_sum_holds p
}

@test "kmem=clone-reap: memory pressure reaps dead caches too" {
	dead_child clone-reap
	echo "free slab dentry 50" >"$MNT/p/sim.ctl"
	# reclaim (memory.reclaim) shrinks dead caches before scanning
	echo 1M >"$MNT/p/memory.reclaim" || true
	[ "$(clones_of dentry)" = 0 ] || [ "$(dying_of p)" = 0 ]
	[ "$(dying_of p)" = 0 ]
}

@test "kmem=clone-reparent: at rmdir the cache and its charge move to the parent; no zombie" {
	dead_child clone-reparent
	[ "$(dying_of p)" = 0 ]
	# the dead cache lives on, owned by p, its 50 objects listed there
	local clone
	clone=$(awk '$1 ~ /^dentry\(/ { print $1 }' "$MNT/sim.slabinfo")
	[[ "$clone" =~ :c\)$ ]]
	[ "$(stat_of "$clone" "$MNT/p/memory.kmem.slabinfo")" = 50 ]
	selftest_sum_holds p
	# it dies with its last page (dead caches keep no free slabs): p
	# gets back the 3 pages of 50 dentries
	local before
	before=$(stat_of slab "$MNT/p/memory.stat")
	echo "free slab dentry 50" >"$MNT/p/sim.ctl"
	[ "$(clones_of dentry)" = 0 ]
	[ $((before - $(stat_of slab "$MNT/p/memory.stat"))) = $((3 * 4096)) ]
	selftest_sum_holds p
}

@test "kmem=clone-reparent: caches climb past dying ancestors to the first live one" {
	remount -o policy=kmem=clone-leak
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/q"
	echo +memory >"$MNT/p/q/cgroup.subtree_control"
	mkdir "$MNT/p/q/c"
	echo "slab dentry 5" >"$MNT/p/q/c/sim.ctl"
	rmdir "$MNT/p/q/c" "$MNT/p/q"
	[ "$(dying_of p)" = 2 ]
	echo kmem=clone-reparent >"$MNT/sim.policy"
	[ "$(dying_of p)" = 0 ]
	[ "$(stat_of "$(awk '$1 ~ /^dentry\(/ { print $1 }' "$MNT/sim.slabinfo")" \
		"$MNT/p/memory.kmem.slabinfo")" = 5 ]
	selftest_sum_holds p
}

@test "kmem=: switching policy applies to dead caches at once; objcg stops making clones" {
	dead_child clone-leak
	echo "free slab dentry 50" >"$MNT/p/sim.ctl"
	[ "$(dying_of p)" = 1 ]
	echo kmem=clone-nocache >"$MNT/sim.policy"
	[ "$(dying_of p)" = 0 ]
	grep -qx "kmem=clone-nocache (4.0-5.2, way 1: dead caches keep no free slabs)" "$MNT/sim.policy"
	echo kmem=objcg >"$MNT/sim.policy"
	mkdir "$MNT/p/d"
	echo "slab dentry 5" >"$MNT/p/d/sim.ctl"
	[ "$(clones_of dentry)" = 0 ]
	[ "$(stat_of dentry "$MNT/p/d/memory.kmem.slabinfo")" = 5 ]
}

@test "kmem=: the root gets no clones; bad values are EINVAL and change nothing" {
	remount -o policy=kmem=clone-refcount
	echo "slab dentry 5" >"$MNT/sim.ctl"
	[ "$(clones_of dentry)" = 0 ]
	local v
	for v in kmem=clone kmem=clone-leak, kmem= kmem=CLONE-LEAK "kmem= clone-leak" kmem=objcg,1; do
		write_fails EINVAL "$v" "$MNT/sim.policy"
	done
	grep -q "^kmem=clone-refcount " "$MNT/sim.policy"
}

@test "reaper=on,N: dying groups' reclaimable cache is reclaimed; tmpfs without swap still pins" {
	mkgroups a b
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo "write data/d 4M" >"$MNT/a/sim.ctl"
	echo "write shm/s 4M" >"$MNT/b/sim.ctl"
	rmdir "$MNT/a" "$MNT/b"
	sleep 1.2
	[ "$(dying_of)" = 2 ]		# mainline: nothing reaps them
	echo reaper=on,1 >"$MNT/sim.policy"
	grep -q "^reaper=on,1 (vendor kernels" "$MNT/sim.policy"
	wait_until '[ "$(dying_of)" = 1 ]'
	[ "$(zkey path "$MNT/sim.zombies")" = /b ]
	[ "$(zkey shmem "$MNT/sim.zombies")" = 4194304 ]
	echo reaper=off >"$MNT/sim.policy"
	grep -q "^reaper=off " "$MNT/sim.policy"
}

@test "reaper=: bad values are EINVAL and change nothing; -o policy= takes it too" {
	local v
	for v in reaper=on,0 reaper=on, reaper=on,x reaper=on,1x reaper=off,3 \
		 reaper=on,86401 reaper=on,-1 reaper=onn reaper=on,01; do
		write_fails EINVAL "$v" "$MNT/sim.policy"
	done
	grep -q "^reaper=off " "$MNT/sim.policy"
	# libfuse splits -o at commas: a backslash keeps this one
	remount -o 'policy=reaper=on\,7:kmem=clone-reap'
	grep -q "^reaper=on,7 " "$MNT/sim.policy"
	grep -q "^kmem=clone-reap " "$MNT/sim.policy"
	echo reaper=on >"$MNT/sim.policy"
	grep -q "^reaper=on,5 " "$MNT/sim.policy"
}
