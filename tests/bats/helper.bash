# Shared by every bats file: a fresh memcgfs mount per test.
#
#   setup()    { mount_memcgfs [-o OPTS]; }   (the default setup below)
#   teardown() { unmount_memcgfs; }
#
# The daemon runs in the foreground under this test; its pid is recorded
# in $MEMCGFS_TMP/pids so tests/run.sh kills it even if bats dies.  The
# unmount asserts that the daemon exits with status 0 (so an ASan leak
# report or a crash fails the test that caused it).

: "${MEMCGFS_BIN:?run through tests/run.sh (make test)}"
: "${MEMCGFS_TMP:=$(mktemp -d)}"

mount_memcgfs() {
	MNT=$(mktemp -d "$MEMCGFS_TMP/mnt.XXXXXX")
	DAEMON_LOG="$MNT.log"
	"$MEMCGFS_BIN" -f "$@" "$MNT" 2>"$DAEMON_LOG" &
	DAEMON_PID=$!
	echo "$DAEMON_PID" >>"$MEMCGFS_TMP/pids"
	local i
	for i in $(seq 100); do
		mountpoint -q "$MNT" && return 0
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			echo "memcgfs died at startup:" >&2
			cat "$DAEMON_LOG" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "memcgfs did not mount within 5 s" >&2
	return 1
}

# Children started with spawn() are killed before the unmount.
SPAWNED=()
spawn() {
	"$@" &
	SPAWNED+=($!)
	LAST_PID=$!
}

unmount_memcgfs() {
	local pid rc
	for pid in "${SPAWNED[@]}"; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	SPAWNED=()
	[ -n "${DAEMON_PID:-}" ] || return 0
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT" 2>/dev/null
	wait "$DAEMON_PID"
	rc=$?
	DAEMON_PID=
	if [ "$rc" -ne 0 ]; then
		echo "memcgfs exited with status $rc" >&2
		cat "$DAEMON_LOG" >&2
		return 1
	fi
}

setup() {
	mount_memcgfs
}

teardown() {
	unmount_memcgfs
}

# Write and expect failure with a given errno name, e.g.
#   write_fails EINVAL "1.5G" "$MNT/a/memory.max"
write_fails() {
	local want=$1 value=$2 file=$3 out
	out=$( { printf '%s' "$value" >"$file"; } 2>&1 ) && {
		echo "write of '$value' to $file succeeded; expected $want" >&2
		return 1
	}
	case "$want" in
	EINVAL) want="Invalid argument" ;;
	ERANGE) want="Numerical result out of range" ;;
	EBUSY) want="Device or resource busy" ;;
	ENOENT) want="No such file or directory" ;;
	ESRCH) want="No such process" ;;
	EACCES) want="Permission denied" ;;
	ENOMEM) want="Cannot allocate memory" ;;
	ENODEV) want="No such device" ;;
	EAGAIN) want="Resource temporarily unavailable" ;;
	E2BIG) want="Argument list too long" ;;
	EOPNOTSUPP) want="Operation not supported" ;;
	ENOSPC) want="No space left on device" ;;
	EPERM) want="Operation not permitted" ;;
	esac
	[[ "$out" == *"$want"* ]] || {
		echo "write of '$value' to $file: got '$out', expected $want" >&2
		return 1
	}
}

# Enable memory at the root and create groups with memory files.
mkgroups() {
	echo +memory >"$MNT/cgroup.subtree_control"
	local g
	for g in "$@"; do
		mkdir -p "$MNT/$g"
	done
}

# One key of a flat-keyed file: stat_of KEY FILE
stat_of() {
	awk -v k="$1" '$1 == k { print $2 }' "$2"
}
