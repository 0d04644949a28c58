#!/usr/bin/env bash
# tools/bench/all.sh: what `make bench` runs.  Every benchmark in turn,
# its output shown and kept in BUILD_DIR/bench/NAME.out with its exit
# status, then OUTPUT.md written from those files by report.sh, so the
# figures in the documentation are always the last run's, never pasted.
#
#   tools/bench/all.sh MEMCGFS_BINARY BUILD_DIR OUTPUT.md
#
# Exits 1 if any benchmark failed (the report is written anyway and says
# which one).
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: ${0##*/} MEMCGFS_BINARY BUILD_DIR OUTPUT.md" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 build=$2 out=$3
dir=$build/bench
mkdir -p "$dir"
rm -f "$dir"/*.out "$dir"/*.rc
rc=0
echo "start $(cat /proc/loadavg)" >"$dir/loadavg"
for b in run allocbench statbench lrubench zombiebench highbench runbench ctlbench reclaimreadbench; do
	args=("$bin" "$build")
	[ "$b" = allocbench ] && args=("$build")
	# memcgfs-run and its library sit beside the daemon of a default build.
	[ "$b" = runbench ] && args=("$bin" "$build" "$(dirname "$bin")")
	echo "== tools/bench/$b.sh ${args[*]}" >&2
	"$here/$b.sh" "${args[@]}" 2>&1 | tee "$dir/$b.out"
	s=${PIPESTATUS[0]}
	echo "$s" >"$dir/$b.rc"
	[ "$s" -eq 0 ] || rc=1
done
echo "end $(cat /proc/loadavg)" >>"$dir/loadavg"
"$here/report.sh" "$dir" >"$out" && echo "$out written from $dir" >&2
exit "$rc"
