#!/bin/bash
# make stress, third part (issue #15): writers on disjoint subtrees, which
# the daemon serves at the same time (core/memcg_lock.h).  Each of
# WRITERS workers owns subtree dN with groups dN/a and dN/b, and for
# SECONDS charges and frees anon in them (MEMCG mode), writes memory.max,
# memory.high and memory.low (MEMCG and STOPPED modes), reclaims them
# through memory.reclaim (STOPPED mode), writes page cache (exclusive) and
# reads memory.current, memory.stat and cgroup.stat; one more worker
# changes the topology beside them (mkdir and rmdir of dN/tmp).  Each
# worker is one long-lived process, so its anon stays its own.  At the
# end every worker frees what it still owns and exits, and the model must
# be exact: sim.check ok 1, no anon left, and nothing left at exit.
#   tests/stress/disjoint.sh MEMCGFS_BINARY [SECONDS] [WRITERS]
set -u
BIN=$(realpath "$1")
SECS=${2:-30}
WRITERS=${3:-2}
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"
stress_init disjoint

# cpus=2: two writers may run on two virtual CPUs at once.
stress_mount "$BIN" -o memory=1G,swap=256M,cpus=2
echo "mount data disk" >"$MNT/sim.ctl"

# Worker $1: its anon (in KiB) per group is kept in owned[], so that it
# frees exactly what it charged at the end.
worker() {
	local w=$1 end=$((SECONDS + SECS)) g k n
	declare -A owned=([a]=0 [b]=0)
	mkdir -p "$MNT/d$w/a" "$MNT/d$w/b"
	echo +memory >"$MNT/d$w/cgroup.subtree_control"
	while [ $SECONDS -lt $end ]; do
		g=$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
		k=$(((RANDOM % 16 + 1) * 4))
		case $((RANDOM % 12)) in
		0 | 1 | 2 | 3)	# at most 4M each: under every memory.max
			[ "${owned[$g]}" -lt 4096 ] &&
				echo "anon ${k}K" >"$MNT/d$w/$g/sim.ctl" &&
				owned[$g]=$((owned[$g] + k)) ;;
		4 | 5 | 6)
			n=$((owned[$g] < k ? owned[$g] : k))
			[ "$n" -gt 0 ] && echo "free anon ${n}K" >"$MNT/d$w/$g/sim.ctl" &&
				owned[$g]=$((owned[$g] - n)) ;;
		7) echo "$(((RANDOM % 8 + 1) * 256))K" >"$MNT/d$w/$g/memory.reclaim" ;;
		8) echo "$((RANDOM % 64 + 16))M" >"$MNT/d$w/$g/memory.max" ;;
		9) echo "$((RANDOM % 64 + 8))M" >"$MNT/d$w/$g/memory.high"
		   echo "$((RANDOM % 8))M" >"$MNT/d$w/$g/memory.low" ;;
		10) echo "write data/d$w.$g $((RANDOM % 4 + 1))M" >"$MNT/d$w/$g/sim.ctl" ;;
		11) cat "$MNT/d$w/$g/memory.current" "$MNT/d$w/memory.stat" \
			"$MNT/d$w/cgroup.stat" >/dev/null ;;
		esac 2>/dev/null
	done
	# An anon charge the OOM killer ended took this process with it;
	# alive, it gives back the rest (a charge that failed owns nothing).
	for g in a b; do
		[ "${owned[$g]}" -gt 0 ] &&
			echo "free anon ${owned[$g]}K" >"$MNT/d$w/$g/sim.ctl"
	done
	echo max >"$MNT/d$w/a/memory.max"
	echo max >"$MNT/d$w/b/memory.max"
}

topology() {
	local end=$((SECONDS + SECS)) w
	while [ $SECONDS -lt $end ]; do
		w=$((RANDOM % WRITERS + 1))
		mkdir "$MNT/d$w/tmp" 2>/dev/null
		echo "anon 64K" 2>/dev/null >"$MNT/d$w/tmp/sim.ctl"
		echo "free anon 64K" 2>/dev/null >"$MNT/d$w/tmp/sim.ctl"
		rmdir "$MNT/d$w/tmp" 2>/dev/null
	done
}

for w in $(seq "$WRITERS"); do worker "$w" & pids+=($!); done
topology & pids+=($!)
wait "${pids[@]}"
pids=()

timeout 10 cat "$MNT/cgroup.stat" >/dev/null || fail "the daemon no longer answers"
check=$(cat "$MNT/sim.check")
[ "$(tail -n 1 <<<"$check")" = "ok 1" ] || fail "sim.check: $check"
for w in $(seq "$WRITERS"); do
	[ "$(awk '$1 == "anon" {print $2}' "$MNT/d$w/memory.stat")" = 0 ] ||
		fail "anon left in d$w: $(grep -w anon "$MNT/d$w/memory.stat")"
done
rmdir "$MNT"/d*/*/ "$MNT"/d*/ || fail "rmdir"
for w in $(seq "$WRITERS"); do
	for g in a b; do echo "unlink data/d$w.$g" >"$MNT/sim.ctl" 2>/dev/null; done
done
echo "umount data" >"$MNT/sim.ctl" || fail "umount data"
stress_expect_empty
echo "disjoint: PASS ($WRITERS writers on disjoint subtrees, $SECS s)"
