#!/usr/bin/env bash
# tools/bench/reclaimreadbench.sh: does a reader wait for somebody else's
# reclaim?  The latency of open + read + close of a/memory.current while
# group b reclaims 1 GiB of page cache at once (memory.reclaim), against
# the same reads between the reclaims (tools/bench/parbench.c readlat:
# each round writes 1 GiB of page cache in b, then reclaims it, REPS
# times, with a reader of a running throughout; reads that overlap the
# page cache's write are dropped, those overlapping a reclaim are "busy",
# the rest "idle").  The daemon runs multi-threaded and unpinned (cpus=2).
#
#   tools/bench/reclaimreadbench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# Targets: busy median <= 1.2x idle median, busy p99 <= 5x idle median.
# BENCH_ROUNDS rounds (3) of BENCH_REPS reclaims (10); the ratios are of
# the rounds' medians.  The load average is printed before and after.  A
# MISS fails the run only with BENCH_STRICT=1.
set -euo pipefail

BENCH_CPU=none
# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
daemon_opts=()
PARBENCH=$BUILD/tools/bench/parbench
ROUNDS=${BENCH_ROUNDS:-3}
REPS=${BENCH_REPS:-10}

bench_mount "memory=4G,cpus=2"
echo +memory >"$mnt/cgroup.subtree_control"
mkdir "$mnt/a" "$mnt/b"
echo "mount data disk" >"$mnt/sim.ctl"

field() { awk -v k="$2" -v w="$1" '$1 == w { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
im=() bm=() bp=()
for r in $(seq "$ROUNDS"); do
	out=$("$PARBENCH" readlat "$mnt" a b "$REPS" 1G)
	echo "round $r:"
	while IFS= read -r line; do echo "  $line"; done <<<"$out"
	im+=("$(field idle median_us <<<"$out")")
	bm+=("$(field busy median_us <<<"$out")")
	bp+=("$(field busy p99_us <<<"$out")")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
idle=$(printf '%s\n' "${im[@]}" | median)
busy=$(printf '%s\n' "${bm[@]}" | median)
p99=$(printf '%s\n' "${bp[@]}" | median)
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "ok" : "MISS" }'; }
r1=$(awk -v a="$busy" -v b="$idle" 'BEGIN { printf "%.2f", a / b }')
r2=$(awk -v a="$p99" -v b="$idle" 'BEGIN { printf "%.2f", a / b }')
ok1=$(verdict "$r1" 1.2) ok2=$(verdict "$r2" 5)
echo "idle median $idle us; during b's reclaim: median $busy us, p99 $p99 us"
echo "busy median / idle median = ${r1}x (target <= 1.20): $ok1"
echo "busy p99 / idle median = ${r2}x (target <= 5.00): $ok2"
check=$(tail -n 1 "$mnt/sim.check")
[ "$check" = "ok 1" ] || { echo "sim.check: $check"; exit 1; }
bench_umount
[ "$ok1$ok2" = okok ] || [ "${BENCH_STRICT:-0}" != 1 ]
