#!/bin/bash
# senpai.sh - the feedback loop of Facebook's senpai against a memcgfs
# mount: lower memory.high while memory pressure stays under a target,
# raise it when pressure goes over, and watch it settle on the working set.
#
#   tools/senpai.sh [-b MEMCGFS] [-t SECONDS] [-o OUTDIR] [-l IO_LATENCY_US]
#
# Mounts its own memcgfs on a mktemp directory (swap 512M, io_latency
# 100 us per page read back, kernel-scale memory.high penalties), runs a
# workload in group w, and prints one line per second:
#   t current_MiB high_MiB stall_ms_per_s some_avg10
# (stall normalised to the real length of the interval), then writes
# OUTDIR/senpai.csv and, with gnuplot, OUTDIR/senpai.png.
#
# The workload (one writer process, a tick every 0.2 s): 40M of anon it
# touches whole every tick, a 20M file it reads every tick (hot page
# cache), and a log it appends 1M to and never reads (cold page cache).
# Its working set is the 60M of anon and hot file; the log is what a
# good limit squeezes out.  Stalls come from swap-ins and refaults of
# workingset pages (io_latency each), reclaim, and high throttling.
set -eu

BIN=./memcgfs
SECONDS_TO_RUN=90
OUT=.
IO_LAT=100
while getopts "b:t:o:l:h" c; do
	case $c in
	b) BIN=$OPTARG ;;
	t) SECONDS_TO_RUN=$OPTARG ;;
	o) OUT=$OPTARG ;;
	l) IO_LAT=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done

# senpai's rule, per 1 s interval: probe down at most 5% a step
# (quadratic in the distance to target), back off up to 20% (linear in
# the excess).  The target, 50 ms of stall a second, sits above what
# reclaiming cold cache costs here (real time of the model's reclaim,
# tens of ms on a busy machine) and far below thrashing (io_latency per
# refaulted or swapped-in page: hundreds of ms).
TARGET_US=50000
MAX_PROBE=0.05
MAX_BACKOFF=0.2
COEFF_PROBE=10
COEFF_BACKOFF=20

MNT=$(mktemp -d /tmp/senpai.XXXXXX)
"$BIN" -f -o swap=512M,memory=1G,io_latency="$IO_LAT",high_delay=1 "$MNT" \
	>"$MNT.log" 2>&1 </dev/null &
DAEMON=$!
WORKLOAD=
cleanup() {
	set +e
	[ -n "${SENPAI_DEBUG:-}" ] && set -x
	[ -n "$WORKLOAD" ] && kill "$WORKLOAD" 2>/dev/null && wait "$WORKLOAD" 2>/dev/null
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -u -z "$MNT"
	wait "$DAEMON" 2>/dev/null || true
	rmdir "$MNT"
	rm -f "$MNT.log"
}
trap cleanup EXIT
for _ in $(seq 100); do mountpoint -q "$MNT" && break; sleep 0.05; done
mountpoint -q "$MNT" || { echo "senpai.sh: memcgfs did not mount" >&2; exit 1; }

echo +memory >"$MNT/cgroup.subtree_control"
mkdir "$MNT/w"
echo "mount data disk" >"$MNT/sim.ctl"

# The workload: this subshell is the writer that owns the anon.
(
	ctl=$MNT/w/sim.ctl
	echo "anon 40M" >"$ctl"
	echo "write data/hot 20M" >"$ctl"
	while :; do
		echo "touch anon 40M" >"$ctl"
		echo "read data/hot" >"$ctl"
		echo "write data/log 1M" >"$ctl"
		sleep 0.2
	done
) &
WORKLOAD=$!
sleep 2
[ -n "${SENPAI_DEBUG:-}" ] && cat "$MNT/w/memory.current" >&2

some_total() {
	awk '$1 == "some" { sub("total=", "", $5); print $5 }' "$1"
}
some_avg10() {
	awk '$1 == "some" { sub("avg10=", "", $2); print $2 }' "$1"
}

CSV=$OUT/senpai.csv
echo "t,current_mib,high_mib,stall_ms_per_s,some_avg10" >"$CSV"
limit=$(cat "$MNT/w/memory.current")
echo "$limit" >"$MNT/w/memory.high"
last=$(some_total "$MNT/w/memory.pressure")
printf "%6s %11s %8s %14s %10s\n" t current_MiB high_MiB stall_ms/s avg10
start=${EPOCHREALTIME/./}
prev=$start
for _ in $(seq 1 "$SECONDS_TO_RUN"); do
	sleep 1
	total=$(some_total "$MNT/w/memory.pressure")
	now=${EPOCHREALTIME/./}
	# Stall per second of the real interval (a busy machine stretches it).
	delta=$(((total - last) * 1000000 / (now - prev)))
	t=$(((now - start) / 100000))
	last=$total
	prev=$now
	cur=$(cat "$MNT/w/memory.current")
	# senpai.py adjust(): probe below target, back off above it.
	limit=$(awk -v d="$delta" -v T=$TARGET_US -v l="$limit" \
		-v mp=$MAX_PROBE -v mb=$MAX_BACKOFF -v cp=$COEFF_PROBE \
		-v cb=$COEFF_BACKOFF 'BEGIN {
		if (d < T) {
			e = (T - d) / T; a = e * e * cp * mp / 10
			if (a > mp) a = mp
			l -= l * a
		} else {
			e = (d - T) / T; a = e * cb * mb / 20
			if (a > mb) a = mb
			l += l * a
		}
		if (l < 4194304) l = 4194304
		printf "%d\n", l / 4096 * 4096 }')
	echo "$limit" >"$MNT/w/memory.high"
	avg=$(some_avg10 "$MNT/w/memory.pressure")
	awk -v t="$t" -v c="$cur" -v h="$limit" -v d="$delta" -v a="$avg" \
		-v csv="$CSV" 'BEGIN {
		printf "%6.1f %11.1f %8.1f %14.1f %10s\n", t / 10, c / 1048576,
			h / 1048576, d / 1000, a
		printf "%.1f,%.2f,%.2f,%.2f,%s\n", t / 10, c / 1048576,
			h / 1048576, d / 1000, a >> csv }'
done
echo "memory.events of w: $(tr '\n' ' ' <"$MNT/w/memory.events")"
cp "$MNT/sim.log" "$OUT/senpai.sim.log"
echo "workingset refaults: $(awk '$1 == "workingset_refault_file" { print $2 }' \
	"$MNT/w/memory.stat") pages; swap: $(($(cat "$MNT/w/memory.swap.current") >> 20))M"

if command -v gnuplot >/dev/null; then
	gnuplot <<EOF
set terminal png size 1000,600
set output "$OUT/senpai.png"
set datafile separator ","
set title "senpai on memcgfs: memory.high follows the working set (60M of anon + hot file)"
set xlabel "seconds"
set ylabel "MiB"
set y2label "memory stall, ms per s"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set key top right
plot "$CSV" using 1:2 skip 1 with lines lw 2 title "memory.current", \
     "$CSV" using 1:3 skip 1 with lines lw 2 title "memory.high", \
     60 with lines dt 2 lc rgb "gray" title "working set", \
     "$CSV" using 1:4 skip 1 axes x1y2 with impulses lc rgb "red" title "stall (some), ms/s"
EOF
	echo "wrote $CSV and $OUT/senpai.png"
else
	echo "wrote $CSV (no gnuplot for the PNG)"
fi
