#!/usr/bin/env bats
# A refused write's sim.log line carries the reason the model gave with
# the errno (core/why.h), for the commands and files whose reason fs/
# used to guess from the errno.  Each refusal also changes nothing.

load helper

setup() {
	mount_memcgfs
	mkgroups app
}

# logged FILE VALUE TEXT: sim.log's line for the last refused write of
# VALUE to FILE (a path below the mount) ends in TEXT.
logged() {
	local line
	line=$(grep -F "$1: write \"$2\": " "$MNT/sim.log" | tail -n 1)
	[[ "$line" == *"\": $3" ]] || {
		echo "sim.log for $1 '$2': '$line', expected '...: $3'" >&2
		return 1
	}
}

@test "sim.ctl anon, kstack, sock: a refused charge says over a limit, and charges nothing" {
	echo 1M >"$MNT/app/memory.max"
	write_fails ENOMEM "anon 2M gfp=nowait" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "anon 2M gfp=nowait" \
		"over a memory limit, nothing reclaimable (ENOMEM)"
	write_fails ENOMEM "kstack 512 gfp=nowait" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "kstack 512 gfp=nowait" \
		"over a memory limit, nothing reclaimable (ENOMEM)"
	write_fails ENOMEM "sock 2M gfp=nowait" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "sock 2M gfp=nowait" \
		"over a memory limit, nothing reclaimable (ENOMEM)"
	[ "$(cat "$MNT/app/memory.current")" = 0 ]
}

@test "sim.ctl free and touch of more than the writer owns: EINVAL, saying so" {
	write_fails EINVAL "free anon 1M" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "free anon 1M" "the writer owns less of that here (EINVAL)"
	write_fails EINVAL "free anon 1M in=self" "$MNT/sim.ctl"
	logged /sim.ctl "free anon 1M in=self" \
		"the writer owns less of that in all groups (EINVAL)"
	write_fails EINVAL "touch anon 1M" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "touch anon 1M" "the writer owns less of that here (EINVAL)"
	write_fails EINVAL "free kstack 1" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "free kstack 1" "the writer owns less of that here (EINVAL)"
}

@test "sim.ctl slab and percpu: a refused allocation and an over-free say why" {
	echo 64K >"$MNT/app/memory.max"
	write_fails ENOMEM "slab dentry 100000 gfp=nowait" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "slab dentry 100000 gfp=nowait" \
		"over a memory or kmem limit, or the emulated RAM is full (ENOMEM)"
	echo "slab dentry 3" >"$MNT/app/sim.ctl"
	write_fails EINVAL "free slab dentry 4" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "free slab dentry 4" \
		"fewer exist in this group and its descendants (EINVAL)"
	write_fails EINVAL "free percpu 1K" "$MNT/app/sim.ctl"
	logged /app/sim.ctl "free percpu 1K" \
		"fewer exist in this group and its descendants (EINVAL)"
	echo "free slab dentry 3" >"$MNT/app/sim.ctl"
}

@test "memory.reclaim that finds too little: EAGAIN, saying so" {
	write_fails EAGAIN 1M "$MNT/app/memory.reclaim"
	logged /app/memory.reclaim 1M "could not reclaim that much (EAGAIN)"
}

@test "cgroup.procs and cgroup.threads: a pid that does not exist is ESRCH, saying so" {
	local gone=4194000
	while kill -0 "$gone" 2>/dev/null; do gone=$((gone + 1)); done
	write_fails ESRCH "$gone" "$MNT/app/cgroup.procs"
	logged /app/cgroup.procs "$gone" "no such process or thread (ESRCH)"
	echo threaded >"$MNT/app/cgroup.type"
	write_fails ESRCH "$gone" "$MNT/app/cgroup.threads"
	logged /app/cgroup.threads "$gone" "no such process or thread (ESRCH)"
}

@test "cpuset.cpus and cpuset.mems: a list the parser refuses says why, and changes nothing" {
	echo +cpuset >"$MNT/cgroup.subtree_control"
	write_fails ERANGE "0-2000" "$MNT/app/cpuset.cpus"
	logged /app/cpuset.cpus "0-2000" \
		"a number beyond the machine's (CPUs: -o cpus=, nodes: 1024) (ERANGE)"
	write_fails ERANGE "1024" "$MNT/app/cpuset.mems"
	logged /app/cpuset.mems "1024" \
		"a number beyond the machine's (CPUs: -o cpus=, nodes: 1024) (ERANGE)"
	write_fails EINVAL "3-1" "$MNT/app/cpuset.cpus"
	logged /app/cpuset.cpus "3-1" \
		"a range runs backwards or its pattern is empty (EINVAL)"
	write_fails EINVAL "0-x" "$MNT/app/cpuset.cpus"
	logged /app/cpuset.cpus "0-x" "not a list like 0-3,5 (EINVAL)"
	[ -z "$(cat "$MNT/app/cpuset.cpus")" ]
	[ -z "$(cat "$MNT/app/cpuset.mems")" ]
}

@test "sim.ctl kmem_cache_create: each refusal names its rule, and no cache is made" {
	local before
	before=$(wc -l <"$MNT/sim.slabinfo")
	write_fails EEXIST "kmem_cache_create dentry 64" "$MNT/sim.ctl"
	logged /sim.ctl "kmem_cache_create dentry 64" \
		"a cache of that name exists (EEXIST)"
	write_fails EINVAL "kmem_cache_create huge 40000" "$MNT/sim.ctl"
	logged /sim.ctl "kmem_cache_create huge 40000" \
		"an object is 1..32768 bytes (EINVAL)"
	local long=abcdefghijklmnopqrstuvwxyz012345	# 32 characters
	write_fails EINVAL "kmem_cache_create $long 8" "$MNT/sim.ctl"
	logged /sim.ctl "kmem_cache_create $long 8" \
		"a cache name is 1..31 printable characters without spaces (EINVAL)"
	[ "$(wc -l <"$MNT/sim.slabinfo")" = "$before" ]
}
