#!/usr/bin/env bash
# tools/bench/lrubench.sh: the question in Davydov's 2013 per-memcg list_lru
# patches as a table: mkdir and rmdir
# latency with 1, 100 and 10,000 mounted filesystems (a dentry and an
# inode list_lru each) under -o lru=lazy and lru=eager, and reclaim
# throughput in pages scanned per second (tools/bench/lrubench.c), each
# on a fresh mount with the daemon and the driver on one CPU (BENCH_CPU,
# as run.sh).
#
#   tools/bench/lrubench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# LRUBENCH_SIZES overrides the filesystem counts.  Everything mounted here
# is unmounted by the EXIT trap.
set -euo pipefail

# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
LRUBENCH=$BUILD/tools/bench/lrubench
SIZES=${LRUBENCH_SIZES:-"1 100 10000"}

for mode in lazy eager; do
	for n in $SIZES; do
		bench_mount "lru=$mode,cpus=2"
		echo "lru=$mode $("${pin[@]}" "$LRUBENCH" "$mnt" "$n" | paste -sd ' ')"
		bench_umount
	done
done
