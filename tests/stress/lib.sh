# shellcheck shell=bash
# Shared by the stress scripts (sourced): the mount directory, the
# workers' pids, a cleanup that stops them and the daemon and detaches
# the mount however the run ends, and the daemon's start.
#   stress_init NAME             MNT=/tmp/memcgfs-NAME.XXXXXX, trap set
#   stress_mount BINARY OPTS...  the daemon on $MNT (-f), +memory at root
#   fail WHY...                  "NAME: FAIL: WHY", the daemon's log, exit 1

stress_init() {
	STRESS_NAME=$1
	MNT=$(mktemp -d "/tmp/memcgfs-$1.XXXXXX")
	pids=()
	trap stress_cleanup EXIT
}

stress_cleanup() {
	# (A bare wait would wait for the daemon too.)
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null
		wait "${pids[@]}" 2>/dev/null
	fi
	[ -n "${DAEMON:-}" ] && kill -9 "$DAEMON" 2>/dev/null
	fusermount3 -u -z "$MNT" 2>/dev/null
	rmdir "$MNT" 2>/dev/null
	rm -f "$MNT.log"
}

fail() {
	echo "$STRESS_NAME: FAIL: $*"
	cat "$MNT.log"
	exit 1
}

stress_mount() {
	local bin=$1
	shift
	"$bin" -f "$@" "$MNT" 2>"$MNT.log" &
	DAEMON=$!
	for _ in $(seq 100); do mountpoint -q "$MNT" && break; sleep 0.05; done
	mountpoint -q "$MNT" || fail "mount failed"
	echo +memory >"$MNT/cgroup.subtree_control"
}

# The end of a run that must leave the model empty: no dying group after
# drains, sim.check ok 1, a clean unmount, exit 0 and no object left.
stress_expect_empty() {
	for _ in $(seq 50); do
		grep -q '^nr_dying_descendants 0$' "$MNT/cgroup.stat" && break
		echo drain >"$MNT/sim.ctl"
		sleep 0.1
	done
	grep -q '^nr_dying_descendants 0$' "$MNT/cgroup.stat" ||
		fail "zombies left: $(cat "$MNT/sim.zombies")"
	local check rc
	check=$(cat "$MNT/sim.check")
	[ "$(tail -n 1 <<<"$check")" = "ok 1" ] ||
		fail "sim.check at the end: $check"
	fusermount3 -u "$MNT"
	wait "$DAEMON"; rc=$?; DAEMON=
	[ "$rc" -eq 0 ] || fail "daemon exit status $rc"
	! grep -q 'objects still allocated' "$MNT.log" ||
		fail "objects left at exit"
}
