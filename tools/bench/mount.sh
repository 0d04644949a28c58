# shellcheck shell=bash disable=SC2034
# tools/bench/mount.sh: sourced by the one-mount-at-a-time benchmarks
# (statbench.sh, lrubench.sh).  Sets MEMCGFS and BUILD from $1 and $2,
# the pinning command pin=(taskset -c CPU) (BENCH_CPU=N or none), a temp
# mount point $mnt cleaned up by the EXIT trap, and bench_mount OPTS /
# bench_umount to run the daemon (-f -s, pinned) on it.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
top=$(cd "$here/../.." && pwd)
MEMCGFS=$(realpath -m -- "${1:-$top/memcgfs}")
BUILD=$(realpath -m -- "${2:-$top/build}")
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
pin=()
[ "$cpu" = none ] || pin=(taskset -c "$cpu")

tmp=$(mktemp -d /tmp/memcgfs-bench1.XXXXXX)
mnt=$tmp/mnt
pid=
cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then
		fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" || true
	fi
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$mnt"

bench_mount() {
	"${pin[@]}" "$MEMCGFS" -f -s "$mnt" -o "$1" &
	pid=$!
	for _ in $(seq 100); do
		mountpoint -q "$mnt" && return 0
		sleep 0.05
	done
	return 1
}

bench_umount() {
	fusermount3 -u "$mnt"
	wait "$pid" || true
	pid=
}
