#!/usr/bin/env bash
# tools/zombie-scenarios.sh: the zombie memcg invasion on a laptop.
#
#   tools/zombie-scenarios.sh [--scenario NAME|--all] [--runs N] [--policies "P..."]
#
# Each scenario runs on a fresh mount under each pages= policy (default:
# pin reparent-walk reparent recharge deferred evict; the dentry scenario
# runs under each kmem= policy instead; a --policies entry with '=' is a
# whole KEY=VALUE, e.g. "kmem=clone-leak") and prints one row
# per policy: zombies left, bytes they pin, bytes of page cache in all,
# bytes moved to parents and to other groups (sim.check), IDs in use,
# seconds, and whether sim.check found the accounting exact.
#
# Scenarios (N runs each, default 200):
#   tmpfs  seed 004: each job writes a 64K tmpfs log a monitor group maps,
#          then exits (rmdir); the shared pages keep every job a zombie.
#   ids    one page per cgroup: mkdir, write 4K of page cache, rmdir, with
#          -o ids=1000 and policy ids=hold, until mkdir fails with ENOSPC
#          (the ~65k of production, scaled down).
#   timer  a systemd-timer style unit: each run appends 16K to a shared
#          journal on disk, reads a config file, and is removed.
#   cron   a cronjob leak: each job leaves a 16K file in tmpfs behind.
#   cache  the cost of offline itself: N/10 groups each fill 256M of disk
#          cache, then are removed; seconds are the rmdirs' alone, so a
#          per-page walk (reparent-walk) shows against the O(1) splice
#          (reparent).
#   dentry the kernel selftest's dead cgroups: each job makes 100 negative
#          dentries and is removed; then memory pressure (1G of
#          memory.reclaim at the root) frees the dentries, and a second
#          later the row is taken. Which dead caches let their memcg go?
#
# Needs root, /dev/fuse, perl (tools/fsop.pl).  MEMCGFS_BIN overrides the
# binary.  Everything mounted is unmounted by the EXIT trap.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${MEMCGFS_BIN:-$here/../memcgfs}
RUNS=200
POLICIES=
PAGES_POLICIES="pin reparent-walk reparent recharge deferred evict"
KMEM_POLICIES="kmem=objcg kmem=clone-leak kmem=clone-nocache kmem=clone-reap kmem=clone-reparent kmem=clone-refcount"
SCENARIOS=tmpfs

while [ $# -gt 0 ]; do
	case $1 in
	--scenario) SCENARIOS=$2; shift 2 ;;
	--all) SCENARIOS="tmpfs ids timer cron cache dentry"; shift ;;
	--runs) RUNS=$2; shift 2 ;;
	--policies) POLICIES=$2; shift 2 ;;
	*) echo "usage: $0 [--scenario tmpfs|ids|timer|cron|cache|dentry|--all] [--runs N] [--policies \"P ...\"]" >&2
	   exit 2 ;;
	esac
done

tmp=$(mktemp -d /tmp/zombies.XXXXXX)
M=$tmp/mnt
pid=
cleanup() {
	[ -z "${FSOP_PID:-}" ] || kill "$FSOP_PID" 2>/dev/null || true
	if mountpoint -q "$M" 2>/dev/null; then
		fusermount3 -u "$M" 2>/dev/null || umount -l "$M" || true
	fi
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$M"

coproc FSOP { exec perl "$here/fsop.pl"; }

fsop() {	# fsop m|r DIR: mkdir or rmdir without a fork; 0 on success
	local reply
	echo "$1 $2" >&"${FSOP[1]}"
	read -r reply <&"${FSOP[0]}"
	[ "$reply" = ok ]
}

ctl() { echo "$2" >"$M/$1/sim.ctl"; }

mount_fresh() {
	"$BIN" -f "$M" -o "cpus=2,$1" &
	pid=$!
	for _ in $(seq 100); do
		mountpoint -q "$M" && break
		sleep 0.05
	done
	echo +memory >"$M/cgroup.subtree_control"
	ctl . "mount shm tmpfs"
	ctl . "mount disk disk"
}

umount_it() {
	fusermount3 -u "$M"
	wait "$pid" || true
	pid=
}

scenario_tmpfs() {
	fsop m "$M/monitor"
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/job$i"
		ctl "job$i" "write shm/log$i 64K"
		ctl monitor "map shm/log$i"
		fsop r "$M/job$i"
	done
}

scenario_ids() {
	# Up to 2,000 groups: with 999 IDs, a policy that leaves zombies
	# runs out first.
	for ((i = 0; i < 2000; i++)); do
		fsop m "$M/g$i" || break
		ctl "g$i" "write disk/f$i 4K"
		fsop r "$M/g$i"
	done
	echo "# $i groups made before mkdir failed or the run ended" >&2
}

scenario_timer() {
	fsop m "$M/system"
	echo +memory >"$M/system/cgroup.subtree_control"
	ctl system "write disk/config 16K"
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/system/unit$i"
		ctl "system/unit$i" "write disk/journal 16K"
		ctl "system/unit$i" "read disk/config"
		fsop r "$M/system/unit$i"
	done
}

scenario_cron() {
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/cron$i"
		ctl "cron$i" "write shm/tmp$i 16K"
		fsop r "$M/cron$i"
	done
}

scenario_cache() {
	local t0 t1 n=$((RUNS / 10 > 0 ? RUNS / 10 : 1))
	for ((i = 0; i < n; i++)); do
		fsop m "$M/big$i"
		ctl "big$i" "write disk/big$i 256M"
	done
	t0=$(date +%s.%N)
	for ((i = 0; i < n; i++)); do
		fsop r "$M/big$i"
	done
	t1=$(date +%s.%N)
	timed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

scenario_dentry() {
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/job$i"
		ctl "job$i" "lookup disk 100"
		fsop r "$M/job$i"
	done
	echo "# $(awk '$1 == "dying" { print $2 }' "$M/sim.ids") zombies before memory pressure" >&2
	echo 1G >"$M/memory.reclaim" 2>/dev/null || true
	sleep 1.5	# kmem=clone-reap: the periodic walk of dead caches
}

# zombies, bytes they pin, page cache in all, bytes moved, IDs in use
row() {
	printf '%-20s %8s %12s %12s %12s %12s %8s %8s %6s\n' "$@"
}

report() {
	local dying pinned cache ids to_parent to_groups ok
	dying=$(awk '$1 == "dying" { print $2 }' "$M/sim.ids")
	pinned=$(awk '$1 == "memory" { n += $2 } END { printf "%.0f\n", n }' "$M/sim.zombies")
	cache=$(awk '$1 == "file" { print $2 }' "$M/memory.stat")
	ids=$(awk '$1 == "live" || $1 == "dying_holding_ids" { n += $2 } END { print n }' "$M/sim.ids")
	to_parent=$(awk '$1 == "moved_to_parent" { print $2 }' "$M/sim.check")
	to_groups=$(awk '$1 == "moved_to_groups" { print $2 }' "$M/sim.check")
	ok=$(awk '$1 == "ok" { print $2 }' "$M/sim.check")
	row "$1" "$dying" "$pinned" "$cache" "$to_parent" "$to_groups" "$ids" "$2" "$ok"
}

for s in $SCENARIOS; do
	echo "# scenario $s, $RUNS runs"
	row policy zombies pinned_bytes cache_bytes to_parent to_groups ids seconds check
	policies=${POLICIES:-$PAGES_POLICIES}
	[ -n "$POLICIES" ] || [ "$s" != dentry ] || policies=$KMEM_POLICIES
	for p in $policies; do
		case $p in *=*) kv=$p ;; *) kv=pages=$p ;; esac
		opts="policy=$kv"
		[ "$s" = ids ] && opts="ids=1000,policy=$kv:ids=hold"
		mount_fresh "$opts"
		timed=
		t0=$(date +%s.%N)
		"scenario_$s"
		t1=$(date +%s.%N)
		report "$p" "${timed:-$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')}"
		umount_it
	done
	echo
done
