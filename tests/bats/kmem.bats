#!/usr/bin/env bats
# Kernel stacks and the v1 kmem files, in each era of kmem.limit_in_bytes.
load helper

UNLIMITED=9223372036854771712

# kstack COUNT charged by a child that then waits: prints nothing, leaves
# LAST_PID; the stacks go when it is killed.
kstacks_by_child() {
	spawn bash -c "echo 'kstack $2' > '$MNT/$1/sim.ctl' && touch '$MNT.k$2' && sleep 600"
	wait_until "[ -e '$MNT.k$2' ]"
}

@test "kmem files: in non-root groups only, v1 formats and defaults" {
	mkgroups a
	[ ! -e "$MNT/memory.kmem.usage_in_bytes" ]
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 0 ]
	[ "$(cat "$MNT/a/memory.kmem.max_usage_in_bytes")" = 0 ]
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 0 ]
	[ "$(stat -c %a "$MNT/a/memory.kmem.usage_in_bytes")" = 444 ]
	[ "$(stat -c %a "$MNT/a/memory.kmem.limit_in_bytes")" = 644 ]
}

@test "kstack: 16 KiB kmem stacks in kernel_stack, kernel, memory.current and kmem usage, freed at exit" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	kstacks_by_child p/c 3
	[ "$(stat_of kernel_stack "$MNT/p/c/memory.stat")" = 49152 ]
	[ "$(stat_of kernel "$MNT/p/c/memory.stat")" = 49152 ]
	[ "$(stat_of kernel_stack "$MNT/memory.stat")" = 49152 ]
	[ "$(current_of p/c)" = 49152 ]
	[ "$(cat "$MNT/p/c/memory.kmem.usage_in_bytes")" = 49152 ]
	[ "$(cat "$MNT/p/c/memory.kmem.max_usage_in_bytes")" = 49152 ]
	# p's kmem counter also holds c's memcg structure, charged at mkdir.
	[ "$(cat "$MNT/p/memory.kmem.usage_in_bytes")" = \
		"$(stat_of kernel "$MNT/p/memory.stat")" ]
	[ "$(stat_of kernel "$MNT/p/memory.stat")" -gt 49152 ]
	kill -9 "$LAST_PID"
	wait_until "[ \"\$(stat_of kernel_stack '$MNT/memory.stat')\" = 0 ]"
	[ "$(current_of p/c)" = 0 ]
	[ "$(cat "$MNT/p/c/memory.kmem.usage_in_bytes")" = 0 ]
	[ "$(user_current_of p)" = 0 ]
}

@test "kstack: bad counts are EINVAL and charge nothing" {
	mkgroups a
	write_fails EINVAL "kstack 0" "$MNT/a/sim.ctl"
	write_fails EINVAL "kstack -1" "$MNT/a/sim.ctl"
	write_fails EINVAL "kstack lots" "$MNT/a/sim.ctl"
	write_fails EINVAL "kstack 2 3" "$MNT/a/sim.ctl"
	write_fails EINVAL "kstack 2000000" "$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 0 ]
}

@test "kmem_limit=enforce (default): a working hard limit with failcnt" {
	mkgroups a
	echo 64K >"$MNT/a/memory.kmem.limit_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = 65536 ]
	kstacks_by_child a 2
	write_fails ENOMEM "kstack 3" "$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 1 ]
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 32768 ]
	# The memory charge was given back; memory.events saw no limit.
	[ "$(current_of a)" = 32768 ]
	[ "$(stat_of max "$MNT/a/memory.events")" = 0 ]
	# nofail forces the kmem charge past the limit.
	echo "kstack 3 gfp=nofail" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 81920 ]
	write_fails EBUSY 16K "$MNT/a/memory.kmem.limit_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = 65536 ]
	echo x >"$MNT/a/memory.kmem.failcnt"
	[ "$(cat "$MNT/a/memory.kmem.failcnt")" = 0 ]
	echo -1 >"$MNT/a/memory.kmem.limit_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	echo 1M >"$MNT/a/memory.kmem.limit_in_bytes"
	echo max >"$MNT/a/memory.kmem.limit_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	grep -q 'memory.kmem.limit_in_bytes: write "16K": below the current kmem usage (EBUSY)' "$MNT/sim.log"
}

@test "kmem max_usage_in_bytes: any write resets the watermark to usage" {
	mkgroups a
	spawn bash -c "echo 'kstack 4' > '$MNT/a/sim.ctl'; echo 'kstack 1' > '$MNT/a/sim.ctl'; touch '$MNT.k'; sleep 600"
	wait_until "[ -e '$MNT.k' ]"
	[ "$(cat "$MNT/a/memory.kmem.max_usage_in_bytes")" = 81920 ]
	echo 0 >"$MNT/a/memory.kmem.max_usage_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.max_usage_in_bytes")" = 81920 ]
}

@test "kmem limit parser: junk is EINVAL in every era, and changes nothing" {
	mkgroups a
	for v in 1.5G -2 "1 G" 1GB Max abc; do
		write_fails EINVAL "$v" "$MNT/a/memory.kmem.limit_in_bytes"
	done
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	remount -o kmem_limit=noop
	mkgroups a
	write_fails EINVAL "1.5G" "$MNT/a/memory.kmem.limit_in_bytes"
}

@test "kmem_limit=enotsupp (5.16-6.0): writes are refused (EOPNOTSUPP: FUSE cannot carry 524)" {
	remount -o kmem_limit=enotsupp
	mkgroups a
	write_fails EOPNOTSUPP 1M "$MNT/a/memory.kmem.limit_in_bytes"
	grep -q 'errno 524' "$MNT/sim.log"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	# No limit exists: kernel stacks are charged to kmem regardless.
	echo "kstack 1" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 16384 ]
}

@test "kmem_limit=absent (6.1-6.5): the limit file is gone, the rest stays" {
	remount -o kmem_limit=absent
	mkgroups a
	[ ! -e "$MNT/a/memory.kmem.limit_in_bytes" ]
	! ls "$MNT/a" | grep -q kmem.limit
	[ -e "$MNT/a/memory.kmem.usage_in_bytes" ]
}

@test "kmem_limit=noop (6.6+): writes succeed and change nothing" {
	remount -o kmem_limit=noop
	mkgroups a
	echo 4K >"$MNT/a/memory.kmem.limit_in_bytes"
	[ "$(cat "$MNT/a/memory.kmem.limit_in_bytes")" = $UNLIMITED ]
	echo "kstack 2" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.kmem.usage_in_bytes")" = 32768 ]
}

@test "kmem_limit: an unknown era is refused at mount" {
	run "$MEMCGFS_BIN" -f -o kmem_limit=sometimes "$MNT"
	[ "$status" -ne 0 ]
	[[ "$output" == *"kmem_limit takes enforce|enotsupp|absent|noop"* ]]
}
