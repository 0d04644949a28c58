#!/usr/bin/env bash
# tools/bench/ctlbench.sh: do writers to unrelated groups wait for each
# other?  sim.ctl charge/free commands per second through the mount
# ("anon 4K" and "free anon 4K" in turn, one open fd per writer, each
# writer its own process; tools/bench/parbench.c), with one writer in g0
# and with two writers, in g0 and g1 (disjoint groups) at once.  The
# daemon runs multi-threaded and unpinned on a machine of cpus=2: two
# writers can only go faster if the daemon serves them in parallel.
#
#   tools/bench/ctlbench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# Target: two writers >= 1.6x one writer.  BENCH_ROUNDS rounds (9) of
# BENCH_SECS seconds (1) each, one writer and two interleaved (in turn
# first) so that a change in the machine's load hits both; the ratio is
# of the medians.
# The machine's load average is printed before and after: on a shared
# machine the figure is only as good as the cores left to it.  A MISS
# fails the run only with BENCH_STRICT=1.
set -euo pipefail

BENCH_CPU=none	# both CPUs: the point is two writers on two of them
# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
daemon_opts=()
PARBENCH=$BUILD/tools/bench/parbench
ROUNDS=${BENCH_ROUNDS:-9}
SECS=${BENCH_SECS:-1}

bench_mount "memory=4G,cpus=2"
echo +memory >"$mnt/cgroup.subtree_control"
mkdir "$mnt/g0" "$mnt/g1"

rate() { "$PARBENCH" ctl "$mnt" "$SECS" "$@" | awk '{ print $4 }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
one=() two=()
for r in $(seq "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then
		one+=("$(rate g0)")
		two+=("$(rate g0 g1)")
	else
		two+=("$(rate g0 g1)")
		one+=("$(rate g0)")
	fi
	echo "round $r: 1 writer ${one[-1]} cmds/s, 2 writers ${two[-1]} cmds/s"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
m1=$(printf '%s\n' "${one[@]}" | median)
m2=$(printf '%s\n' "${two[@]}" | median)
r=$(awk -v a="$m2" -v b="$m1" 'BEGIN { printf "%.2f", a / b }')
ok=$(awk -v r="$r" 'BEGIN { print (r >= 1.6) ? "ok" : "MISS" }')
echo "median: 1 writer $m1 cmds/s, 2 writers $m2 cmds/s"
echo "2 writers / 1 writer = ${r}x (target >= 1.60): $ok"
check=$(tail -n 1 "$mnt/sim.check")
[ "$check" = "ok 1" ] || { echo "sim.check: $check"; exit 1; }
bench_umount
[ "$ok" = ok ] || [ "${BENCH_STRICT:-0}" != 1 ]
