#!/bin/bash
# tests/clients/run.sh MEMCGFS_BINARY BUILD_DIR [selftests]
#
# `make clients`: real cgroup clients against memcgfs mounted at
# /sys/fs/cgroup, which only a private mount namespace may show:
#   1. re-exec in `unshare -m --propagation private`;
#   2. umount -l every cgroup/cgroup2 mount this namespace inherited (the
#      host's stay untouched: propagation is private), then check
#      /proc/self/mountinfo: no cgroup filesystem may be left;
#   3. mount memcgfs at /sys/fs/cgroup, check mountinfo names it there;
#   4. run BUILD_DIR/clients/containerd-client, runc-client and (with the
#      third argument) the kernel selftests (selftests.sh);
#   5. unmount, stop the daemon; the namespace ends with this script.
# Prints each client's lines and a summary; exits non-zero on a failure.
set -u
BIN=$(realpath "$1")
BUILD=$(realpath "$2")
WHAT=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
CG=/sys/fs/cgroup

if [ -z "${MEMCGFS_CLIENTS_NS:-}" ]; then
	exec unshare -m --propagation private \
		env MEMCGFS_CLIENTS_NS="$(readlink /proc/self/ns/mnt)" "$0" "$@"
fi

# Mount points of one filesystem type, deepest first.
mounts_of_type() {
	awk -v t="$1" '{ for (i = 7; i <= NF; i++) if ($i == "-") {
		if ($(i + 1) == t) print $5; break } }' /proc/self/mountinfo |
		sort -r
}

# Other memcgfs mounts (other users' tests) go too: the selftests take
# the first they find in /proc/self/mounts.
for t in cgroup cgroup2 fuse.memcgfs; do
	for m in $(mounts_of_type "$t"); do
		umount -l "$m" || { echo "cannot detach $m" >&2; exit 2; }
	done
done
if [ -n "$(mounts_of_type cgroup)$(mounts_of_type cgroup2)$(mounts_of_type fuse.memcgfs)" ]; then
	echo "a cgroup filesystem is still mounted here; refusing to go on" >&2
	exit 2
fi
echo "# mount namespace $(readlink /proc/self/ns/mnt) (was $MEMCGFS_CLIENTS_NS); no cgroup mounts left"

mkdir -p "$CG" 2>/dev/null
LOG=$(mktemp /tmp/memcgfs-clients.XXXXXX)
# allow_other: a cgroupfs is open to every uid its modes allow.
# nonempty: sysfs's /sys/fs/cgroup keeps the host's entries under the
# detached mounts; a kernel's cgroup2 mounts over them too.
"$BIN" -f -o allow_other,nonempty "$CG" 2>"$LOG" &
DAEMON=$!
cleanup() {
	fusermount3 -u "$CG" 2>/dev/null || umount -l "$CG" 2>/dev/null
	wait "$DAEMON" 2>/dev/null
	rm -f "$LOG"
}
trap cleanup EXIT
for i in $(seq 50); do
	mountpoint -q "$CG" && break
	sleep 0.1
done
if [ "$(mounts_of_type fuse.memcgfs)" != "$CG" ]; then
	echo "memcgfs is not the top mount at $CG" >&2
	cat "$LOG" >&2
	exit 2
fi
echo "# memcgfs at $CG: $(grep -c . "$CG/cgroup.controllers") line cgroup.controllers: $(cat "$CG/cgroup.controllers")"
grep cn_proc "$CG/sim.log" | sed 's/^/# /'

failed=0
run_client() {
	echo "## $1"
	"$BUILD/clients/$1" "${@:2}" 2>&1 | sed 's/^/   /'
	local rc=${PIPESTATUS[0]}
	echo "## $1: $([ "$rc" -eq 0 ] && echo PASS || echo "FAIL ($rc)")"
	[ "$rc" -eq 0 ] || failed=$((failed + 1))
}
run_client containerd-client "$CG"
run_client runc-client
if [ "$WHAT" = selftests ]; then
	"$HERE/selftests.sh" run "$BUILD" || failed=$((failed + 1))
fi
echo "# sim.check: $(tail -n 1 "$CG/sim.check")"
[ "$(tail -n 1 "$CG/sim.check")" = "ok 1" ] || failed=$((failed + 1))
echo "$failed failed"
[ "$failed" -eq 0 ]
