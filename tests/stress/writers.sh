#!/bin/bash
# make stress, second part (issue #12): writers that die during their own
# charges.  Each of WRITERS workers owns a subtree wN and, for SECONDS,
# starts short-lived processes there that charge anon (often past the
# limit, so the OOM killer takes the charging process itself), free and
# touch it, write, map and unmap files, make slab objects and negative
# dentries; meanwhile the worker changes limits, writes cgroup.kill, kills
# processes by pid, and removes and re-makes groups.  At the end every
# process is gone, and the model must be exactly empty: sim.check ok 1,
# no dying group, and no object left when the daemon exits.
#   tests/stress/writers.sh MEMCGFS_BINARY [SECONDS] [WRITERS]
set -u
BIN=$(realpath "$1")
SECS=${2:-30}
WRITERS=${3:-4}
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"
stress_init writers

stress_mount "$BIN" -o memory=1G -o swap=256M
echo "mount data disk" >"$MNT/sim.ctl"
echo "mount shm tmpfs" >"$MNT/sim.ctl"

# One process's life in group $1 of writer $2: join, then a few commands,
# each of which may OOM-kill it.
life() {
	local g=$1 w=$2
	echo 0 >"$MNT/$g/cgroup.procs" || return
	for _ in 1 2 3 4 5 6; do
		case $((RANDOM % 10)) in
		0 | 1 | 2) echo "anon $((RANDOM % 24 + 1))M" ;;
		3) echo "free anon 1M" ;;
		4) echo "touch anon $((RANDOM % 8 + 1))M" ;;
		5) echo "write shm/w$w.$((RANDOM % 3)) $((RANDOM % 8 + 1))M" ;;
		6) echo "map data/w$w" ;;
		7) echo "unmap data/w$w" ;;
		8) echo "slab dentry $((RANDOM % 2000 + 1))" ;;
		9) echo "lookup data $((RANDOM % 500 + 1))" ;;
		esac >"$MNT/$g/sim.ctl"
	done 2>/dev/null
	# Sometimes it lingers, to be killed by pid or cgroup.kill.
	[ $((RANDOM % 3)) = 0 ] && exec sleep 5
}

writer() {
	local w=$1 end=$((SECONDS + SECS)) g kids=()
	mkdir -p "$MNT/w$w/a" "$MNT/w$w/b"
	echo +memory >"$MNT/w$w/cgroup.subtree_control"
	echo "write data/w$w 64K" >"$MNT/w$w/sim.ctl"
	while [ $SECONDS -lt $end ]; do
		g=w$w/$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
		mkdir -p "$MNT/$g" 2>/dev/null
		case $((RANDOM % 10)) in
		0) echo $((RANDOM % 48 + 8))M >"$MNT/$g/memory.max" ;;
		1) echo $((RANDOM % 16))M >"$MNT/$g/memory.swap.max" ;;
		2) echo 1 >"$MNT/$g/cgroup.kill" ;;
		3) [ ${#kids[@]} -gt 0 ] && kill -9 "${kids[RANDOM % ${#kids[@]}]}" ;;
		4) rmdir "$MNT/$g" ;;
		5) echo $((RANDOM % 2)) >"$MNT/$g/memory.oom.group" ;;
		*) life "$g" "$w" & kids+=($!) ;;
		esac 2>/dev/null
		if [ ${#kids[@]} -gt 16 ]; then
			wait "${kids[@]}" 2>/dev/null
			kids=()
		fi
	done
	if [ ${#kids[@]} -gt 0 ]; then
		kill -9 "${kids[@]}" 2>/dev/null
		wait "${kids[@]}" 2>/dev/null
	fi
}

for w in $(seq "$WRITERS"); do writer "$w" 2>/dev/null & pids+=($!); done
wait "${pids[@]}"
pids=()

# Every process is gone: the exit watcher must have released them all.
for _ in $(seq 100); do
	[ -z "$(cat "$MNT"/w*/*/cgroup.procs 2>/dev/null)" ] && break
	sleep 0.1
done
[ -z "$(cat "$MNT"/w*/*/cgroup.procs 2>/dev/null)" ] || fail "processes left"
timeout 10 cat "$MNT/cgroup.stat" >/dev/null || fail "the daemon no longer answers"
check=$(cat "$MNT/sim.check")
[ "$(tail -n 1 <<<"$check")" = "ok 1" ] || fail "sim.check: $check"
# No process owns anything any more: only the groups' own objects remain.
for w in $(seq "$WRITERS"); do
	[ "$(awk '$1 == "anon" {print $2}' "$MNT/w$w/memory.stat")" = 0 ] ||
		fail "anon left in w$w"
done
kills=$(cat "$MNT"/w*/memory.events | awk '$1 == "oom_kill" {n += $2} END {print n}')
# Empty it all; nothing may stay dying.
rmdir "$MNT"/w*/*/ "$MNT"/w*/ || fail "rmdir"
for f in $(seq "$WRITERS"); do
	for n in data/w$f shm/w$f.0 shm/w$f.1 shm/w$f.2; do
		echo "unlink $n" >"$MNT/sim.ctl" 2>/dev/null
	done
done
echo "umount data" >"$MNT/sim.ctl" || fail "umount data (still mapped?)"
echo "umount shm" >"$MNT/sim.ctl" || fail "umount shm"
stress_expect_empty
echo "writers: PASS ($WRITERS writers, $SECS s, $kills OOM kills)"
