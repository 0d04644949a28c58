#!/usr/bin/env bats
# The core cgroup.* files and memory.pressure from a real mount: formats,
# parsers and errnos of Documentation/admin-guide/cgroup-v2.rst, processes and
# the freezer, and migration permissions (§7).
#
# File descriptor 5 is held by the test shell where one open file must
# take several writes (bats owns fd 3).
load helper

# The memory-only tree these tests were written for (-o controllers=memory
# is today's tree: +cpu is EINVAL as with cgroup_disable=cpu);
# controllers.bats covers the others.
setup() {
	mount_memcgfs -o controllers=memory
}

teardown() {
	exec 5>&-
	unmount_memcgfs
}

# The exact bytes of a file, with a "." appended so newlines count.
bytes_of() {
	cat "$1"
	echo .
}

# State letter of /proc/PID/stat (S, T, Z, ...), or "gone".
proc_state() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo gone
		return
	}
	s=${s##*) }
	echo "${s%% *}"
}

dead() {
	local s
	s=$(proc_state "$1")
	[ "$s" = Z ] || [ "$s" = gone ]
}

sorted_lines() {
	sort -n "$1" | tr '\n' ' '
}

# ------------------------------------------------------------ file set

@test "core files: the root and non-root sets, with the kernel's modes (§1, §2)" {
	mkdir "$MNT/a"
	local f want
	for f in cgroup.procs:644 cgroup.threads:644 cgroup.controllers:444 \
		cgroup.subtree_control:644 cgroup.max.descendants:644 \
		cgroup.max.depth:644 cgroup.stat:444 memory.pressure:644; do
		want=${f#*:}
		f=${f%:*}
		[ "$(stat -c %a "$MNT/$f")" = "$want" ] || { echo "/$f" >&2; false; }
		[ "$(stat -c %a "$MNT/a/$f")" = "$want" ] || { echo "a/$f" >&2; false; }
	done
	for f in cgroup.type:644 cgroup.events:444 cgroup.freeze:644 \
		cgroup.kill:200; do
		want=${f#*:}
		f=${f%:*}
		[ ! -e "$MNT/$f" ] || { echo "/$f exists on the root" >&2; false; }
		[ "$(stat -c %a "$MNT/a/$f")" = "$want" ] || { echo "a/$f" >&2; false; }
	done
}

@test "memory.* files appear in children with +memory and go with -memory (§2)" {
	mkdir -p "$MNT/a/b"
	[ "$(ls "$MNT/a" | grep '^memory\.')" = memory.pressure ]
	echo +memory >"$MNT/cgroup.subtree_control"
	[ "$(ls "$MNT/a" | grep '^memory\.' | tr '\n' ' ')" = "memory.current memory.events memory.events.local memory.high memory.kmem.failcnt memory.kmem.limit_in_bytes memory.kmem.max_usage_in_bytes memory.kmem.slabinfo memory.kmem.usage_in_bytes memory.low memory.max memory.min memory.numa_stat memory.oom.group memory.peak memory.pressure memory.reclaim memory.stat memory.swap.current memory.swap.events memory.swap.high memory.swap.max memory.swap.peak memory.zswap.current memory.zswap.max memory.zswap.writeback " ]
	[ -f "$MNT/a/memory.max" ]
	# Only children of a cgroup with +memory get them.
	[ ! -e "$MNT/a/b/memory.max" ]
	echo +memory >"$MNT/a/cgroup.subtree_control"
	[ -f "$MNT/a/b/memory.max" ]
	echo -memory >"$MNT/a/cgroup.subtree_control"
	[ ! -e "$MNT/a/b/memory.max" ]
	[ "$(ls "$MNT/a/b" | grep '^memory\.')" = memory.pressure ]
	echo -memory >"$MNT/cgroup.subtree_control"
	[ ! -e "$MNT/a/memory.max" ]
	[ "$(ls "$MNT/a" | grep '^memory\.')" = memory.pressure ]
	# The root keeps its own memory files whatever its subtree_control says.
	[ -f "$MNT/memory.stat" ]
	[ -f "$MNT/memory.reclaim" ]
	[ ! -e "$MNT/memory.max" ]
}

# ------------------------------------------------------ cgroup.controllers

@test "cgroup.controllers: root lists memory; a child shows its parent's subtree_control (§2)" {
	[ "$(bytes_of "$MNT/cgroup.controllers")" = $'memory\n.' ]
	mkdir -p "$MNT/a/b"
	[ "$(stat -c %s "$MNT/a/cgroup.controllers")" = 0 ]
	[ "$(bytes_of "$MNT/a/cgroup.controllers")" = . ]
	echo +memory >"$MNT/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/cgroup.controllers")" = $'memory\n.' ]
	[ "$(bytes_of "$MNT/a/b/cgroup.controllers")" = . ]
	echo +memory >"$MNT/a/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/b/cgroup.controllers")" = $'memory\n.' ]
	echo -memory >"$MNT/a/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/b/cgroup.controllers")" = . ]
	[ "$(bytes_of "$MNT/cgroup.controllers")" = $'memory\n.' ]
	write_fails EINVAL memory "$MNT/cgroup.controllers"
}

# -------------------------------------------------- cgroup.subtree_control

@test "subtree_control: +memory, -memory, several tokens (last wins), no-ops (§2)" {
	local sc=$MNT/cgroup.subtree_control
	[ "$(bytes_of "$sc")" = . ]
	echo +memory >"$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
	# Already on: success, no change.
	echo +memory >"$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
	echo -memory >"$sc"
	[ "$(bytes_of "$sc")" = . ]
	echo -memory >"$sc"
	[ "$(bytes_of "$sc")" = . ]
	echo "+memory -memory" >"$sc"
	[ "$(bytes_of "$sc")" = . ]
	echo "-memory +memory" >"$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
	# Empty tokens (double spaces) are skipped.
	printf '%s' "-memory  +memory  -memory" >"$sc"
	[ "$(bytes_of "$sc")" = . ]
	printf '%s' "  +memory  " >"$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
}

@test "subtree_control: an empty write succeeds and changes nothing (§2)" {
	local sc=$MNT/cgroup.subtree_control
	echo >"$sc"
	[ "$(bytes_of "$sc")" = . ]
	echo +memory >"$sc"
	echo >"$sc"
	printf ' ' >"$sc"
	printf '' >"$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
}

@test "subtree_control: a token without +/-, an unknown name or a tab is EINVAL, all or nothing (§2)" {
	local sc=$MNT/cgroup.subtree_control
	write_fails EINVAL memory "$sc"
	write_fails EINVAL +cpu "$sc"
	write_fails EINVAL -cpu "$sc"
	write_fails EINVAL +Memory "$sc"
	write_fails EINVAL + "$sc"
	write_fails EINVAL "*memory" "$sc"
	write_fails EINVAL "+memory +cpu" "$sc"
	write_fails EINVAL "+memory,+cpu" "$sc"
	# strsep(" "): a tab does not separate tokens.
	write_fails EINVAL $'+memory\t-memory' "$sc"
	[ "$(bytes_of "$sc")" = . ]
	echo +memory >"$sc"
	write_fails EINVAL "-memory +cpu" "$sc"
	[ "$(bytes_of "$sc")" = $'memory\n.' ]
}

@test "subtree_control: +memory where memory is not in cgroup.controllers is ENOENT; -memory is a no-op (§2)" {
	mkdir -p "$MNT/a/b"
	write_fails ENOENT +memory "$MNT/a/cgroup.subtree_control"
	echo +memory >"$MNT/cgroup.subtree_control"
	# a has memory now, but a's subtree_control (b's controllers) is empty.
	write_fails ENOENT +memory "$MNT/a/b/cgroup.subtree_control"
	write_fails ENOENT "-memory +memory" "$MNT/a/b/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/b/cgroup.subtree_control")" = . ]
	# Disabling what is not enabled succeeds whatever the controllers.
	echo -memory >"$MNT/a/b/cgroup.subtree_control"
}

@test "subtree_control: -memory while a child has memory in its subtree_control is EBUSY (§2)" {
	mkdir -p "$MNT/a/b/c"
	echo +memory >"$MNT/cgroup.subtree_control"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	write_fails EBUSY -memory "$MNT/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/cgroup.subtree_control")" = $'memory\n.' ]
	[ -f "$MNT/a/memory.max" ]
	# Only the direct child's subtree_control matters: a grandchild
	# enabling is caught at a.
	echo +memory >"$MNT/a/b/cgroup.subtree_control"
	write_fails EBUSY -memory "$MNT/a/cgroup.subtree_control"
	echo -memory >"$MNT/a/b/cgroup.subtree_control"
	echo -memory >"$MNT/a/cgroup.subtree_control"
	echo -memory >"$MNT/cgroup.subtree_control"
	[ ! -e "$MNT/a/memory.max" ]
}

@test "subtree_control: +memory on a non-root group with processes is EBUSY; the root is exempt (§2)" {
	mkgroups a
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/cgroup.procs"
	write_fails EBUSY +memory "$MNT/a/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/cgroup.subtree_control")" = . ]
	# The root takes processes and controllers at once.
	echo -memory >"$MNT/cgroup.subtree_control"
	echo "$pid" >"$MNT/cgroup.procs"
	echo +memory >"$MNT/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/cgroup.subtree_control")" = $'memory\n.' ]
	# a is empty now.
	echo +memory >"$MNT/a/cgroup.subtree_control"
	[ "$(bytes_of "$MNT/a/cgroup.subtree_control")" = $'memory\n.' ]
}

# ------------------------------------------------------------ cgroup.procs

@test "cgroup.procs: a pid that does not exist is ESRCH (§2)" {
	mkdir "$MNT/a"
	write_fails ESRCH 999999 "$MNT/a/cgroup.procs"
	local gone
	sleep 0 &
	gone=$!
	wait "$gone"
	write_fails ESRCH "$gone" "$MNT/a/cgroup.procs"
	write_fails ESRCH "$gone" "$MNT/cgroup.procs"
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = . ]
}

@test "cgroup.procs: junk and negative pids are EINVAL, out of int range ERANGE (§1.1, §2)" {
	mkdir "$MNT/a"
	local f=$MNT/a/cgroup.procs v
	for v in abc -1 -2147483648 12abc "1 2" $'\n' " " 1.0 "0x"; do
		write_fails EINVAL "$v" "$f" || { echo "value '$v'" >&2; false; }
	done
	write_fails ERANGE 99999999999 "$f"
	write_fails ERANGE 2147483648 "$f"
	write_fails ERANGE -99999999999 "$f"
	[ "$(bytes_of "$f")" = . ]
}

@test "cgroup.procs: a kernel thread is EINVAL (§2)" {
	[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] || skip "no kthreadd visible"
	mkdir "$MNT/a"
	write_fails EINVAL 2 "$MNT/a/cgroup.procs"
}

@test "cgroup.procs: kstrtoint base 0: a pid in hex or with + and blanks moves it (§1.1)" {
	mkdir "$MNT/a" "$MNT/b"
	spawn sleep 600
	local pid=$LAST_PID
	printf '0x%x' "$pid" >"$MNT/a/cgroup.procs"
	[ "$(cat "$MNT/a/cgroup.procs")" = "$pid" ]
	printf ' +%d \n' "$pid" >"$MNT/b/cgroup.procs"
	[ "$(cat "$MNT/b/cgroup.procs")" = "$pid" ]
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = . ]
}

@test "cgroup.procs: 0 moves the writer itself (§2)" {
	mkdir "$MNT/a"
	spawn bash -c "echo 0 > '$MNT/a/cgroup.procs'; exec sleep 600"
	local pid=$LAST_PID
	wait_until '[ "$(cat "$MNT/a/cgroup.procs")" = "$pid" ]'
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = "$pid"$'\n.' ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 1 ]
}

@test "cgroup.procs: lists members one per line; a process is in one group at a time (§2)" {
	mkdir "$MNT/a" "$MNT/b"
	spawn sleep 600
	local p1=$LAST_PID
	spawn sleep 600
	local p2=$LAST_PID
	echo "$p1" >"$MNT/a/cgroup.procs"
	echo "$p2" >"$MNT/a/cgroup.procs"
	[ "$(sorted_lines "$MNT/a/cgroup.procs")" = "$(printf '%s\n' "$p1" "$p2" | sort -n | tr '\n' ' ')" ]
	[ "$(wc -l <"$MNT/a/cgroup.procs")" = 2 ]
	echo "$p1" >"$MNT/b/cgroup.procs"
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = "$p2"$'\n.' ]
	[ "$(bytes_of "$MNT/b/cgroup.procs")" = "$p1"$'\n.' ]
	# Writing it where it is already: no duplicate.
	echo "$p1" >"$MNT/b/cgroup.procs"
	[ "$(bytes_of "$MNT/b/cgroup.procs")" = "$p1"$'\n.' ]
	# Back to the root.
	echo "$p1" >"$MNT/cgroup.procs"
	[ "$(bytes_of "$MNT/b/cgroup.procs")" = . ]
	grep -qx "$p1" "$MNT/cgroup.procs"
	[ "$(grep -cx "$p2" "$MNT/cgroup.procs")" = 0 ]
}

@test "cgroup.procs: EBUSY into a non-root group with memory in subtree_control (no internal processes) (§2)" {
	mkgroups a e
	mkdir "$MNT/a/b" "$MNT/e/f"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	spawn sleep 600
	local pid=$LAST_PID
	write_fails EBUSY "$pid" "$MNT/a/cgroup.procs"
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = . ]
	echo "$pid" >"$MNT/a/b/cgroup.procs"
	[ "$(cat "$MNT/a/b/cgroup.procs")" = "$pid" ]
	write_fails EBUSY "$pid" "$MNT/a/cgroup.procs"
	[ "$(cat "$MNT/a/b/cgroup.procs")" = "$pid" ]
	# The root has memory in subtree_control and takes it.
	echo "$pid" >"$MNT/cgroup.procs"
	[ "$(bytes_of "$MNT/a/b/cgroup.procs")" = . ]
}

@test "cgroup.procs: members are dropped when they exit (§2: zombies are not listed)" {
	mkdir -p "$MNT/a/b"
	spawn sleep 600
	local p1=$LAST_PID
	spawn sleep 600
	local p2=$LAST_PID
	echo "$p1" >"$MNT/a/b/cgroup.procs"
	echo "$p2" >"$MNT/a/b/cgroup.procs"
	kill -9 "$p1"
	wait_until '[ "$(cat "$MNT/a/b/cgroup.procs")" = "$p2" ]'
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 1 ]
	kill -9 "$p2"
	wait_until '[ ! -s "$MNT/a/b/cgroup.procs" ]'
	[ "$(stat_of populated "$MNT/a/b/cgroup.events")" = 0 ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 0 ]
	rmdir "$MNT/a/b"
}

# ----------------------------------------------------------- cgroup.threads

@test "cgroup.threads: lists the TIDs of members; a TID in cgroup.procs moves its process (§2)" {
	local py pid tid
	py=$(python3 -c 'import sys; print(sys.executable)')
	mkdir "$MNT/a" "$MNT/b"
	spawn "$py" -c 'import threading, time
for _ in range(2):
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
time.sleep(600)'
	pid=$LAST_PID
	wait_until '[ "$(ls /proc/$pid/task | wc -l)" = 3 ]'
	echo "$pid" >"$MNT/a/cgroup.procs"
	[ "$(sorted_lines "$MNT/a/cgroup.threads")" = "$(ls /proc/$pid/task | sort -n | tr '\n' ' ')" ]
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = "$pid"$'\n.' ]
	[ "$(bytes_of "$MNT/b/cgroup.threads")" = . ]
	tid=$(ls /proc/$pid/task | grep -vx "$pid" | head -n 1)
	# A non-leader TID written to cgroup.procs moves the whole process.
	echo "$tid" >"$MNT/b/cgroup.procs"
	[ "$(bytes_of "$MNT/b/cgroup.procs")" = "$pid"$'\n.' ]
	[ "$(bytes_of "$MNT/a/cgroup.procs")" = . ]
	[ "$(bytes_of "$MNT/a/cgroup.threads")" = . ]
	[ "$(wc -l <"$MNT/b/cgroup.threads")" = 3 ]
}

@test "cgroup.threads: a TID of a process in another group is EOPNOTSUPP; in its own group a no-op (§2)" {
	mkdir "$MNT/a" "$MNT/b"
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/cgroup.procs"
	write_fails EOPNOTSUPP "$pid" "$MNT/b/cgroup.threads"
	# From the root (another domain) too.
	spawn sleep 600
	write_fails EOPNOTSUPP "$LAST_PID" "$MNT/b/cgroup.threads"
	[ "$(bytes_of "$MNT/b/cgroup.threads")" = . ]
	echo "$pid" >"$MNT/a/cgroup.threads"
	[ "$(bytes_of "$MNT/a/cgroup.threads")" = "$pid"$'\n.' ]
	write_fails ESRCH 999999 "$MNT/a/cgroup.threads"
	write_fails EINVAL junk "$MNT/a/cgroup.threads"
	write_fails ERANGE 99999999999 "$MNT/a/cgroup.threads"
}

# ------------------------------------------------------------ cgroup.events

@test "cgroup.events: populated is recursive; 0 again after the member exits (§2)" {
	mkdir -p "$MNT/a/b/c" "$MNT/a/d"
	[ "$(bytes_of "$MNT/a/cgroup.events")" = $'populated 0\nfrozen 0\n.' ]
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/b/c/cgroup.procs"
	local g
	for g in a a/b a/b/c; do
		[ "$(bytes_of "$MNT/$g/cgroup.events")" = $'populated 1\nfrozen 0\n.' ] ||
			{ echo "$g" >&2; false; }
	done
	[ "$(stat_of populated "$MNT/a/d/cgroup.events")" = 0 ]
	# Moving within the subtree keeps a populated; b loses it.
	echo "$pid" >"$MNT/a/d/cgroup.procs"
	[ "$(stat_of populated "$MNT/a/b/cgroup.events")" = 0 ]
	[ "$(stat_of populated "$MNT/a/b/c/cgroup.events")" = 0 ]
	[ "$(stat_of populated "$MNT/a/d/cgroup.events")" = 1 ]
	[ "$(stat_of populated "$MNT/a/cgroup.events")" = 1 ]
	echo "$pid" >"$MNT/a/b/c/cgroup.procs"
	kill -9 "$pid"
	wait_until '[ "$(stat_of populated "$MNT/a/cgroup.events")" = 0 ]'
	for g in a a/b a/b/c a/d; do
		[ "$(bytes_of "$MNT/$g/cgroup.events")" = $'populated 0\nfrozen 0\n.' ] ||
			{ echo "$g" >&2; false; }
	done
	write_fails EINVAL "populated 1" "$MNT/a/cgroup.events"
}

# ------------------------------------------------------------ cgroup.freeze

@test "cgroup.freeze: 1 stops the members (state T), 0 resumes them (§2)" {
	mkdir "$MNT/a"
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/cgroup.procs"
	[ "$(bytes_of "$MNT/a/cgroup.freeze")" = $'0\n.' ]
	echo 1 >"$MNT/a/cgroup.freeze"
	[ "$(bytes_of "$MNT/a/cgroup.freeze")" = $'1\n.' ]
	wait_until '[ "$(proc_state $pid)" = T ]'
	[ "$(bytes_of "$MNT/a/cgroup.events")" = $'populated 1\nfrozen 1\n.' ]
	# Writing 1 again is a no-op.
	echo 1 >"$MNT/a/cgroup.freeze"
	echo 0 >"$MNT/a/cgroup.freeze"
	wait_until '[ "$(proc_state $pid)" = S ]'
	[ "$(bytes_of "$MNT/a/cgroup.freeze")" = $'0\n.' ]
	[ "$(stat_of frozen "$MNT/a/cgroup.events")" = 0 ]
}

@test "cgroup.freeze: an empty group is frozen at once; 2 and -1 are ERANGE, junk EINVAL (§2)" {
	mkdir "$MNT/a"
	echo 1 >"$MNT/a/cgroup.freeze"
	[ "$(bytes_of "$MNT/a/cgroup.events")" = $'populated 0\nfrozen 1\n.' ]
	write_fails ERANGE 2 "$MNT/a/cgroup.freeze"
	write_fails ERANGE -1 "$MNT/a/cgroup.freeze"
	write_fails ERANGE 2147483647 "$MNT/a/cgroup.freeze"
	write_fails ERANGE 99999999999 "$MNT/a/cgroup.freeze"
	write_fails EINVAL junk "$MNT/a/cgroup.freeze"
	write_fails EINVAL "1 0" "$MNT/a/cgroup.freeze"
	write_fails EINVAL $'\n' "$MNT/a/cgroup.freeze"
	[ "$(cat "$MNT/a/cgroup.freeze")" = 1 ]
	echo 0x0 >"$MNT/a/cgroup.freeze"
	[ "$(cat "$MNT/a/cgroup.freeze")" = 0 ]
}

@test "cgroup.freeze: children inherit the frozen state; joining and leaving a frozen group (§2, §5.1)" {
	mkdir -p "$MNT/a/b" "$MNT/c"
	echo 1 >"$MNT/a/cgroup.freeze"
	# An existing child and a new one: frozen, with their own freeze 0.
	[ "$(stat_of frozen "$MNT/a/b/cgroup.events")" = 1 ]
	mkdir "$MNT/a/n"
	[ "$(stat_of frozen "$MNT/a/n/cgroup.events")" = 1 ]
	[ "$(cat "$MNT/a/n/cgroup.freeze")" = 0 ]
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/b/cgroup.procs"
	wait_until '[ "$(proc_state $pid)" = T ]'
	# Leaving the frozen subtree thaws it.
	echo "$pid" >"$MNT/c/cgroup.procs"
	wait_until '[ "$(proc_state $pid)" = S ]'
	echo "$pid" >"$MNT/a/b/cgroup.procs"
	wait_until '[ "$(proc_state $pid)" = T ]'
	echo 0 >"$MNT/a/cgroup.freeze"
	wait_until '[ "$(proc_state $pid)" = S ]'
	[ "$(stat_of frozen "$MNT/a/b/cgroup.events")" = 0 ]
	[ "$(stat_of frozen "$MNT/a/n/cgroup.events")" = 0 ]
}

# -------------------------------------------------------------- cgroup.kill

@test "cgroup.kill: 1 SIGKILLs every process of the subtree, nothing outside (§2)" {
	mkdir -p "$MNT/a/b" "$MNT/c"
	spawn sleep 600
	local p1=$LAST_PID
	spawn sleep 600
	local p2=$LAST_PID
	spawn sleep 600
	local p3=$LAST_PID
	echo "$p1" >"$MNT/a/cgroup.procs"
	echo "$p2" >"$MNT/a/b/cgroup.procs"
	echo "$p3" >"$MNT/c/cgroup.procs"
	echo 1 >"$MNT/a/cgroup.kill"
	wait_until 'dead $p1 && dead $p2'
	local rc=0
	wait "$p1" || rc=$?
	[ "$rc" = 137 ]
	rc=0
	wait "$p2" || rc=$?
	[ "$rc" = 137 ]
	[ "$(proc_state "$p3")" = S ]
	wait_until '[ "$(stat_of populated "$MNT/a/cgroup.events")" = 0 ]'
	[ "$(bytes_of "$MNT/a/b/cgroup.procs")" = . ]
	[ "$(cat "$MNT/c/cgroup.procs")" = "$p3" ]
	# An empty subtree: success, nothing to do.
	echo 1 >"$MNT/a/cgroup.kill"
}

@test "cgroup.kill: only 1; other ints ERANGE, junk EINVAL; reading is EINVAL (§2)" {
	mkdir "$MNT/a"
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/cgroup.procs"
	write_fails ERANGE 0 "$MNT/a/cgroup.kill"
	write_fails ERANGE 2 "$MNT/a/cgroup.kill"
	write_fails ERANGE -1 "$MNT/a/cgroup.kill"
	write_fails ERANGE 99999999999 "$MNT/a/cgroup.kill"
	write_fails EINVAL junk "$MNT/a/cgroup.kill"
	write_fails EINVAL $'\n' "$MNT/a/cgroup.kill"
	[ "$(proc_state "$pid")" = S ]
	fails_with EINVAL cat "$MNT/a/cgroup.kill"
	[ "$(stat -c %a "$MNT/a/cgroup.kill")" = 200 ]
}

# ---------------------------------------------------- cgroup.max.descendants

@test "cgroup.max.descendants and max.depth: max or an int >= 0 (§2)" {
	mkdir "$MNT/a"
	local f
	for f in "$MNT/cgroup.max.descendants" "$MNT/a/cgroup.max.descendants" \
		"$MNT/cgroup.max.depth" "$MNT/a/cgroup.max.depth"; do
		[ "$(bytes_of "$f")" = $'max\n.' ]
		echo 5 >"$f"
		[ "$(bytes_of "$f")" = $'5\n.' ]
		echo 0 >"$f"
		[ "$(cat "$f")" = 0 ]
		printf ' 7 \n' >"$f"
		[ "$(cat "$f")" = 7 ]
		echo 0x10 >"$f"
		[ "$(cat "$f")" = 16 ]
		echo 010 >"$f"
		[ "$(cat "$f")" = 8 ]
		echo max >"$f"
		[ "$(bytes_of "$f")" = $'max\n.' ]
		# INT_MAX is the kernel's "max".
		echo 2147483646 >"$f"
		[ "$(cat "$f")" = 2147483646 ]
		echo 2147483647 >"$f"
		[ "$(cat "$f")" = max ]
	done
}

@test "cgroup.max.descendants and max.depth: -1 ERANGE, overflow ERANGE, junk EINVAL (§2)" {
	mkdir "$MNT/a"
	local f v
	for f in "$MNT/a/cgroup.max.descendants" "$MNT/a/cgroup.max.depth"; do
		echo 3 >"$f"
		write_fails ERANGE -1 "$f"
		write_fails ERANGE -2147483648 "$f"
		write_fails ERANGE 2147483648 "$f"
		write_fails ERANGE 99999999999 "$f"
		for v in junk MAX Max "max 1" "1 2" $'\n' 1.5 5k; do
			write_fails EINVAL "$v" "$f" || { echo "'$v'" >&2; false; }
		done
		[ "$(cat "$f")" = 3 ]
	done
}

# --------------------------------------------------------------- cgroup.type

@test "cgroup.type: domain; only threaded can be written, anything else EINVAL (§2)" {
	mkdir "$MNT/a"
	[ "$(bytes_of "$MNT/a/cgroup.type")" = $'domain\n.' ]
	write_fails EINVAL domain "$MNT/a/cgroup.type"
	write_fails EINVAL junk "$MNT/a/cgroup.type"
	write_fails EINVAL Threaded "$MNT/a/cgroup.type"
	write_fails EINVAL "domain threaded" "$MNT/a/cgroup.type"
	write_fails EINVAL $'\n' "$MNT/a/cgroup.type"
	[ "$(bytes_of "$MNT/a/cgroup.type")" = $'domain\n.' ]
	"$MEMCGFS_HELPERS/fdread" -m w "$MNT/a/cgroup.type" $'write= threaded \n' >/dev/null
	[ "$(bytes_of "$MNT/a/cgroup.type")" = $'threaded\n.' ]
	[ ! -e "$MNT/cgroup.type" ]
}

@test "cgroup.type: threaded subtrees as test_core's parent_becomes_threaded, invalid_domain and no_internal_process_constraint_on_threads" {
	remount -o controllers=cpu:memory
	# A threaded child makes its parent a thread root.
	mkdir -p "$MNT/p/c"
	echo threaded >"$MNT/p/c/cgroup.type"
	[ "$(cat "$MNT/p/cgroup.type")" = "domain threaded" ]
	# A domain below a threaded cgroup is invalid: nothing may join it.
	mkdir -p "$MNT/g/p/c"
	echo threaded >"$MNT/g/p/cgroup.type"
	[ "$(cat "$MNT/g/p/c/cgroup.type")" = "domain invalid" ]
	write_fails EOPNOTSUPP 0 "$MNT/g/p/c/cgroup.procs"
	# Under the root with +memory: the threaded child loses its memory
	# css (and files); threaded controllers take internal processes.
	echo "+cpu +memory" >"$MNT/cgroup.subtree_control"
	mkdir -p "$MNT/t/c"
	[ -e "$MNT/t/memory.current" ]
	echo threaded >"$MNT/t/cgroup.type"
	echo threaded >"$MNT/t/c/cgroup.type"
	[ ! -e "$MNT/t/memory.current" ]
	[ "$(cat "$MNT/t/cgroup.controllers")" = cpu ]
	echo +cpu >"$MNT/t/cgroup.subtree_control"
	write_fails ENOENT +memory "$MNT/t/cgroup.subtree_control"
	spawn sleep 600
	echo "$LAST_PID" >"$MNT/t/cgroup.procs"
	[ "$(cat "$MNT/t/cgroup.procs")" = "$LAST_PID" ]
	# Populated, or with a domain controller on: no longer switchable.
	mkdir "$MNT/d" "$MNT/e"
	echo "$LAST_PID" >"$MNT/d/cgroup.procs"
	write_fails EOPNOTSUPP threaded "$MNT/d/cgroup.type"
	echo +memory >"$MNT/e/cgroup.subtree_control"
	write_fails EOPNOTSUPP threaded "$MNT/e/cgroup.type"
	# The root's -memory and +memory pass the threaded ones by.
	echo "$LAST_PID" >"$MNT/cgroup.procs"
	echo -memory >"$MNT/e/cgroup.subtree_control"
	echo -memory >"$MNT/cgroup.subtree_control"
	echo +memory >"$MNT/cgroup.subtree_control"
	[ ! -e "$MNT/t/memory.current" ]
	[ -e "$MNT/d/memory.current" ]
}

@test "cgroup.threads: a thread moves alone within its threaded domain (test_core's thread_migration)" {
	local py pid tid
	py=$(python3 -c 'import sys; print(sys.executable)')
	mkdir -p "$MNT/dom/src" "$MNT/dom/dst" "$MNT/other"
	echo threaded >"$MNT/dom/src/cgroup.type"
	echo threaded >"$MNT/dom/dst/cgroup.type"
	spawn "$py" -c 'import threading, time
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
time.sleep(600)'
	pid=$LAST_PID
	wait_until '[ "$(ls /proc/$pid/task | wc -l)" = 2 ]'
	tid=$(ls /proc/$pid/task | grep -vx "$pid")
	echo "$pid" >"$MNT/dom/src/cgroup.procs"
	echo "$tid" >"$MNT/dom/dst/cgroup.threads"
	[ "$(bytes_of "$MNT/dom/dst/cgroup.threads")" = "$tid"$'\n.' ]
	[ "$(bytes_of "$MNT/dom/src/cgroup.threads")" = "$pid"$'\n.' ]
	[ "$(bytes_of "$MNT/dom/src/cgroup.procs")" = "$pid"$'\n.' ]
	# Not out of its threaded domain; a moved thread keeps its cgroup.
	write_fails EOPNOTSUPP "$tid" "$MNT/other/cgroup.threads"
	run rmdir "$MNT/dom/dst"
	[ "$status" -ne 0 ]
	# Back to the process's cgroup, then the whole process moves.
	echo "$tid" >"$MNT/dom/src/cgroup.threads"
	[ "$(wc -l <"$MNT/dom/src/cgroup.threads")" = 2 ]
	echo "$tid" >"$MNT/dom/dst/cgroup.threads"
	echo "$pid" >"$MNT/dom/dst/cgroup.procs"
	[ "$(wc -l <"$MNT/dom/dst/cgroup.threads")" = 2 ]
	[ "$(bytes_of "$MNT/dom/src/cgroup.threads")" = . ]
	rmdir "$MNT/dom/src"
	# A thread that exits leaves nothing behind.
	echo "$pid" >"$MNT/cgroup.procs"
	mkdir "$MNT/dom/src"
	echo threaded >"$MNT/dom/src/cgroup.type"
	echo "$pid" >"$MNT/dom/dst/cgroup.procs"
	echo "$tid" >"$MNT/dom/src/cgroup.threads"
	kill "$pid"
	wait_until '[ ! -e /proc/$pid ]'
	rmdir "$MNT/dom/src"
}

# ----------------------------------------------------------- memory.pressure

@test "memory.pressure: PSI format, zeros, on the root and on groups without memory (§2)" {
	mkdir "$MNT/a"
	local want=$'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n.'
	[ "$(bytes_of "$MNT/memory.pressure")" = "$want" ]
	[ "$(bytes_of "$MNT/a/memory.pressure")" = "$want" ]
	[ ! -e "$MNT/a/memory.max" ]
}

@test "memory.pressure: valid triggers as root, some and full, one per fd (§2)" {
	mkgroups a
	local f=$MNT/a/memory.pressure
	echo "some 150000 1000000" >"$f"
	echo "full 50000 1000000" >"$f"
	echo "some 10000000 10000000" >"$f"
	echo "some 1 10000000" >"$f"
	# Root (CAP_SYS_RESOURCE): no 2 s multiple needed.
	echo "some 500000 1500000" >"$f"
	echo "some 150000 1000000" >"$MNT/memory.pressure"
	# A trigger changes nothing that is read.
	[ "$(stat_of some "$f")" = "avg10=0.00" ]
}

@test "memory.pressure: malformed triggers are EINVAL (§2)" {
	mkdir "$MNT/a"
	local f=$MNT/a/memory.pressure v
	for v in $'\n' "some" "some 1" "full 1" "bogus 1 1000000" "SOME 1 1000000" \
		"some x 1000000" "some 1 y" "1 1000000" \
		"some 0 1000000" "some 1000001 1000000" "some 1 0" "full 0 0" \
		"some 1 10000001" "some 1 4294967295" "some -1 1000000"; do
		write_fails EINVAL "$v" "$f" || { echo "'$v'" >&2; false; }
	done
}

@test "memory.pressure: a second trigger on the same fd is EBUSY; a new fd takes one (§2)" {
	mkdir "$MNT/a"
	local f=$MNT/a/memory.pressure
	exec 5>"$f"
	echo "some 150000 1000000" >&5
	run bash -c 'echo "some 150000 1000000" >&5'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Device or resource busy"* ]]
	run bash -c 'echo "full 100000 2000000" >&5'
	[[ "$output" == *"Device or resource busy"* ]]
	exec 5>&-
	echo "some 150000 1000000" >"$f"
	# A failed first write leaves the fd free for a good one.
	exec 5>"$f"
	run bash -c 'echo "some 0 1000000" >&5'
	[[ "$output" == *"Invalid argument"* ]]
	echo "some 150000 1000000" >&5
	exec 5>&-
}

@test "memory.pressure: windows shorter than 500 ms are valid (§2: only 0 or > 10 s are EINVAL)" {
	# psi_trigger_create() since 6.5 checks window_us == 0 || > WINDOW_MAX_US
	# (the 500 ms minimum was dropped); spec §2 says the same.
	mkdir "$MNT/a"
	echo "some 50000 100000" >"$MNT/a/memory.pressure"
	echo "some 1 1" >"$MNT/a/memory.pressure"
	echo "full 100 499999" >"$MNT/a/memory.pressure"
	write_fails EINVAL "some 1 0" "$MNT/a/memory.pressure"
}

@test "memory.pressure: the EBUSY check comes before parsing (kernel pressure_write)" {
	# Spec §2 is silent on a malformed second write; the kernel's
	# pressure_write() tests ctx->psi.trigger before psi_trigger_create().
	mkdir "$MNT/a"
	exec 5>"$MNT/a/memory.pressure"
	echo "some 150000 1000000" >&5
	run bash -c 'echo junk >&5'
	[[ "$output" == *"Device or resource busy"* ]]
	run bash -c 'echo "some 0 1000000" >&5'
	[[ "$output" == *"Device or resource busy"* ]]
	exec 5>&-
}

@test "memory.pressure: text after the two numbers is ignored (kernel sscanf)" {
	# Spec §2 says "malformed → EINVAL" without defining it; the kernel
	# parses with sscanf(buf, "some %u %u"), which ignores what follows.
	mkdir "$MNT/a"
	echo "some 150000 1000000 trailing" >"$MNT/a/memory.pressure"
	echo "full 150000 1000000x" >"$MNT/a/memory.pressure"
}

@test "memory.pressure: without CAP_SYS_RESOURCE the window must be a multiple of 2 s (§2)" {
	remount -o allow_other
	mkdir "$MNT/a"
	chown $NOBODY "$MNT/a/memory.pressure"
	run as_nobody bash -c 'echo "some 150000 1000000" > a/memory.pressure'
	[ "$status" -ne 0 ]
	[[ "$output" == *"write error: Invalid argument"* ]]
	as_nobody bash -c 'echo "some 150000 2000000" > a/memory.pressure'
	as_nobody bash -c 'echo "full 150000 4000000" > a/memory.pressure'
	# Root may use any window.
	echo "some 150000 1000000" >"$MNT/a/memory.pressure"
}

# ------------------------------------------------- migration permission (§7)

@test "migration: a delegatee moves its processes inside its subtree, not in from the root (EACCES) (§7)" {
	remount -o allow_other
	mkgroups d
	chown $NOBODY:$NOBODY "$MNT/d" "$MNT/d/cgroup.procs" \
		"$MNT/d/cgroup.threads" "$MNT/d/cgroup.subtree_control"
	as_nobody mkdir d/x d/y
	spawn setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups sleep 600
	local pid=$LAST_PID
	wait_until '[ "$(stat -c %u /proc/$pid)" = $NOBODY ]'
	echo "$pid" >"$MNT/d/x/cgroup.procs"
	# Common ancestor d: its cgroup.procs is nobody's.
	as_nobody bash -c "echo $pid > d/y/cgroup.procs"
	[ "$(cat "$MNT/d/y/cgroup.procs")" = "$pid" ]
	as_nobody bash -c "echo $pid > d/cgroup.procs"
	[ "$(cat "$MNT/d/cgroup.procs")" = "$pid" ]
	as_nobody bash -c "echo $pid > d/x/cgroup.procs"
	[ "$(cat "$MNT/d/x/cgroup.procs")" = "$pid" ]
	# From the root into the subtree: the common ancestor is the root, whose
	# cgroup.procs is root's. The open succeeds (d/y is nobody's), the
	# write is EACCES.
	spawn setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups sleep 600
	local other=$LAST_PID
	run as_nobody bash -c "echo $other > d/y/cgroup.procs"
	[ "$status" -ne 0 ]
	[[ "$output" == *"write error: Permission denied"* ]]
	[ "$(bytes_of "$MNT/d/y/cgroup.procs")" = . ]
	grep -q '/d/y/cgroup.procs: write "'"$other"'": .*(EACCES)' "$MNT/sim.log"
	# Out of the subtree: the root's cgroup.procs cannot even be opened.
	run as_nobody bash -c "echo $pid > cgroup.procs"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cgroup.procs: Permission denied"* ]]
	[ "$(cat "$MNT/d/x/cgroup.procs")" = "$pid" ]
	# The delegated group's own limits stay root's (§7).
	run as_nobody bash -c "echo 1M > d/memory.max"
	[[ "$output" == *"Permission denied"* ]]
	[ "$(cat "$MNT/d/memory.max")" = max ]
}

@test "migration: the opener's credentials are checked, not the writer's (§7)" {
	remount -o allow_other
	mkdir -p "$MNT/d/x" "$MNT/d/y"
	chown $NOBODY "$MNT/d/y/cgroup.procs"
	spawn sleep 600
	local pid=$LAST_PID py
	echo "$pid" >"$MNT/d/x/cgroup.procs"
	# Opened by root, written by nobody: root's credentials count, allowed.
	exec 5>"$MNT/d/y/cgroup.procs"
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups bash -c "echo $pid >&5"
	exec 5>&-
	[ "$(cat "$MNT/d/y/cgroup.procs")" = "$pid" ]
	echo "$pid" >"$MNT/d/x/cgroup.procs"
	# Opened by nobody (who owns d/y/cgroup.procs), written by root: the
	# common ancestor d's cgroup.procs is root's, so EACCES.
	py=$(python3 -c 'import sys; print(sys.executable)')
	run "$py" -c '
import errno, os, sys
os.chdir(sys.argv[1])
os.setresgid(65534, 65534, 0)
os.setresuid(65534, 65534, 0)
fd = os.open("d/y/cgroup.procs", os.O_WRONLY)
os.setresuid(0, 0, 0)
os.setresgid(0, 0, 0)
assert os.geteuid() == 0
try:
    os.write(fd, sys.argv[2].encode())
except OSError as e:
    print(errno.errorcode[e.errno])
    sys.exit(1)
print("written")' "$MNT" "$pid"
	[ "$output" = EACCES ]
	[ "$(cat "$MNT/d/x/cgroup.procs")" = "$pid" ]
}

# ----------------------------------------------------- read-only, write-only

@test "a read-only file written as root is EINVAL; a write-only one read as root is EINVAL (§1)" {
	mkgroups a
	local f
	for f in cgroup.controllers cgroup.stat a/cgroup.controllers \
		a/cgroup.events a/cgroup.stat; do
		write_fails EINVAL 1 "$MNT/$f" || { echo "$f" >&2; false; }
	done
	fails_with EINVAL cat "$MNT/a/cgroup.kill"
	fails_with EINVAL cat "$MNT/a/sim.ctl"
}

# -------------------------------------------------------------- sim.log

@test "sim.log: every failed write to a core file leaves a line naming the file" {
	mkgroups a e
	mkdir "$MNT/a/b" "$MNT/e/f"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	spawn sleep 600
	local pid=$LAST_PID
	local spec file value want
	for spec in "/cgroup.procs|abc|EINVAL" "/a/b/cgroup.procs|999999|ESRCH" \
		"/a/cgroup.procs|$pid|EBUSY" "/cgroup.subtree_control|+cpu|EINVAL" \
		"/e/f/cgroup.subtree_control|+memory|ENOENT" \
		"/cgroup.subtree_control|-memory|EBUSY" \
		"/a/b/cgroup.threads|$pid|EOPNOTSUPP" "/a/cgroup.freeze|2|ERANGE" \
		"/a/cgroup.kill|x|EINVAL" "/a/cgroup.type|threaded|EOPNOTSUPP" \
		"/cgroup.max.depth|-1|ERANGE" "/a/cgroup.max.descendants|z|EINVAL" \
		"/a/memory.pressure|some 0 1|EINVAL"; do
		IFS='|' read -r file value want <<<"$spec"
		write_fails "$want" "$value" "$MNT$file"
		grep -qF "$file: write \"$value\": " "$MNT/sim.log" || {
			echo "no sim.log line for $file '$value'" >&2
			cat "$MNT/sim.log" >&2
			false
		}
		[ "$(grep -F "$file: write \"$value\": " "$MNT/sim.log" | tail -n 1 | grep -c "($want)\$")" = 1 ]
	done
	[ "$(wc -l <"$MNT/sim.log")" = 13 ]
}

@test "sim.log: writes refused before any handler (read-only file, E2BIG) are logged too" {
	# README: sim.log keeps "the last 1,000 failed writes"; these fail in
	# the FUSE layer before a handler runs.
	mkdir "$MNT/a"
	write_fails EINVAL 1 "$MNT/a/cgroup.events"
	grep -qF '/a/cgroup.events: write "1": ' "$MNT/sim.log"
	write_fails E2BIG "$(printf '1%.0s' $(seq 4097))" "$MNT/a/cgroup.max.depth"
	grep -qF '/a/cgroup.max.depth: write' "$MNT/sim.log"
}
