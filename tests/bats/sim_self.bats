#!/usr/bin/env bats
# The sim.ctl rows memcgfs-run's library speaks: in=self, access,
# free kstack, forked, and the root files sim.self and sim.swaps.
# Plain shells write them here (no library, no program that takes the
# mount for its cgroup root).

load helper

setup() {
	mount_memcgfs
	mkgroups app b
	echo "mount host disk" >"$MNT/sim.ctl"
}

# in GROUP CMD: a shell that joins GROUP, then runs CMD.
in_group() {
	bash -c "echo 0 >'$MNT/$1/cgroup.procs' && { $2; }"
}

@test "in=self: a command written to the root's sim.ctl charges the writer's own group" {
	in_group app "echo 'anon 1M in=self' >'$MNT/sim.ctl'; \
		grep '^anon ' '$MNT/app/memory.stat'; \
		echo 'free anon 1M in=self' >'$MNT/sim.ctl'; \
		grep '^anon ' '$MNT/app/memory.stat'" >"$MEMCGFS_TMP/out"
	[ "$(cat "$MEMCGFS_TMP/out")" = "$(printf 'anon 1048576\nanon 0')" ]
}

@test "in=self: free anon after a move frees where it was charged; more than owned is EINVAL and frees nothing" {
	run in_group app "echo 'anon 2M in=self' >'$MNT/sim.ctl'; \
		echo 0 >'$MNT/b/cgroup.procs'; \
		echo 'free anon 4M in=self' >'$MNT/sim.ctl' 2>/dev/null && echo freed4; \
		grep '^anon ' '$MNT/app/memory.stat'; \
		echo 'free anon 1M' >'$MNT/b/sim.ctl' 2>/dev/null && echo freed-plain; \
		echo 'free anon 1M in=self' >'$MNT/sim.ctl' && echo freed1; \
		grep '^anon ' '$MNT/app/memory.stat'"
	[ "${lines[0]}" = "anon 2097152" ]	# nothing freed by the EINVAL
	[ "${lines[1]}" = "freed1" ]		# plain free at b: not owned there
	[ "${lines[2]}" = "anon 1048576" ]
	grep -q "free anon 4M in=self.*EINVAL\|EINVAL.*free anon 4M" "$MNT/sim.log"
}

@test "access: a range's pages come in once, the file grows to cover it, bad input is EINVAL" {
	echo "access host/x/f 0 8K" >"$MNT/app/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 8192 ]
	echo "access host/x/f 4K 4K" >"$MNT/app/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 8192 ]
	echo "access host/x/f 1M 1" >"$MNT/app/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 12288 ]
	write_fails EINVAL "access host/x/f -1 4K" "$MNT/app/sim.ctl"
	write_fails EINVAL "access host/x/f 0" "$MNT/app/sim.ctl"
	write_fails ENOENT "access nofs/f 0 4K" "$MNT/app/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 12288 ]
	echo "truncate host/x/f 0" >"$MNT/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 0 ]
}

@test "access: a refused charge leaves the file as it was" {
	echo 64K >"$MNT/app/memory.max"
	echo "access host/g 0 16K" >"$MNT/app/sim.ctl"
	write_fails ENOMEM "access host/g 0 1M gfp=nowait" "$MNT/app/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 16384 ]
	echo "unlink host/g" >"$MNT/sim.ctl"
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 0 ]
}

@test "free kstack: a thread's stack goes; more than charged is EINVAL and changes nothing" {
	run in_group app "echo 'kstack 3' >'$MNT/app/sim.ctl'; \
		echo 'free kstack 1' >'$MNT/app/sim.ctl'; \
		grep '^kernel_stack ' '$MNT/app/memory.stat'; \
		echo 'free kstack 5' >'$MNT/app/sim.ctl' 2>/dev/null || echo refused; \
		grep '^kernel_stack ' '$MNT/app/memory.stat'"
	[ "${lines[0]}" = "kernel_stack 32768" ]
	[ "${lines[1]}" = "refused" ]
	[ "${lines[2]}" = "kernel_stack 32768" ]
	write_fails EINVAL "free kstack 0" "$MNT/app/sim.ctl"
}

@test "forked: the writer joins its parent's group; sim.self reads the reader's own" {
	# The inner shell reads with a builtin (cat would be its own child),
	# and "; true" keeps the outer one from exec'ing it.
	run in_group app "bash -c \"echo forked >'$MNT/sim.ctl'; read -r l <'$MNT/sim.self'; echo \\\$l\"; true"
	[ "$output" = "0::/app" ]
	run cat "$MNT/sim.self"
	[ "$output" = "0::/" ]
	[ ! -e "$MNT/app/sim.self" ]
	write_fails EINVAL "forked now" "$MNT/sim.ctl"
}

@test "forked: a child its parent moved before it said so stays where it was moved" {
	printf '%s\n' 'sleep 0.5' "echo forked >'$MNT/sim.ctl'" \
		"read -r l <'$MNT/sim.self'" 'echo "$l"' >"$MEMCGFS_TMP/child.sh"
	run in_group app "(exec bash '$MEMCGFS_TMP/child.sh') & \
		echo \$! >'$MNT/b/cgroup.procs'; wait"
	[ "$output" = "0::/b" ]
}

@test "sim.swaps: the machine's swap as /proc/swaps shows it" {
	run cat "$MNT/sim.swaps"
	[ "${#lines[@]}" -eq 1 ]
	remount -o swap=64M
	run cat "$MNT/sim.swaps"
	[[ "${lines[1]}" == "/memcgfs.swap"*"partition"*"65536"*"0"*"-2" ]]
}
