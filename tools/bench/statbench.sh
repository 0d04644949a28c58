#!/usr/bin/env bash
# tools/bench/statbench.sh: the cost of reading the root memory.stat with
# 10, 1,000 and 100,000 groups of which 10 changed since the last read,
# under stats=rstat and stats=sum (tools/bench/statbench.c does the
# reading), each on its own fresh mount with 2 virtual CPUs.
#
#   tools/bench/statbench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# Target: rstat with 100,000 groups within 1.2x of rstat with 10 (the
# flush visits only what changed).  sum is the ≤4.15 peer: its read walks
# every CPU of every group, so its cost grows with the groups.  The
# daemon and statbench are pinned to one CPU, as in run.sh (BENCH_CPU).
# Everything mounted here is unmounted by the EXIT trap.  A MISS fails
# the run only with BENCH_STRICT=1.  STATBENCH_SIZES overrides the sizes.
set -euo pipefail

# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
STATBENCH=$BUILD/tools/bench/statbench
SIZES=${STATBENCH_SIZES:-"10 1000 100000"}

declare -A median
for mode in rstat sum; do
	for n in $SIZES; do
		bench_mount "stats=$mode,cpus=2,ids=200000,memory=64G"
		out=$("${pin[@]}" "$STATBENCH" "$mnt" "$n")
		echo "stats=$mode $out"
		median[$mode,$n]=$(sed -n 's/.*median \([0-9.]*\) us.*/\1/p' <<<"$out")
		bench_umount
	done
done

misses=0
small=${SIZES%% *}
large=${SIZES##* }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
r=$(ratio "${median[rstat,$large]}" "${median[rstat,$small]}")
ok=$(awk -v r="$r" 'BEGIN { print (r <= 1.2) ? "ok" : "MISS" }')
echo "rstat: $large groups / $small groups = ${r}x (target <= 1.20): $ok"
[ "$ok" = ok ] || misses=$((misses + 1))
for n in $SIZES; do
	echo "sum / rstat at $n groups: $(ratio "${median[sum,$n]}" "${median[rstat,$n]}")x"
done
echo "$misses MISS"
[ "$misses" = 0 ] || [ -z "${BENCH_STRICT:-}" ]
