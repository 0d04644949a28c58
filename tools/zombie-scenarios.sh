#!/usr/bin/env bash
# tools/zombie-scenarios.sh: the zombie memcg invasion on a laptop.
#
#   tools/zombie-scenarios.sh [--scenario NAME|--all] [--runs N]
#                             [--policies "P..."] [--csv] [--plot FILE.png] [-q]
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
#   tmpfs  each job writes a 64K tmpfs log a monitor group maps, then
#          exits (rmdir); the shared pages keep every job a zombie.
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
# Options:
#   --scenario NAME   one of the scenarios above (default tmpfs)
#   --all             every scenario in turn
#   --runs N          jobs per scenario (default 200)
#   --policies "P.."  the policies to compare (see above)
#   --csv             the rows as CSV on stdout (one header line, then
#                     scenario,policy,zombies,pinned_bytes,...) instead of
#                     the aligned tables
#   --plot FILE.png   also draw zombies and the bytes they pin against the
#                     jobs run so far, one line per policy (gnuplot; one
#                     pair of panels per scenario: with --all, FILE-NAME.png)
#   -q, --quiet       no progress on stderr
#   -h, --help        this text
#
# Needs /dev/fuse, fusermount3, perl (tools/fsop.pl) and, for --plot,
# gnuplot.  MEMCGFS_BIN overrides the binary (default: ../memcgfs next to
# this script, else memcgfs on PATH).  Everything mounted is unmounted by
# the EXIT trap.  Exit status 0, 1 when memcgfs fails, 2 on bad arguments.
set -euo pipefail

me=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${MEMCGFS_BIN:-}" ]; then
	BIN=$MEMCGFS_BIN
elif [ -x "$here/../memcgfs" ]; then
	BIN=$here/../memcgfs
else
	BIN=$(command -v memcgfs || echo memcgfs)
fi
RUNS=200
POLICIES=
PAGES_POLICIES="pin reparent-walk reparent recharge deferred evict"
KMEM_POLICIES="kmem=objcg kmem=clone-leak kmem=clone-nocache kmem=clone-reap kmem=clone-reparent kmem=clone-refcount"
ALL_SCENARIOS="tmpfs ids timer cron cache dentry"
SCENARIOS=tmpfs
CSV=0 PLOT='' QUIET=0

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
bad() {
	echo "$me: $*" >&2
	echo "Try '$me --help' for more information." >&2
	exit 2
}
say() { ((QUIET)) || echo "$me: $*" >&2; }

while [ $# -gt 0 ]; do
	opt=$1 val=
	case $opt in
	--*=*) val=${opt#*=} opt=${opt%%=*} ;;
	esac
	case $opt in
	--scenario | --runs | --policies | --plot)
		if [ -z "$val" ]; then
			[ $# -ge 2 ] || bad "$opt needs a value"
			val=$2
			shift
		fi
		;;
	esac
	case $opt in
	--scenario)
		[[ " $ALL_SCENARIOS " == *" $val "* ]] ||
			bad "--scenario: '$val' is not one of: $ALL_SCENARIOS"
		SCENARIOS=$val ;;
	--all) SCENARIOS=$ALL_SCENARIOS ;;
	--runs)
		[[ $val =~ ^[1-9][0-9]{0,5}$ ]] ||
			bad "--runs takes a whole number from 1 to 999999, not '$val'"
		RUNS=$val ;;
	--policies)
		[ -n "$val" ] || bad "--policies needs at least one policy"
		POLICIES=$val ;;
	--csv) CSV=1 ;;
	--plot)
		[[ $val == *.png ]] || bad "--plot takes a FILE.png, not '$val'"
		PLOT=$val ;;
	-q | --quiet) QUIET=1 ;;
	-h | --help) usage; exit 0 ;;
	*) bad "unknown argument '$opt'" ;;
	esac
	shift
done
[ -x "$BIN" ] || command -v "$BIN" >/dev/null || bad "no memcgfs binary at '$BIN' (build it: make; or set MEMCGFS_BIN)"
command -v fusermount3 >/dev/null || bad "fusermount3 not found (Debian: fuse3)"
if [ -n "$PLOT" ]; then
	command -v gnuplot >/dev/null || bad "--plot needs gnuplot (Debian: gnuplot-nox)"
	[ -d "$(dirname "$PLOT")" ] || bad "--plot: no directory '$(dirname "$PLOT")'"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zombies.XXXXXX")
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

# sample JOBS: one point of the time series (every RUNS/50 jobs): jobs
# run, zombies, bytes they pin.  Only with --plot: reading sim.zombies
# costs what the zombies are.
SERIES=
sample() {
	[ -n "$PLOT" ] || return 0
	local every=$((RUNS / 50 > 0 ? RUNS / 50 : 1))
	(( $1 % every == 0 )) || return 0
	printf '%s %s %s\n' "$1" \
		"$(awk '$1 == "dying" { print $2 }' "$M/sim.ids")" \
		"$(awk '$1 == "memory" { n += $2 } END { printf "%.0f", n }' "$M/sim.zombies")" \
		>>"$SERIES"
}

mount_fresh() {
	"$BIN" -f "$M" -o "cpus=2,$1" &
	pid=$!
	for _ in $(seq 100); do
		mountpoint -q "$M" && break
		sleep 0.05
	done
	mountpoint -q "$M" || { echo "$me: memcgfs -o cpus=2,$1 did not mount" >&2; exit 1; }
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
		sample $((i + 1))
	done
}

scenario_ids() {
	# Up to 2,000 groups: with 999 IDs, a policy that leaves zombies
	# runs out first.
	for ((i = 0; i < 2000; i++)); do
		fsop m "$M/g$i" || break
		ctl "g$i" "write disk/f$i 4K"
		fsop r "$M/g$i"
		sample $((i + 1))
	done
	say "$i groups made before mkdir failed or the run ended"
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
		sample $((i + 1))
	done
}

scenario_cron() {
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/cron$i"
		ctl "cron$i" "write shm/tmp$i 16K"
		fsop r "$M/cron$i"
		sample $((i + 1))
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
		sample $((i + 1))
	done
	t1=$(date +%s.%N)
	timed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

scenario_dentry() {
	for ((i = 0; i < RUNS; i++)); do
		fsop m "$M/job$i"
		ctl "job$i" "lookup disk 100"
		fsop r "$M/job$i"
		sample $((i + 1))
	done
	say "$(awk '$1 == "dying" { print $2 }' "$M/sim.ids") zombies before memory pressure"
	echo 1G >"$M/memory.reclaim" 2>/dev/null || true
	sleep 1.5	# kmem=clone-reap: the periodic walk of dead caches
}

# zombies, bytes they pin, page cache in all, bytes moved, IDs in use
row() {
	if ((CSV)); then
		local IFS=,
		echo "$scenario,$*"
	else
		printf '%-20s %8s %12s %12s %12s %12s %8s %8s %6s\n' "$@"
	fi
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

# plot_scenario SCENARIO FILE.png: the series of each policy, two panels.
plot_scenario() {
	local s=$1 png=$2 k n=${#plotted[@]} plots=()
	# Policies often coincide (all at 0): earlier lines are drawn wider,
	# so each stays visible under the ones drawn after it.
	for ((k = 0; k < n; k++)); do
		plots+=("'$tmp/series.$s.${plotted[k]}' using 1:__COL__ with linespoints lw $((1 + 2 * (n - 1 - k))) dt $((k + 1)) pt $((k + 1)) title '${plotted[k]}'")
	done
	local list
	list=$(IFS=,; echo "${plots[*]}")
	gnuplot <<-EOG
	set terminal pngcairo size 900,700 noenhanced font ',10'
	set output '$png'
	set multiplot layout 2,1 title 'memcgfs zombie scenario "$s", $RUNS runs: one line per policy'
	set grid
	set key outside right
	set xlabel 'jobs run (the scenario in time)'
	set ylabel 'zombies (dying memcgs)'
	plot ${list//__COL__/2}
	set ylabel 'MiB pinned by zombies'
	plot ${list//__COL__/(\$3/1048576)}
	unset multiplot
	EOG
	say "wrote $png"
}

((CSV)) && echo "scenario,policy,zombies,pinned_bytes,cache_bytes,to_parent,to_groups,ids,seconds,check"
for scenario in $SCENARIOS; do
	s=$scenario
	if ((!CSV)); then
		echo "# scenario $s, $RUNS runs"
		row policy zombies pinned_bytes cache_bytes to_parent to_groups ids seconds check
	fi
	policies=${POLICIES:-$PAGES_POLICIES}
	[ -n "$POLICIES" ] || [ "$s" != dentry ] || policies=$KMEM_POLICIES
	plotted=()
	for p in $policies; do
		case $p in *=*) kv=$p ;; *) kv=pages=$p ;; esac
		opts="policy=$kv"
		[ "$s" = ids ] && opts="ids=1000,policy=$kv:ids=hold"
		say "$s: $p ..."
		mount_fresh "$opts"
		SERIES=$tmp/series.$s.$p
		: >"$SERIES"
		plotted+=("$p")
		timed=
		t0=$(date +%s.%N)
		"scenario_$s"
		t1=$(date +%s.%N)
		report "$p" "${timed:-$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')}"
		umount_it
	done
	((CSV)) || echo
	if [ -n "$PLOT" ]; then
		png=$PLOT
		[ "$SCENARIOS" = "$s" ] || png=${PLOT%.png}-$s.png
		plot_scenario "$s" "$png"
	fi
done
