#!/usr/bin/env bash
# tools/bench/highbench.sh: what a throttled writer costs everybody else.
# The median open + read + close of a/memory.current (readbench) while
# group b is idle, and while b's writers are throttled over memory.high
# without pause (two writers, each write 20% over high: a 2 s penalty
# sleep at high_delay=1, the kernel's).  The daemon runs single-threaded
# (-s) and pinned, as in the other benchmarks: a throttled write is a
# delayed reply (fs/throttle.c), so not even the only worker waits.
#
#   tools/bench/highbench.sh [MEMCGFS_BINARY [BUILD_DIR]]
#
# Target: throttled <= 1.2x idle.  Phases run idle, throttled, idle,
# throttled, idle; the ratio is the median of the throttled phases over
# the median of the idle ones.  b's sim.log throttle lines and its
# memory.pressure full total are checked to prove it was throttled the
# whole time.  A MISS fails the run only with BENCH_STRICT=1.
set -euo pipefail

# shellcheck source=tools/bench/mount.sh
. "$(dirname "${BASH_SOURCE[0]}")/mount.sh"
READBENCH=$BUILD/tools/bench/readbench
ITER=${BENCH_ITER:-20000}	# 3 rounds: ~2.5 s a phase, over a throttle cycle

bench_mount "high_delay=1,memory=1G"
echo +memory >"$mnt/cgroup.subtree_control"
mkdir "$mnt/a" "$mnt/b"
echo "mount t tmpfs" >"$mnt/sim.ctl"
echo "write t/f 10M" >"$mnt/b/sim.ctl"
echo drain >"$mnt/b/sim.ctl"
# One more 64-page batch leaves b 20% over: the 2 s cap every write.
u=$(($(cat "$mnt/b/memory.current") / 4096 + 64))
# shellcheck disable=SC2017 # whole pages: truncate before scaling
echo $((u * 100 / 120 * 4096)) >"$mnt/b/memory.high"

writers=()
throttle_b() {
	local _
	for _ in 1 2; do
		(while :; do echo "write t/f 256K" >"$mnt/b/sim.ctl"; done) &
		writers+=($!)
	done
	sleep 0.5
}
stop_b() {
	# No writers: a bare `wait` would wait for the daemon too (forever).
	[ ${#writers[@]} -gt 0 ] || return 0
	kill "${writers[@]}" 2>/dev/null || true
	wait "${writers[@]}" 2>/dev/null || true
	writers=()
}
trap 'stop_b; cleanup' EXIT

median_us() {
	"${pin[@]}" "$READBENCH" -n "$ITER" -r 3 "$mnt/a/memory.current" |
		awk '$1 == "median_ns" { printf "%.2f\n", $3 / 1000 }'
}
full_total() {
	awk '$1 == "full" { sub("total=", "", $5); print $5 }' "$mnt/b/memory.pressure"
}

idle=()
busy=()
for phase in idle busy idle busy idle; do
	if [ "$phase" = busy ]; then
		n0=$(grep -c "throttled over memory.high" "$mnt/sim.log" || true)
		throttle_b
		t0=$(full_total)
		s0=$EPOCHREALTIME
	fi
	m=$(median_us)
	if [ "$phase" = busy ]; then
		s1=$EPOCHREALTIME
		stalled_ms=$((($(full_total) - t0) / 1000))
		n1=$(grep -c "throttled over memory.high" "$mnt/sim.log" || true)
		wall_ms=$(((${s1/./} - ${s0/./}) / 1000))
		stop_b
		echo "throttled: a/memory.current median $m us; b stalled (full) ${stalled_ms} ms of ${wall_ms} ms, $((n1 - n0)) throttled writes"
		busy+=("$m")
	else
		echo "idle:      a/memory.current median $m us"
		idle+=("$m")
	fi
done

med() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
r=$(awk -v b="$(med "${busy[@]}")" -v i="$(med "${idle[@]}")" 'BEGIN { printf "%.2f", b / i }')
ok=$(awk -v r="$r" 'BEGIN { print (r <= 1.2) ? "ok" : "MISS" }')
echo "memory.current while another group is throttled / idle = ${r}x (target <= 1.20): $ok"
[ "$ok" = ok ] || [ "${BENCH_STRICT:-0}" != 1 ] || exit 1
