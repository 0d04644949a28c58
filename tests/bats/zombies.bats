#!/usr/bin/env bats
# Zombie introspection: sim.zombies, sim.zombies.json, sim.ids (issue #5,
# first part).
load helper

lru_of_p() {	# dentries on p's lists, from sim.lru
	awk '$2 == "/p" { n += $3 } END { print n + 0 }' "$MNT/sim.lru"
}

zkey() {	# zkey KEY FILE: the value of KEY in the first zombie block
	awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$2"
}

@test "sim.zombies: a tmpfs file mapped by a live group keeps a removed group dying, and says so" {
	mkgroups a b
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo "write shm/log 4M" >"$MNT/a/sim.ctl"
	echo "map shm/log" >"$MNT/b/sim.ctl"
	[ -z "$(cat "$MNT/sim.zombies")" ]
	rmdir "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	local z=$MNT/sim.zombies
	[ "$(zkey path "$z")" = /a ]
	[[ "$(zkey id "$z")" =~ ^[0-9]+$ ]]
	[[ "$(zkey removed "$z")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]]
	[ "$(zkey shmem "$z")" = 4194304 ]
	[ "$(zkey pinning_file "$z")" = "shm/log 4194304" ]
	[ "$(zkey user "$z")" = "shm/log /b" ]
	[ "$(zkey refs "$z")" = 1024 ]
	# JSON says the same, for tools
	run jq -r '.[0] | [.path, .charged.shmem, .files[0].file, .files[0].users[0]] | @tsv' "$MNT/sim.zombies.json"
	[ "$status" = 0 ]
	[ "$output" = $'/a\t4194304\tshm/log\t/b' ]
	[ "$(jq length "$MNT/sim.zombies.json")" = 1 ]
	# The last pin goes: the zombie is released and leaves every listing.
	echo "unmap shm/log" >"$MNT/b/sim.ctl"
	echo "unlink shm/log" >"$MNT/sim.ctl"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	[ -z "$(cat "$MNT/sim.zombies")" ]
	[ "$(cat "$MNT/sim.zombies.json")" = "[]" ]
}

@test "sim.zombies: every level lists its subtree's zombies; anon owners, sockets and slab" {
	mkgroups p q
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	spawn bash -c "echo 'anon 2M' > '$MNT/p/c/sim.ctl' && touch '$MNT.anon' && exec sleep 600"
	wait_until "[ -e '$MNT.anon' ]"
	echo "sock 8K" >"$MNT/p/c/sim.ctl"
	echo "slab dentry 100" >"$MNT/p/c/sim.ctl"
	rmdir "$MNT/p/c"
	[ "$(zkey path "$MNT/p/sim.zombies")" = /p/c ]
	[ "$(zkey anon "$MNT/p/sim.zombies")" = 2097152 ]
	[ "$(zkey anon_owner "$MNT/p/sim.zombies")" = "$LAST_PID 2097152" ]
	[ "$(zkey sockets "$MNT/p/sim.zombies")" = 1 ]
	[ "$(zkey sock "$MNT/p/sim.zombies")" = 8192 ]
	[ "$(zkey path "$MNT/sim.zombies")" = /p/c ]
	[ -z "$(cat "$MNT/q/sim.zombies")" ]
	# slab does not pin a zombie in the 5.9+ design
	[ "$(jq -c '.[0].slab_caches' "$MNT/p/sim.zombies.json")" = "[]" ]
	[ "$(jq '.[0].anon_owners[0].pid' "$MNT/p/sim.zombies.json")" = "$LAST_PID" ]
	kill -9 "$LAST_PID"
	echo "free sock 8K" >"$MNT/p/sim.ctl"
	echo drain >"$MNT/sim.ctl"
	wait_until "[ -z \"\$(cat '$MNT/p/sim.zombies')\" ]"
}

@test "sim.ids: IDs of live groups, dying ones, free and the limit" {
	remount -o ids=10
	[ "$(cat "$MNT/sim.ids")" = $'live 1\ndying 0\ndying_holding_ids 0\nfree 9\nmax 10' ]
	mkgroups a b
	echo "sock 4K" >"$MNT/a/sim.ctl"
	rmdir "$MNT/a"
	[ "$(stat_of live "$MNT/sim.ids")" = 2 ]
	[ "$(stat_of dying "$MNT/sim.ids")" = 1 ]
	[ "$(stat_of free "$MNT/sim.ids")" = 8 ]
	[ ! -e "$MNT/b/sim.ids" ]
}

@test "sim.policy: current designs with their eras; ids=hold lets zombies exhaust the ID space" {
	remount -o ids=4
	run cat "$MNT/sim.policy"
	[ "${lines[0]}" = "kmem=objcg (>=5.9: shared caches, objcg reparented, slab never pins)" ]
	grep -qx "ids=recycle (>=4.8: IDs freed at offline)" "$MNT/sim.policy"
	grep -qx "stats=rstat (>=5.13)" "$MNT/sim.policy"
	grep -qx "lru=lazy (>=5.18)" "$MNT/sim.policy"
	echo ids=hold >"$MNT/sim.policy"
	grep -qx "ids=hold (<4.8: IDs kept until release)" "$MNT/sim.policy"
	mkgroups a b c		# with the root: 4 IDs, all taken
	local g
	for g in a b; do
		echo "sock 4K" >"$MNT/$g/sim.ctl"
		rmdir "$MNT/$g"
	done
	# two groups visible (root and c), yet no ID is free
	[ "$(cat "$MNT/sim.ids")" = $'live 2\ndying 2\ndying_holding_ids 2\nfree 0\nmax 4' ]
	fails_with ENOSPC mkdir "$MNT/d"
	echo "free sock 8K" >"$MNT/sim.ctl"
	echo drain >"$MNT/sim.ctl"
	wait_until "[ \"\$(stat_of dying '$MNT/sim.ids')\" = 0 ]"
	mkdir "$MNT/d"
	# under recycle the same zombies would hold nothing
	echo ids=recycle >"$MNT/sim.policy"
	echo "sock 4K" >"$MNT/d/sim.ctl"
	rmdir "$MNT/d"
	[ "$(stat_of dying_holding_ids "$MNT/sim.ids")" = 0 ]
	mkdir "$MNT/e"
}

@test "sim.policy: unknown keys and values, unmodelled designs and mount-only ones are refused" {
	write_fails EINVAL "bogus=1" "$MNT/sim.policy"
	write_fails EINVAL "ids=sometimes" "$MNT/sim.policy"
	write_fails EINVAL "kmem=slub" "$MNT/sim.policy"
	write_fails EINVAL "ids" "$MNT/sim.policy"
	write_fails EINVAL "ids=hold kmem=objcg" "$MNT/sim.policy"
	write_fails EBUSY "stats=sum" "$MNT/sim.policy"
	write_fails EBUSY "lru=eager" "$MNT/sim.policy"
	write_fails EINVAL "reaper=on,0" "$MNT/sim.policy"
	# sim.log has the reason policy_set() gave, one for each refusal
	grep -q 'bogus=1.*: unknown policy (see sim.policy) (EINVAL)' "$MNT/sim.log"
	grep -q 'ids=sometimes.*: unknown value (see sim.policy) (EINVAL)' "$MNT/sim.log"
	grep -q 'stats=sum.*: chosen at mount (-o stats=, -o lru=) (EBUSY)' "$MNT/sim.log"
	grep -q 'reaper=on,0.*: reaper takes off, on or on,SECONDS (1..86400) (EINVAL)' "$MNT/sim.log"
	echo kmem=objcg >"$MNT/sim.policy"
	grep -qx "ids=recycle (>=4.8: IDs freed at offline)" "$MNT/sim.policy"
	remount -o policy=ids=hold
	grep -q "^ids=hold" "$MNT/sim.policy"
}

# a: 4M on disk (unmapped) + 4M of tmpfs mapped by b; then rmdir a.
pages_zombie() {
	remount -o "policy=pages=$1"
	mkgroups a b
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	echo "write data/d 4M" >"$MNT/a/sim.ctl"
	echo "write shm/s 4M" >"$MNT/a/sim.ctl"
	echo "map shm/s" >"$MNT/b/sim.ctl"
}

@test "pages=pin: the zombie says what each policy would free" {
	pages_zombie pin
	rmdir "$MNT/a"
	grep -qx "would_free pages=reparent-walk 8388608" "$MNT/sim.zombies"
	grep -qx "would_free pages=recharge 4194304" "$MNT/sim.zombies"
	grep -qx "would_free pages=evict 4194304" "$MNT/sim.zombies"
	[ "$(jq '.[0].would_free["pages=evict"]' "$MNT/sim.zombies.json")" = 4194304 ]
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
}

@test "pages=reparent-walk: every page moves to the parent at rmdir; no zombie" {
	pages_zombie reparent-walk
	local before
	before=$(stat_of file "$MNT/memory.stat")
	rmdir "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	[ "$(stat_of file "$MNT/memory.stat")" = "$before" ]
	[ -z "$(cat "$MNT/sim.zombies")" ]
}

@test "pages=evict: unmapped cache is dropped at rmdir; the mapped tmpfs still pins" {
	pages_zombie evict
	rmdir "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	grep -qx "file 0" "$MNT/sim.zombies"
	grep -qx "shmem 4194304" "$MNT/sim.zombies"
}

@test "pages=recharge: mapped pages go to the live group that maps them, never past its limit" {
	pages_zombie recharge
	rmdir "$MNT/a"
	# the disk cache has no user: it stays and pins
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	[ "$(stat_of shmem "$MNT/b/memory.stat")" = 4194304 ]
	grep -qx "shmem 0" "$MNT/sim.zombies"
	grep -qx "file 4194304" "$MNT/sim.zombies"
	# a user is recharged only up to its limit, never reclaimed or
	# pushed into OOM for it (nowait charges): the rest stays put
	mkgroups c d
	echo "write shm/t 4M" >"$MNT/c/sim.ctl"
	echo 1M >"$MNT/d/memory.max"
	echo "map shm/t" >"$MNT/d/sim.ctl"
	rmdir "$MNT/c"
	[ "$(stat_of shmem "$MNT/d/memory.stat")" -le 1048576 ]
	[ "$(cat "$MNT/d/memory.current")" -le 1048576 ]
	[ "$(stat_of oom "$MNT/d/memory.events")" = 0 ]
	[ "$(stat_of max "$MNT/d/memory.events")" = 0 ]
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 2 ]
}

@test "kmem=objcg: the selftest holds - groups whose dentries outlive them are never zombies" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	echo "mount data disk" >"$MNT/sim.ctl"
	local i
	for i in $(seq 30); do
		mkdir "$MNT/p/c$i"
		echo "lookup data 100" >"$MNT/p/c$i/sim.ctl"
		rmdir "$MNT/p/c$i"
	done
	# test_kmem_dead_cgroups: nr_dying_descendants reaches 0 (here: at once)
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]
	for i in $(seq 31 100); do
		mkdir "$MNT/p/c$i"
		echo "lookup data 100" >"$MNT/p/c$i/sim.ctl"
		rmdir "$MNT/p/c$i"
	done
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]
	# test_kmem_basic: memory.current == anon + file + kernel + sock,
	# exact once the per-CPU stocks are drained
	local cur sum
	cur=$(current_of p)
	sum=$(awk '$1 ~ /^(anon|file|kernel|sock)$/ { n += $2 } END { print n }' "$MNT/p/memory.stat")
	[ "$cur" = "$sum" ]
	[ "$(lru_of_p)" = 10000 ]
}

@test "sim.zombies.json: many zombies, nested ones too, make one array in sim.zombies' order, with their former paths" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	echo "mount shm tmpfs" >"$MNT/sim.ctl"
	mkdir "$MNT"/p/c{1..40}
	for i in $(seq 40); do echo "write shm/log 4K" >"$MNT/p/c$i/sim.ctl"; done
	rmdir "$MNT"/p/c{1..40}
	echo "write shm/log 4K" >"$MNT/p/sim.ctl"
	rmdir "$MNT/p"
	# A new group of the same name changes no zombie's former path.
	mkdir "$MNT/p"
	[ "$(jq length "$MNT/sim.zombies.json")" = 41 ]
	[ "$(jq -r '.[].path' "$MNT/sim.zombies.json")" = \
	  "$(awk '$1 == "path" { print $2 }' "$MNT/sim.zombies")" ]
	[ "$(jq -r '.[0].path, .[40].path' "$MNT/sim.zombies.json" | paste -sd ' ')" = "/p /p/c40" ]
	[ "$(jq '[.[].charged.shmem] | add' "$MNT/sim.zombies.json")" = $((41 * 4096)) ]
	[ "$(jq length "$MNT/p/sim.zombies.json")" = 0 ]
}
