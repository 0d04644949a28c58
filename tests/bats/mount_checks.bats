#!/usr/bin/env bats
# The daemon refuses a bad mount point with one line, answers --help and
# --version as GNU tools do, and mounts the ways mount(8) and fstab call
# it.  $MNT (the helper's mount) is the "already mounted" directory.
load helper

EXTRA=()	# mount points a test mounted itself

teardown() {
	local m rc=0
	for m in "${EXTRA[@]}"; do
		mountpoint -q "$m" && { fusermount3 -u "$m" || umount -l "$m"; }
	done
	check_zombies_explained || rc=1
	check_accounting || rc=1
	unmount_memcgfs || rc=1
	return $rc
}

# refuses DIR WORDS: memcgfs exits non-zero with one line naming DIR and WORDS.
refuses() {
	local dir=$1 words=$2 before=0
	shift 2
	mountpoint -q "$dir" && before=1
	run "$MEMCGFS_BIN" "$@" "$dir"
	[ "$status" -ne 0 ] || { echo "mounted $dir" >&2; EXTRA+=("$dir"); return 1; }
	[ "${#lines[@]}" -eq 1 ] || { echo "not one line: $output" >&2; return 1; }
	[ "$output" = "memcgfs: $dir: $words" ] || { echo "got: $output; want: memcgfs: $dir: $words" >&2; return 1; }
	# Nothing mounted: the mount table has as many entries for it as before.
	[ "$(awk -v m="$dir" '$2 == m' /proc/mounts | wc -l)" -eq "$before" ]
}

@test "a regular file is refused: not a directory" {
	touch "$MNT.file"
	refuses "$MNT.file" "not a directory"
}

@test "a missing directory is refused with its errno" {
	refuses "$MNT.none" "No such file or directory"
}

@test "a non-empty directory is refused, -o nonempty mounts over it" {
	local d=$MNT.full
	mkdir "$d"
	touch "$d/precious"
	refuses "$d" "not empty (-o nonempty mounts over it anyway)"
	"$MEMCGFS_BIN" -o nonempty "$d"
	EXTRA+=("$d")
	mountpoint -q "$d"
	[ -f "$d/cgroup.procs" ]
	fusermount3 -u "$d"
	[ -f "$d/precious" ]
}

@test "a memcgfs mount is refused, even with -o nonempty, and keeps serving" {
	mkgroups a
	refuses "$MNT" "already a memcgfs mount (fusermount3 -u $MNT first)"
	refuses "$MNT" "already a memcgfs mount (fusermount3 -u $MNT first)" -o nonempty
	[ -d "$MNT/a" ]
	[ "$(grep -c " $MNT " /proc/mounts)" -eq 1 ]
}

@test "--help and -h print the usage, listing -h/--help and -V/--version, on stdout" {
	local o
	for o in --help -h; do
		run "$MEMCGFS_BIN" "$o"
		[ "$status" -eq 0 ]
		[[ ${lines[0]} == "usage: memcgfs "* ]]
		[[ $output == *"-h, --help"* ]]
		[[ $output == *"-V, --version"* ]]
		[[ $output == *"nonempty"* ]]
	done
	[ "$("$MEMCGFS_BIN" --help 2>/dev/null | wc -l)" -gt 5 ]
}

@test "--version and -V print the version first, exit 0" {
	run "$MEMCGFS_BIN" --version
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^memcgfs\ [0-9]+\.[0-9]+ ]]
	[[ ${lines[1]} == "libfuse 3."* ]]
	run "$MEMCGFS_BIN" -V
	[ "$status" -eq 0 ]
}

@test "a bad option or no mount point: a message and where to look, exit 1" {
	run "$MEMCGFS_BIN" --bogus "$MNT.x"
	[ "$status" -eq 1 ]
	[[ $output == *"unrecognized option '--bogus'"* ]]
	[[ ${lines[-1]} == "Try 'memcgfs --help' for more information." ]]
	run "$MEMCGFS_BIN"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "memcgfs: no MOUNTPOINT given" ]
	run "$MEMCGFS_BIN" a b c
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "memcgfs: too many arguments" ]
}

@test "mount(8)'s generic options are taken: flags reach the mount, fstab's are ignored" {
	local d=$MNT.flags
	mkdir "$d"
	"$MEMCGFS_BIN" memcgfs "$d" -o rw,nosuid,nodev,noexec,noatime,_netdev,user,nofail,noauto,x-systemd.automount,memory=1G
	EXTRA+=("$d")
	local opts
	opts=$(awk -v m="$d" '$2 == m { print $4 }' /proc/mounts)
	[[ ,$opts, == *,rw,* && ,$opts, == *,nosuid,* && ,$opts, == *,nodev,* ]]
	[[ ,$opts, == *,noexec,* && ,$opts, == *,noatime,* ]]
	# memory= still reached the model: the root's limit is the RAM.
	echo +memory >"$d/cgroup.subtree_control"
	mkdir "$d/a"
	write_fails ENOMEM "anon 2G" "$d/a/sim.ctl"
}

@test "-o ro makes a read-only tree" {
	local d=$MNT.ro
	mkdir "$d"
	"$MEMCGFS_BIN" -o ro "$d"
	EXTRA+=("$d")
	[[ ,$(awk -v m="$d" '$2 == m { print $4 }' /proc/mounts), == *,ro,* ]]
	run mkdir "$d/a"
	[ "$status" -ne 0 ]
	[[ $output == *"Read-only file system"* ]]
}

@test "mount -t fuse 'memcgfs#SOURCE' and an fstab line mount through mount.fuse3" {
	command -v mount.fuse3 >/dev/null || skip "no mount.fuse3"
	local d=$MNT.fstab
	mkdir "$d"
	mount -t fuse "$MEMCGFS_BIN#memcgfs" "$d" -o rw,nosuid,nodev,noexec,noatime,_netdev,user,cpus=3
	EXTRA+=("$d")
	[ "$(awk -v m="$d" '$2 == m { print $3 }' /proc/mounts)" = fuse.memcgfs ]
	[ -f "$d/cgroup.procs" ]
	umount "$d"
	if mountpoint -q "$d"; then return 1; fi
	echo "$MEMCGFS_BIN#memcgfs $d fuse rw,nosuid,nodev,noexec,noatime,_netdev,user,noauto,nofail,memory=2G 0 0" >"$MNT.tab"
	mount -T "$MNT.tab" "$d"
	[ -f "$d/cgroup.procs" ]
	umount "$d"
}
