#!/usr/bin/env bats
# memcgfs-run and libmemcgfs-preload.so: real programs charged to their
# group.  Every program runs in a private mount namespace whose host cgroup
# mounts are detached first (priv), so nothing can reach the host's
# cgroupfs; the tests skip where unshare(1) cannot make one.

load helper

RUN=$(dirname "$MEMCGFS_BIN")/memcgfs-run

setup() {
	unshare -m --propagation private true 2>/dev/null ||
		skip "unshare -m is unavailable"
	mount_memcgfs
	mkgroups app
}

# priv CMD...: CMD in a private mount namespace without cgroup mounts.
priv() {
	unshare -m --propagation private bash -c '
		for m in $(awk '\''$3 == "cgroup" || $3 == "cgroup2" { print $2 }'\'' /proc/self/mounts | sort -r); do
			umount -l "$m" || exit 99
		done
		exec "$@"' priv "$@"
}

# under GROUP CMD...: CMD run by memcgfs-run in GROUP of the mount.
under() {
	local g=$1
	shift
	priv "$RUN" "$MNT/$g" -- "$@"
}

@test "memcgfs-run: a 100M bytearray under memory.max=64M is OOM-killed" {
	command -v python3 >/dev/null || skip "no python3"
	echo 64M >"$MNT/app/memory.max"
	run under app python3 -c 'x = bytearray(100 << 20); print("survived")'
	[ "$status" -eq 137 ]
	[[ "$output" != *survived* ]]
	[ "$(stat_of oom_kill "$MNT/app/memory.events")" -eq 1 ]
	# The same program fits under 256M, and its anon showed while it ran.
	echo 256M >"$MNT/app/memory.max"
	run under app python3 -c "
x = bytearray(100 << 20)
print(open('$MNT/app/memory.stat').readline())"
	[ "$status" -eq 0 ]
	read -r key val <<<"$output"
	[ "$key" = anon ] && [ "$val" -ge $((100 << 20)) ]
	wait_until '[ "$(stat_of anon "$MNT/app/memory.stat")" -eq 0 ]'
}

@test "memcgfs-run: cat of a big file charges its page cache, named by its real path" {
	local f=$MEMCGFS_TMP/big.log
	dd if=/dev/zero of="$f" bs=1M count=8 status=none
	[ "$(stat_of file "$MNT/app/memory.stat")" -eq 0 ]
	under app cat "$f" >/dev/null
	[ "$(stat_of file "$MNT/app/memory.stat")" -ge $((8 << 20)) ]
	# The cache outlives cat and pins the group once it is removed:
	# sim.zombies names the host file.
	rmdir "$MNT/app"
	grep -q "host$f" "$MNT/sim.zombies"
	priv "$RUN" --root "$MNT" -- rm "$f"
	! grep -q "host$f" "$MNT/sim.zombies"
}

@test "memcgfs-run: anon and kernel_stack move with a threaded program's life" {
	command -v python3 >/dev/null || skip "no python3"
	local out
	out=$(under app python3 -c "
import threading
x = bytearray(20 << 20)
ev = threading.Event()
ts = [threading.Thread(target=ev.wait) for _ in range(4)]
[t.start() for t in ts]
print(open('$MNT/app/memory.stat').read())
ev.set()
[t.join() for t in ts]")
	# Five threads: five 16 KiB stacks; 20M of anon and the interpreter's.
	[ "$(awk '$1 == "kernel_stack" { print $2 }' <<<"$out")" -eq $((5 * 16384)) ]
	[ "$(awk '$1 == "anon" { print $2 }' <<<"$out")" -ge $((20 << 20)) ]
	wait_until '[ "$(stat_of anon "$MNT/app/memory.stat")" -eq 0 ]'
	[ "$(stat_of kernel_stack "$MNT/app/memory.stat")" -eq 0 ]
}

@test "memcgfs-run: /proc/self/cgroup, mounts and statfs show the mount as the cgroup2 root" {
	mkdir "$MNT/b"
	run under app cat /proc/self/cgroup
	[ "$output" = "0::/app" ]
	run under app awk '$3 ~ /cgroup/' /proc/self/mounts
	[ "$output" = "cgroup2 $MNT cgroup2 rw,nosuid,nodev,noexec,relatime 0 0" ]
	run under app awk '$9 == "cgroup2" { print $5 }' /proc/self/mountinfo
	[ "$output" = "$MNT" ]
	run under app stat -f -c %t "$MNT/app"
	[ "$output" = 63677270 ]
	# It follows moves, and a child starts in its parent's group.
	run under app sh -c "echo \$\$ >$MNT/b/cgroup.procs; cat /proc/self/cgroup"
	[ "$output" = "0::/b" ]
}

@test "memcgfs-run: failed lookups are negative dentries of the group" {
	local before
	before=$(stat_of slab_reclaimable "$MNT/app/memory.stat")
	under app bash -c 'for i in $(seq 600); do [ -e /nonexistent-memcgfs-run-$i ]; done; true'
	[ "$(stat_of slab_reclaimable "$MNT/app/memory.stat")" -gt "$before" ]
}

@test "memcgfs-run: clone3(CLONE_INTO_CGROUP) into a memcgfs group" {
	mkdir "$MNT/d"
	run under app "$MEMCGFS_HELPERS/clone_into" "$MNT/d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"child: 0::/d"* ]]
	[[ "$output" == *"populated while the child lives: populated 1"* ]]
	[[ "$output" == *"child exit 0"* ]]
	# The child left the group before wait() returned (cgroup_exit).
	[[ "$output" == *"populated once waited for: populated 0"* ]]
	rmdir "$MNT/d"
	mkdir "$MNT/e"
	rmdir "$MNT/e"
	run under app "$MEMCGFS_HELPERS/clone_into" "$MNT/e"
	[ "$status" -ne 0 ]
}

@test "memcgfs-run --bind: the mount at /sys/fs/cgroup" {
	[ "$(id -u)" -eq 0 ] || skip "--bind needs root"
	echo 32M >"$MNT/app/memory.max"
	run priv "$RUN" --root "$MNT" --bind app -- sh -c \
		'cat /proc/self/cgroup /sys/fs/cgroup/app/memory.max; awk "\$3 ~ /cgroup/" /proc/self/mounts'
	[ "${lines[0]}" = "0::/app" ]
	[ "${lines[1]}" = 33554432 ]
	[ "${lines[2]}" = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "memcgfs-run: refuses what is not a memcgfs group" {
	run priv "$RUN" "$MEMCGFS_TMP" -- true
	[ "$status" -ne 0 ]
	[[ "$output" == *"not a memcgfs mount"* ]]
	run priv "$RUN" --root "$MNT" nosuchgroup -- true
	[ "$status" -ne 0 ]
}

# --- statically linked programs: anon from /proc/PID/smaps_rollup ---

@test "memcgfs-run: a statically linked program's anon is charged from smaps_rollup, and freed at its exit" {
	local out=$MEMCGFS_TMP/static.$RANDOM
	under app "$MEMCGFS_HELPERS/static_anon" 20 3000 >"$out" &
	local pid=$!
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" -ge $((20 << 20)) ]"
	[ "$(cat "$MNT/app/memory.current")" -ge $((20 << 20)) ]
	wait $pid
	[ "$(cat "$out")" = touched ]
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" = 0 ]"
	rm -f "$out"
}

@test "memcgfs-run: a statically linked program over memory.max is OOM-killed, nothing left charged" {
	echo 32M >"$MNT/app/memory.max"
	echo 0 >"$MNT/app/memory.swap.max"
	run under app "$MEMCGFS_HELPERS/static_anon" 64 3000
	[ "$status" -eq 137 ]
	[ "$(stat_of oom_kill "$MNT/app/memory.events")" -eq 1 ]
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" = 0 ]"
	grep -q "smaps: pid .*charging its .* KiB of anon failed" "$MNT/sim.log"
}

@test "memcgfs-run: a static program's static child is charged from smaps too (fork inherits the mode)" {
	local out=$MEMCGFS_TMP/static.$RANDOM
	under app "$MEMCGFS_HELPERS/static_anon" 20 4000 \
		"$MEMCGFS_HELPERS/static_anon" 10 3000 >"$out" &
	local pid=$!
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" -ge $((30 << 20)) ]"
	[ "$(wc -l <"$MNT/app/cgroup.procs")" -eq 2 ]
	wait $pid
	[ "$(grep -c touched "$out")" -eq 2 ]
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" = 0 ]"
	rm -f "$out"
}

@test "memcgfs-run: a static program's fork that runs a dynamically linked one is charged by the library alone" {
	command -v python3 >/dev/null || skip "no python3"
	local flag=$MEMCGFS_TMP/allocated.$RANDOM anon
	# An untouched 30M mapping: charged when handed out by the library,
	# though the kernel's smaps counts only pages touched.  Were smaps
	# still reconciling the child, it would take that back.
	under app "$MEMCGFS_HELPERS/static_anon" 20 4000 python3 -c \
		"import mmap, time; m = mmap.mmap(-1, 30 << 20); open('$flag', 'w'); time.sleep(2.5)" \
		>/dev/null &
	local pid=$!
	wait_until "[ -e '$flag' ]"
	sleep 0.5	# ten smaps periods
	anon=$(stat_of anon "$MNT/app/memory.stat")
	echo "anon $anon" >&2
	[ "$anon" -ge $((50 << 20)) ]
	wait $pid
	wait_until "[ \"\$(stat_of anon $MNT/app/memory.stat)\" = 0 ]"
	rm -f "$flag"
}

@test "sim.ctl smaps: only a member may ask; a bad argument is EINVAL" {
	write_fails EINVAL "smaps now" "$MNT/app/sim.ctl"
	# The writer (fdread) is no member of any group: ESRCH.
	write_fails ESRCH smaps "$MNT/app/sim.ctl"
	grep -q "write it to a cgroup.procs first" "$MNT/sim.log"
}

# in_pidns SCRIPT: SCRIPT run by bash in new mount and PID namespaces (as
# tools/selftests.sh runs the kernel's tests), with a daemon of its own on
# $M (the host's cgroup mounts detached).  The process events connector
# delivers nothing to a listener outside the initial PID namespace, so
# there only what the library tells the daemon places a child.  The last
# line printed is the mount's sim.check after SCRIPT.
in_pidns() {
	unshare -m -p -f --mount-proc --propagation private bash -c '
		for m in $(awk "\$3 == \"cgroup\" || \$3 == \"cgroup2\" { print \$2 }" /proc/self/mounts | sort -r); do
			umount -l "$m" || exit 99
		done
		M=$(mktemp -d "$MEMCGFS_TMP/pidns.XXXXXX")
		"$MEMCGFS_BIN" -f "$M" 2>"$M.log" &
		D=$!
		for _ in $(seq 100); do mountpoint -q "$M" && break; sleep 0.05; done
		eval "$1"
		st=$?
		echo "sim.check $(tail -n 1 "$M/sim.check")"
		fusermount3 -u "$M" || fusermount3 -u -z "$M"
		wait "$D"
		exit $st' in_pidns "$1"
}

@test "memcgfs-run: a vforked child that does not exec is in its parent's group" {
	unshare -p -f --mount-proc true 2>/dev/null || skip "unshare -p is unavailable"
	# The parent is suspended in vfork while the child sleeps: both are
	# members, as on a kernel (cgroup_post_fork).
	run in_pidns '
		mkdir "$M/app"
		"$(dirname "$MEMCGFS_BIN")/memcgfs-run" "$M/app" -- "$MEMCGFS_HELPERS/vforkchild" 2 &
		for _ in $(seq 30); do
			[ "$(wc -l <"$M/app/cgroup.procs")" -eq 2 ] && break
			sleep 0.05
		done
		echo "members $(wc -l <"$M/app/cgroup.procs")"
		wait $!'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"members 2"* ]]
	[[ "$output" == *"exit 7"* ]]
	[ "${lines[-1]}" = "sim.check ok 1" ]
}

@test "memcgfs-run: a 200M mapping under memory.high=30M is throttled long before memory.max=140M" {
	echo 0 >"$MNT/app/memory.swap.max"
	echo 30M >"$MNT/app/memory.high"
	echo 140M >"$MNT/app/memory.max"
	# test_memcg_high_sync: a kernel charges the fault-in a batch at a
	# time and sleeps over high on the way, so high events come and max
	# ones do not while the test looks.
	under app "$MEMCGFS_HELPERS/mmapanon" 200 &
	local job=$!
	wait_until '[ "$(stat_of high "$MNT/app/memory.events")" -gt 0 ]'
	sleep 0.3
	[ "$(stat_of max "$MNT/app/memory.events")" -eq 0 ]
	[ "$(cat "$MNT/app/memory.current")" -lt $((100 << 20)) ]
	# A kill ends the sleep at once (schedule_timeout_killable()).
	kill -KILL $(cat "$MNT/app/cgroup.procs")
	wait "$job" || true
	wait_until '[ ! -s "$MNT/app/cgroup.procs" ]'
}

@test "memcgfs-run: /proc/thread-self/cgroup follows a thread moved through cgroup.threads" {
	command -v python3 >/dev/null || skip "no python3"
	mkdir -p "$MNT/dom/src" "$MNT/dom/dst"
	echo threaded >"$MNT/dom/src/cgroup.type"
	echo threaded >"$MNT/dom/dst/cgroup.type"
	run under dom/src python3 -c "
import threading
def mover():
    open('$MNT/dom/dst/cgroup.threads', 'w').write('0')
    print('thread', open('/proc/thread-self/cgroup').read().strip())
t = threading.Thread(target=mover)
t.start()
t.join()
print('main', open('/proc/thread-self/cgroup').read().strip())"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "thread 0::/dom/dst" ]
	[ "${lines[1]}" = "main 0::/dom/src" ]
	# The thread exited: nothing of it keeps dst.
	rmdir "$MNT/dom/dst"
}
