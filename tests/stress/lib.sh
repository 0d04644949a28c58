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
