#!/usr/bin/env bash
# tools/bench/lrubench.sh: seed 001's question as a table: mkdir and rmdir
# latency with 1, 100 and 10,000 mounted filesystems (one dentry list_lru
# each) under -o lru=lazy and lru=eager, and reclaim throughput in pages
# scanned per second (tools/bench/lrubench.c), each on a fresh mount with
# the daemon and the driver on one CPU (BENCH_CPU, as run.sh).
#
#   tools/bench/lrubench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# LRUBENCH_SIZES overrides the filesystem counts.  Everything mounted here
# is unmounted by the EXIT trap.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
MEMCGFS=$(realpath -m -- "${1:-$top/memcgfs}")
BUILD=$(realpath -m -- "${2:-$top/build}")
LRUBENCH=$BUILD/tools/bench/lrubench
SIZES=${LRUBENCH_SIZES:-"1 100 10000"}
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
pin=()
[ "$cpu" = none ] || pin=(taskset -c "$cpu")

tmp=$(mktemp -d /tmp/lrubench.XXXXXX)
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

for mode in lazy eager; do
	for n in $SIZES; do
		"${pin[@]}" "$MEMCGFS" -f -s "$mnt" -o "lru=$mode,cpus=2" &
		pid=$!
		for _ in $(seq 100); do
			mountpoint -q "$mnt" && break
			sleep 0.05
		done
		echo "lru=$mode $("${pin[@]}" "$LRUBENCH" "$mnt" "$n" | paste -sd ' ')"
		fusermount3 -u "$mnt"
		wait "$pid" || true
		pid=
	done
done
