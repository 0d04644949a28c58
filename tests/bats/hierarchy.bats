#!/usr/bin/env bats
# The lifecycle of groups from a real mount: mkdir and rmdir rules, the
# cgroup.max.* limits, the memcg ID space, cgroup.stat counts, dying
# groups, ownership and the mount options
# (Documentation/admin-guide/cgroup-v2.rst
# §5, §3.2, §1 and §7).
load helper


cgstat() {
	# The memory lines; controllers.bats checks the others.
	grep -E '^nr_(dying_)?(descendants|subsys_memory) ' "$MNT/${1:+$1/}cgroup.stat"
}

# ---------------------------------------------------------------- mkdir

@test "mkdir: an existing child is EEXIST (§5.1)" {
	mkdir "$MNT/a"
	fails_with EEXIST mkdir "$MNT/a"
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 1 ]
}

@test "mkdir: interface-file names are EEXIST, core and memory files alike (§5.1)" {
	fails_with EEXIST mkdir "$MNT/cgroup.procs"
	fails_with EEXIST mkdir "$MNT/cgroup.stat"
	fails_with EEXIST mkdir "$MNT/memory.pressure"
	fails_with EEXIST mkdir "$MNT/memory.stat"
	mkgroups a
	fails_with EEXIST mkdir "$MNT/a/memory.max"
	fails_with EEXIST mkdir "$MNT/a/cgroup.events"
	fails_with EEXIST mkdir "$MNT/a/memory.pressure"
	[ -f "$MNT/a/memory.max" ]
	[ "$(cat "$MNT/a/memory.max")" = max ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 1 ]
}

@test "mkdir: a memory.* name is free where no memory files exist (§5.1: no protection)" {
	mkdir "$MNT/a"
	# a's parent has no +memory, so a has no memory.max file.
	[ ! -e "$MNT/a/memory.max" ]
	mkdir "$MNT/a/memory.max"
	[ -d "$MNT/a/memory.max" ]
	[ -f "$MNT/a/memory.max/cgroup.procs" ]
	[ "$(stat_of nr_descendants "$MNT/a/cgroup.stat")" = 1 ]
}

@test "mkdir: a name with a newline is EINVAL; other odd names work (§5.1)" {
	fails_with EINVAL mkdir "$MNT/a"$'\n'"b"
	fails_with EINVAL mkdir "$MNT/"$'\n'
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 0 ]
	mkdir "$MNT/with space" "$MNT/tab"$'\t'"x" "$MNT/-dash"
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 3 ]
	# Two failures logged, none for the names that worked.
	[ "$(grep -c '(EINVAL)$' "$MNT/sim.log")" = 2 ]
	[ "$(grep -c 'with space' "$MNT/sim.log")" = 0 ]
}

@test "sim.log: a failed mkdir is one line, its name escaped like a write's input" {
	# memcgfs's own contract (ops.c sanitize(): "every failure stays one
	# line"), applied to the name of a failed mkdir.
	fails_with EINVAL mkdir "$MNT/a"$'\n'"b"
	[ "$(wc -l <"$MNT/sim.log")" = 1 ]
	grep -q 'mkdir "a\\x0ab": .*(EINVAL)$' "$MNT/sim.log"
}

@test "mkdir: names up to 255 bytes work; 256 bytes is ENAMETOOLONG (§5.1)" {
	local n255 n256
	n255=$(printf 'n%.0s' $(seq 255))
	n256=${n255}n
	mkdir "$MNT/$n255"
	[ -d "$MNT/$n255" ]
	fails_with ENAMETOOLONG mkdir "$MNT/$n256"
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 1 ]
}

@test "mkdir: the mode given to mkdir(2) is kept; files have the kernel's modes (§1)" {
	mkdir -m 0750 "$MNT/a"
	[ "$(stat -c %a "$MNT/a")" = 750 ]
	mkdir -m 0700 "$MNT/b"
	[ "$(stat -c %a "$MNT/b")" = 700 ]
	[ "$(stat -c %a "$MNT/a/cgroup.procs")" = 644 ]
	[ "$(stat -c %a "$MNT/a/cgroup.kill")" = 200 ]
}

# ------------------------------------------------------ cgroup.max.* limits

@test "max.descendants=0 forbids any child: EAGAIN, nothing created (§5.1)" {
	echo 0 >"$MNT/cgroup.max.descendants"
	fails_with EAGAIN mkdir "$MNT/a"
	[ ! -e "$MNT/a" ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 0 ]
	grep -q 'mkdir "a".*EAGAIN' "$MNT/sim.log"
	echo max >"$MNT/cgroup.max.descendants"
	mkdir "$MNT/a"
	echo 0 >"$MNT/a/cgroup.max.descendants"
	fails_with EAGAIN mkdir "$MNT/a/b"
	mkdir "$MNT/c"
}

@test "max.descendants on the parent and on a higher ancestor: EAGAIN (§5.1)" {
	mkdir "$MNT/a"
	echo 2 >"$MNT/a/cgroup.max.descendants"
	mkdir "$MNT/a/b"
	mkdir "$MNT/a/b/c"
	# a counts all levels below it: 2 reached.
	fails_with EAGAIN mkdir "$MNT/a/d"
	# The limit of a higher ancestor (a) applies to a grandchild too.
	fails_with EAGAIN mkdir "$MNT/a/b/e"
	fails_with EAGAIN mkdir "$MNT/a/b/c/f"
	# Outside a there is no limit.
	mkdir "$MNT/x"
	# Room again after an rmdir.
	rmdir "$MNT/a/b/c"
	mkdir "$MNT/a/b/e"
	fails_with EAGAIN mkdir "$MNT/a/b/g"
	# Root's limit counts every level as well.
	echo 4 >"$MNT/cgroup.max.descendants"
	fails_with EAGAIN mkdir "$MNT/y"
	fails_with EAGAIN mkdir "$MNT/x/z"
}

@test "max.descendants below the current count is allowed; only mkdir is affected (§2)" {
	mkdir -p "$MNT/a/b" "$MNT/a/c"
	echo 1 >"$MNT/a/cgroup.max.descendants"
	[ "$(cat "$MNT/a/cgroup.max.descendants")" = 1 ]
	[ -d "$MNT/a/b" ]
	[ -d "$MNT/a/c" ]
	fails_with EAGAIN mkdir "$MNT/a/d"
	rmdir "$MNT/a/b"
	fails_with EAGAIN mkdir "$MNT/a/d"
	rmdir "$MNT/a/c"
	mkdir "$MNT/a/d"
}

@test "max.depth=N allows N levels below, on the parent and higher ancestors (§5.1)" {
	mkdir "$MNT/a"
	echo 0 >"$MNT/a/cgroup.max.depth"
	fails_with EAGAIN mkdir "$MNT/a/b"
	echo 1 >"$MNT/a/cgroup.max.depth"
	mkdir "$MNT/a/b"
	mkdir "$MNT/a/b2"
	fails_with EAGAIN mkdir "$MNT/a/b/c"
	echo 2 >"$MNT/a/cgroup.max.depth"
	mkdir "$MNT/a/b/c"
	fails_with EAGAIN mkdir "$MNT/a/b/c/d"
	grep -q 'mkdir "d".*EAGAIN' "$MNT/sim.log"
	# The root's depth limit: 1 allows /x but not /x/y.
	echo 1 >"$MNT/cgroup.max.depth"
	mkdir "$MNT/x"
	fails_with EAGAIN mkdir "$MNT/x/y"
	fails_with EAGAIN mkdir "$MNT/a/b3"
}

@test "dying groups do not count toward max.descendants (§5.1)" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/a"
	echo 1 >"$MNT/p/cgroup.max.descendants"
	fails_with EAGAIN mkdir "$MNT/p/b"
	spawn bash -c "echo 'anon 4M' > '$MNT/p/a/sim.ctl'; exec sleep 600"
	wait_until '[ "$(cat "$MNT/p/a/memory.current")" = 4194304 ]'
	rmdir "$MNT/p/a"
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 1 ]
	mkdir "$MNT/p/b"
	[ "$(stat_of nr_descendants "$MNT/p/cgroup.stat")" = 1 ]
}

# ---------------------------------------------------------------- rmdir

@test "rmdir: a group with a member process is EBUSY; after it exits rmdir works (§5.2)" {
	mkdir "$MNT/a"
	spawn sleep 600
	local pid=$LAST_PID
	echo "$pid" >"$MNT/a/cgroup.procs"
	fails_with EBUSY rmdir "$MNT/a"
	[ -d "$MNT/a" ]
	[ "$(cat "$MNT/a/cgroup.procs")" = "$pid" ]
	grep -q 'rmdir "a": .*EBUSY' "$MNT/sim.log"
	kill -9 "$pid"
	wait "$pid" || true
	wait_until '[ ! -s "$MNT/a/cgroup.procs" ]'
	rmdir "$MNT/a"
	[ ! -e "$MNT/a" ]
}

@test "rmdir: a group with a live child is EBUSY, also when only a grandchild has members (§5.2)" {
	mkdir -p "$MNT/a/b/c"
	fails_with EBUSY rmdir "$MNT/a"
	fails_with EBUSY rmdir "$MNT/a/b"
	spawn sleep 600
	echo "$LAST_PID" >"$MNT/a/b/c/cgroup.procs"
	fails_with EBUSY rmdir "$MNT/a/b/c"
	echo "$LAST_PID" >"$MNT/cgroup.procs"
	rmdir "$MNT/a/b/c"
	rmdir "$MNT/a/b"
	rmdir "$MNT/a"
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 0 ]
}

@test "rmdir: works although the dir lists interface files; the name is reusable at once (§5.2)" {
	mkgroups a
	[ "$(ls "$MNT/a" | wc -l)" -gt 20 ]
	echo 1M >"$MNT/a/memory.max"
	echo 3 >"$MNT/a/cgroup.max.depth"
	rmdir "$MNT/a"
	[ ! -e "$MNT/a" ]
	[ "$(ls "$MNT" | grep -cx a)" = 0 ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 0 ]
	mkdir "$MNT/a"
	# A fresh group: defaults, not the old values.
	[ "$(cat "$MNT/a/memory.max")" = max ]
	[ "$(cat "$MNT/a/cgroup.max.depth")" = max ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 1 ]
}

@test "rmdir: a missing name is ENOENT, an interface file ENOTDIR, the root EBUSY" {
	fails_with ENOENT rmdir "$MNT/nope"
	fails_with ENOTDIR rmdir "$MNT/cgroup.procs"
	fails_with EBUSY rmdir "$MNT"
	[ -f "$MNT/cgroup.procs" ]
}

# ------------------------------------------------- rename, create, unlink

@test "rename is EPERM, for groups and files (§1)" {
	mkgroups a
	fails_with EPERM mv "$MNT/a" "$MNT/b"
	[ -d "$MNT/a" ]
	[ ! -e "$MNT/b" ]
	mkdir "$MNT/c"
	fails_with EPERM mv "$MNT/a" "$MNT/c/a"
	fails_with EPERM mv "$MNT/a/memory.max" "$MNT/a/memory.maxx"
	[ -f "$MNT/a/memory.max" ]
}

@test "creating a regular file is EACCES (touch, echo >) (§1)" {
	mkdir "$MNT/a"
	fails_with EACCES touch "$MNT/newfile"
	fails_with EACCES touch "$MNT/a/newfile"
	fails_with EACCES bash -c "echo x > '$MNT/a/memory.max'"
	fails_with EACCES bash -c "echo x > '$MNT/newfile'"
	[ ! -e "$MNT/newfile" ]
	[ ! -e "$MNT/a/newfile" ]
}

@test "rm of an interface file is EPERM; the file stays (§1)" {
	mkgroups a
	fails_with EPERM rm -f "$MNT/cgroup.procs"
	fails_with EPERM rm -f "$MNT/a/memory.max"
	fails_with EPERM unlink "$MNT/a/cgroup.events"
	[ -f "$MNT/cgroup.procs" ]
	[ -f "$MNT/a/memory.max" ]
	[ -f "$MNT/a/cgroup.events" ]
}

@test "symlink and hard link are EPERM (§1, vfs_link without .link)" {
	mkdir "$MNT/a"
	fails_with EPERM ln -s cgroup.procs "$MNT/a/l"
	fails_with EPERM ln "$MNT/a/cgroup.procs" "$MNT/a/h"
	[ ! -e "$MNT/a/l" ]
	[ ! -e "$MNT/a/h" ]
}

@test "mknod (mkfifo) is EPERM as in the kernel (vfs_mknod without .mknod)" {
	# The spec (§1) lists create/unlink/rename/symlink; for mknod the
	# kernel's vfs_mknod() returns EPERM when the dir has no .mknod.
	mkdir "$MNT/a"
	fails_with EPERM mkfifo "$MNT/a/fifo"
	[ ! -e "$MNT/a/fifo" ]
}

# --------------------------------------------------------- memcg ID space

@test "memcg IDs: -o ids=4 gives 3 memory groups, the 4th mkdir is ENOSPC, one rmdir frees one (§5.4)" {
	remount -o ids=4
	mkgroups
	mkdir "$MNT/a" "$MNT/b" "$MNT/c"
	fails_with ENOSPC mkdir "$MNT/d"
	[[ "$output" == *"No space left on device"* ]]
	[ ! -e "$MNT/d" ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 3 ]
	[ "$(stat_of nr_subsys_memory "$MNT/cgroup.stat")" = 4 ]
	grep -q '/: mkdir "d": .*ENOSPC' "$MNT/sim.log"
	rmdir "$MNT/b"
	mkdir "$MNT/d"
	[ -f "$MNT/d/memory.max" ]
	fails_with ENOSPC mkdir "$MNT/e"
}

@test "memcg IDs: groups without memory enabled by the parent use none (§5.4)" {
	remount -o ids=4
	mkgroups a b c
	fails_with ENOSPC mkdir "$MNT/d"
	# a has no +memory: its children get no memcg and no ID.
	mkdir "$MNT/a/x" "$MNT/a/y" "$MNT/a/z" "$MNT/a/x/deep"
	[ ! -e "$MNT/a/x/memory.max" ]
	[ "$(stat_of nr_descendants "$MNT/cgroup.stat")" = 7 ]
	[ "$(stat_of nr_subsys_memory "$MNT/cgroup.stat")" = 4 ]
	fails_with ENOSPC mkdir "$MNT/d"
}

@test "memcg IDs: +memory needing more IDs than are free is ENOSPC, all or nothing (§2, §5.4)" {
	remount -o ids=4
	mkgroups a
	mkdir "$MNT/a/x" "$MNT/a/y" "$MNT/a/z"
	# 2 IDs used (root, a); x, y and z would need 3 more.
	write_fails ENOSPC +memory "$MNT/a/cgroup.subtree_control"
	[ ! -s "$MNT/a/cgroup.subtree_control" ]
	[ ! -e "$MNT/a/x/memory.max" ]
	[ ! -e "$MNT/a/z/memory.max" ]
	[ "$(stat_of nr_subsys_memory "$MNT/cgroup.stat")" = 2 ]
	rmdir "$MNT/a/z"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	[ -f "$MNT/a/x/memory.max" ]
	[ -f "$MNT/a/y/memory.max" ]
	[ "$(stat_of nr_subsys_memory "$MNT/cgroup.stat")" = 4 ]
}

@test "memcg IDs: a dying memcg holds no ID (§5.4: freed at offline)" {
	remount -o ids=4
	mkgroups a b c
	spawn bash -c "echo 'anon 4M' > '$MNT/a/sim.ctl'; exec sleep 600"
	wait_until '[ "$(cat "$MNT/a/memory.current")" = 4194304 ]'
	rmdir "$MNT/a"
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	mkdir "$MNT/d"
	[ -f "$MNT/d/memory.max" ]
}

# ----------------------------------------------------------- mount options

@test "an unknown mount option is rejected with a message and a non-zero exit" {
	local dir opt
	dir=$(mktemp -d "$MEMCGFS_TMP/bad.XXXXXX")
	for opt in bogus ids=0 ids=1048577 stats=bogus kmem_limit=x ids=x pure=1 memory=lots; do
		run timeout 5 "$MEMCGFS_BIN" -f -o "$opt" "$dir"
		if mountpoint -q "$dir"; then
			fusermount3 -u "$dir"
			echo "-o $opt mounted" >&2
			false
		fi
		[ "$status" -ne 0 ] && [ "$status" -ne 124 ] || {
			echo "-o $opt: status $status" >&2
			false
		}
		[[ "$output" == *memcgfs:* ]] || {
			echo "-o $opt: no message: '$output'" >&2
			false
		}
	done
	run timeout 5 "$MEMCGFS_BIN" -f -o bogus "$dir"
	[[ "$output" == *"unknown option 'bogus'"* ]]
	rmdir "$dir"
}

@test "-o pure hides sim.ctl and sim.log; the cgroup files stay" {
	remount -o pure
	[ ! -e "$MNT/sim.log" ]
	[ ! -e "$MNT/sim.ctl" ]
	mkgroups a
	[ ! -e "$MNT/a/sim.ctl" ]
	[ "$(ls "$MNT" "$MNT/a" | grep -c '^sim\.')" = 0 ]
	[ -f "$MNT/cgroup.procs" ]
	[ -f "$MNT/a/memory.max" ]
	fails_with EACCES bash -c "echo 'anon 1M' > '$MNT/a/sim.ctl'"
	[ "$(cat "$MNT/a/memory.current")" = 0 ]
}

# ------------------------------------------------------------ cgroup.stat

@test "cgroup.stat: nr_descendants across levels and nr_subsys_memory (§3.2)" {
	mkgroups a d
	mkdir -p "$MNT/a/b/c"
	echo +memory >"$MNT/a/cgroup.subtree_control"
	# memcgs: root, a, d, a/b (a/b has no +memory, so a/b/c has none).
	[ "$(cgstat)" = $'nr_descendants 4\nnr_subsys_memory 4\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(cgstat a)" = $'nr_descendants 2\nnr_subsys_memory 2\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(cgstat a/b)" = $'nr_descendants 1\nnr_subsys_memory 1\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(cgstat a/b/c)" = $'nr_descendants 0\nnr_subsys_memory 0\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(cgstat d)" = $'nr_descendants 0\nnr_subsys_memory 1\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	# An uncharged group is released at rmdir: never dying.
	rmdir "$MNT/a/b/c"
	rmdir "$MNT/d"
	[ "$(cgstat)" = $'nr_descendants 2\nnr_subsys_memory 3\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(stat_of nr_descendants "$MNT/a/cgroup.stat")" = 1 ]
}

@test "cgroup.stat: a removed group holding anon of a live process is dying until it exits (§5.2, §5.3)" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/a" "$MNT/p/b"
	# The owner is a member elsewhere (b); a itself is empty.
	spawn bash -c "echo 0 > '$MNT/p/b/cgroup.procs'; echo 'anon 4M' > '$MNT/p/a/sim.ctl'; exec sleep 600"
	local pid=$LAST_PID
	wait_until '[ "$(cat "$MNT/p/a/memory.current")" = 4194304 ]'
	[ "$(cat "$MNT/p/b/cgroup.procs")" = "$pid" ]
	rmdir "$MNT/p/a"
	[ ! -e "$MNT/p/a" ]
	[ "$(cgstat p)" = $'nr_descendants 1\nnr_subsys_memory 2\nnr_dying_descendants 1\nnr_dying_subsys_memory 1' ]
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 1 ]
	[ "$(stat_of nr_dying_subsys_memory "$MNT/cgroup.stat")" = 1 ]
	# Charges stay: the parent's usage does not drop at rmdir.
	[ "$(user_current_of p)" = 4194304 ]
	[ "$(stat_of anon "$MNT/p/memory.stat")" = 4194304 ]
	# The name is free again at once, for a fresh group.
	mkdir "$MNT/p/a"
	[ "$(cat "$MNT/p/a/memory.current")" = 0 ]
	rmdir "$MNT/p/a"
	[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 1 ]
	kill -9 "$pid"
	wait_until '[ "$(stat_of nr_dying_descendants "$MNT/p/cgroup.stat")" = 0 ]'
	[ "$(cgstat p)" = $'nr_descendants 1\nnr_subsys_memory 2\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]
	[ "$(user_current_of p)" = 0 ]
}

@test "cgroup.stat: a dying child does not block rmdir of its parent, which is then dying too (§5.2)" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/a"
	spawn bash -c "echo 'anon 4M' > '$MNT/p/a/sim.ctl'; exec sleep 600"
	wait_until '[ "$(cat "$MNT/p/a/memory.current")" = 4194304 ]'
	rmdir "$MNT/p/a"
	rmdir "$MNT/p"
	[ "$(cgstat)" = $'nr_descendants 0\nnr_subsys_memory 1\nnr_dying_descendants 2\nnr_dying_subsys_memory 2' ]
	kill -9 "$LAST_PID"
	wait_until '[ "$(stat_of nr_dying_descendants "$MNT/cgroup.stat")" = 0 ]'
	[ "$(cgstat)" = $'nr_descendants 0\nnr_subsys_memory 1\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
}

@test "cgroup.stat: -memory on a parent whose child holds charges leaves a dying memcg (§2, §3.2)" {
	mkgroups p
	echo +memory >"$MNT/p/cgroup.subtree_control"
	mkdir "$MNT/p/c"
	spawn bash -c "echo 'anon 4M' > '$MNT/p/c/sim.ctl'; exec sleep 600"
	wait_until '[ "$(cat "$MNT/p/c/memory.current")" = 4194304 ]'
	echo -memory >"$MNT/p/cgroup.subtree_control"
	[ ! -e "$MNT/p/c/memory.current" ]
	# c lives on (no dying descendant) but its memcg is dying, counted on
	# c itself and on every ancestor.
	[ "$(cgstat p)" = $'nr_descendants 1\nnr_subsys_memory 1\nnr_dying_descendants 0\nnr_dying_subsys_memory 1' ]
	[ "$(cgstat p/c)" = $'nr_descendants 0\nnr_subsys_memory 0\nnr_dying_descendants 0\nnr_dying_subsys_memory 1' ]
	[ "$(stat_of nr_dying_subsys_memory "$MNT/cgroup.stat")" = 1 ]
	[ "$(user_current_of p)" = 4194304 ]
	kill -9 "$LAST_PID"
	wait_until '[ "$(stat_of nr_dying_subsys_memory "$MNT/p/cgroup.stat")" = 0 ]'
	[ "$(stat_of nr_dying_subsys_memory "$MNT/p/c/cgroup.stat")" = 0 ]
	[ "$(stat_of nr_dying_subsys_memory "$MNT/cgroup.stat")" = 0 ]
	[ "$(user_current_of p)" = 0 ]
}

# ----------------------------------------------------- ownership (§1, §7)

@test "ownership: the root dir is 0555 root:root when the daemon runs as root (§1)" {
	[ "$(stat -c '%a %u %g' "$MNT")" = "555 0 0" ]
	[ "$(stat -c %F "$MNT")" = directory ]
}

@test "ownership: chown and chmod of a file and of a dir show in stat (§1)" {
	mkgroups a
	[ "$(stat -c '%u %g' "$MNT/a" "$MNT/a/cgroup.procs" "$MNT/a/memory.max" | sort -u)" = "0 0" ]
	chown $NOBODY:$NOBODY "$MNT/a"
	[ "$(stat -c '%u %g' "$MNT/a")" = "$NOBODY $NOBODY" ]
	# Only the directory changed, not its files.
	[ "$(stat -c %u "$MNT/a/cgroup.procs")" = 0 ]
	chown $NOBODY "$MNT/a/cgroup.procs"
	[ "$(stat -c '%u %g' "$MNT/a/cgroup.procs")" = "$NOBODY 0" ]
	[ "$(stat -c %u "$MNT/a/cgroup.threads")" = 0 ]
	chown $NOBODY "$MNT/a/memory.max"
	[ "$(stat -c %u "$MNT/a/memory.max")" = $NOBODY ]
	chmod 0600 "$MNT/a/memory.high"
	[ "$(stat -c %a "$MNT/a/memory.high")" = 600 ]
	chmod 0711 "$MNT/a"
	[ "$(stat -c '%a %u' "$MNT/a")" = "711 $NOBODY" ]
	# Changing owners does not change what the files say.
	[ "$(cat "$MNT/a/memory.max")" = max ]
}

@test "ownership: a group and all its files belong to whoever made it (§1)" {
	remount -o allow_other
	mkgroups d
	echo +memory >"$MNT/d/cgroup.subtree_control"
	chown $NOBODY:$NOBODY "$MNT/d"
	# The root dir is root's 0555: nobody may not mkdir there.
	run as_nobody mkdir x
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	as_nobody mkdir d/e
	[ "$(stat -c '%u %g' "$MNT/d/e")" = "$NOBODY $NOBODY" ]
	local f
	for f in cgroup.procs cgroup.type cgroup.kill cgroup.freeze \
		cgroup.subtree_control memory.pressure memory.max memory.current \
		memory.stat sim.ctl; do
		[ "$(stat -c '%u %g' "$MNT/d/e/$f")" = "$NOBODY $NOBODY" ] || {
			echo "d/e/$f: $(stat -c '%u %g' "$MNT/d/e/$f")" >&2
			false
		}
	done
	# The owner of d may remove what is in it; not d itself (root's dir).
	as_nobody rmdir d/e
	[ ! -e "$MNT/d/e" ]
	run as_nobody rmdir d
	[[ "$output" == *"Permission denied"* ]]
	[ -d "$MNT/d" ]
}

@test "ownership: memory files made by +memory belong to its writer, with default modes (§1)" {
	remount -o allow_other
	mkgroups d
	mkdir "$MNT/d/e"
	chown $NOBODY:$NOBODY "$MNT/d" "$MNT/d/cgroup.subtree_control"
	# nobody enables memory for d's children: e's memory files are nobody's,
	# e's core files stay root's (root made e).
	as_nobody bash -c 'echo +memory > d/cgroup.subtree_control'
	[ "$(stat -c '%u %g' "$MNT/d/e/memory.max")" = "$NOBODY $NOBODY" ]
	[ "$(stat -c '%u %g' "$MNT/d/e/cgroup.procs")" = "0 0" ]
	chmod 0600 "$MNT/d/e/memory.max"
	chown 0:0 "$MNT/d/e/memory.high"
	# Off and on again, by root: the files are new, root's, with 0644.
	echo -memory >"$MNT/d/cgroup.subtree_control"
	echo +memory >"$MNT/d/cgroup.subtree_control"
	[ "$(stat -c '%a %u %g' "$MNT/d/e/memory.max")" = "644 0 0" ]
	[ "$(stat -c '%a %u %g' "$MNT/d/e/memory.high")" = "644 0 0" ]
	[ "$(cat "$MNT/d/e/memory.max")" = max ]
}
