#!/usr/bin/env bats
# make install / uninstall with PREFIX and DESTDIR, the man pages, the
# systemd unit, bash completion, mount -t fuse.memcgfs through an
# installed daemon, and make run/test needing no benchmark peers.
load helper

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
	WORK=$(mktemp -d "$MEMCGFS_TMP/install.XXXXXX")
}

teardown() {
	local m
	for m in $(awk -v t="$WORK" 'index($2, t) == 1 {print $2}' /proc/mounts); do
		fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	return 0
}

# make_in ARGS...: make in the source tree, installing the binary under
# test as it is (-o: never rebuilt here).
make_in() {
	make -s -C "$ROOT" BIN="$MEMCGFS_BIN" -o "$MEMCGFS_BIN" "$@"
}

INSTALLED="bin/memcgfs bin/memcgfs-top libexec/memcgfs/zombie-scenarios.sh
	libexec/memcgfs/drift.sh libexec/memcgfs/fsop.pl share/man/man1/memcgfs.1
	share/man/man7/memcgfs-sim.7 lib/systemd/system/memcgfs@.service
	share/bash-completion/completions/memcgfs
	share/bash-completion/completions/memcgfs-top"

@test "make install PREFIX DESTDIR puts every file under DESTDIR/PREFIX; uninstall removes them" {
	local d=$WORK/dest f
	make_in install PREFIX=/tmp/p DESTDIR="$d"
	for f in $INSTALLED; do
		[ -e "$d/tmp/p/$f" ] || { echo "missing $f" >&2; return 1; }
	done
	[ -x "$d/tmp/p/bin/memcgfs" ] && [ -x "$d/tmp/p/bin/memcgfs-top" ]
	# Nothing outside DESTDIR/PREFIX.
	[ "$(find "$d" -mindepth 1 -maxdepth 2 | sort | tr '\n' ' ')" = "$d/tmp $d/tmp/p " ]
	# The unit runs the daemon of this PREFIX.
	grep -q '^ExecStart=/tmp/p/bin/memcgfs -f ' "$d/tmp/p/lib/systemd/system/memcgfs@.service"
	"$d/tmp/p/bin/memcgfs" --version | grep -q '^memcgfs '
	make_in uninstall PREFIX=/tmp/p DESTDIR="$d"
	[ -z "$(find "$d" -type f -o -type l)" ]
}

@test "the man pages render with man -l and are clean for groff -ww" {
	local d=$WORK/dest p out
	make_in install PREFIX=/usr DESTDIR="$d"
	for p in man1/memcgfs.1 man7/memcgfs-sim.7; do
		out=$(groff -ww -z -man "$d/usr/share/man/$p" 2>&1)
		[ -z "$out" ] || { echo "groff: $out" >&2; return 1; }
	done
	out=$(MANWIDTH=80 man -l "$d/usr/share/man/man1/memcgfs.1" 2>&1)
	[[ $out == *"MEMCGFS(1)"* && $out == *"--version"* && $out == *"nonempty"* ]]
	out=$(MANWIDTH=80 man -l "$d/usr/share/man/man7/memcgfs-sim.7" 2>&1)
	[[ $out == *"MEMCGFS-SIM(7)"* && $out == *"unexplained_refs"* ]]
}

@test "systemd-analyze verify accepts memcgfs@.service" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	local p=$WORK/prefix
	make_in install PREFIX="$p"
	# verify also checks that ExecStart's binary and the man pages exist.
	run env MANPATH="$p/share/man" systemd-analyze verify "$p/lib/systemd/system/memcgfs@.service"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	make_in uninstall PREFIX="$p"
}

@test "bash completion offers options, -o option names and their values" {
	source "$ROOT/dist/memcgfs.bash-completion"
	COMP_WORDS=(memcgfs --ver)
	COMP_CWORD=1
	_memcgfs
	[ "${COMPREPLY[*]}" = "--version" ]
	COMP_WORDS=(memcgfs -o memory=1G,sta)
	COMP_CWORD=2
	_memcgfs
	[ "${COMPREPLY[*]}" = "memory=1G,stats=" ]
	COMP_WORDS=(memcgfs -o stats=spill-)
	_memcgfs
	[ "${COMPREPLY[*]}" = "stats=spill-doubleflush stats=spill-fixed" ]
	COMP_WORDS=(memcgfs-top --on)
	COMP_CWORD=1
	_memcgfs_top
	[ "${COMPREPLY[*]}" = "--once" ]
}

@test "mount -t fuse.memcgfs and an fstab line find the installed daemon" {
	command -v mount.fuse3 >/dev/null || skip "no mount.fuse3"
	local d=$WORK/dest m=$WORK/mnt before
	before=$(ls -la /usr/local/bin)
	make_in install PREFIX=/usr/local DESTDIR="$d"
	mkdir "$m"
	echo "memcgfs $m fuse.memcgfs rw,nosuid,nodev,noexec,noatime,_netdev,user,noauto,memory=2G 0 0" >"$WORK/fstab"
	# mount(8) runs helpers with a fixed PATH (/usr/local/bin first):
	# in a private mount namespace the staged bin directory is bind-mounted
	# there, so the host's /usr/local/bin is never touched.
	cat >"$WORK/ns.sh" <<-EOS
	set -e
	mount --bind "$d/usr/local/bin" /usr/local/bin
	trap 'umount "$m" 2>/dev/null || true' EXIT
	mount -t fuse.memcgfs memcgfs "$m" -o rw,nosuid,nodev,noexec,noatime,_netdev,user,cpus=2
	awk -v m="$m" '\$2 == m { print \$3, \$4 }' /proc/mounts
	cat "$m/cgroup.controllers"
	umount "$m"
	mount -T "$WORK/fstab" "$m"
	awk -v m="$m" '\$2 == m { print \$3 }' /proc/mounts
	umount "$m"
	EOS
	run unshare -m --propagation private bash "$WORK/ns.sh"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "fuse.memcgfs rw,nosuid,nodev,noexec,noatime,"* ]]
	[[ ${lines[1]} == *memory* ]]
	[ "${lines[2]}" = fuse.memcgfs ]
	# The host never saw the mount nor the installed binary.
	if mountpoint -q "$m"; then return 1; fi
	[ "$(ls -la /usr/local/bin)" = "$before" ]
}

@test "make run and make test need no benchmark peer; make bench does" {
	cd "$ROOT"
	local b=$WORK/build
	# A fresh build tree: -n prints everything each target would build.
	run make -n BUILD="$b" test
	[ "$status" -eq 0 ]
	[[ $output == *"tests/test_"* ]]
	[[ $output != *allocbench* && $output != *jemalloc* && $output != *"tools/bench/"* ]]
	run make -n BUILD="$b" run
	[ "$status" -eq 0 ]
	[[ $output != *allocbench* && $output != *jemalloc* && $output != *"tests/test_"* ]]
	run make -n BUILD="$b" bench
	[[ $output == *jemalloc* && $output == *"install-deps.sh --bench"* ]]
	# The deps script installs only the base for run and test.
	run tools/install-deps.sh --list
	[[ $output == *libfuse3-dev* ]]
	[[ $output != *jemalloc* && $output != *mimalloc* && $output != *perftools* && $output != *lxcfs* ]]
	run tools/install-deps.sh --list --bench
	[[ $output == *jemalloc* && $output == *lxcfs* ]]
}
