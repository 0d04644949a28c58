#!/usr/bin/env bash
# tools/bench/zombiebench.sh: issue #5's bench bar.  With 100,000 dying
# groups (each pinned by one shmem page under pages=pin), the daemon's
# memory per zombie and the cost of reading the root cgroup.stat,
# memory.stat and sim.zombies.json against a mount with the same layout
# and no zombies (tools/bench/zombiebench.c does the work and says what
# it counts).
#
#   tools/bench/zombiebench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# Targets: <= 2048 bytes per zombie; cgroup.stat and memory.stat within
# 1.1x of the empty mount; the JSON is reported only.  Both daemons and
# the driver run on one CPU (BENCH_CPU, as run.sh).  ZOMBIEBENCH_N (the
# zombies, default 100000), ZOMBIEBENCH_ROUNDS and ZOMBIEBENCH_OPTS
# (mount options) are tunables.  Everything mounted here is unmounted by
# the EXIT trap.  A MISS fails the run only with BENCH_STRICT=1.
set -euo pipefail

# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
N=${ZOMBIEBENCH_N:-100000}
ROUNDS=${ZOMBIEBENCH_ROUNDS:-20}
# cpus=8: the per-CPU statistics a live group has on an 8-CPU machine;
# pages=pin keeps every group dying; 8G of RAM holds the 100,000 pages.
OPTS=${ZOMBIEBENCH_OPTS:-cpus=8,memory=8G,ids=131072,policy=pages=pin}

bench_mount "$OPTS" "$tmp/zombies"
zpid=$pid
bench_mount "$OPTS" "$tmp/empty"
echo "zombiebench: $N zombies, -o $OPTS"
# In the background: a signal runs the EXIT trap at once, whose unmounts
# end the driver too.
"${pin[@]}" "$BUILD/tools/bench/zombiebench" "$tmp/zombies" "$zpid" \
	"$tmp/empty" "$N" "$ROUNDS" >"$tmp/out" &
wait $! || { cat "$tmp/out"; exit 1; }
out=$(cat "$tmp/out")
echo "$out"
bench_umount_at "$tmp/zombies"
bench_umount_at "$tmp/empty"
grep -q '^0 MISS$' <<<"$out" || [ -z "${BENCH_STRICT:-}" ]
