#!/usr/bin/env bash
# tools/drift.sh: does a parent's slab counter stay exact while children
# come and go?  Seed 003 (Gushchin, Dec 2019, "mm: memcg/slab: fix percpu
# slab vmstats flushing") in numbers, one table per statistics engine.
#
#   tools/drift.sh [--mode MODE | --all] [--cpus N] [--groups N]
#                  [--every N] [--dying] [--seed S] [--drain-children]
#                  [--csv] [--plot FILE.png] [-q]
#
# On a fresh mount (-o stats=MODE,cpus=N) it makes a parent p, then N
# children p/c1..p/cN.  Each child writes 2-5 lines "slab dentry COUNT
# cpu=K" (COUNT 1..40, consecutive CPUs from a random one) and is removed;
# its dentries live on, reparented to p.  Every --every groups it drains
# p's per-CPU stocks and prints p's slab_reclaimable (reported), the bytes
# of dentries made (true: 200 bytes per object) and reported - true.
# slab_reclaimable only: each mkdir charges the child's memcg structure to
# p as slab_unreclaimable and percpu.  A child's deltas stay below the
# 32-page spill threshold on every CPU, so the spill engines keep them as
# per-CPU residues, which each engine treats in its own way at offline
# and free.
#
# --dying: each child also charges "sock 4K" before its rmdir, which keeps
# it dying (socket memory pins a memcg); at the end all of it is freed at
# p and a last row, "released", is printed once no child is dying.
#
# --drain-children: each child also writes "drain" just before its rmdir.
# Without it, what a CPU's object stock still caches for the child (slab
# stat deltas under a page, see below) reaches p's own per-CPU counters
# after the rmdir; the spill engines then hide it as p's residue (up to
# 32 pages x CPUs).  With it, every delta goes through the child's
# counters, as before 5.14, when the object stock cached no stat deltas,
# so the table shows the child engines alone.
#
# Groups are made and removed one at a time, strictly in turn (create,
# charge, destroy), through one perl process that runs mkdir and rmdir
# for the shell (perl-base is Essential in Debian): a fork per directory
# costs more than everything else together.  The order matters: a child
# removed while a CPU's object stock still caches its objcg leaves that
# stock's slab stat delta (under a page) to be flushed into p directly,
# since its objcg now points at p; a stock drained by the next charge
# while the child is still alive puts it in the child's counters instead.
#
# Defaults: --mode rstat --cpus 8 --groups 10000 --every 1000 --seed 1.  --all runs every mode in turn, each on its own mount,
# with the same seed (so the true column is the same).  The table goes to
# stdout (--csv: one CSV header, then mode,groups,reported,true,error,
# error_pages rows), progress every tenth of the groups and the time taken
# to stderr (-q: none).  --plot FILE.png draws the error in pages against
# the groups made, one line per engine (gnuplot).  Exit status 0, or 1 when memcgfs
# fails (startup, a write or its exit status) or on bad arguments.
# MEMCGFS_BIN overrides the binary (default: ./memcgfs next to tools/).
set -uo pipefail

MODES=(rstat sum spill spill-doubleflush spill-fixed)
OBJ_BYTES=200			# a dentry object in memory.stat
PAGE=4096

usage() {
	cat <<EOF
usage: ${0##*/} [--mode MODE | --all] [--cpus N] [--groups N] [--every N]
       [--dying] [--seed S] [--drain-children]
  --mode MODE  ${MODES[*]} (default rstat)
  --all        every mode in turn, one table each
  --cpus N     virtual CPUs (default 8)
  --groups N   children to create, charge and destroy (default 10000)
  --every N    a row every N groups (default 1000)
  --dying      keep every child dying (sock pin), free it all at the end
  --seed S     RANDOM seed (default 1)
  --drain-children  drain each child's stocks just before its rmdir
  --csv        CSV rows instead of the tables
  --plot FILE.png  error (pages) against groups, one line per engine
  -q, --quiet  no progress on stderr
  -h, --help   this text
EOF
}

die() {
	echo "drift: $*" >&2
	exit 1
}

# A bad argument: its name, where to look, exit 2.
bad() {
	echo "drift: $*" >&2
	echo "Try '${0##*/} --help' for more information." >&2
	exit 2
}

say() { ((quiet)) || echo "drift: $*" >&2; }

mode=rstat cpus=8 groups=10000 every=1000 dying=0 seed=1 all=0 cdrain=0
csv=0 plot='' quiet=0
while [ $# -gt 0 ]; do
	opt=$1 val=''
	case $opt in
	--*=*) val=${opt#*=} opt=${opt%%=*} ;;
	esac
	case $opt in
	--mode | --cpus | --groups | --every | --seed | --plot)
		if [ -z "$val" ]; then
			[ $# -ge 2 ] || bad "$opt needs a value"
			val=$2
			shift
		fi
		;;
	esac
	case $opt in
	--mode) mode=$val ;;
	--cpus) cpus=$val ;;
	--groups) groups=$val ;;
	--every) every=$val ;;
	--seed) seed=$val ;;
	--dying) dying=1 ;;
	--drain-children) cdrain=1 ;;
	--all) all=1 ;;
	--csv) csv=1 ;;
	--plot) plot=$val ;;
	-q | --quiet) quiet=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*) bad "unknown argument '$opt'" ;;
	esac
	shift
done

for v in cpus groups every; do
	[[ ${!v} =~ ^[1-9][0-9]{0,6}$ ]] || bad "--$v takes a positive integer, not '${!v}'"
done
[[ $seed =~ ^[0-9]{1,9}$ ]] || bad "--seed takes a non-negative integer, not '$seed'"
((cpus <= 1024)) || bad "--cpus: at most 1024"
((dying == 0 || groups <= 1000000)) || bad "--dying: at most 1000000 groups"
if [ -n "$plot" ]; then
	[[ $plot == *.png ]] || bad "--plot takes a FILE.png, not '$plot'"
	[ -d "$(dirname "$plot")" ] || bad "--plot: no directory '$(dirname "$plot")'"
	command -v gnuplot >/dev/null || bad "--plot needs gnuplot (Debian: gnuplot-nox)"
fi
if ((all)); then
	run_modes=("${MODES[@]}")
else
	case " ${MODES[*]} " in
	*" $mode "*) ;;
	*) bad "--mode: '$mode' is not one of ${MODES[*]}" ;;
	esac
	run_modes=("$mode")
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${MEMCGFS_BIN:-}" ]; then
	BIN=$MEMCGFS_BIN
elif [ -x "$here/../memcgfs" ]; then
	BIN=$here/../memcgfs
else
	BIN=$(command -v memcgfs || echo "$here/../memcgfs")
fi
[ -x "$BIN" ] || die "$BIN: not found (build first: make)"
command -v fusermount3 >/dev/null || die "fusermount3 not found (fuse3)"
command -v perl >/dev/null || die "perl not found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-drift.XXXXXX") || die "mktemp failed"
MNT='' DPID='' LOG='' HELPER=''

# Unmount and reap the daemon; its exit status is the return value.
stop_daemon() {
	local rc=0 i
	if [ -n "$MNT" ] && mountpoint -q "$MNT" 2>/dev/null; then
		fusermount3 -u "$MNT" 2>/dev/null ||
			fusermount3 -u -z "$MNT" 2>/dev/null || rc=1
	fi
	if [ -n "$DPID" ]; then
		for ((i = 0; i < 50; i++)); do
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$DPID" 2>/dev/null; then
			kill "$DPID" 2>/dev/null
			sleep 0.5
			kill -9 "$DPID" 2>/dev/null
			rc=1
		fi
		wait "$DPID" 2>/dev/null || rc=1
		DPID=
	fi
	return "$rc"
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
	trap '' INT TERM
	if [ -n "$HELPER" ]; then
		kill "$HELPER" 2>/dev/null
		wait "$HELPER" 2>/dev/null
	fi
	stop_daemon
	# Never recurse into a mount that would not go away.
	if [ -n "$MNT" ] && mountpoint -q "$MNT" 2>/dev/null; then
		echo "drift: $MNT is still mounted; left $TMP" >&2
	else
		rm -rf -- "$TMP"
	fi
}
trap cleanup EXIT
trap 'echo "drift: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# The daemon's log and sim.log's last lines, then exit 1.
fail() {
	echo "drift: $*" >&2
	if [ -n "$MNT" ] && [ -r "$MNT/sim.log" ]; then
		tail -n 3 "$MNT/sim.log" 2>/dev/null | sed 's/^/drift: sim.log: /' >&2
	fi
	if [ -n "$DPID" ] && ! kill -0 "$DPID" 2>/dev/null; then
		echo "drift: memcgfs has exited" >&2
	fi
	[ -s "$LOG" ] && sed 's/^/drift: memcgfs: /' "$LOG" >&2
	exit 1
}

start_daemon() {
	local opts="stats=$1,cpus=$cpus" i
	# --dying keeps every child's ID; the default space is 65535.
	((dying && groups + 16 > 65535)) && opts+=",ids=$((groups + 16))"
	MNT=$TMP/mnt-$1
	LOG=$TMP/memcgfs-$1.log
	mkdir -p "$MNT" || fail "mkdir $MNT"
	"$BIN" -f -o "$opts" "$MNT" 2>"$LOG" &
	DPID=$!
	for ((i = 0; i < 100; i++)); do
		mountpoint -q "$MNT" && return 0
		kill -0 "$DPID" 2>/dev/null || fail "memcgfs -o $opts died at startup"
		sleep 0.05
	done
	fail "memcgfs did not mount within 5 s"
}

# ctl FILE LINE: one write, by the shell itself.
ctl() {
	printf '%s\n' "$2" >"$1" || fail "write '$2' to ${1#"$MNT"/} failed"
}

# fsop m|r DIR: mkdir or rmdir DIR, by the perl coprocess.
fsop() {
	local reply
	if ! { printf '%s %s\n' "$1" "$2" >&"${FSOP[1]}" &&
		IFS= read -r reply <&"${FSOP[0]}"; }; then
		fail "the mkdir/rmdir helper died"
	fi
	[ "$reply" = ok ] || fail "$([ "$1" = m ] && echo mkdir || echo rmdir) ${2#"$MNT"/}: $reply"
}

# value_of FILE KEY: KEY's number in a "key value" FILE, into $value,
# with read builtins only (it runs after every group).
value_of() {
	local k v
	value=
	{
		while read -r k v; do
			if [ "$k" = "$2" ]; then
				value=$v
				break
			fi
		done
	} <"$1" || fail "reading ${1#"$MNT"/} failed"
	[[ $value =~ ^[0-9]+$ ]] || fail "no $2 in ${1#"$MNT"/}"
}

# The parent's slab_reclaimable in $reported.
read_slab() {
	value_of "$P/memory.stat" slab_reclaimable
	reported=$value
}

# BYTES as pages, two decimals, in $pages.
fmt_pages() {
	local b=$1 sign='' c
	if ((b < 0)); then
		sign=- b=$((-b))
	fi
	c=$(((b * 100 + PAGE / 2) / PAGE))
	((c)) || sign=
	printf -v pages '%s%d.%02d' "$sign" $((c / 100)) $((c % 100))
}

row() {
	local label=$1 truth=$2 err
	ctl "$P/sim.ctl" drain
	read_slab
	err=$((reported - truth))
	fmt_pages "$err"
	if ((csv)); then
		echo "$cur_mode,$label,$reported,$truth,$err,$pages"
	else
		printf '%8s %14s %14s %14s %12s\n' "$label" "$reported" "$truth" "$err" "$pages"
	fi
	[[ $label =~ ^[0-9]+$ ]] && echo "$label $pages" >>"$TMP/series.$cur_mode"
	return 0
}

nr_dying() {
	value_of "$P/cgroup.stat" nr_dying_descendants
	dying_now=$value
}

run_mode() {
	local m=$1 objs=0 k j n cpu0 cnt left chunk t0 t1 i tag
	t0=$EPOCHREALTIME
	start_daemon "$m"
	P=$MNT/p
	ctl "$MNT/cgroup.subtree_control" +memory
	fsop m "$P"
	ctl "$P/cgroup.subtree_control" +memory
	RANDOM=$seed

	tag=
	((dying)) && tag+=" dying"
	((cdrain)) && tag+=" drain-children"
	cur_mode=$m
	: >"$TMP/series.$m"
	if ((!csv)); then
		echo "# memcgfs drift: stats=$m cpus=$cpus groups=$groups every=$every seed=$seed$tag"
		echo "# p's slab_reclaimable after a drain, in bytes; true = dentries made x $OBJ_BYTES; error = reported - true"
		((dying)) && echo "# every child stays dying (4K sock pin) until \"released\": all sock memory freed at p"
		printf '%8s %14s %14s %14s %12s\n' groups reported true error error_pages
	fi
	tenth=$((groups / 10 > 0 ? groups / 10 : 1))

	for ((k = 1; k <= groups; k++)); do
		fsop m "$P/c$k"
		n=$((RANDOM % 4 + 2))
		cpu0=$((RANDOM % cpus))
		for ((j = 0; j < n; j++)); do
			cnt=$((RANDOM % 40 + 1))
			ctl "$P/c$k/sim.ctl" "slab dentry $cnt cpu=$(((cpu0 + j) % cpus))"
			objs=$((objs + cnt))
		done
		((dying)) && ctl "$P/c$k/sim.ctl" "sock 4K cpu=$((k % cpus))"
		((cdrain)) && ctl "$P/c$k/sim.ctl" drain
		fsop r "$P/c$k"
		if ((k % every == 0 || k == groups)); then
			row "$k" $((objs * OBJ_BYTES))
		fi
		((k % tenth)) || say "stats=$m: $k/$groups groups"
	done

	if ((dying)); then
		# free sock, newest first, in pieces of at most 256M (1G is the cap).
		left=$groups
		while ((left > 0)); do
			chunk=$((left > 65536 ? 65536 : left))
			ctl "$P/sim.ctl" "free sock $((chunk * 4))K"
			left=$((left - chunk))
		done
		# The uncharges went through a page stock, which pins the last
		# child it cached.
		ctl "$P/sim.ctl" drain
		for ((i = 0; i < 100; i++)); do
			nr_dying
			((dying_now == 0)) && break
			sleep 0.05
		done
		((dying_now == 0)) || fail "$dying_now children still dying after the sock free"
		row released $((objs * OBJ_BYTES))
	fi

	stop_daemon || fail "memcgfs (stats=$m) failed or exited with an error"
	rm -rf -- "$MNT" "$LOG"
	MNT=
	t1=$EPOCHREALTIME
	t0=${t0/[.,]/} t1=${t1/[.,]/}
	((quiet)) || printf 'drift: stats=%s took %d.%02d s\n' "$m" $(((t1 - t0) / 1000000)) \
		$(((t1 - t0) / 10000 % 100)) >&2
}

# One perl for every mkdir and rmdir: "m DIR" or "r DIR" in, "ok" or
# the error out.
coproc FSOP { exec perl "$(dirname "${BASH_SOURCE[0]}")/fsop.pl"; }
HELPER=$FSOP_PID

# The error of each engine against the groups made, one line each.
plot_modes() {
	local m k=0 n=${#run_modes[@]} plots=()
	for m in "${run_modes[@]}"; do
		plots+=("'$TMP/series.$m' using 1:2 with linespoints lw $((1 + 2 * (n - 1 - k))) dt $((k + 1)) pt $((k + 1)) title '$m'")
		k=$((k + 1))
	done
	gnuplot <<-EOG || fail "gnuplot failed"
	set terminal pngcairo size 900,540 noenhanced font ',10'
	set output '$plot'
	set title "parent's slab_reclaimable: reported - true, after each child's create, charge, rmdir (cpus=$cpus, seed=$seed)"
	set grid
	set key outside right
	set xlabel 'child groups made and removed'
	set ylabel 'error (pages)'
	plot $(IFS=,; echo "${plots[*]}")
	EOG
	say "wrote $plot"
}

first=1
((csv)) && echo "mode,groups,reported,true,error,error_pages"
for m in "${run_modes[@]}"; do
	((first || csv)) || echo
	first=0
	run_mode "$m"
done
[ -z "$plot" ] || plot_modes
exit 0
