# shellcheck shell=bash disable=SC2034
# tools/bench/mount.sh: sourced by the benchmarks that mount memcgfs
# themselves (statbench.sh, lrubench.sh, zombiebench.sh).  Sets MEMCGFS
# and BUILD from $1 and $2, the pinning command pin=(taskset -c CPU)
# (BENCH_CPU=N or none), the daemon's flags daemon_opts=(-s), a temp
# mount point $mnt, and bench_mount OPTS
# [MOUNTPOINT] / bench_umount (of $mnt) / bench_umount_at MOUNTPOINT to
# run a daemon (-f, daemon_opts, pinned) on $mnt or on another mount point; $pid is
# the last daemon started.  Every mount made here is unmounted and its
# daemon stopped by the EXIT trap, also on failure.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
top=$(cd "$here/../.." && pwd)
MEMCGFS=$(realpath -m -- "${1:-$top/memcgfs}")
BUILD=$(realpath -m -- "${2:-$top/build}")
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
pin=()
[ "$cpu" = none ] || pin=(taskset -c "$cpu")
# The daemon's own flags: single-threaded unless a benchmark of parallel
# service sets daemon_opts=() (ctlbench.sh, reclaimreadbench.sh).
daemon_opts=(-s)

tmp=$(mktemp -d /tmp/memcgfs-bench1.XXXXXX)
mnt=$tmp/mnt
pid=
declare -A bench_pids=() # mount point -> daemon pid
cleanup() {
	local m
	for m in "${!bench_pids[@]}"; do
		if mountpoint -q "$m" 2>/dev/null; then
			fusermount3 -u "$m" 2>/dev/null || umount -l "$m" || true
		fi
		kill "${bench_pids[$m]}" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$mnt"

bench_mount() {
	local m=${2:-$mnt}
	mkdir -p "$m"
	"${pin[@]}" "$MEMCGFS" -f "${daemon_opts[@]}" "$m" -o "$1" &
	pid=$!
	bench_pids[$m]=$pid
	for _ in $(seq 100); do
		mountpoint -q "$m" && return 0
		sleep 0.05
	done
	return 1
}

# A writer killed a moment ago may still hold a file open (EBUSY): retry
# for 5 s, then detach lazily, so the daemon always exits and is waited for.
bench_umount_at() {
	local _
	for _ in $(seq 50); do
		fusermount3 -u "$1" 2>/dev/null && break
		sleep 0.1
	done
	mountpoint -q "$1" && fusermount3 -u -z "$1"
	wait "${bench_pids[$1]}" || true
	unset "bench_pids[$1]"
	pid=
}

bench_umount() { bench_umount_at "$mnt"; }

# The median of the numbers on stdin, one a line (the upper one of an
# even count).
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
