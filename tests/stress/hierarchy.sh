#!/bin/bash
# make stress: hammer one mount from several shells at once for a while,
# then require the daemon to be alive, answer, unmount and exit 0.
#   tests/stress/hierarchy.sh MEMCGFS_BINARY [SECONDS] [WORKERS]
# Workers race mkdir/rmdir, +memory/-memory, process moves, anon charges,
# limit writes and reads of every file; errors from the races (EBUSY,
# ENOENT, ENOMEM, ...) are expected, crashes and hangs are not.
set -u
BIN=$(realpath "$1")
SECS=${2:-30}
WORKERS=${3:-6}
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"
stress_init stress

stress_mount "$BIN" -o memory=2G

worker() {
	local end=$((SECONDS + SECS)) g d sleeper
	sleep 600 & sleeper=$!
	while [ $SECONDS -lt $end ]; do
		g=g$((RANDOM % 8)); d=$g/c$((RANDOM % 4))
		case $((RANDOM % 12)) in
		0) mkdir -p "$MNT/$d" ;;
		1) rmdir "$MNT/$d" "$MNT/$g" ;;
		2) echo +memory >"$MNT/$g/cgroup.subtree_control" ;;
		3) echo -memory >"$MNT/$g/cgroup.subtree_control" ;;
		4) echo $sleeper >"$MNT/$d/cgroup.procs" ;;
		5) echo $sleeper >"$MNT/cgroup.procs" ;;
		6) echo "anon $((RANDOM % 64))M" >"$MNT/$d/sim.ctl" ;;
		7) echo "free anon 1M" >"$MNT/$d/sim.ctl" ;;
		8) echo $((RANDOM % 128))M >"$MNT/$g/memory.max" ;;
		9) cat "$MNT/$g"/* "$MNT/memory.stat" "$MNT/cgroup.stat" ;;
		10) echo 1 >"$MNT/$g/cgroup.freeze"; echo 0 >"$MNT/$g/cgroup.freeze" ;;
		11) ls -R "$MNT" ;;
		esac >/dev/null 2>&1
	done
	kill $sleeper 2>/dev/null
}

for _ in $(seq "$WORKERS"); do worker & pids+=($!); done
wait "${pids[@]}"
pids=()
# The daemon must still answer promptly.
if ! timeout 10 cat "$MNT/cgroup.stat" >/dev/null; then
	echo "stress: FAIL: the daemon no longer answers"; exit 1
fi
fusermount3 -u "$MNT"
wait "$DAEMON"; rc=$?; DAEMON=
if [ "$rc" -ne 0 ]; then
	echo "stress: FAIL: daemon exit status $rc"; cat "$MNT.log"; exit 1
fi
echo "stress: PASS ($WORKERS workers, $SECS s)"
