#!/usr/bin/env bash
# tools/bench/runbench.sh: what memcgfs-run costs a program.  Runs
# tools/bench/runbench plain and under memcgfs-run (in a private mount
# namespace with the host's cgroup mounts detached) and prints:
#   - a malloc(64)/free pair, plain glibc vs under memcgfs-run (bar: <= 2x);
#   - a 4 KiB read(2) loop over a 64 MiB file, plain vs under memcgfs-run,
#     with the sim.ctl round trips it made (one per 256 KiB run of I/O)
#     and their cost, measured directly as "access" writes to sim.ctl.
#
#   tools/bench/runbench.sh [MEMCGFS_BINARY [BUILD_DIR [RUN_DIR]]]
set -euo pipefail

if [ -z "${RUNBENCH_INNER:-}" ]; then
	exec unshare -m --propagation private env RUNBENCH_INNER=1 "$0" "$@"
fi
awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -r |
	while read -r m; do umount -l "$m"; done

# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
RUNDIR=$(realpath -m -- "${3:-$(dirname "$MEMCGFS")}")
RB=$BUILD/tools/bench/runbench
PAIRS=${RUNBENCH_PAIRS:-5000000}
ROUNDS=${RUNBENCH_ROUNDS:-2}

bench_mount "cpus=2"
echo +memory >"$mnt/cgroup.subtree_control"
mkdir "$mnt/b"
run=("$RUNDIR/memcgfs-run" "$mnt/b" --)

key() { awk -v k="$1" '$1 == k { print $2 }'; }

plain=$("${pin[@]}" "$RB" malloc "$PAIRS" | key malloc_free_64B_ns)
under=$("${run[@]}" "${pin[@]}" "$RB" malloc "$PAIRS" | key malloc_free_64B_ns)
echo "malloc(64)+free: plain glibc $plain ns, under memcgfs-run $under ns," \
	"ratio $(awk -v a="$under" -v b="$plain" 'BEGIN { printf "%.2f", a / b }')x (bar <= 2x)"

file=$tmp/readfile
dd if=/dev/zero of="$file" bs=1M count=64 status=none
plain=$("${pin[@]}" "$RB" read "$file" "$ROUNDS" | key read_4k_ns)
out=$("${run[@]}" "${pin[@]}" "$RB" read "$file" "$ROUNDS")
under=$(key read_4k_ns <<<"$out")
reads=$(key reads_per_run <<<"$out")
trips=$((reads * 4096 / (64 * 4096)))
rt=$("${run[@]}" "${pin[@]}" "$RB" ctl "$mnt/sim.ctl" "host$file" 20000 | key round_trip_ns)
echo "4 KiB read loop: plain $plain ns/read, under memcgfs-run $under ns/read;" \
	"$reads reads make $trips sim.ctl round trips (one per 256 KiB)"
echo "sim.ctl round trip (access, in=self): $rt ns; per read that is" \
	"$(awk -v r="$rt" 'BEGIN { printf "%.1f", r / 64 }') ns amortized"
echo "file page cache of group b after the loops: $(key file <"$mnt/b/memory.stat") bytes"
echo "sim.check: $(tail -n 1 "$mnt/sim.check")"
bench_umount
