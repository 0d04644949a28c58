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
# Sanitizer builds (make asan, make tsan) run several times slower and
# hold freed memory in quarantine: time and RSS bounds scale by these.
TIME_SCALE=${MEMCGFS_TIME_SCALE:-1}
RSS_SLACK_KB=$((${MEMCGFS_RSS_SLACK_MB:-0} * 1024))

mount_memcgfs() {
	MNT=$(mktemp -d "$MEMCGFS_TMP/mnt.XXXXXX")
	DAEMON_LOG="$MNT.log"
	# memory.high penalties at 1/100 of the kernel's (2 s -> 20 ms), so
	# tests that go over high stay fast; a test's own -o high_delay= wins.
	# MEMCGFS_PREFIX: a command that execs the daemon (taskset -c 0).
	${MEMCGFS_PREFIX:-} "$MEMCGFS_BIN" -f \
		-o "high_delay=${MEMCGFS_HIGH_DELAY:-0.01}" "$@" \
		"$MNT" 2>"$DAEMON_LOG" &
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

# The zombie invariant, after every test: no dying group is pinned by
# anything sim.zombies does not name.
check_zombies_explained() {
	local z=$MNT/sim.zombies
	mountpoint -q "$MNT" && [ -e "$z" ] || return 0
	if awk '$1 == "unexplained_refs" && $2 != 0 { bad = 1 } END { exit !bad }' "$z"; then
		echo "a zombie has pins sim.zombies does not name:" >&2
		cat "$z" >&2
		return 1
	fi
}

# The other half of issue #5's invariant: every charge of every memcg,
# live and dying, recounted from the objects (root sim.check).
check_accounting() {
	local c=$MNT/sim.check out
	mountpoint -q "$MNT" && [ -e "$c" ] || return 0
	out=$(cat "$c") || { echo "sim.check unreadable" >&2; return 1; }
	if [ "$(tail -n 1 <<<"$out")" != "ok 1" ]; then
		echo "sim.check finds the accounting wrong:" >&2
		echo "$out" >&2
		return 1
	fi
}

teardown() {
	local rc=0
	check_zombies_explained || rc=1
	check_accounting || rc=1
	unmount_memcgfs || rc=1
	return $rc
}

# The message strerror() gives for an errno name.
errmsg() {
	case "$1" in
	EINVAL) echo "Invalid argument" ;;
	ERANGE) echo "Numerical result out of range" ;;
	EBUSY) echo "Device or resource busy" ;;
	ENOENT) echo "No such file or directory" ;;
	ESRCH) echo "No such process" ;;
	EACCES) echo "Permission denied" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	ENODEV) echo "No such device" ;;
	EAGAIN) echo "Resource temporarily unavailable" ;;
	E2BIG) echo "Argument list too long" ;;
	EOPNOTSUPP) echo "Operation not supported" ;;
	ENOSPC) echo "No space left on device" ;;
	EPERM) echo "Operation not permitted" ;;
	EEXIST) echo "File exists" ;;
	ENOTDIR) echo "Not a directory" ;;
	ENAMETOOLONG) echo "File name too long" ;;
	*) echo "$1" ;;
	esac
}

# fails_with ERRNO CMD...: CMD exits non-zero and names that errno.
fails_with() {
	local want
	want=$(errmsg "$1")
	shift
	run "$@"
	if [ "$status" -eq 0 ]; then
		echo "'$*' succeeded; expected $want" >&2
		return 1
	fi
	[[ "$output" == *"$want"* ]] || {
		echo "'$*': got '$output', expected $want" >&2
		return 1
	}
}

# wait_until 'SHELL CONDITION': up to 5 s.
wait_until() {
	local i
	for i in $(seq 50); do
		eval "$1" && return 0
		sleep 0.1
	done
	eval "$1" || {
		echo "still false after 5 s: $1" >&2
		return 1
	}
}

# as_nobody CMD...: run CMD as uid/gid 65534 from inside the mount (so a
# 0700 directory above it need not be searchable); paths relative.
NOBODY=65534
as_nobody() {
	(cd "$MNT" && setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@")
}

remount() {
	unmount_memcgfs
	mount_memcgfs "$@"
}

# Write and expect failure with a given errno name, e.g.
#   write_fails EINVAL "1.5G" "$MNT/a/memory.max"
# The value goes in ONE write(2) (fdread): bash's printf may split it,
# and cgroupfs parses each write as a whole command.
write_fails() {
	local want=$1 value=$2 file=$3 out
	out=$("$MEMCGFS_HELPERS/fdread" -m w "$file" "write=$value") && {
		echo "write of '$value' to $file succeeded; expected $want" >&2
		return 1
	}
	[ "$out" = "write: $want" ] || {
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

# memory.current of group $1 after draining the per-CPU charge stocks of
# its subtree (sim.ctl drain, as a limit write does): without the drain a
# kernel's memory.current may include up to MEMCG_CHARGE_BATCH pages per
# CPU that no object uses yet.
current_of() {
	echo drain >"$MNT/$1/sim.ctl"
	cat "$MNT/$1/memory.current"
}

# ... minus the kernel memory of its subtree (memory.stat kernel), e.g. the
# memcg structures of child groups, which mkdir charges to their parent.
user_current_of() {
	local c
	c=$(current_of "$1")
	echo $((c - $(stat_of kernel "$MNT/$1/memory.stat")))
}
